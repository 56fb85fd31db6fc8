"""取消 in the status bar stops a sync against a real hub between pull pages: every page the desk
kept came with its cursor, nothing is half-applied, no dialog opens, and the next sync completes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import Client
from agent_desk.sync.pull import read_cursor
from agent_desk.sync.transport import HubClient
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from tests.sync.conftest import PASSWORD, V1, HubFixture, make_desk

CLIENTS = 2400
PAGE = 100
DIGITS = str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")  # names take no digits


def _hub_with_clients(hub: HubFixture, tmp_path: Path) -> HubClient:
    """Another desk of the same agent sends CLIENTS clients to the hub; a client to read its log."""
    desk, engine = make_desk(tmp_path, "other", hub, "wang", batch_size=500)
    engine.sync_once()  # the villages
    with desk.db.session() as session:
        for i in range(CLIENTS):
            create_client(
                ClientInput(
                    name="王" + f"{i:04d}".translate(DIGITS), extra={"village_id": hub.villages[V1]}
                ),
                session=session,
            )
        session.commit()
    assert engine.sync_once().pushed == CLIENTS
    token = engine.tokens().get()
    engine.close()
    desk.close()
    return HubClient(hub.url, token=token)


def _hub_clients_up_to(client: HubClient, cursor: int) -> set[str]:
    """The live clients the hub's change log holds at or before ``cursor``."""
    alive: dict[str, bool] = {}
    at = 0
    while True:
        page = client.pull(at, 1000)
        for change in page.changes:
            if change.seq <= cursor and change.entity == "client":
                alive[change.id] = not change.deleted
        at = page.cursor
        if not page.more or at >= cursor:
            return {key for key, live in alive.items() if live}


def _desk_clients(window: MainWindow) -> set[str]:
    with window.desk.db.session() as session:
        return set(session.scalars(select(Client.id).where(Client.deleted.is_(False))))


def test_cancelling_a_sync_midway_keeps_whole_pages_and_the_next_sync_completes(
    qtbot, live_hub: HubFixture, tmp_path: Path, caplog
) -> None:
    live_hub.add_user("wang")
    hub_log = _hub_with_clients(live_hub, tmp_path)
    dialogs = RecordingDialogs()
    window = MainWindow(DataDir(tmp_path / "ui-desk").ensure(), Settings(), dialogs)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.desk_ready, timeout=10000):
        window.start()
    page = window.pages["sync"]
    page.engine.page_size = PAGE  # many pages, so 取消 lands between two of them
    page.engine.configure(live_hub.url, "wang")
    page.engine.login(PASSWORD)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)

    page.sync_now()
    qtbot.waitUntil(lambda: any(m.startswith("已下载") for m in messages), timeout=30000)
    window.job.cancel_button.click()
    qtbot.waitUntil(lambda: not page.running, timeout=30000)
    window.ops.wait()

    assert not window.job.isVisible()
    assert "同步已取消" in window.statusBar().currentMessage()
    assert not [s for s in dialogs.shown if s[0] in ("error", "crash")]
    with window.desk.db.session() as session:
        cursor = read_cursor(session)
        count = session.scalar(select(func.count()).select_from(Client))
    assert 0 < count < CLIENTS  # stopped midway
    assert _desk_clients(window) == _hub_clients_up_to(hub_log, cursor)  # whole pages only
    assert not page.timer.isActive() or page.timer.remainingTime() > 60_000  # no quick retry
    assert "pushing anyway" not in caplog.text  # 取消 is not a failed download: nothing goes on

    with qtbot.waitSignal(page.synced, timeout=60000):
        page.sync_now()
    window.ops.wait()
    assert len(_desk_clients(window)) == CLIENTS
    with window.desk.db.session() as session:
        assert read_cursor(session) >= hub_log.pull(0, 1).cursor
    hub_log.close()
    window.close()
