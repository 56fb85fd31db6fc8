"""Login at start, first-time password, wrong password asked again, idle lock, audited "show full"."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from agent_desk.services.desk import open_desk
from agent_desk.services.settings import Settings
from agent_desk.services.vault import setup_password, unlock
from agent_desk.store.crypto import KdfParams
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import AuditEntry, Client
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs

PASSWORD = "乡镇-secret-2026"


def _window(qtbot, data: DataDir, dialogs: RecordingDialogs) -> MainWindow:
    win = MainWindow(data, Settings(lock_minutes=5), dialogs, protect=True)
    qtbot.addWidget(win)
    win.show()
    return win


def test_first_start_sets_a_password_and_encrypts(qtbot, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "desk").ensure()
    dialogs = RecordingDialogs()
    dialogs.next_passwords = [("short", False), (PASSWORD, False)]
    win = _window(qtbot, data, dialogs)
    with qtbot.waitSignal(win.desk_ready, timeout=15000):
        win.start()
    assert [s[1] for s in dialogs.shown if s[0] == "password"] == ["setup", "setup"]
    assert "8" in [s for s in dialogs.shown if s[0] == "password"][1][2]
    assert data.key_file.exists() and win.desk is not None and win.desk.cipher is not None
    win.ops.wait()


def test_unlock_wrong_then_right_then_idle_lock(qtbot, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "desk").ensure()
    setup_password(data, PASSWORD, params=KdfParams.light())
    dialogs = RecordingDialogs()
    dialogs.next_passwords = [("wrong-password", False), (PASSWORD, False)]
    win = _window(qtbot, data, dialogs)
    with qtbot.waitSignal(win.desk_ready, timeout=15000):
        win.start()
    prompts = [s for s in dialogs.shown if s[0] == "password"]
    assert len(prompts) == 2 and "密码不正确" in prompts[1][2]
    assert win.idle_lock is not None
    win.idle_lock.check(now=win.idle_lock.last_input + 4 * 60)
    assert not win.locked
    dialogs.next_passwords = [("still-wrong-1", False), (PASSWORD, False)]
    win.idle_lock.check(now=win.idle_lock.last_input + 5 * 60)
    assert win.locked and not win.centralWidget().isVisible()
    qtbot.waitUntil(lambda: not win.locked, timeout=15000)
    assert win.centralWidget().isVisible()
    win.ops.wait()


def test_cancel_at_login_quits_without_opening(qtbot, tmp_path: Path) -> None:
    data = DataDir(tmp_path / "desk").ensure()
    setup_password(data, PASSWORD, params=KdfParams.light())
    win = _window(qtbot, data, RecordingDialogs())
    win.start()
    assert win.desk is None and not win.isVisible()


def test_profile_masks_until_show_full_and_audits_it(window, qtbot) -> None:
    desk = window.desk
    with desk.db.session() as session:
        client = session.exec(select(Client).where(Client.id_number.is_not(None)).limit(1)).one()  # type: ignore[union-attr]
    view = window.open_client(client.id)
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    id_edit = view.edits["id_number"]
    assert id_edit.text() != client.id_number and "****" in id_edit.text() and id_edit.isReadOnly()
    assert view.client_input().id_number == client.id_number  # saving keeps the real number
    view.show_full_button.click()
    qtbot.waitUntil(lambda: id_edit.text() == client.id_number, timeout=10000)
    with desk.db.session() as session:
        views = session.exec(select(AuditEntry).where(AuditEntry.action == "view_full")).all()
    assert [v.entity_id for v in views] == [client.id] and "id_number" in views[0].detail["what"]
    window.ops.wait()


def test_encrypted_desk_opens_in_a_plain_test_window_only_with_key(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "d").ensure()
    setup_password(data, PASSWORD, params=KdfParams.light())
    open_desk(data.root, key=unlock(data, PASSWORD)).close()


def test_the_new_hub_password_dialog_refuses_a_common_password_in_chinese(qtbot) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from agent_desk.ui.lock import NewHubPasswordDialog

    dialog = NewHubPasswordDialog("管理员已重置您的密码：请设置一个新密码后登录")
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    dialog.new.setText("woaini1314")
    dialog.again.setText("woaini1314")
    ok.click()
    assert dialog.isVisible() and "常见" in dialog.error.text()
    dialog.new.setText("洛门村-新密码-8")
    dialog.again.setText("洛门村-新密码-8")
    ok.click()
    assert dialog.result() == NewHubPasswordDialog.DialogCode.Accepted
    assert dialog.password() == "洛门村-新密码-8"


def _plain_desk_with_a_backup(data: DataDir) -> Path:
    from agent_desk.services.backup import make_backup

    desk = open_desk(data.root)
    try:
        return make_backup(desk, "manual")
    finally:
        desk.close()


def test_the_first_password_asks_whether_plain_backups_go_or_get_encrypted(
    qtbot, tmp_path: Path
) -> None:
    from agent_desk.store.encrypt import is_plaintext

    for remove in (True, False):
        data = DataDir(tmp_path / f"desk-{remove}").ensure()
        backup = _plain_desk_with_a_backup(data)
        assert is_plaintext(backup)
        dialogs = RecordingDialogs()
        dialogs.confirm_answer = remove
        dialogs.next_passwords = [(PASSWORD, False)]
        win = _window(qtbot, data, dialogs)
        with qtbot.waitSignal(win.desk_ready, timeout=15000):
            win.start()
        asked = [s for s in dialogs.shown if s[0] == "confirm"]
        assert len(asked) == 1 and "1 backups" in asked[0][2]
        assert backup.exists() is not remove
        # the day's encrypted backup starts with the first rows: let it finish (no .partial left)
        qtbot.waitUntil(lambda win=win: win.backup is None or not win.backup.running, timeout=30000)
        assert not [p for p in data.backups.iterdir() if is_plaintext(p)]
        win.ops.wait()
        win.close()
