"""The hub stamps every audit entry it keeps with its receive time and the pushing user, and flags to the
admin a user who presents a history again as a new device (audit_store's restatement rule)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy import insert, select

from agent_desk.cli import main
from agent_desk.core.audit_chain import GENESIS, entry_hash
from agent_desk.protocol import API_PREFIX
from agent_desk.server import tables as t
from agent_desk.server.db import MIGRATIONS, make_hub_engine
from agent_desk.store.models import Meta
from agent_desk.sync import audit as audit_phase
from agent_desk.sync.engine import DEVICE_KEY
from tests.sync.conftest import PASSWORD, HubFixture
from tests.sync.test_audit_chain import device_of, held, local_chain, synced_desk
from tests.sync.test_hub_rules import login


def chain(events: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Entries as a desk writes them, from GENESIS: (at, entity id, detail) each."""
    entries, prev = [], GENESIS
    for seq, (at, entity_id, detail) in enumerate(events, start=1):
        entry = {
            "seq": seq,
            "at": at,
            "actor": "wang",
            "action": "view_full",
            "entity": "client",
            "entity_id": entity_id,
            "detail": detail,
        }
        entry |= {"prev_hash": prev, "hash": entry_hash(prev, entry)}
        entries.append(entry)
        prev = entry["hash"]
    return entries


EVENTS = [
    ("2026-11-22T08:00:01.123456+00:00", "a" * 32, {"what": "id_number"}),
    ("2026-11-22T08:05:02.654321+00:00", "b" * 32, {"what": "phone"}),
    ("2026-11-22T08:09:03.000001+00:00", "c" * 32, {"what": "id_number"}),
]


def device(hub: HubFixture, username: str) -> tuple[httpx.Client, str]:
    """A login without a device id registers a new device of ``username``: (its client, its id)."""
    client = httpx.Client(base_url=hub.url + API_PREFIX)
    answer = client.post("/auth/login", json={"username": username, "password": PASSWORD}).json()
    client.headers["Authorization"] = f"Bearer {answer['token']}"
    return client, answer["device_id"]


def chains(hub: HubFixture) -> dict[str, dict[str, Any]]:
    admin = login(hub, "boss")
    return {row["device_id"]: row for row in admin.get("/audit/chains").json()}


