"""Long jobs show progress with 取消 in the status bar; cancelling a roster import midway leaves
nothing half-written; an export offers 打开所在文件夹."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from agent_desk.core.identity import make_resident_id
from agent_desk.store.models import AuditEntry, Client, Meta, OutboxEntry

ROWS = 20_000


def _big_roster(path: Path) -> Path:
    born = date(1950, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["姓名", "公民身份号码", "性别", "联系电话", "家庭住址", "户主姓名", "与户主关系"]
        )
        for i in range(ROWS):
            number = make_resident_id("620524", born + timedelta(days=i), 11)
            out.writerow([f"王{i:05d}", number, "男", "", "洛门村1组", f"王{i:05d}", "户主"])
    return path


def _counts(window) -> tuple[int, int, int]:
    with window.desk.db.session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Client, OutboxEntry, AuditEntry)
        )


def test_cancelling_a_roster_import_midway_writes_nothing(qtbot, window, dialogs, tmp_path) -> None:
    with (
        window.desk.db.session() as session
    ):  # the fixture seeds a demo desk, which takes no roster
        session.delete(session.get(Meta, "demo"))
        session.commit()
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
