"""Open case and profile windows show what a sync brought in, without being closed and reopened."""

from __future__ import annotations

from pathlib import Path

from agent_desk.core.masking import mask_phone
from agent_desk.services.cases import act_on_case
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from tests.sync.conftest import (
    PASSWORD,
    V1,
    HubFixture,
    add_case,
    add_client,
    edit_client,
    make_desk,
)


def _window(qtbot, tmp_path: Path) -> MainWindow:
    window = MainWindow(DataDir(tmp_path / "ui-desk").ensure(), Settings(), RecordingDialogs())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.desk_ready, timeout=10000):
        window.start()
    return window


def _sync(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.running, timeout=10000)
    with qtbot.waitSignal(page.synced, timeout=20000):
        page.sync_now()


def test_open_case_and_profile_windows_update_after_a_sync(
    qtbot, live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li")
    other, other_sync = make_desk(tmp_path, "other", live_hub, "wang")
    other_sync.sync_once()  # the villages first
    client = add_client(other, "赵丽", live_hub.villages[V1], phone="13900000001")
    case = add_case(other, client, live_hub.villages[V1], "DB20261120000001")
    other_sync.sync_once()
    window = _window(qtbot, tmp_path)
    page = window.pages["sync"]
    page.engine.configure(live_hub.url, "li")
    page.engine.login(PASSWORD)
    _sync(qtbot, page)
    case_view, profile = window.open_case(case), window.open_client(client)
    qtbot.waitUntil(lambda: case_view.detail is not None and profile.data is not None)
    assert case_view.detail.case.status == "entrusted"
    assert profile.edits["phone"].text() == mask_phone("13900000001")

    edit_client(other, client, phone="13900000002")  # the other desk changes both, then syncs
    with other.db.session() as session:
        act_on_case(case, "accept", {}, session=session, actor="wang")
        session.commit()
    other_sync.sync_once()
    _sync(qtbot, page)

    qtbot.waitUntil(lambda: case_view.detail.case.status == "accepted", timeout=5000)
    qtbot.waitUntil(
        lambda: profile.edits["phone"].text() == mask_phone("13900000002"), timeout=5000
    )
    window.close()
