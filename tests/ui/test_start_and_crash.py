"""The GUI start path over old and too-new databases, and the crash dialog."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from alembic import command
from PySide6.QtWidgets import QApplication

import agent_desk.ui.app as app_module
from agent_desk.core.errors import DomainError
from agent_desk.services.desk import open_desk
from agent_desk.services.settings import Settings, save_settings
from agent_desk.store import db as store_db
from agent_desk.store.datadir import DataDir
from agent_desk.ui.crash_dialog import CrashDialog
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs


@pytest.fixture(autouse=True)
def no_translators(monkeypatch) -> None:
    """start_gui installs the Chinese catalogue on the one QApplication; keep other tests in English."""
    monkeypatch.setattr(app_module, "install_translators", lambda _app, _language: [])


def _configured(tmp_path: Path) -> DataDir:
    data = DataDir(tmp_path / "desk").ensure()
    save_settings(data.settings_file, Settings())
    return data


def _snapshot(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def test_a_database_from_a_newer_version_is_refused_in_a_dialog_and_left_alone(
    qtbot, tmp_path, dialogs, make_client, monkeypatch
) -> None:
    data = _configured(tmp_path)
    desk = open_desk(data.root)
    with desk.db.session() as session:
        make_client(session)
        session.commit()
    desk.close()
    with sqlite3.connect(data.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _snapshot(data.database)
    refused: list[MainWindow] = []
    monkeypatch.setattr(app_module, "_refused", lambda _app, window: refused.append(window))
    window = app_module.start_gui(QApplication.instance(), data, dialogs)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: refused == [window], timeout=10000)
    [(kind, title, text)] = dialogs.shown
    assert kind == "error" and "更新版本" in text and "9999_from_the_future" in text
    assert window.desk is None and window.pages == {}
    assert _snapshot(data.database) == before
    assert list(data.backups.iterdir()) == []


def test_refusal_closes_the_window_and_ends_the_app_with_an_error_code(
    qtbot, tmp_path, monkeypatch
) -> None:
    window = MainWindow(DataDir(tmp_path), Settings(), RecordingDialogs())
    qtbot.addWidget(window)
    window.show()
    codes: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: codes.append(code)))
    app_module._refused(QApplication.instance(), window)
    assert codes == [app_module.EXIT_DB_REFUSED] and not window.isVisible()


def test_an_older_database_is_migrated_with_a_visible_notice_after_a_backup(
    qtbot, tmp_path, dialogs, make_client
) -> None:
    data = _configured(tmp_path)
    engine = store_db.make_engine(data.database)
    command.upgrade(store_db.alembic_config(engine), "0001")
    with engine.begin() as conn:  # the first release's client row (today's model has more columns)
        conn.exec_driver_sql(
            "INSERT INTO client (id, version, deleted, updated_at, kind, name, sort_key, created_at)"
            " VALUES (?, 0, 0, '2026-11-01 09:00:00', 'person', '单行建', '', '2026-11-01 09:00:00')",
            ("b" * 32,),
        )
    engine.dispose()
    window = MainWindow(data, Settings(), dialogs)
    qtbot.addWidget(window)
    notices: list[str] = []
    window.migrating.connect(lambda: notices.append(window.loading.text()))
    window.show()
    with qtbot.waitSignal(window.desk_ready, timeout=10000):
        window.start()
    assert len(notices) == 1 and str(data.backups) in notices[0]
    [backup] = data.backups.glob("*.db")
    assert "pre-" in backup.name and dialogs.shown == []


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_the_crash_dialog_says_what_happened_where_the_log_is_and_copies_a_report(
    qtbot, tmp_path
) -> None:
    log = tmp_path / "logs" / "agent_desk.log"
    log.parent.mkdir()
    log.write_text("".join(f"line {n}\n" for n in range(100)), encoding="utf-8")
    dialog = CrashDialog(_raised(KeyError("case-42")), log)
    qtbot.addWidget(dialog)
    assert "KeyError" in dialog.summary.text() and "case-42" in dialog.summary.text()
    assert str(log) in dialog.where.text()
    assert "Traceback" in dialog.details.toPlainText()
    dialog.copy_button.click()
    report = QApplication.clipboard().text()
    assert report == dialog.report
    assert "AgentDesk 0.1.0" in report and "PySide6" in report and str(log) in report
    assert "line 99" in report and "line 50" not in report  # only the end of the log


def test_failure_shows_a_crash_for_bugs_and_a_message_for_user_errors(tmp_path) -> None:
    dialogs = RecordingDialogs()
    dialogs.log_path = tmp_path / "agent_desk.log"
    dialogs.failure(None, _raised(ZeroDivisionError("boom")))
    dialogs.failure(None, DomainError("身份证号码校验位不对", code="bad_id"))
    assert [d[:2] for d in dialogs.shown] == [
        ("crash", "ZeroDivisionError"),
        ("error", "Cannot continue"),
    ]
    assert "ZeroDivisionError: boom" in dialogs.crashes[0]


def test_an_error_in_a_worker_thread_is_logged_not_shown(qtbot, monkeypatch) -> None:
    dialogs = RecordingDialogs()
    monkeypatch.setattr("sys.excepthook", None)
    app_module._install_excepthook(dialogs)
    import sys

    hook = sys.excepthook
    worker = threading.Thread(target=lambda: hook(RuntimeError, RuntimeError("late"), None))
    worker.start()
    worker.join()
    assert dialogs.shown == []
    hook(RuntimeError, _raised(RuntimeError("on the UI thread")), None)
    assert dialogs.shown[0][:2] == ("crash", "RuntimeError")
