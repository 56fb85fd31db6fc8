"""Desks send their hash-chained audit trail at every sync; the hub checks each slice, keeps it, and
shows each device's chain (intact, or broken at entry N) to its admin and the township's reviewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, func, select

from agent_desk.cli import main
from agent_desk.core.audit_chain import entry_hash, first_broken
from agent_desk.protocol import API_PREFIX
from agent_desk.server import tables as t
from agent_desk.server.audit_store import chain_status
from agent_desk.server.db import VERSION_TABLE, HubDB
from agent_desk.services.desk import Desk
from agent_desk.store.audit import entries, verify
from agent_desk.store.models import Meta
from agent_desk.sync import audit as audit_phase
from agent_desk.sync.engine import DEVICE_KEY, SyncEngine
from tests.sync.conftest import OTHER_TOWNSHIP, TOWNSHIP, V1, V2, HubFixture, add_client, make_desk
from tests.sync.test_hub_rules import login
from tests.sync.test_quiet_sync_and_workers import CountingRequests

APPEND = f"{API_PREFIX}/audit/append"
ROUND = f"{API_PREFIX}/sync/round"


def synced_desk(hub: HubFixture, tmp_path: Path, transport: Any = None) -> tuple[Desk, SyncEngine]:
    """wang's desk with one client, synced twice: the hub holds its chain so far."""
    hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", hub, "wang", transport=transport)
    sync.sync_once()  # the villages arrive
    add_client(desk, "张三", hub.villages[V1])
    sync.sync_once()
    return desk, sync


def local_chain(desk: Desk) -> list[dict[str, Any]]:
    with desk.db.engine.connect() as conn:
        return list(entries(conn))


def device_of(sync: SyncEngine) -> str:
    device = sync._meta(DEVICE_KEY)
    assert device
    return device


def held(hub: HubFixture, device: str) -> dict[str, Any]:
    return next(row for row in chain_status(hub.hub.db, None) if row["device_id"] == device)


def desk_token(sync: SyncEngine) -> httpx.Client:
    token = sync.tokens().get()
    return httpx.Client(
        base_url=sync.settings.hub_url + API_PREFIX, headers={"Authorization": f"Bearer {token}"}
    )


def tamper(desk: Desk, seq: int) -> None:
    """What someone with the database file could do: drop the guard and rewrite an entry."""
    with desk.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_update")
        conn.exec_driver_sql("UPDATE audit_entry SET actor = 'someone else' WHERE seq = ?", (seq,))


def next_entry(after: dict[str, Any]) -> dict[str, Any]:
    entry = {
        "seq": after["seq"] + 1,
        "at": "2026-11-22T09:00:00.000000+00:00",
        "actor": "li",
        "action": "view_full",
        "entity": "client",
        "entity_id": "f" * 32,
        "detail": {"what": "id_number"},
    }
    return entry | {"prev_hash": after["hash"], "hash": entry_hash(after["hash"], entry)}


