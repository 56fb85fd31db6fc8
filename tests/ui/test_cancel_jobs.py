"""Long jobs show progress with 取消 in the status bar; cancelling a roster import midway leaves
nothing half-written, cancelling an export leaves no file (not even its temp file); an export offers
打开所在文件夹."""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from sqlalchemy import func
from sqlmodel import select

from agent_desk.core.identity import make_resident_id
from agent_desk.services.demo import seed_demo
from agent_desk.services.demo_catalog import demo_items
from agent_desk.services.desk import open_desk
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import AuditEntry, Client, OutboxEntry
from agent_desk.sync.settings import SyncSettings
from agent_desk.ui.main_window import MainWindow
from tests.ui.conftest import open_window

ROWS = 20_000
DIGITS = str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")  # names take no digits
BIG_CLIENTS, BIG_CASES = 10_000, 10_000


def _big_roster(path: Path) -> Path:
    born = date(1950, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["姓名", "公民身份号码", "性别", "联系电话", "家庭住址", "户主姓名", "与户主关系"]
        )
        for i in range(ROWS):
            number = make_resident_id("620524", born + timedelta(days=i), 11)
            name = "王" + f"{i:05d}".translate(DIGITS)
            out.writerow([name, number, "男", "", "洛门村1组", name, "户主"])
    return path


def _counts(window) -> tuple[int, int, int]:
    with window.desk.db.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Client, OutboxEntry, AuditEntry)
        )


@pytest.fixture
def real_window(qtbot, dialogs, tmp_path) -> Iterator[MainWindow]:
    """A desk that is not a demo one: a demo desk refuses real rosters (services/demo_marking)."""
    win = open_window(qtbot, DataDir(tmp_path / "real-desk").ensure(), Settings(), dialogs)
    yield win
    win.ops.wait()


def test_cancelling_a_roster_import_midway_writes_nothing(
    qtbot, real_window, dialogs, tmp_path
) -> None:
    window = real_window
    before = _counts(window)
    dialogs.next_paths.append(_big_roster(tmp_path / "花名册.csv"))
    window.import_roster()
    job = window.job
    qtbot.waitUntil(lambda: job.isVisible() and job.bar.value() > 0, timeout=30000)
    job.cancel_button.click()
    qtbot.waitUntil(lambda: not job.isVisible(), timeout=30000)
    window.ops.wait()
    assert _counts(window) == before  # no client, no outbox entry, no audit entry
    assert window.statusBar().currentMessage() == "Cancelled; nothing was saved"
    assert not [s for s in dialogs.shown if s[0] in ("info", "error", "crash")]


def test_an_export_offers_to_open_its_folder(qtbot, window, dialogs, tmp_path) -> None:
    target = tmp_path / "out" / "花名册.xlsx"
    target.parent.mkdir()
    dialogs.next_paths.append(target)
    dialogs.confirm_answer = False  # masked
    dialogs.open_folder_answer = True
    window.export_roster()
    qtbot.waitUntil(lambda: any(s[0] == "saved_file" for s in dialogs.shown), timeout=30000)
    assert target.exists() and dialogs.opened == [target.parent]
    assert not window.job.isVisible()


@pytest.fixture(scope="module")
def big_desk_template(tmp_path_factory) -> Path:
    """A desk with enough clients and cases that an export takes several progress reports."""
    root = tmp_path_factory.mktemp("big") / "desk"
    data = DataDir(root).ensure()
    desk = open_desk(data.root)
    with desk.db.session() as session:
        seed_demo(session, demo_items(), clients=BIG_CLIENTS, cases=BIG_CASES, seed=7)
        session.commit()
    desk.close()
    return root


@pytest.fixture
def big_window(qtbot, big_desk_template, dialogs, tmp_path) -> Iterator[MainWindow]:
    root = tmp_path / "big-desk"
    shutil.copytree(big_desk_template, root)
    reviewer = Settings(role="reviewer", sync=SyncSettings(username="李慧敏"))  # has 督查 too
    win = MainWindow(DataDir(root).ensure(), reviewer, dialogs)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.desk_ready, timeout=10000):
        win.start()
    yield win
    win.ops.wait()


def _cancel_once_writing(qtbot, window: MainWindow, folder: Path) -> None:
    """取消 as soon as the export's temp file is in the folder (the job is midway)."""
    job = window.job
    qtbot.waitUntil(lambda: job.isVisible() and any(folder.iterdir()), timeout=30000)
    job.cancel_button.click()
    qtbot.waitUntil(lambda: not job.isVisible(), timeout=30000)
    window.ops.wait()


