"""The case board's filters and deadline colours, and recording steps from the case window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from agent_desk.store.case_queries import case_events
from agent_desk.store.models import Case


def _board(qtbot, window):
    board = window.pages["cases"]
    qtbot.waitUntil(lambda: board.model.rowCount() > 0, timeout=5000)
    return board


def _reload(qtbot, board, change) -> None:
    with qtbot.waitSignal(board.model.loaded, timeout=5000):
        change()


def _statuses(board) -> set[str]:
    model = board.model
    return {model.data(model.index(r, 4)) for r in range(model.rowCount())}


def test_board_filters_by_status_and_deadline(qtbot, window) -> None:
    board = _board(qtbot, window)
    assert _statuses(board) <= {
        "Entrusted",
        "Accepted",
        "In progress",
        "Needs correction",
        "Accepted (deferred)",
        "In progress (deferred)",
        "Needs correction (deferred)",
        "Entrusted (deferred)",
    }
    _reload(qtbot, board, lambda: board.returned.setChecked(True))
    assert board.model.rowCount() > 0
    assert {s.split(" (")[0] for s in _statuses(board)} == {"Needs correction"}
    board.returned.setChecked(False)
    _reload(qtbot, board, lambda: board.overdue.setChecked(True))
    model = board.model
    assert model.rowCount() > 0
    for r in range(model.rowCount()):
        assert "overdue" in model.data(model.index(r, 6))
        assert (
            model.data(model.index(r, 6), Qt.ItemDataRole.BackgroundRole).color().name()
            == "#ffc9c9"
        )


def test_board_search_by_case_number(qtbot, window) -> None:
    board = _board(qtbot, window)
    wanted = board.model.data(board.model.index(3, 0))
    board.search.setText(wanted)
    _reload(qtbot, board, board.apply_filter)
    assert [board.model.data(board.model.index(r, 0)) for r in range(board.model.rowCount())] == [
        wanted
    ]


def _entrusted_case(window) -> Case:
    with window.desk.db.session() as session:
        case = session.scalars(select(Case).where(Case.status == "entrusted")).first()
        assert case is not None
        return case


def test_refusing_a_case_from_its_window_records_the_reason(qtbot, window, dialogs) -> None:
    case = _entrusted_case(window)
    view = window.open_case(case.id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    buttons = {b.objectName() for b in view.findChildren(QPushButton)}
    assert {"action_accept", "action_refuse_acceptance", "action_withdraw"} <= buttons
    assert "action_deliver" not in buttons
    dialogs.next_payloads.append({"reason": "不属于本村受理范围"})
    with qtbot.waitSignal(view.acted, timeout=5000):
        view.findChild(QPushButton, "action_refuse_acceptance").click()
    qtbot.waitUntil(lambda: view.detail.case.status == "not_accepted", timeout=5000)
    with window.desk.db.session() as session:
        assert session.get(Case, case.id).status == "not_accepted"
        last = case_events(session, case.id)[-1]
        assert (last.action, last.reason) == ("refuse_acceptance", "不属于本村受理范围")
    qtbot.waitUntil(
        lambda: (
            {
                b.objectName()
                for b in view.findChildren(QPushButton)
                if b.isVisible() and b.objectName().startswith("action_")
            }
            == {"action_archive"}
        ),
        timeout=5000,
    )


def test_a_step_without_its_reason_is_refused_with_a_message(qtbot, window, dialogs) -> None:
    case = _entrusted_case(window)
    view = window.open_case(case.id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    dialogs.next_payloads.append({})
    view.findChild(QPushButton, "action_withdraw").click()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, *_ in dialogs.shown), timeout=5000)
    assert any("原因" in text for kind, _t, text in dialogs.shown if kind == "error")
    with window.desk.db.session() as session:
        assert session.get(Case, case.id).status == "entrusted"


def test_cancelling_the_form_records_nothing(qtbot, window, dialogs) -> None:
    case = _entrusted_case(window)
    view = window.open_case(case.id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    view.findChild(QPushButton, "action_withdraw").click()  # no scripted payload: the agent cancels
    window.ops.wait()
    with window.desk.db.session() as session:
        assert len(case_events(session, case.id)) == 1


def test_due_soon_means_not_yet_overdue_and_deadlines_carry_the_year(qtbot, window) -> None:
    board = _board(qtbot, window)
    _reload(qtbot, board, lambda: board.due_soon.setChecked(True))
    model = board.model
    assert model.rowCount() > 0
    for r in range(model.rowCount()):
        text = model.data(model.index(r, 6))
        assert "overdue" not in text and "working days left" in text, text
        assert text[:4].isdigit() and text[4] == "-", text  # 2026-11-23, not 11-23


def test_the_status_entrusted_and_the_entrusted_on_column_are_two_texts(qtbot) -> None:
    """One source string served both, so the status read 「委托日期」 in Chinese."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from agent_desk.ui.app import I18N
    from agent_desk.ui.labels import status_label

    translator = QTranslator()
    assert translator.load(str(I18N / "agent_desk_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        assert status_label("entrusted") == "委托"
        assert QCoreApplication.translate("CaseBoardPage", "Entrusted on") == "委托日期"
    finally:
        QCoreApplication.removeTranslator(translator)
