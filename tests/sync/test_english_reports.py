"""The English window speaks English in what services report too: a roster import's summary and
refused rows, a sync's progress and summary against a real hub, the county's publications on the
同步 page. Only data (villagers' and villages' names) may be Chinese."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from agent_desk.catalog.loader import default_catalog_dir
from agent_desk.core.identity import make_resident_id
from agent_desk.server import publications
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.ui.app import install_translators
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from tests.sync.conftest import PASSWORD, HubFixture
from tests.sync.test_publications_apply import _catalog_with
from tests.sync.test_sync_ui import _facts, _refreshed
from tests.ui.ui_text import chinese_in

HAN = re.compile(r"[\u4e00-\u9fff]")
PEOPLE = ["王建国", "李秀英", "张桂兰"]
DATA = [
    *PEOPLE,
    "花名册",  # the file's name
    "洛门村",
    "蓼阳村",
    "城关村",
    "洛门镇",
    "城关镇",
    "高龄津贴",
]


def _chinese(text: str) -> list[str]:
    """Han characters left once the allowed data values are taken out."""
    for value in sorted(DATA, key=len, reverse=True):
        text = text.replace(value, "")
    return HAN.findall(text)


@pytest.fixture
def english() -> Iterator[None]:
    app = QApplication.instance()
    translators = install_translators(app, "en")
    try:
        yield
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def _roster(path: Path) -> Path:
    """Three good rows, a row without an ID number, a duplicate and a wrong sex: refused rows."""
    ids = [make_resident_id("620524", date(1950, 1, 1) + timedelta(days=i), 11) for i in range(3)]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["姓名", "公民身份号码", "性别", "所属村", "户主姓名", "与户主关系"])
        for name, number in zip(PEOPLE, ids, strict=True):
            out.writerow([name, number, "男", "洛门村", name, "户主"])
        out.writerow(["王建国", "", "男", "洛门村", "王建国", "户主"])
        out.writerow(["李秀英", ids[1], "男", "洛门村", "李秀英", "户主"])
        other = make_resident_id("620524", date(1960, 5, 5), 11)
        out.writerow(["张桂兰", other, "女", "洛门村", "张桂兰", "户主"])
    return path


def test_the_english_window_reports_imports_syncs_and_publications_in_english(
    qtbot, english, live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    dialogs = RecordingDialogs()
    window = MainWindow(DataDir(tmp_path / "ui-desk").ensure(), Settings(language="en"), dialogs)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.desk_ready, timeout=10000):
        window.start()
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    window.job.stepped.connect(shown.append)
    page = window.pages["sync"]
    page.engine.configure(live_hub.url, "wang")
    page.engine.login(PASSWORD)
    with qtbot.waitSignal(page.synced, timeout=20000):
        page.sync_now()  # the villages
    window.ops.wait()

    dialogs.next_paths.append(_roster(tmp_path / "花名册.csv"))
    window.import_roster()
    qtbot.waitUntil(lambda: any(s[0] == "info" for s in dialogs.shown), timeout=20000)
    [(_kind, title, text)] = [s for s in dialogs.shown if s[0] == "info"]
    assert "3 added" in text and "3 rows refused" in text and "no ID number" in text
    assert not _chinese(text), text

    broken = tmp_path / "templates-broken"
    shutil.copytree(
        default_catalog_dir().parent / "templates", broken, ignore=shutil.ignore_patterns("_build")
    )
    (broken / "common" / "receipt.docx").unlink()
    publications.publish(live_hub.hub.db, live_hub.hub.blobs, "templates", broken)
    catalog = _catalog_with(tmp_path, 12, "高龄津贴")
    publications.publish(live_hub.hub.db, live_hub.hub.blobs, "catalog", catalog / "forms")
    with qtbot.waitSignal(page.synced, timeout=30000) as synced:
        page.sync_now()
    assert synced.args[0].pushed >= 3
    _refreshed(qtbot, page)
    facts = _facts(page)
    published = [
        page.facts.itemAt(r, page.facts.ItemRole.FieldRole).widget().text()
        for r in range(page.facts.rowCount())
        if page.facts.itemAt(r, page.facts.ItemRole.LabelRole).widget().text()
        == "Published by the county"
    ]
    assert any("cannot be used" in p for p in published), facts
    assert any(p.startswith("Service catalog: using version") for p in published), facts
    assert any(s.startswith("Synced: ") or " sent, " in s for s in shown), shown
    wrong = [s for s in shown if _chinese(s)] + [
        line for line in chinese_in(page) if _chinese(line)
    ]
    assert not wrong, "\n".join(wrong)
    window.close()


def _table_texts(table) -> list[str]:
    return [
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())
        if table.item(r, c) is not None
    ]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_stored_sync_problems_are_shown_in_the_ui_language(
    qtbot, live_hub: HubFixture, tmp_path: Path, language: str
) -> None:
    """What the desk stored before anyone knew the reader's language — the hub's refusal of an op,
    a change from the hub this desk set aside, a conflict's field, the last sync problem — shows in
    the window's language: no Chinese in English, no English words in Chinese."""
    import httpx

    from agent_desk.protocol import Change
    from agent_desk.store.models import OutboxEntry
    from agent_desk.store.sync_state import SyncConflict
    from agent_desk.sync.apply import PageApplier

    app = QApplication.instance()
    translators = install_translators(app, language)
    live_hub.add_user("wang")
    dialogs = RecordingDialogs()
    settings = Settings(language=language)
    window = MainWindow(DataDir(tmp_path / "desk").ensure(), settings, dialogs)
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.desk_ready, timeout=10000):
            window.start()
        page = window.pages["sync"]
        page.engine.configure(live_hub.url, "wang")
        page.engine.login(PASSWORD)
        with window.desk.db.session() as session:
            # a hostile or broken desk's op: the hub refuses it, the desk quarantines it
            session.add(
                OutboxEntry(entity="client", entity_id="c" * 32, fields={"name": 5}, base_version=0)
            )
            # a change from the hub with a value this desk cannot hold
            PageApplier(session).apply(
                [Change(seq=1, entity="client", id="d" * 32, version=1, fields={"birth_date": "x"})]
            )
            session.add(SyncConflict(entity="client", entity_id="e" * 32, field="phone"))
            session.commit()
        with qtbot.waitSignal(page.synced, timeout=20000):
            page.sync_now()
        window.ops.wait()

        def unreachable(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused", request=request)

        page.engine.transport = httpx.MockTransport(unreachable)  # the network drops
        page.engine.close()
        page.sync_now()
        qtbot.waitUntil(lambda: not page.running, timeout=20000)
        window.ops.wait()
        _refreshed(qtbot, page)
        facts = _facts(page)
        shown = [
            *facts.values(),
            *_table_texts(page.quarantine),
            *_table_texts(page.incoming),
            *_table_texts(page.conflicts),
        ]
        last = facts.get("Last problem" if language == "en" else "最近的问题", "")
        refusal = _table_texts(page.quarantine)
        set_aside = _table_texts(page.incoming)
        conflict = _table_texts(page.conflicts)
    finally:
        window.close()
        for translator in translators:
            app.removeTranslator(translator)
    assert last and refusal and set_aside and conflict, (facts, refusal, set_aside, conflict)
    text = "\n".join(shown)
    if language == "en":
        assert "cannot reach the hub" in last, last
        assert "client.birth_date: must be a date YYYY-MM-DD" in set_aside, set_aside
        assert "Phone" in conflict and "Client" in refusal, (conflict, refusal)
        assert not _chinese(text), text
    else:
        assert "无法连接到乡镇服务器" in last, last
        assert "联系电话" in conflict and "委托人" in refusal, (conflict, refusal)
        assert "「出生日期」应为日期 YYYY-MM-DD" in set_aside, set_aside
        english = re.findall(r"\b(?:the|not|must|cannot|of|hub|desk|store|Client|Phone)\b", text)
        assert not english, (english, text)
