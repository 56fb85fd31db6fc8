"""Two desks and one hub: offline edits on both sides, then sync, converge; conflicts kept and resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from agent_desk.server import tables as t
from agent_desk.services.desk import Desk
from agent_desk.store.models import Client
from agent_desk.store.outbox import record_change
from agent_desk.sync.pull import pull_changes
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import HubClient
from tests.sync.conftest import (
    V1,
    HubFixture,
    add_case,
    add_client,
    client_fields,
    edit_client,
    make_desk,
)


def pull_only(desk: Desk, url: str, token: str | None) -> None:
    client = HubClient(url, token=token)
    pull_changes(SyncRun(desk.db, desk.data, client, lambda _p: None, lambda: False))
    client.close()


def two_agents_of_one_village(live_hub: HubFixture, tmp_path: Path) -> tuple[str, Any, Any]:
    """Agents wang and li of V1, each with a desk signed in: (village id, (desk, sync), (desk, sync))."""
    live_hub.add_user("wang")
    live_hub.add_user("li")
    return (
        live_hub.villages[V1],
        make_desk(tmp_path, "a", live_hub, "wang"),
        make_desk(tmp_path, "b", live_hub, "li"),
    )


def test_offline_edits_on_two_desks_converge(live_hub: HubFixture, tmp_path: Path) -> None:
    v1, (desk_a, sync_a), (desk_b, sync_b) = two_agents_of_one_village(live_hub, tmp_path)
    sync_a.sync_once()
    sync_b.sync_once()  # both now know the villages
    shared = add_client(desk_a, "张建国", v1, address="洛门村1组")
    add_case(desk_a, shared, v1, "LM-2026-0001")
    sync_a.sync_once()
    sync_b.sync_once()
    # offline on both: different fields of the shared client, and new clients on each side
    edit_client(desk_a, shared, phone="13909381234")
    edit_client(desk_b, shared, address="洛门村2组")
    for i in range(5):
        add_client(desk_a, "王" + "一二三四五"[i], v1)
        add_client(desk_b, "李" + "一二三四五"[i], v1)
    for _ in range(2):
        sync_a.sync_once()
        sync_b.sync_once()
    a, b = client_fields(desk_a), client_fields(desk_b)
    assert a == b and len(a) == 11
    assert a[shared]["phone"] == "13909381234" and a[shared]["address"] == "洛门村2组"
    assert sync_a.status().pending == 0 and sync_b.status().pending == 0
    assert not sync_a.conflicts() and not sync_b.conflicts()


def test_same_field_conflict_is_kept_then_resolved(live_hub: HubFixture, tmp_path: Path) -> None:
    v1, (desk_a, sync_a), (desk_b, sync_b) = two_agents_of_one_village(live_hub, tmp_path)
    sync_a.sync_once()
    client = add_client(desk_a, "赵丽", v1)
    sync_a.sync_once()
    sync_b.sync_once()
    edit_client(desk_a, client, phone="13900000001")
    edit_client(desk_b, client, phone="13900000002")
    sync_a.sync_once()
    report = sync_b.sync_once()
    assert report.conflicts == 1
    [conflict] = sync_b.conflicts()
    assert (conflict.field, conflict.local_value, conflict.hub_value) == (
        "phone",
        "13900000002",
        "13900000001",
    )
    assert conflict.label == "赵丽"
    assert (
        client_fields(desk_b)[client]["phone"] == "13900000001"
    )  # the hub value stays until resolved
    with live_hub.hub.db.reading() as conn:
        assert (
            conn.execute(
                select(func.count())
                .select_from(t.conflict)
                .where(t.conflict.c.resolved_at.is_(None))
            ).scalar()
            == 1
        )
    sync_b.resolve_conflict(conflict.id, "desk")
    sync_b.sync_once()
    sync_a.sync_once()
    assert (
        client_fields(desk_a)[client]["phone"]
        == client_fields(desk_b)[client]["phone"]
        == "13900000002"
    )
    assert not sync_b.conflicts()
    with live_hub.hub.db.reading() as conn:
        row = conn.execute(select(t.conflict.c.resolution)).one()
    assert row.resolution == "desk"


def test_remote_delete_becomes_tombstone_and_local_pending_fields_win(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    v1, (desk_a, sync_a), (desk_b, sync_b) = two_agents_of_one_village(live_hub, tmp_path)
    sync_a.sync_once()
    gone = add_client(desk_a, "孙悟", v1)
    kept = add_client(desk_a, "周全", v1)
    sync_a.sync_once()
    sync_b.sync_once()
    with desk_a.db.session() as session:
        row = session.get(Client, gone)
        assert row is not None
        row.deleted = True
        record_change(session, row, {}, op="delete")
        session.commit()
    edit_client(desk_a, kept, address="remote")
    sync_a.sync_once()
    edit_client(desk_b, kept, note="local pending")
    pull_only(
        desk_b, live_hub.url, sync_b.tokens().get()
    )  # pull while the local edit is still pending
    fields = client_fields(desk_b)
    assert fields[gone]["deleted"] is True
    assert fields[kept]["address"] == "remote"
    with desk_b.db.session() as session:
        row = session.get(Client, kept)
        assert row is not None and row.note == "local pending"
    assert sync_b.status().pending == 1