def test_every_entry_kept_carries_the_hubs_receive_time_and_the_pushing_user(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("boss", role="admin")
    desk, sync = synced_desk(live_hub, tmp_path)
    with live_hub.hub.db.reading() as conn:
        wang = conn.execute(select(t.user.c.id).where(t.user.c.username == "wang")).scalar_one()
        stamps = conn.execute(select(t.audit_entry.c.user_id, t.audit_entry.c.received_at)).all()
    assert len(stamps) == len(local_chain(desk)) and {user for user, _at in stamps} == {wang}
    assert all(at is not None for _user, at in stamps)
    page = login(live_hub, "boss").get(f"/audit/chains/{device_of(sync)}/entries").json()
    assert page["entries"] == local_chain(desk)  # as the desk sent it: still verifiable
    assert [s["user_id"] for s in page["stamps"]] == [wang] * len(page["entries"])
    assert all(s["received_at"] for s in page["stamps"])


def test_the_same_history_sent_again_as_a_new_device_is_flagged(
    live_hub: HubFixture, capsys: Any, hub_url: str, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("boss", role="admin")
    first, first_id = device(live_hub, "wang")
    assert first.post("/audit/append", json={"entries": chain(EVENTS)}).status_code == 200
    copy, copy_id = device(live_hub, "wang")
    answer = copy.post("/audit/append", json={"entries": chain(EVENTS)})
    assert answer.status_code == 200 and answer.json()["stored"] == 3  # kept as evidence
    row = chains(live_hub)[copy_id]
    assert (row["restated"], row["restated_seq"], row["restated_from"]) == (True, 1, first_id)
    assert "完全相同" in row["restated_reason"] and row["rewritten_seq"] is None
    assert not chains(live_hub)[first_id]["restated"]
    assert (
        main(["server", "--db", hub_url, "--hub-dir", str(tmp_path / "hub-cli"), "audit-status"])
        == 1
    )
    out = capsys.readouterr().out
    assert "重述" in out and copy_id in out and "1 条重述" in out


def test_a_rewritten_history_sent_as_a_new_device_is_flagged(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("boss", role="admin")
    first, _first_id = device(live_hub, "wang")
    assert first.post("/audit/append", json={"entries": chain(EVENTS)}).status_code == 200
    rewritten = [
        EVENTS[0],
        (EVENTS[1][0], EVENTS[1][1], {"what": "address"}),
        EVENTS[2],
    ]  # one lookup hidden
    forger, forger_id = device(live_hub, "wang")
    assert forger.post("/audit/append", json={"entries": chain(rewritten)}).status_code == 200
    row = chains(live_hub)[forger_id]
    assert (row["restated_seq"], row["rewritten_seq"]) == (
        1,
        2,
    )  # entry 1 sent again, entry 2 changed
    assert "第 2 条" in row["restated_reason"] and "历史被改写" in row["restated_reason"]
    dropped = [EVENTS[0], EVENTS[2]]  # the lookup removed: entry 2 is event 3 on a changed chain
    other, other_id = device(live_hub, "wang")
    assert other.post("/audit/append", json={"entries": chain(dropped)[:1]}).status_code == 200
    assert (
        chains(live_hub)[other_id]["rewritten_seq"] is None
    )  # so far the same history, sent again
    assert other.post("/audit/append", json={"entries": chain(dropped)}).status_code == 200
    row = chains(live_hub)[other_id]
    assert (row["restated_seq"], row["rewritten_seq"]) == (1, 2) and "历史被改写" in row[
        "restated_reason"
    ]


def test_new_desks_and_shared_pcs_are_not_flagged(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li")
    live_hub.add_user("boss", role="admin")
    first, first_id = device(live_hub, "wang")
    assert first.post("/audit/append", json={"entries": chain(EVENTS)}).status_code == 200
    shared, shared_id = device(
        live_hub, "li"
    )  # li signs in on wang's PC: the desk's trail is the PC's
    assert shared.post("/audit/append", json={"entries": chain(EVENTS)}).status_code == 200
    new_pc, new_id = device(live_hub, "wang")  # wang's second PC writes its own entries
    fresh = [("2026-11-23T09:00:00.000001+00:00", "a" * 32, {"what": "id_number"})]
    assert new_pc.post("/audit/append", json={"entries": chain(fresh)}).status_code == 200
    rows = chains(live_hub)
    assert not any(rows[d]["restated"] for d in (first_id, shared_id, new_id))


def test_a_real_desk_reregistered_as_a_new_device_is_flagged(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("boss", role="admin")
    desk, sync = synced_desk(live_hub, tmp_path)
    first_id = device_of(sync)
    with desk.db.session() as session:  # the desk forgets who it was on the hub, and what it sent
        for key in (DEVICE_KEY, audit_phase.ACKED_KEY):
            session.delete(session.get(Meta, key))
        session.commit()
    sync.login(PASSWORD)
    assert device_of(sync) != first_id
    report = sync.sync_once()
    assert report.audit_problem is None and report.audit_sent == len(local_chain(desk))
    row = chains(live_hub)[device_of(sync)]
    assert row["restated"] and row["restated_from"] == first_id and row["restated_seq"] == 1
    assert held(live_hub, first_id)["intact"] and not held(live_hub, first_id)["restated"]


def test_the_upgrade_keeps_first_uploaders_and_stamps_entries_already_held(hub_url: str) -> None:
    """A hub from before 0004: its scans keep their first uploader, its audit entries get their user."""
    engine = make_hub_engine(hub_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    command.upgrade(config, "0003")
    now, wang, pc, sha = datetime.now(timezone.utc), "1" * 32, "2" * 32, "ab" * 32
    entry = {k: v for k, v in chain(EVENTS[:1])[0].items() if k != "detail"}
    with engine.begin() as conn:  # only the columns 0003 has
        conn.execute(
            insert(t.user).values(
                id=wang,
                username="wang",
                display_name="",
                role="agent",
                password_hash="x",
                active=True,
                created_at=now,
            )
        )
        conn.execute(insert(t.device).values(id=pc, user_id=wang, name="pc", created_at=now))
        conn.execute(
            insert(t.blob).values(
                sha256=sha, size=10, mime="image/png", uploaded_by=wang, created_at=now
            )
        )
        conn.execute(
            insert(t.audit_entry).values(device_id=pc, detail="{}", received_at=now, **entry)
        )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        uploaders = conn.execute(select(t.blob_upload.c.sha256, t.blob_upload.c.user_id)).all()
        stamped = conn.execute(select(t.audit_entry.c.user_id)).scalars().all()
    engine.dispose()
    assert uploaders == [(sha, wang)] and stamped == [wang]
