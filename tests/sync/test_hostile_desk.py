"""A tampered desk speaking the wire protocol directly, with a valid token: the hub accepts only what
that user may do and only values every desk can store (issue 12). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select

from agent_desk.core.identity import make_resident_id
from agent_desk.server import tables as t
from agent_desk.store.models import Case, Client
from agent_desk.store.sync_state import SyncSetAside
from tests.sync.conftest import V1, V3, HubFixture, add_client, make_desk
from tests.sync.test_hub_rules import client_op, login


def _op(
    entity: str, fields: dict[str, Any], entity_id: str | None = None, base_version: int = 0
) -> dict[str, Any]:
    return {
        "op_id": uuid.uuid4().hex,
        "entity": entity,
        "entity_id": entity_id or uuid.uuid4().hex,
        "op": "upsert",
        "fields": fields,
        "base_version": base_version,
    }


def _push(http: httpx.Client, *ops: dict[str, Any]) -> list[dict[str, Any]]:
    body = json.dumps(
        {"ops": list(ops)}
    )  # json escapes lone surrogates, as a hostile client may send them
    response = http.post("/sync/push", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def _event(
    case_id: str, action: str, before: str | None, after: str, **payload: Any
) -> dict[str, Any]:
    at = datetime.now(UTC).isoformat()
    fields = {
        "case_id": case_id,
        "action": action,
        "from_status": before,
        "to_status": after,
        "actor": "王建国",
    }
    return _op("case_event", fields | {"at": at, "payload": payload})


def _new_case(http: httpx.Client, village: str) -> tuple[str, str]:
    """A client and a case in 委托 with its entrust event, as a real desk pushes them; (client, case) ids."""
    client = client_op(village, id_number=make_resident_id("620524", date(1950, 3, 1), 11))
    case_fields = {
        "case_no": "DB20261204AB12001",
        "client_id": client["entity_id"],
        "item_code": "62052400MZ-JF-0001",
        "item_name": "最低生活保障申请",
        "village_id": village,
        "entrusted_on": "2026-12-04",
        "status": "entrusted",
    }
    case = _op("case", case_fields)
    results = _push(http, client, case, _event(case["entity_id"], "entrust", None, "entrusted"))
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return client["entity_id"], case["entity_id"]


def _hub_fields(hub: HubFixture, entity: str, entity_id: str) -> dict[str, Any]:
    with hub.hub.db.reading() as conn:
        row = conn.execute(
            select(t.record.c.fields).where(t.record.c.entity == entity, t.record.c.id == entity_id)
        )
        return dict(row.scalar_one())


def _refused(result: dict[str, Any], *words: str) -> None:
    assert result["status"] == "refused", result
    assert all(word in result["reason"] for word in words), result["reason"]


def test_an_agent_cannot_approve_forge_or_jump_its_own_case(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    http = login(live_hub, "wang")
    _client, case = _new_case(http, live_hub.villages[V1])

    _refused(
        _push(http, _op("case", {"review_state": "approved"}, case, 1))[0], "审核状态", "办件步骤"
    )
    _refused(_push(http, _event(case, "approve", "entrusted", "entrusted"))[0], "代办员不能")
    _refused(_push(http, _event(case, "archive", "entrusted", "archived"))[0], "不能执行")
    _refused(_push(http, _op("case", {"status": "archived"}, case, 1))[0], "状态")
    _refused(_push(http, _op("case", {"status": "bogus"}, case, 1))[0], "状态")
    _refused(_push(http, _op("case", {"satisfaction": 99}, case, 1))[0], "满意度")
    assert _hub_fields(live_hub, "case", case)["status"] == "entrusted"


def test_who_and_when_of_an_event_are_the_hubs(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    _client, case = _new_case(http, live_hub.villages[V1])
    forged = _event(case, "accept", "entrusted", "accepted")
    back_dated = (datetime.now(UTC) - timedelta(days=400)).isoformat()
    forged["fields"] |= {"actor": "李审核", "at": back_dated}
    result = _push(http, forged)[0]
    assert result["status"] == "applied", result
    stored = _hub_fields(live_hub, "case_event", forged["entity_id"])
    assert stored["actor"] == "wang" and stored["desk_at"] == back_dated
    assert datetime.fromisoformat(stored["at"]) > datetime.now(UTC) - timedelta(minutes=5)
    assert result["filled"]["actor"] == "wang"
    assert _hub_fields(live_hub, "case", case)["status"] == "accepted"  # the event moved the case


def test_values_no_desk_can_store_are_refused_alone(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    village = live_hub.villages[V1]
    _client, case = _new_case(http, village)
    poison = [
        _op("case", {"promised_days": 2**70}, case, 1),
        _op("case", {"created_at": "2026-12-04T10:00:00"}, case, 1),
        client_op(village, name="张\ud800三"),
        client_op(village, name="张\x00三"),
        client_op(village, id_number="620524195003010012"),  # wrong check digit
        client_op(village, phone="12345"),
    ]
    good = client_op(village, name="李四")
    results = _push(http, *poison, good)
    for result in results[:-1]:
        assert result["status"] == "refused", result
    assert results[-1]["status"] == "applied"
    assert "证件号码" in results[4]["reason"] and "时区" in results[1]["reason"]


def test_base_versions_and_op_ids_cannot_be_borrowed(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("zhao")
    village = live_hub.villages[V1]
    wang, zhao = login(live_hub, "wang"), login(live_hub, "zhao")
    op = client_op(village, name="王五")
    assert _push(wang, op)[0]["status"] == "applied"
    _refused(_push(wang, _op("client", {"name": "王六"}, op["entity_id"], 999))[0], "基础版本")
    stolen = client_op(village, name="赵七") | {"op_id": op["op_id"]}
    _refused(_push(zhao, stolen)[0], "操作编号")
    assert _hub_fields(live_hub, "client", op["entity_id"])["name"] == "王五"


def test_a_reviewer_decides_and_touches_nothing_an_agent_owns(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    agent, reviewer = login(live_hub, "wang"), login(live_hub, "li")
    client, case = _new_case(agent, live_hub.villages[V1])
    assert _push(agent, _event(case, "accept", "entrusted", "accepted"))[0]["status"] == "applied"
    assert _push(agent, _event(case, "submit", "accepted", "in_progress"))[0]["status"] == "applied"
    _refused(
        _push(reviewer, _event(case, "conclude", "in_progress", "concluded", outcome="approved"))[0]
    )
    _refused(_push(reviewer, _op("client", {"name": "改名"}, client, 1))[0], "审核人员不能")
    returned = _event(case, "return_for_correction", "in_progress", "needs_correction")
    _refused(_push(reviewer, returned)[0], "原因")  # 补正 needs its reasons
    returned["fields"]["payload"] = {"reasons": ["户口簿复印件不清晰"]}
    returned["op_id"] = uuid.uuid4().hex
    assert _push(reviewer, returned)[0]["status"] == "applied"
    fields = _hub_fields(live_hub, "case", case)
    assert (fields["status"], fields["review_state"], fields["returned_count"]) == (
        "needs_correction",
        "returned",
        1,
    )


def test_a_desk_keeps_syncing_past_a_record_it_cannot_store(live_hub: HubFixture, tmp_path) -> None:
    """A poison record already on the hub (accepted before these rules) is set aside on the desk; the
    rest of the pull applies and the desk's own changes still go up."""
    live_hub.add_user("wang")
    village = live_hub.villages[V1]
    bad_id, good_id = uuid.uuid4().hex, uuid.uuid4().hex
    with live_hub.hub.db.sequenced() as seq:
        first = seq.take(2)
        for offset, (record_id, fields) in enumerate(
            (
                (
                    bad_id,
                    {"name": "坏", "village_id": village, "created_at": "2026-12-04T10:00:00"},
                ),
                (good_id, {"name": "好", "village_id": village}),
            ),
        ):
            row = {
                "entity": "client",
                "id": record_id,
                "village_id": village,
                "version": 1,
                "deleted": False,
            }
            now = datetime.now(UTC)
            seq.conn.execute(
                insert(t.record).values(
                    row
                    | {"seq": first + offset, "fields": fields, "field_meta": {}, "updated_at": now}
                )
            )
            seq.conn.execute(
                insert(t.change).values(
                    seq=first + offset,
                    entity="client",
                    entity_id=record_id,
                    village_id=village,
                    version=1,
                    fields=fields,
                    deleted=False,
                    at=now,
                )
            )
    desk, engine = make_desk(tmp_path, "desk", live_hub, "wang")
    engine.sync_once()
    mine = add_client(desk, "本机新建", village)
    assert (
        engine.sync_once().pushed >= 1
        and _hub_fields(live_hub, "client", mine)["name"] == "本机新建"
    )
    with desk.db.session() as session:
        assert session.get(Client, good_id) is not None and session.get(Client, bad_id) is None
        aside = session.scalars(select(SyncSetAside)).all()
        assert [(a.entity_id, "时区" in a.reason) for a in aside] == [(bad_id, True)]
    assert engine.status().last_error is None and engine.sync_once() is not None


