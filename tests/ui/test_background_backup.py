"""Start-up never waits for the day's backup: it runs after the first rows, its progress in the status bar."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QLabel

from agent_desk.services import backup
from agent_desk.services.desk import open_desk
from agent_desk.services.settings import Settings
from agent_desk.services.vault import setup_password, unlock
from agent_desk.store.crypto import KdfParams
from agent_desk.store.datadir import DataDir
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from tests.conftest import build_client

PASSWORD = "乡镇-backup-2026"


def test_the_window_is_usable_while_the_days_backup_runs(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    data = DataDir(tmp_path / "desk").ensure()
    setup_password(data, PASSWORD, params=KdfParams.light())
    key = unlock(data, PASSWORD)
    desk = open_desk(data.root, key=key)
    with desk.db.session() as session:
        build_client(session, name="李秀英")
        session.commit()
    desk.close()
    started, release = threading.Event(), threading.Event()
    copy = backup.copy_database

    def slow_copy(engine, target, cancelled=None) -> None:  # a 1.6 GB desk on a village PC's disk
        started.set()
        target.with_name(target.name + ".partial").write_bytes(b"\0" * 2048)
        release.wait(30)
        copy(engine, target, cancelled)

    monkeypatch.setattr(backup, "copy_database", slow_copy)
    window = MainWindow(data, Settings(), RecordingDialogs(), key=key)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.desk_ready, timeout=10000):
            window.start()
        qtbot.waitUntil(lambda: window.pages["clients"].model.rowCount() == 1, timeout=10000)
        qtbot.waitUntil(started.is_set, timeout=10000)  # the backup starts after the rows are shown
        label = window.findChild(QLabel, "backupProgress")
        qtbot.waitUntil(lambda: label.isVisible() and "%" in label.text(), timeout=10000)
        assert list(data.backups.glob("*.db")) == []
    finally:
        release.set()
    qtbot.waitUntil(lambda: len(list(data.backups.glob("*-weekly-*.db"))) == 1, timeout=30000)
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=10000)
    window.close()
