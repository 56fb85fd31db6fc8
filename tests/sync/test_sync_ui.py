"""The 同步 page against a real hub on loopback: set up, log in, sync, see and resolve a conflict."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from tests.sync.conftest import (
    PASSWORD,
    V1,
    HubFixture,
    add_client,
    client_fields,
    edit_client,
    make_desk,
)
from tests.sync.test_tls import serve_https_hub


def _window(qtbot, tmp_path: Path, dialogs: RecordingDialogs) -> MainWindow:
    window = MainWindow(DataDir(tmp_path / "ui-desk").ensure(), Settings(), dialogs)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.desk_ready, timeout=10000):
        window.start()
    return window


def _synced(qtbot, page) -> None:
    """One sync, then the status as it stands after it."""
    with qtbot.waitSignal(page.synced, timeout=20000):
        page.sync_now()
    _refreshed(qtbot, page)


def _refreshed(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.running, timeout=5000)
    with qtbot.waitSignal(page.status_shown, timeout=5000):
        page.refresh()


def _facts(page) -> dict[str, str]:
    form = page.facts
    return {
        form.itemAt(r, form.ItemRole.LabelRole).widget().text(): form.itemAt(
            r, form.ItemRole.FieldRole
        )
        .widget()
        .text()
        for r in range(form.rowCount())
    }


def test_setting_up_the_hub_logs_in_and_syncs(qtbot, live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    dialogs = RecordingDialogs()
    window = _window(qtbot, tmp_path, dialogs)
    page = window.pages["sync"]
    with qtbot.waitSignal(page.status_shown, timeout=5000):
        page.refresh()
    assert "offline" in _facts(page)["Hub"]
    dialogs.next_hubs.append((live_hub.url, "wang"))
    dialogs.next_hub_passwords.append(PASSWORD)
    with qtbot.waitSignal(page.synced, timeout=20000):
        page.setup_button.click()
    _refreshed(qtbot, page)
    facts = _facts(page)
    assert facts["Logged in"] == "yes" and facts["Changes waiting to be sent"] == "0"
    assert all(
        PASSWORD not in p.read_text(errors="ignore") for p in window.data.root.rglob("*.json")
    )
    add_client(window.desk, "欧阳修", live_hub.villages[V1])
    window.bus.notify("client")
    qtbot.waitUntil(
        lambda: _facts(page).get("Changes waiting to be sent") not in (None, "0"), timeout=5000
    )
    _synced(qtbot, page)
    assert _facts(page)["Changes waiting to be sent"] == "0"
    window.close()


def test_a_conflict_shows_both_values_and_the_choice_is_applied(
    qtbot, live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li")
    other, other_sync = make_desk(tmp_path, "other", live_hub, "wang")
    other_sync.sync_once()
    client = add_client(other, "赵丽", live_hub.villages[V1])
    other_sync.sync_once()
    dialogs = RecordingDialogs()
    window = _window(qtbot, tmp_path, dialogs)
    page = window.pages["sync"]
    page.engine.configure(live_hub.url, "li")
    page.engine.login(PASSWORD)
    _synced(qtbot, page)
    edit_client(other, client, phone="13900000001")
    other_sync.sync_once()
    edit_client(window.desk, client, phone="13900000002")
    _synced(qtbot, page)
    table = page.conflicts
    assert table.rowCount() == 1
    row = [table.item(0, c).text() for c in range(4)]
    assert row == ["赵丽", "Phone", "13900000002", "13900000001"]  # 联系电话 in Chinese
    choose_desk = table.cellWidget(0, 4).findChildren(QPushButton)[0]
    choose_desk.click()
    qtbot.waitUntil(lambda: not page.engine.conflicts(), timeout=5000)
    _synced(qtbot, page)
    other_sync.sync_once()
    assert client_fields(other)[client]["phone"] == "13900000002"
    assert page.conflicts.rowCount() == 0
    window.close()


def test_hub_unreachable_is_a_status_not_a_dialog_and_retries_soon(qtbot, tmp_path: Path) -> None:
    dialogs = RecordingDialogs()
    window = _window(qtbot, tmp_path, dialogs)
    page = window.pages["sync"]
    page.engine.sleep = lambda _seconds: None  # the engine's own retries, without their waits
    page.engine.configure("http://127.0.0.1:9", "wang")  # nothing listens on the discard port
    page.engine.tokens().set("not-a-real-token")
    page.sync_now()
    qtbot.waitUntil(lambda: not page.running and page.failures == 1, timeout=20000)
    assert not [s for s in dialogs.shown if s[0] == "error"]
    assert "无法连接" in window.statusBar().currentMessage()
    assert (
        page.timer.isActive() and page.timer.remainingTime() <= 20_000
    )  # retried in ~15 s (coarse timer), not the 300 s interval
    window.close()


def test_a_refused_audit_chain_shows_on_the_sync_page(
    qtbot, live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    window = _window(qtbot, tmp_path, RecordingDialogs())
    page = window.pages["sync"]
    page.engine.configure(live_hub.url, "wang")
    page.engine.login(PASSWORD)
    _synced(qtbot, page)
    assert _facts(page)["Audit entries not yet on the hub"] == "0" and "Audit trail" not in _facts(
        page
    )
    add_client(window.desk, "欧阳修", live_hub.villages[V1])
    with window.desk.db.engine.begin() as conn:  # someone rewrites the entry before it was sent
        conn.exec_driver_sql("DROP TRIGGER audit_entry_no_update")
        seq = conn.exec_driver_sql("SELECT max(seq) FROM audit_entry").scalar()
        conn.exec_driver_sql("UPDATE audit_entry SET actor = 'x' WHERE seq = ?", (seq,))
    _synced(qtbot, page)
    facts = _facts(page)
    assert (
        f"第 {seq} 条" in facts["Audit trail"] and facts["Audit entries not yet on the hub"] != "0"
    )
    assert facts["Changes waiting to be sent"] == "0"  # the client itself went up
    window.close()


def test_a_plain_http_hub_is_refused_and_when_allowed_the_page_warns(qtbot, tmp_path: Path) -> None:
    from agent_desk.sync.settings import load_settings, save_settings

    dialogs = RecordingDialogs()
    window = _window(qtbot, tmp_path, dialogs)
    page = window.pages["sync"]
    page.engine.sleep = lambda _seconds: None
    page.engine.configure("http://10.1.2.3:8765", "wang")
    page.engine.tokens().set("not-a-real-token")
    page.sync_now()
    qtbot.waitUntil(lambda: not page.running and page.failures == 1, timeout=20000)
    assert "https://" in window.statusBar().currentMessage()
    settings_file = page.engine.data.settings_file
    allowed = load_settings(settings_file)
    allowed.allow_plain_http = True
    save_settings(settings_file, allowed)
    stamp = settings_file.stat().st_mtime_ns + 1_000_000_000
    os.utime(
        settings_file, ns=(stamp, stamp)
    )  # a settings edit the engine notices (mtime), however quick
    assert "Connection" not in _facts(page)  # refused, not allowed: no "allowed" warning yet
    status = page.engine.status()
    assert status.plain_http, page.engine.settings
    page._show_facts(status)
    assert "NOT ENCRYPTED" in _facts(page)["Connection"]
    window.close()


def test_after_a_reset_the_window_asks_a_new_password_and_completes_the_login(
    qtbot, live_hub: HubFixture, tmp_path: Path
) -> None:
    from agent_desk.server import accounts

    live_hub.add_user("wang")
    accounts.reset_password(live_hub.hub.db, "wang", "临时-密码-2026")
    dialogs = RecordingDialogs()
    window = _window(qtbot, tmp_path, dialogs)
    page = window.pages["sync"]
    dialogs.next_hubs.append((live_hub.url, "wang"))
    dialogs.next_hub_passwords.append("临时-密码-2026")
    dialogs.next_new_hub_passwords += ["zhangsan123", "洛门村-新密码-8"]  # the first is too common
    with qtbot.waitSignal(page.synced, timeout=30000):
        page.setup_button.click()
    asked = [shown for shown in dialogs.shown if shown[0] == "new_hub_password"]
    assert len(asked) == 2 and "重置" in asked[0][2] and "常见" in asked[1][2]
    assert not [shown for shown in dialogs.shown if shown[0] in ("error", "crash")]
    _refreshed(qtbot, page)
    assert _facts(page)["Logged in"] == "yes"
    assert _hub_login(live_hub, "洛门村-新密码-8") == 200
    assert _hub_login(live_hub, "临时-密码-2026") == 401
    window.close()


def _hub_login(hub: HubFixture, password: str) -> int:
    import httpx

    from agent_desk.server.app import API_PREFIX

    with httpx.Client(base_url=hub.url + API_PREFIX, timeout=60) as client:
        return client.post(
            "/auth/login", json={"username": "wang", "password": password}
        ).status_code


@pytest.fixture
def https_hub(tmp_path: Path) -> Iterator[tuple[str, Path, bytes]]:
    with serve_https_hub(tmp_path) as hub:
        yield hub


def test_settings_import_the_hubs_certificate_with_its_fingerprint_and_allow_plain_http(
    qtbot, https_hub, tmp_path: Path
) -> None:
    from agent_desk.sync.settings import load_settings
    from agent_desk.sync.tls import fingerprint
    from agent_desk.ui.settings_dialog import SettingsDialog

    url, cert_file, der = https_hub
    dialogs = RecordingDialogs()
    window = _window(qtbot, tmp_path, dialogs)
    page = window.pages["sync"]
    page.engine.configure(url, "wang")
    dialogs.next_hub_passwords.append(PASSWORD)
    page.ask_login()
    qtbot.waitUntil(lambda: any(s[0] == "error" for s in dialogs.shown), timeout=20000)
    error = next(s for s in dialogs.shown if s[0] == "error")
    assert "证书无法验证" in error[2] and "网络" not in error[2].replace("不是网络故障", "")

    dialog = SettingsDialog(window.settings, window.data.root, window, dialogs=dialogs)
    qtbot.addWidget(dialog)
    assert dialog.certificate.text().startswith("none")
    not_a_cert = tmp_path / "hub.txt"
    not_a_cert.write_text("洛门镇")
    dialogs.next_paths += [not_a_cert, cert_file]
    dialog.import_certificate_button.click()
    assert dialogs.shown[-1][0] == "error" and "不是证书文件" in dialogs.shown[-1][2]
    dialog.import_certificate_button.click()
    assert dialog.certificate.text() == fingerprint(der)
    assert dialogs.shown[-1][0] == "info" and fingerprint(der) in dialogs.shown[-1][2]
    assert not dialog.plain_http_warning.isVisibleTo(dialog)
    dialog.allow_plain_http.setChecked(True)  # the admin confirms (RecordingDialogs says yes)
    assert dialogs.shown[-1][0] == "confirm" and dialog.plain_http_warning.isVisibleTo(dialog)
    dialog.accept()
    assert load_settings(window.data.settings_file).allow_plain_http
    assert page.engine.settings.allow_plain_http

    dialogs.next_hub_passwords.append(PASSWORD)
    with qtbot.waitSignal(page.synced, timeout=30000):
        page.ask_login()
    window.close()
