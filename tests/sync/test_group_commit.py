"""Group commit on the hub: pushes that arrive together share one transaction, with the results
they would have had one after another (server/push.py ``push_group``, server/group_commit.py)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, authenticate, issue_token
from agent_desk.server.group_commit import GroupCommit
from agent_desk.server.push import push_group
from tests.sync.conftest import PASSWORD, V1, V2, HubFixture


def principal(
    live_hub: HubFixture, username: str, villages: tuple[str, ...]
) -> tuple[Principal, str]:
    user_id = live_hub.add_user(username, villages=villages)
    db = live_hub.hub.db
    with db.writing() as conn:
        token = issue_token(conn, user_id, None, f"{username}-pc")[0]
    with db.reading() as conn:
        return authenticate(conn, token), token


def new_client(village_id: str, name: str = "张三", op_id: str | None = None) -> dict[str, Any]:
    return {
        "op_id": op_id or uuid.uuid4().hex,
        "entity": "client",
        "entity_id": uuid.uuid4().hex,
        "fields": {"name": name, "village_id": village_id},
    }


def records(live_hub: HubFixture) -> int:
    with live_hub.hub.db.reading() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(t.record).where(t.record.c.entity == "client")
            ).scalar_one()
        )


def test_a_group_keeps_each_pushers_rights_and_refusals(live_hub: HubFixture) -> None:
    wang, _ = principal(live_hub, "wang", (V1,))
    zhao, _ = principal(live_hub, "zhao", (V2,))
    v1, v2 = live_hub.villages[V1], live_hub.villages[V2]
    shared = uuid.uuid4().hex
    pushes = [
        (
            wang,
            [new_client(v1, "王一", op_id=shared), new_client(v2, "越界")],
        ),  # the second is outside wang's scope
        (zhao, [new_client(v2, "赵二"), {"op_id": "x", "entity": "client"}]),  # a malformed op
        (
            wang,
            [new_client(v1, "王一", op_id=shared)],
        ),  # the same op again in the same group: a replay
    ]
    results = push_group(live_hub.hub.db, pushes)
    assert [[r.status for r in group] for group in results] == [
        ["applied", "refused"],
        ["applied", "refused"],
        ["applied"],
    ]
    assert "其他村" in (results[0][1].reason or "")
    assert results[2][0] == results[0][0]  # the replay answers what the first one got
    assert records(live_hub) == 2  # 王一 once, 赵二; nothing of the refused ops


def test_many_desks_pushing_at_once_all_land_once_in_sequence(live_hub: HubFixture) -> None:
    """Forty desks push over real HTTP at the same instant: every op applied once, the change
    sequence has no gap and no repeat, and a puller sees every record."""
    v1 = live_hub.villages[V1]
    tokens = [principal(live_hub, f"agent{i}", (V1,))[1] for i in range(40)]
    start, answers, lock = threading.Barrier(len(tokens)), [], threading.Lock()

    def desk(token: str) -> None:
        with httpx.Client(
            base_url=live_hub.url + "/api/v1", headers={"Authorization": f"Bearer {token}"}
        ) as http:
            start.wait()
            body = http.post(
                "/sync/push", json={"ops": [new_client(v1), new_client(v1)]}, timeout=60
            ).json()
        with lock:
            answers.append(body)

    threads = [threading.Thread(target=desk, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [r["status"] for body in answers for r in body["results"]] == ["applied"] * 80
    with live_hub.hub.db.reading() as conn:
        seqs = sorted(conn.scalars(select(t.change.c.seq).where(t.change.c.entity == "client")))
    assert seqs == list(range(seqs[0], seqs[0] + 80))
    login = httpx.post(
        live_hub.url + "/api/v1/auth/login", json={"username": "agent0", "password": PASSWORD}
    )
    page = httpx.get(
        live_hub.url + "/api/v1/sync/pull",
        params={"cursor": 0, "limit": 5000},
        headers={"Authorization": f"Bearer {login.json()['token']}"},
    ).json()
    assert sum(c["entity"] == "client" for c in page["changes"]) == 80


def test_a_failing_group_is_retried_push_by_push(
    live_hub: HubFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database error in a group (injected for any group holding the poisoned push) fails only
    the push that causes it; the others in its group are applied on their own."""
    import agent_desk.server.group_commit as gc

    wang, _ = principal(live_hub, "wang", (V1,))
    v1 = live_hub.villages[V1]
    poison, gate, groups = new_client(v1, "毒"), threading.Event(), []

    def injected(db: Any, pushes: list[tuple[Principal, list[dict[str, Any]]]]) -> Any:
        groups.append(len(pushes))
        gate.wait(10)  # the first group holds the writer while the next three queue up
        if any(poison in ops for _who, ops in pushes):
            raise RuntimeError("database error")
        return push_group(db, pushes)

    monkeypatch.setattr(gc, "push_group", injected)
    writer = GroupCommit(live_hub.hub.db)
    first = writer.submit(wang, [new_client(v1, "甲")])
    queued = [
        writer.submit(wang, [new_client(v1, "乙")]),
        writer.submit(wang, [poison]),
        writer.submit(wang, [new_client(v1, "丙")]),
    ]
    gate.set()
    assert first.result(30)[0].status == "applied"
    assert queued[0].result(30)[0].status == "applied"
    with pytest.raises(RuntimeError):
        queued[1].result(30)
    assert queued[2].result(30)[0].status == "applied"
    writer.close()
    assert groups[:2] == [1, 3]  # the three queued pushes formed one group, then went one by one
    assert records(live_hub) == 3


