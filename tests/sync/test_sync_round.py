"""The sync round (``POST /sync/round``): a steady desk syncs in one request, the hub checks each part
as its own endpoint does, and a desk falls back to one request per phase when the hub has no round
or refuses one whole. Runs against a real hub on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from agent_desk.protocol import API_PREFIX
from agent_desk.server import tables as t
from agent_desk.store.models import Client
from agent_desk.sync import audit as audit_phase
from tests.server.security_matrix import audit_chain
from tests.sync.conftest import V1, V3, HubFixture, add_client, edit_client, make_desk
from tests.sync.test_audit_chain import local_chain
from tests.sync.test_hostile_desk import _event, _new_case, _op, _refused
from tests.sync.test_hub_rules import client_op, login
from tests.sync.test_quiet_sync_and_workers import CountingRequests

ROUND = f"{API_PREFIX}/sync/round"
PULL, PUSH, APPEND = (f"{API_PREFIX}/{p}" for p in ("sync/pull", "sync/push", "audit/append"))


def _hub_holds(hub: HubFixture, entity: str, entity_id: str) -> dict[str, Any] | None:
    with hub.hub.db.reading() as conn:
        row = conn.execute(
            select(t.record.c.fields).where(t.record.c.entity == entity, t.record.c.id == entity_id)
        ).scalar()
    return dict(row) if row is not None else None


def _round(http: httpx.Client, **body: Any) -> httpx.Response:
    # json escapes lone surrogates, as a hostile client may send them
    return http.post(
        "/sync/round", content=json.dumps(body), headers={"content-type": "application/json"}
    )


def test_a_steady_sync_is_one_request_each_way_and_both_desks_agree(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("wu")
    wire_a, wire_b = CountingRequests(), CountingRequests()
    desk_a, sync_a = make_desk(tmp_path, "a", live_hub, "wang", transport=wire_a)
    desk_b, sync_b = make_desk(tmp_path, "b", live_hub, "wu", transport=wire_b)
    sync_a.sync_once(), sync_b.sync_once()  # the first sync pulls before it pushes
    assert ROUND not in wire_a.paths

    wire_a.paths.clear()
    ids = [add_client(desk_a, name, live_hub.villages[V1]) for name in ("张三", "李四")]
    report = sync_a.sync_once()
    assert wire_a.paths == [ROUND]
    assert report.pushed == 2 and report.audit_sent == len(local_chain(desk_a))
    assert all(_hub_holds(live_hub, "client", i) for i in ids)
    assert sync_a.status().audit_unsent == 0

    wire_b.paths.clear()
    assert sync_b.sync_once().pulled == 2 and wire_b.paths == [ROUND]
    edit_client(desk_b, ids[0], phone="13900000002")
    wire_b.paths.clear()
    assert sync_b.sync_once().pushed == 1 and wire_b.paths == [ROUND]

    wire_a.paths.clear()
    assert sync_a.sync_once().pulled >= 1 and wire_a.paths == [ROUND]
    with desk_a.db.session() as session:
        client = session.get(Client, ids[0])
        assert client is not None and client.phone == "13900000002"
    desk_a.close(), desk_b.close()


def test_a_hub_without_the_round_gets_one_request_per_phase_and_is_not_asked_again(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    wire = CountingRequests({ROUND: 404})  # a hub from before the round
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang", transport=wire)
    sync.sync_once()
    first = add_client(desk, "张三", live_hub.villages[V1])
    wire.paths.clear()
    assert sync.sync_once().pushed == 1
    assert wire.paths == [ROUND, PULL, PUSH, PULL, APPEND]
    second = add_client(desk, "李四", live_hub.villages[V1])
    wire.paths.clear()
    assert sync.sync_once().pushed == 1 and ROUND not in wire.paths
    assert _hub_holds(live_hub, "client", first) and _hub_holds(live_hub, "client", second)
    assert sync.status().audit_unsent == 0
    desk.close()


def test_a_round_the_hub_fails_whole_is_given_up_and_the_phases_carry_the_changes(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    wire = CountingRequests({ROUND: 500})  # a hub whose round breaks every time
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang", transport=wire)
    sync.sync_once()
    client_id = add_client(desk, "张三", live_hub.villages[V1])
    wire.paths.clear()
    report = sync.sync_once()
    assert report.pushed == 1 and report.quarantined == 0
    assert wire.paths.count(ROUND) == 4 and wire.paths[4:] == [PULL, PUSH, PULL, APPEND]
    assert _hub_holds(live_hub, "client", client_id)
    assert sync.pending_ops() == [] and sync.quarantined_ops() == []
    desk.close()


def test_the_round_refuses_what_push_refuses_and_stamps_what_push_stamps(
    live_hub: HubFixture,
) -> None:
    """The hostile desk of test_hostile_desk, speaking the round instead of the push."""
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    _client, case = _new_case(http, live_hub.villages[V1])
    ops = [
        _op("case", {"review_state": "approved"}, case, 1),
        _event(case, "approve", "entrusted", "entrusted"),
        _op("case", {"status": "archived"}, case, 1),
        client_op(live_hub.villages[V3]),  # another township's village
        _op("client", {"name": "\ud800"}),
    ]
    answer = _round(http, ops=ops)
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    _refused(results[0], "审核状态", "办件步骤")
    _refused(results[1], "代办员不能")
    _refused(results[2], "状态")
    assert [r["status"] for r in results[3:]] == ["refused", "refused"]
    assert _hub_holds(live_hub, "case", case)["status"] == "entrusted"  # type: ignore[index]
    assert _hub_holds(live_hub, "client", ops[3]["entity_id"]) is None

    forged = _event(case, "accept", "entrusted", "accepted")
    forged["fields"]["actor"] = "李审核"  # a forged who
    stamped = _round(http, ops=[forged]).json()["results"][0]
    assert stamped["status"] == "applied" and stamped["filled"]["actor"] == "wang"
    assert _hub_holds(live_hub, "case_event", forged["entity_id"])["actor"] == "wang"  # type: ignore[index]


def test_a_round_checks_every_part_before_it_writes_anything(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    chain = audit_chain([("client", uuid.uuid4().hex) for _ in range(3)])
    op = client_op(live_hub.villages[V1])

    out_of_order = _round(http, ops=[op], audit=[chain[1], chain[0]])
    assert out_of_order.status_code == 400
    assert out_of_order.json()["detail"]["code"] == "audit_order"
    for bad in (
        {"ops": [op], "device_id": "0" * 32},  # another device's chain cannot be named
        {"ops": [op], "cursor": -1},
        {"ops": [op], "limit": 10**6},
        {"ops": [op] * 501},
        {"ops": [op], "audit": [{"seq": 1}]},
    ):
        assert _round(http, **bad).status_code == 422, bad
    assert _hub_holds(live_hub, "client", op["entity_id"]) is None  # nothing was written

    answer = _round(http, ops=[op], audit=chain[:2])
    assert answer.status_code == 200
    body = answer.json()
    assert body["results"][0]["status"] == "applied"
    assert body["audit"] == {"held_seq": 2, "stored": 2, "intact": True}
    assert op["entity_id"] in {c["id"] for c in body["page"]["changes"]}  # read after the push

    forked = audit_chain([("case", uuid.uuid4().hex)], first_seq=3)  # seq 3 not after entry 2
    second = client_op(live_hub.villages[V1])
    refused = _round(http, ops=[second], audit=forked, cursor=body["page"]["cursor"]).json()
    assert refused["audit"] is None and refused["audit_refused"]["code"] == "audit_broken"
    assert refused["results"][0]["status"] == "applied"  # the ops stand
    assert [c["id"] for c in refused["page"]["changes"]] == [second["entity_id"]]


def test_a_long_audit_backlog_goes_after_the_round_in_pages(
    live_hub: HubFixture, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(audit_phase, "ROUND_ENTRIES", 2)
    live_hub.add_user("wang")
    wire = CountingRequests()
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang", transport=wire)
    sync.sync_once()
    for name in ("张三", "李四", "王五"):
        add_client(desk, name, live_hub.villages[V1])
    wire.paths.clear()
    report = sync.sync_once()
    assert wire.paths == [ROUND, APPEND] and report.pushed == 3
    assert report.audit_sent == len(local_chain(desk)) and sync.status().audit_unsent == 0
    desk.close()
