"""The first window: a lazy client list with one search box, roster import from the menu."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import select

from agent_desk.core.identity import make_resident_id
from agent_desk.store.models import Client
from agent_desk.ui.lazy_model import PAGE


def _search(qtbot, page, text: str) -> None:
    page.search.setText(text)
    with qtbot.waitSignal(page.model.loaded, timeout=5000):
        page.apply_search()


def _names(page) -> list[str]:
    model = page.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_list_pages_in_lazily_and_masks_id_numbers(qtbot, window) -> None:
    page = window.pages["clients"]
    model = page.model
    assert model.rowCount() == PAGE  # one page, not the whole table
    qtbot.waitUntil(lambda: "400" in page.count.text(), timeout=5000)
    assert model.canFetchMore()
    model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 400, timeout=5000)
    assert not model.canFetchMore()
    shown_id = model.data(model.index(0, 3))
    assert "*" in shown_id and len(shown_id) == 18


def test_search_by_name_pinyin_initials_and_id_tail(qtbot, window) -> None:
    page = window.pages["clients"]
    with window.desk.db.session() as session:
        client = session.scalars(
            select(Client).where(Client.name.like("__"))
        ).first()  # a two-character name
    assert client is not None
    for query in (client.name, client.id_number[-4:].lower(), client.id_number):
        _search(qtbot, page, query)
        assert client.name in _names(page), query
    _search(qtbot, page, "zzzzqqq")
    assert page.model.rowCount() == 0
    assert "0" in page.count.text()


def test_enter_in_search_opens_the_first_client(qtbot, window) -> None:
    page = window.pages["clients"]
    _search(qtbot, page, page.model.data(page.model.index(0, 0)))
    with qtbot.waitSignal(page.open_client, timeout=2000) as blocker:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert blocker.args[0] == page.model.id_at(0)


def _not_a_demo_desk(window) -> None:
    """The fixture's desk is seeded with demo data, and a demo desk refuses real rosters."""
    from agent_desk.store.models import Meta

    with window.desk.db.session() as session:
        session.delete(session.get(Meta, "demo"))
        session.commit()


def test_a_demo_desk_refuses_a_real_roster_from_the_menu(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    roster = tmp_path / "花名册.csv"
    good = make_resident_id("620524", __import__("datetime").date(1980, 5, 17), 123)
    roster.write_text(f"姓名,身份证号码,所属村\n欧阳修,{good},洛门村\n", encoding="utf-8-sig")
    dialogs.next_paths.append(roster)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "error" for kind, *_ in dialogs.shown), timeout=15000)
    assert "演示数据" in next(text for kind, _t, text in dialogs.shown if kind == "error")


def test_roster_import_from_menu_reports_bad_rows(qtbot, window, dialogs, tmp_path: Path) -> None:
    roster = tmp_path / "花名册.csv"
    good = make_resident_id("620524", __import__("datetime").date(1980, 5, 17), 123)
    with roster.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "身份证号码", "联系电话", "所属村"])
        writer.writerow(["欧阳修", good, "13912345678", "洛门村"])
        writer.writerow(["李四", "620524198005171230", "13912345678", "洛门村"])
    dialogs.next_paths.append(roster)
    _not_a_demo_desk(window)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "info" for kind, *_ in dialogs.shown), timeout=10000)
    kind, title, text = dialogs.shown[-1]
    assert "新增 1 人" in text and "拒绝 1 行" in text
    assert "第 3 行" in text and "校验码" in text
    page = window.pages["clients"]
    _search(qtbot, page, "ouyang")
    assert "欧阳修" in _names(page)


def test_roster_rows_excel_cut_off_are_shown_grouped_and_imported_once_confirmed(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    from datetime import date

    from agent_desk.core.identity import id_check_digit

    rounded = []
    for day in range(1, 29):
        first15 = make_resident_id("620524", date(1966, 3, day), 101)[:15]
        if id_check_digit(first15 + "00") == "0":
            rounded.append(first15 + "000")
    roster = tmp_path / "截断.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "身份证号码", "所属村"])
        writer.writerows([["万俟卨", rounded[0], "洛门村"], ["澹台明", rounded[1], "洛门村"]])
        writer.writerows([["王五", "6.20524E+17", "洛门村"], ["王六", "6.20524E+17", "洛门村"]])
    dialogs.next_paths.append(roster)
    dialogs.confirm_answer = True
    _not_a_demo_desk(window)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: sum(kind == "info" for kind, *_ in dialogs.shown) >= 2, timeout=15000)
    first, second = [text for kind, _title, text in dialogs.shown if kind == "info"][-2:]
    assert "待确认 2 行" in first and "第 4–5 行（共 2 行）：Excel 把身份证号存成了数字" in first
    assert any(kind == "confirm" and "000" in text for kind, _title, text in dialogs.shown)
    assert "新增 2 人" in second
    page = window.pages["clients"]
    _search(qtbot, page, "moqi")
    assert _names(page) == ["万俟卨"]


def test_the_profile_lists_the_clients_cases_newest_first(qtbot, window) -> None:
    from sqlalchemy import func, select

    from agent_desk.store.models import Case

    with window.desk.db.session() as session:
        per_client = select(Case.client_id, func.count()).group_by(Case.client_id)
        client_id, count = session.execute(per_client.order_by(func.count().desc())).first()
        mine = select(Case.case_no).where(Case.client_id == client_id)
        newest = session.scalars(mine.order_by(Case.entrusted_on.desc())).first()
    view = window.open_client(client_id)
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    assert view.cases.rowCount() == count >= 2
    assert view.cases.item(0, 0).text() == newest
    dates = [view.cases.item(r, 3).text() for r in range(view.cases.rowCount())]
    assert dates == sorted(dates, reverse=True)
    view.cases.selectRow(0)
    view._open_case(0)
    qtbot.waitUntil(lambda: len(window.case_views) == 1, timeout=5000)
