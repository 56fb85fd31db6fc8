"""The hub's rules over HTTP: idempotent push, ops refused alone, scope, login, rate limit, revocation."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from agent_desk.protocol import API_PREFIX
from agent_desk.server import admin
from agent_desk.server import tables as t
from agent_desk.store.models import Village
from agent_desk.sync.errors import LoginRequired, RateLimited, WrongPassword
from tests.sync.conftest import PASSWORD, TOWNSHIP, V1, V2, V3, HubFixture, add_client, make_desk


def login(hub: HubFixture, username: str) -> httpx.Client:
    client = httpx.Client(base_url=hub.url + API_PREFIX, timeout=60)  # a shared CI box can be slow
    token = client.post("/auth/login", json={"username": username, "password": PASSWORD}).json()[
        "token"
    ]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def client_op(
    village_id: str, name: str = "张三", entity_id: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "op_id": uuid.uuid4().hex,
        "entity": "client",
        "entity_id": entity_id or uuid.uuid4().hex,
        "op": "upsert",
        "fields": {"name": name, "village_id": village_id, **extra},
        "base_version": 0,
    }


def count(hub: HubFixture, table: Any) -> int:
    with hub.hub.db.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_replayed_and_duplicated_ops_change_nothing(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    op = client_op(live_hub.villages[V1])
    first = http.post("/sync/push", json={"ops": [op, op]}).json()["results"]
    assert [r["status"] for r in first] == ["applied", "applied"] and first[0] == first[1]
    changes_before = count(live_hub, t.change)
    again = http.post("/sync/push", json={"ops": [op]}).json()["results"]
    assert again == first[:1]
    assert count(live_hub, t.change) == changes_before
    assert count(live_hub, t.record) == 5  # 3 villages, 1 user, 1 client


def test_bad_ops_are_refused_alone(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    good = client_op(live_hub.villages[V1])
    other_village = client_op(live_hub.villages[V2])
    unknown_field = client_op(live_hub.villages[V1], shoe_size=42)
    wrong_type = client_op(live_hub.villages[V1], name=17)
    not_writable = {**client_op(live_hub.villages[V1]), "entity": "village"}
    orphan_event = {
        "op_id": uuid.uuid4().hex,
        "entity": "case_event",
        "entity_id": uuid.uuid4().hex,
        "fields": {"case_id": uuid.uuid4().hex, "action": "accept", "to_status": "accepted"},
    }
    garbage = {"op_id": "nope", "entity": "client"}
    ops = [good, other_village, unknown_field, wrong_type, not_writable, orphan_event, garbage]
    results = http.post("/sync/push", json={"ops": ops}).json()["results"]
    assert [r["status"] for r in results] == ["applied"] + ["refused"] * 6
    assert "无权" in results[1]["reason"] and "shoe_size" in results[2]["reason"]
    assert all(r["reason"] for r in results[1:])


def test_desk_quarantines_a_poison_op_and_keeps_going(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    sync.sync_once()
    with (
        desk.db.session() as session
    ):  # a village this agent does not serve, known locally from old data
        session.add(
            Village(
                id=live_hub.villages[V3],
                code=V3,
                name="城关村",
                township_code=V3[:9],
                township_name="城关镇",
            )
        )
        session.commit()
    add_client(desk, "钱一", live_hub.villages[V1])
    add_client(desk, "钱二", live_hub.villages[V3])  # not this agent's village
    add_client(desk, "钱三", live_hub.villages[V1])
    report = sync.sync_once()
    assert (report.pushed, report.quarantined) == (2, 1)
    [bad] = sync.quarantined_ops()
    assert bad.label == "钱二" and "无权" in (bad.last_error or "")
    assert sync.status().quarantined == 1 and sync.status().pending == 0
    assert sync.retry_quarantined() == 1 and sync.status().pending == 1


def test_scope_agent_sees_own_village_reviewer_sees_township(live_hub: HubFixture) -> None:
    live_hub.add_user("wang", villages=(V1,))
    live_hub.add_user("zhou", villages=(V2,))
    live_hub.add_user("li", role="reviewer", township=TOWNSHIP)
    live_hub.add_user("chen", role="reviewer", township="620524101")
    for user, code in (("wang", V1), ("zhou", V2)):
        login(live_hub, user).post("/sync/push", json={"ops": [client_op(live_hub.villages[code])]})

    def clients_seen(user: str) -> set[str]:
        changes = login(live_hub, user).get("/sync/pull", params={"cursor": 0}).json()["changes"]
        return {c["fields"]["village_id"] for c in changes if c["entity"] == "client"}

    assert clients_seen("wang") == {live_hub.villages[V1]}
    assert clients_seen("zhou") == {live_hub.villages[V2]}
    assert clients_seen("li") == {live_hub.villages[V1], live_hub.villages[V2]}
    assert clients_seen("chen") == set()
    # an agent may not move a record into another village either
    http = login(live_hub, "wang")
    op = client_op(live_hub.villages[V1])
    http.post("/sync/push", json={"ops": [op]})
    move = client_op(live_hub.villages[V2], entity_id=op["entity_id"])
    assert http.post("/sync/push", json={"ops": [move]}).json()["results"][0]["status"] == "refused"


def test_pull_is_paged_and_cursor_is_monotonic(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    http = login(live_hub, "wang")
    http.post("/sync/push", json={"ops": [client_op(live_hub.villages[V1]) for _ in range(25)]})
    cursor, seen, pages = 0, [], 0
    while True:
        page = http.get("/sync/pull", params={"cursor": cursor, "limit": 10}).json()
        seen += [c["seq"] for c in page["changes"]]
        assert page["cursor"] >= cursor
        cursor, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 27 and pages == 3


def test_wrong_password_rate_limit_and_revoked_token(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang", login=False)
    for _ in range(5):
        with pytest.raises(WrongPassword) as wrong:
            sync.login("wrong password")
    assert "用户名或密码错误" in str(wrong.value)
    with pytest.raises(RateLimited):
        sync.login(PASSWORD)  # even the right one, until the (short, growing) wait is over
    with live_hub.hub.db.writing() as conn:
        conn.execute(t.login_throttle.delete())
    sync.login(PASSWORD)
    sync.sync_once()
    assert admin.revoke_tokens(live_hub.hub.db, username="wang") == 1
    with pytest.raises(LoginRequired) as revoked:
        sync.sync_once()
    assert "重新输入密码" in str(revoked.value)
    assert not sync.status().logged_in  # the dead token was forgotten
    with live_hub.hub.db.reading() as conn:
        stored = conn.execute(select(t.token.c.token_hash)).scalars().all()
    assert all(len(h) == 64 for h in stored)  # only hashes on the hub


def test_unreachable_hub_message_in_chinese(tmp_path: Path, live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    sync.configure("http://127.0.0.1:9", "wang")
    with pytest.raises(Exception) as err:
        sync.login(PASSWORD)
    assert "无法连接到乡镇服务器" in str(err.value)