def _audit_count(window: MainWindow) -> int:
    with window.desk.db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("name", ["花名册.xlsx", "花名册.csv"])
def test_cancelling_a_roster_export_midway_leaves_no_file(
    qtbot, big_window, dialogs, tmp_path, name
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    audit = _audit_count(big_window)
    dialogs.next_paths.append(folder / name)
    dialogs.confirm_answer = (
        True  # full numbers: the export is audited, and must not be if cancelled
    )
    big_window.export_roster()
    _cancel_once_writing(qtbot, big_window, folder)
    assert list(folder.iterdir()) == []  # not the roster, not a temp file
    assert big_window.statusBar().currentMessage() == "Cancelled; nothing was saved"
    assert _audit_count(big_window) == audit
    assert not [s for s in dialogs.shown if s[0] in ("saved_file", "error", "crash")]


def test_cancelling_a_ledger_export_midway_leaves_no_file(
    qtbot, big_window, dialogs, tmp_path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    page = big_window.pages["supervision"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    page.start.setDate(QDate(2000, 1, 1))  # every case of the desk
    page.end.setDate(QDate(2030, 12, 31))
    dialogs.next_paths.append(folder / "台账.xlsx")
    page.export()
    _cancel_once_writing(qtbot, big_window, folder)
    assert list(folder.iterdir()) == []
    assert big_window.statusBar().currentMessage() == "Cancelled; nothing was saved"
    assert page.export_button.isEnabled() and not page.export_progress.isVisible()
    assert not [s for s in dialogs.shown if s[0] in ("saved_file", "error", "crash")]


def _printed(window, case_no: str) -> dict[str, bytes]:
    folder = window.ctx.data.documents / case_no
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_cancelling_a_form_fill_midway_leaves_the_printed_forms_as_they_were(
    qtbot, window, dialogs, monkeypatch
) -> None:
    """取消 while the forms are filled again: the files and their records stay the earlier ones."""
    from agent_desk.fill import batch
    from agent_desk.store.models import Case, Client, GeneratedDocument

    with window.desk.db.session() as session:
        case = session.scalars(select(Case).where(Case.status == "accepted")).first()
        case_id, case_no, client_id = case.id, case.case_no, case.client_id
    view = window.open_case(case_id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    panel = view.printed
    qtbot.waitUntil(
        lambda: window.ctx.catalog is not None, timeout=30000
    )  # loads in the background
    with qtbot.waitSignal(panel.generated, timeout=120000) as first:
        panel.generate(allow_blank=True)
    window.ops.wait()
    assert len(first.args[0].documents) >= 2, first.args[0]
    before = _printed(window, case_no)
    with window.desk.db.session() as session:
        rows_before = sorted(
            (d.path, d.sha256)
            for d in session.scalars(
                select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
            )
        )
        session.get(Client, client_id).phone = "13900000001"  # the next fill would differ
        session.commit()

    real = batch.render

    def slow(*args, **kwargs):
        time.sleep(0.3)  # each form takes a moment, so 取消 lands between two of them
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "render", slow)
    panel.generate(allow_blank=True)
    job = window.job
    qtbot.waitUntil(lambda: job.isVisible() and job.bar.value() >= 1, timeout=30000)
    job.cancel_button.click()
    qtbot.waitUntil(lambda: not job.isVisible(), timeout=30000)
    window.ops.wait()
    assert _printed(window, case_no) == before  # no form half-replaced, no ".prev" left over
    with window.desk.db.session() as session:
        rows_after = sorted(
            (d.path, d.sha256)
            for d in session.scalars(
                select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
            )
        )
    assert rows_after == rows_before
    assert window.statusBar().currentMessage() == "Cancelled; nothing was saved"


def test_two_long_jobs_at_once_each_keep_their_own_cancel(qtbot, window) -> None:
    first = window.start_job("导出花名册")
    second = window.start_job("同步")
    rows = window.job.rows
    assert [r.title for r in rows] == ["导出花名册", "同步"] and window.job.isVisible()
    first.step(3, 10, "")
    second.step(1, 4, "")
    assert (rows[0].bar.value(), rows[1].bar.value()) == (3, 1)  # neither overwrites the other
    rows[0].cancel_button.click()
    assert first.event.is_set() and not second.event.is_set()
    first.finish()
    assert window.job.isVisible() and [r.title for r in window.job.rows] == ["同步"]
    second.finish()
    assert not window.job.isVisible()