def test_in_a_burst_pushes_arriving_a_few_at_a_time_share_a_transaction(
    live_hub: HubFixture,
) -> None:
    """While the writer is busy, pushes that trickle in (as 200 desks' pushes reach a worker) wait a
    moment for each other instead of each paying a transaction; a push to a quiet hub goes at once."""
    wang, _ = principal(live_hub, "wang", (V1,))
    v1, sizes = live_hub.villages[V1], []
    writer = GroupCommit(live_hub.hub.db, on_group=sizes.append)
    writer.linger, writer.busy = 1.0, 60.0  # generous, so a loaded test machine cannot split them
    writer.submit(wang, [new_client(v1)]).result(30)  # the quiet hub: a group of one
    trickle = []
    for n in range(4):  # right behind it, a push every few milliseconds
        trickle.append(writer.submit(wang, [new_client(v1, f"乙{n}")]))
        threading.Event().wait(0.005)
    assert all(f.result(30)[0].status == "applied" for f in trickle)
    writer.close()
    assert sizes == [1, 4] and records(live_hub) == 5


def test_the_devices_last_push_is_noted_once_for_a_burst(live_hub: HubFixture) -> None:
    """``server devices`` bookkeeping: one note for the groups of a burst, given once the queue
    runs dry, naming every push of it."""
    wang, _ = principal(live_hub, "wang", (V1,))
    li, _ = principal(live_hub, "li", (V1,))
    v1, gate, notes = live_hub.villages[V1], threading.Event(), []

    def held(db: Any, pushes: list[tuple[Principal, list[dict[str, Any]]]]) -> Any:
        gate.wait(10)  # the first group holds the writer while the rest queue up
        return push_group(db, pushes)

    writer = GroupCommit(live_hub.hub.db, apply=held, on_committed=notes.append)
    writer.note_every = 60.0  # only the queue running dry gives the note here
    first = writer.submit(wang, [new_client(v1)])
    rest = [writer.submit(who, [new_client(v1)]) for who in (li, wang, li)]
    gate.set()
    assert all(f.result(30)[0].status == "applied" for f in [first, *rest])
    writer.close()
    assert len(notes) == 1 and [who.username for who, _ in notes[0]] == [
        "wang",
        "li",
        "wang",
        "li",
    ]