def test_an_agent_cannot_write_into_another_township(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    _refused(_push(http, client_op(live_hub.villages[V3], name="外乡人"))[0], "无权")


def test_the_desk_refuses_to_queue_what_the_hub_would_refuse(
    tmp_path, live_hub: HubFixture
) -> None:
    """The desk queues every change itself (a flush hook) and checks it with the hub's rules first."""
    from agent_desk.core.errors import DomainError
    from agent_desk.store.models import OutboxEntry

    desk, _engine = make_desk(tmp_path, "desk", live_hub, "wang", login=False)
    with desk.db.session() as session:
        case = Case(
            case_no="DB1",
            client_id=uuid.uuid4().hex,
            item_code="X-1",
            item_name="事项",
            entrusted_on=date(2026, 12, 4),
            satisfaction=9,
        )
        session.add(case)
        with pytest.raises(DomainError, match="满意度"):
            session.flush()
    with (
        desk.db.session() as session
    ):  # a change made without any explicit call is queued all the same
        client = Client(name="赵六")
        session.add(client)
        session.commit()
        client.phone = "13909381234"
        session.commit()
        queued = session.scalars(
            select(OutboxEntry).where(OutboxEntry.entity_id == client.id)
        ).all()
        assert [e.fields.get("phone") for e in queued] == [None, "13909381234"]


def _register(desk: Any, village: str, number: str) -> tuple[str, str]:
    """A client and a case on one desk, as the intake does it."""
    from agent_desk.services.cases import ItemSpec, open_case
    from agent_desk.services.clients import ClientInput, create_client

    with desk.db.session() as session:
        client = create_client(
            ClientInput("张三", number, extra={"village_id": village}), session=session
        )
        case = open_case(
            client,
            ItemSpec("62052400MZ-JF-0001", "最低生活保障申请", 10),
            session=session,
            actor="代办员",
        )
        session.commit()
        return client.id, case.id


def _clients_and_cases(desk: Any) -> tuple[set[str], set[str]]:
    with desk.db.session() as session:
        clients = {c.id for c in session.scalars(select(Client)) if not c.deleted}
        cases = {c.client_id for c in session.scalars(select(Case))}
        return clients, cases


@pytest.mark.parametrize("legacy", [False, True], ids=["same-number", "15-digit"])
def test_one_person_registered_on_two_desks_is_one_client(
    live_hub: HubFixture, tmp_path, legacy: bool
) -> None:
    """The same villager typed on two desks (one with the old 15-digit number) ends as one client on
    the hub and on both desks, each desk's case pointing at it, and no conflict rows to resolve."""
    from agent_desk.core.identity import upgrade_legacy

    live_hub.add_user("wang")
    live_hub.add_user("zhao")
    village = live_hub.villages[V1]
    number18 = make_resident_id("620524", date(1950, 3, 1), 11)
    number15 = number18[:6] + number18[8:17]
    assert upgrade_legacy(number15) == number18
    a, a_sync = make_desk(tmp_path, "a", live_hub, "wang")
    b, b_sync = make_desk(tmp_path, "b", live_hub, "zhao")
    for engine in (a_sync, b_sync):
        engine.sync_once()
    a_client, _ = _register(a, village, number18)
    b_client, _ = _register(b, village, number15 if legacy else number18)
    a_sync.sync_once()
    b_sync.sync_once()
    a_sync.sync_once()
    for desk, engine in ((a, a_sync), (b, b_sync)):
        clients, case_clients = _clients_and_cases(desk)
        assert clients == {a_client} and case_clients == {a_client}, desk
        assert engine.conflicts() == [] and engine.quarantined_ops() == []
    with live_hub.hub.db.reading() as conn:
        hub_clients = (
            conn.execute(select(t.record.c.id).where(t.record.c.entity == "client")).scalars().all()
        )
        hub_cases = (
            conn.execute(select(t.record.c.fields).where(t.record.c.entity == "case"))
            .scalars()
            .all()
        )
    assert (
        hub_clients == [a_client]
        and {c["client_id"] for c in hub_cases} == {a_client}
        and len(hub_cases) == 2
    )
    assert b_client != a_client


def test_an_older_desks_step_order_is_still_understood(live_hub: HubFixture) -> None:
    """Desks before this version queued the case's change, then its event; newer ones the event first."""
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    _client, case = _new_case(http, live_hub.villages[V1])
    old_style = [
        _op("case", {"status": "accepted", "accepted_on": "2026-12-04"}, case, 1),
        _event(case, "accept", "entrusted", "accepted"),
    ]
    assert [r["status"] for r in _push(http, *old_style)] == ["applied", "applied"]
    new_style = [
        _event(case, "submit", "accepted", "in_progress"),
        _op("case", {"status": "in_progress"}, case, 2),
        _event(case, "withdraw", "in_progress", "withdrawn", reason="委托人撤回"),
        _op("case", {"status": "withdrawn"}, case, 3),
    ]
    assert [r["status"] for r in _push(http, *new_style)] == ["applied"] * 4
    assert _hub_fields(live_hub, "case", case)["status"] == "withdrawn"


def test_a_village_set_up_offline_becomes_the_hubs_village_of_that_code(
    live_hub: HubFixture, tmp_path
) -> None:
    """Issue 13: a desk set up with no hub joins one later: the same code is one village (the hub's id
    and name win, the local name kept in the audit trail), its clients follow, nothing is refused."""
    from agent_desk.store.models import AuditEntry, Village
    from agent_desk.sync.engine import SyncEngine

    live_hub.add_user("wang")
    hub_village = live_hub.villages[V1]
    from agent_desk.services.desk import open_desk

    desk = open_desk(tmp_path / "offline")
    with desk.db.session() as session:
        mine = Village(code=V1, name="洛门村（本机）", township_code=V1[:9], township_name="洛门镇")
        session.add(mine)
        session.commit()
        local_id = mine.id
    client_id = add_client(desk, "离线登记", local_id)
    engine = SyncEngine(desk.db, desk.data, sleep=lambda _s: None)
    engine.configure(live_hub.url, "wang")
    engine.login("correct-horse-9")
    report = engine.sync_once()
    assert report.quarantined == 0 and report.pushed >= 1
    with desk.db.session() as session:
        villages = session.scalars(select(Village).where(Village.code == V1)).all()
        assert [(v.id, v.name) for v in villages] == [(hub_village, "洛门村")]
        assert session.get(Client, client_id).village_id == hub_village
        merged = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).all()
        assert merged and merged[-1].detail["local_name"] == "洛门村（本机）"
    assert _hub_fields(live_hub, "client", client_id)["village_id"] == hub_village
