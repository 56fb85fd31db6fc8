"""Dates counted through a year whose holiday schedule is not out yet are shown as estimates."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from agent_desk.core.calendar import default_calendar
from agent_desk.store.models import Case


def test_a_due_date_in_an_estimated_year_is_marked_on_the_board(qtbot, window) -> None:
    with window.desk.db.session() as session:
        case = session.scalars(select(Case).where(Case.status == "accepted")).first()
        assert case is not None
        case.due_on = date(2027, 1, 4)  # 2027 has no official schedule in the package
        session.add(case)
        session.commit()
        number = case.case_no
    board = window.pages["cases"]
    qtbot.waitUntil(lambda: board.model.rowCount() > 0, timeout=5000)
    board.search.setText(number)
    with qtbot.waitSignal(board.model.loaded, timeout=5000):
        board.apply_filter()
    assert board.model.rowCount() == 1
    assert board.model.data(board.model.index(0, 6)).endswith("(estimated)")


def test_the_status_bar_names_the_estimated_year(qtbot, window) -> None:
    today = date.today()
    years = default_calendar().estimated_years(today, today + timedelta(days=365))
    window.show_calendar_note()
    assert window.calendar_note.isVisibleTo(window) == bool(years)
    for year in years:
        assert str(year) in window.calendar_note.text()
    autumn_2026 = date(2026, 9, 1) <= today <= date(2026, 12, 31)
    if autumn_2026 and not default_calendar().has_data_for(2027):
        assert "2027" in window.calendar_note.text()  # the case this was written for


def test_a_due_date_moved_by_a_calendar_publication_shows_in_the_case_window(qtbot, window) -> None:
    from agent_desk.core.calendar import WorkCalendar, YearOverride
    from agent_desk.services.deadlines import recompute_due_dates

    with window.desk.db.session() as session:
        case = session.scalars(select(Case).where(Case.status == "accepted")).first()
        assert case is not None and case.accepted_on is not None
        case.due_on = default_calendar().add_working_days(case.accepted_on, 10)
        session.add(case)
        session.flush()
        week = frozenset(case.accepted_on + timedelta(days=k) for k in range(1, 8))
        year = case.accepted_on.year
        new = WorkCalendar({year: YearOverride(holidays=week), year + 1: YearOverride()})
        assert recompute_due_dates(session, default_calendar(), new, actor="同步") >= 1
        session.commit()
        case_id = case.id
    view = window.open_case(case_id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    rows = [
        [view.timeline.item(r, c).text() for c in range(4)] for r in range(view.timeline.rowCount())
    ]
    [moved] = [row for row in rows if row[1] == "Due date adjusted"]
    assert moved[3].startswith("Due date moved from ")  # 办结期限因放假安排调整由 … in Chinese


def test_settings_show_the_year_the_desk_counts_with_its_source(qtbot, window) -> None:
    from agent_desk.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.settings, window.data.root, window)
    qtbot.addWidget(dialog)
    dialog.calendar_year.setValue(2026)
    assert "(package)" in dialog.calendar_days.toPlainText()
    if not default_calendar().has_data_for(2027) and dialog.calendar_year.maximum() >= 2027:
        dialog.calendar_year.setValue(2027)
        text = dialog.calendar_days.toPlainText()
        assert "estimated from the law" in text and "2027-02-05 星期五 放假 春节" in text