def test_after_a_sync_the_hub_holds_the_whole_chain_in_pages_and_reports_it_intact(
    live_hub: HubFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("boss", role="admin")
    monkeypatch.setattr(audit_phase, "PAGE", 3)
    transport = CountingRequests()
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang", transport=transport)
    sync.sync_once()  # the villages arrive
    for name in ("张三", "李四", "王五", "赵六"):
        add_client(desk, name, live_hub.villages[V1])
    report = sync.sync_once()
    chain = local_chain(desk)
    assert report.pushed == 4 and report.audit_sent == len(chain) >= 4
    # pages of 3: the first rides in the sync round with the pushed records, the rest follow it
    assert transport.paths.count(ROUND) == 1
    assert transport.paths.count(APPEND) == -(-len(chain) // 3) - 1
    admin = login(live_hub, "boss")
    row = next(r for r in admin.get("/audit/chains").json() if r["device_id"] == device_of(sync))
    assert (row["username"], row["entries"], row["last_seq"], row["intact"]) == (
        "wang",
        len(chain),
        chain[-1]["seq"],
        True,
    )
    kept = admin.get(f"/audit/chains/{device_of(sync)}/entries", params={"limit": 5000}).json()
    assert kept["entries"] == chain and not kept["more"]
    assert first_broken(kept["entries"]) is None  # what the hub gives back still verifies
    status = sync.status()
    assert status.audit_unsent == 0 and status.audit_problem is None


def test_a_tampered_entry_is_refused_the_break_recorded_and_everything_else_still_syncs(
    live_hub: HubFixture, tmp_path: Path, capsys: pytest.CaptureFixture[str], hub_url: str
) -> None:
    transport = CountingRequests()
    desk, sync = synced_desk(live_hub, tmp_path, transport)
    before = held(live_hub, device_of(sync))
    add_client(desk, "李四", live_hub.villages[V1])
    edited = local_chain(desk)[-1]["seq"]
    add_client(desk, "王五", live_hub.villages[V1])
    tamper(desk, edited)
    report = sync.sync_once()
    assert report.pushed == 2  # the clients went up all the same
    with live_hub.hub.db.reading() as conn:
        names = set(
            conn.scalars(
                select(t.record.c.fields["name"].as_string()).where(t.record.c.entity == "client")
            )
        )
    assert names == {"张三", "李四", "王五"}
    assert (
        report.audit_problem
        and f"第 {edited} 条" in report.audit_problem
        and report.audit_sent == 0
    )
    now = held(live_hub, device_of(sync))
    assert (now["intact"], now["broken_seq"], now["entries"]) == (
        False,
        edited,
        before["entries"],
    )  # nothing stored
    status = sync.status()
    assert status.audit_problem == report.audit_problem and status.audit_unsent > 0
    transport.paths.clear()
    assert sync.sync_once().audit_problem is None  # nothing new: not sent again …
    assert APPEND not in transport.paths and sync.status().audit_problem  # … and still shown
    assert (
        main(["server", "--db", hub_url, "--hub-dir", str(tmp_path / "hub-cli"), "audit-status"])
        == 1
    )
    out = capsys.readouterr().out
    assert "wang" in out and f"第 {edited} 条断裂" in out


def test_a_replayed_slice_stores_nothing_and_a_forked_one_is_refused(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync = synced_desk(live_hub, tmp_path)
    chain, device = local_chain(desk), device_of(sync)
    http = desk_token(sync)
    for piece in (chain, chain[-2:], chain[:1]):
        answer = http.post("/audit/append", json={"entries": piece})
        assert answer.status_code == 200 and answer.json() == {
            "held_seq": chain[-1]["seq"],
            "stored": 0,
            "intact": True,
        }
    with (
        desk.db.session() as session
    ):  # the desk forgot the hub's answer (a crash after the hub stored it)
        session.merge(Meta(key=audit_phase.ACKED_KEY, value="0"))
        session.commit()
    assert sync.sync_once().audit_sent == 0
    assert held(live_hub, device)["entries"] == len(chain) and held(live_hub, device)["intact"]
    forked = dict(chain[0], actor="someone else")
    forked["hash"] = entry_hash(
        forked["prev_hash"], forked
    )  # a consistent entry, just not the one the hub holds
    answer = http.post("/audit/append", json={"entries": [forked, *chain[1:]]})
    assert answer.status_code == 409 and answer.json()["detail"]["code"] == "audit_broken"
    assert "第 1 条" in answer.json()["detail"]["message"]
    assert (held(live_hub, device)["broken_seq"], held(live_hub, device)["entries"]) == (
        1,
        len(chain),
    )


def test_another_user_can_neither_append_to_nor_read_a_devices_chain(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("li", villages=(V2,))
    live_hub.add_user("boss", role="admin")
    live_hub.add_user("limh", role="reviewer", township=TOWNSHIP)
    live_hub.add_user("zhou", role="reviewer", township=OTHER_TOWNSHIP)
    desk, sync = synced_desk(live_hub, tmp_path)
    chain, device = local_chain(desk), device_of(sync)
    li = login(live_hub, "li")
    forged = next_entry(chain[-1])
    assert (
        li.post("/audit/append", json={"device_id": device, "entries": [forged]}).status_code == 422
    )
    answer = li.post(
        "/audit/append", json={"entries": [forged]}
    )  # lands in li's own (empty) chain: a gap
    assert answer.status_code == 409 and answer.json()["detail"]["held_seq"] == 0
    assert held(live_hub, device)["entries"] == len(chain) and held(live_hub, device)["intact"]
    assert li.get("/audit/chains").status_code == 403
    assert li.get(f"/audit/chains/{device}/entries").status_code == 403
    zhou = login(live_hub, "zhou")
    assert device not in zhou.get("/audit/chains").text
    assert zhou.get(f"/audit/chains/{device}/entries").status_code == 404
    for reader in ("limh", "boss"):
        http = login(live_hub, reader)
        assert device in http.get("/audit/chains").text
        assert http.get(f"/audit/chains/{device}/entries").json()["entries"] == chain


def test_a_hub_without_the_endpoint_does_not_break_a_sync_nor_is_asked_at_every_sync(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    transport = CountingRequests({APPEND: 404, ROUND: 404})  # a hub from before both routes
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang", transport=transport)
    sync.sync_once()  # the villages arrive
    add_client(desk, "张三", live_hub.villages[V1])
    report = sync.sync_once()
    assert (
        report.pushed == 1 and report.audit_problem is None and transport.paths.count(APPEND) == 1
    )
    add_client(desk, "李四", live_hub.villages[V1])
    assert sync.sync_once().pushed == 1 and transport.paths.count(APPEND) == 1
    status = sync.status()
    assert status.audit_unsent > 0 and status.audit_problem is None and status.last_error is None


def test_a_hub_that_lost_its_copy_gets_the_chain_again_from_the_start(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync = synced_desk(live_hub, tmp_path)
    device = device_of(sync)
    with (
        live_hub.hub.db.writing() as conn
    ):  # the hub restored from a backup older than this desk's chain
        conn.execute(delete(t.audit_entry).where(t.audit_entry.c.device_id == device))
        conn.execute(delete(t.audit_chain).where(t.audit_chain.c.device_id == device))
    add_client(desk, "李四", live_hub.villages[V1])
    report = sync.sync_once()
    chain = local_chain(desk)
    assert report.audit_problem is None and report.audit_sent == len(chain)
    assert (held(live_hub, device)["entries"], held(live_hub, device)["intact"]) == (
        len(chain),
        True,
    )
    with desk.db.engine.connect() as conn:
        assert verify(conn) == (len(chain), None)


def test_the_hub_migrations_build_exactly_the_hub_tables(hub_url: str) -> None:
    db = HubDB.open(hub_url)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
            assert compare_metadata(context, t.metadata) == []
            assert conn.execute(select(func.count()).select_from(t.audit_chain)).scalar_one() == 0
    finally:
        db.close()
