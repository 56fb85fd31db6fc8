"""Audit slices that arrive together share one transaction (the audit part of the group commit) and get
the very answers, and leave the very chains, that appending them one after another gives.

The group holds what a busy hub meets: a user's second device restating the first one's entries
in the same group, a device's next slice and a replay behind its first, a gap, a broken link and
an empty slice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from agent_desk.core.audit_chain import GENESIS, entry_hash
from agent_desk.server import admin, audit_store
from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, authenticate, issue_token
from agent_desk.server.db import HubDB
from agent_desk.server.errors import HubError

PASSWORD = "Audit-group-2026!"


def _entries(start: int, count: int, prev: str, tag: str) -> list[dict[str, Any]]:
    out = []
    for seq in range(start, start + count):
        entry = {
            "seq": seq,
            "at": f"2026-12-05T08:00:{seq:02d}.{len(tag):06d}+00:00",
            "actor": "wang",
            "action": "view_full",
            "entity": "client",
            "entity_id": f"{tag}{seq:031d}"[:32],
            "detail": {"what": "id_number", "seq": seq},
            "prev_hash": prev,
        }
        entry["hash"] = prev = entry_hash(prev, entry)
        out.append(entry)
    return out


def _hub(tmp_path: Path, name: str) -> tuple[HubDB, list[Principal]]:
    """A hub with two users: five devices of wang (A–E) and one of li (F)."""
    db = HubDB.open(f"sqlite:///{tmp_path / name}.db")
    admin.create_village(
        db, code="620524100201", name="村", township_code="620524100", township_name="洛门镇"
    )
    users = [
        admin.create_user(
            db, username=u, password=PASSWORD, role="agent", villages=["620524100201"]
        )
        for u in ("wang", "li")
    ]
    with db.writing() as conn:
        tokens = [issue_token(conn, users[n // 5], None, f"desk{n}")[0] for n in range(6)]
    with db.reading() as conn:
        return db, [authenticate(conn, token) for token in tokens]


def _slices(who: list[Principal]) -> list[tuple[Principal, list[dict[str, Any]]]]:
    a, b, c, d, e, f = who
    first = _entries(1, 2, GENESIS, "a")
    broken = _entries(1, 3, GENESIS, "d")
    broken[1]["detail"] = {"what": "edited"}
    return [
        (a, first),
        (b, first),  # wang's second device restates the first one's history, same group
        (f, first),  # another user's device with the same entries: a shared PC, not flagged
        (a, _entries(3, 1, first[-1]["hash"], "a")),  # A's next slice, behind its first
        (c, _entries(5, 2, "f" * 64, "c")),  # a gap: the hub holds nothing of C
        (d, broken),
        (e, []),
        (a, first),  # a replay of what A sent: stored again as nothing
    ]


def _answer(result: Any) -> Any:
    if isinstance(result, HubError):
        return (result.status, result.code, result.facts)
    return result.model_dump()


def _state(db: HubDB, who: list[Principal]) -> dict[str, Any]:
    """Chains and entries with each device named by its place in ``who`` (ids differ per hub)."""
    place = {p.device_id: n for n, p in enumerate(who)}
    skip = {"device_id", "user_id", "updated_at", "broken_at", "restated_at", "received_at"}
    with db.reading() as conn:
        chains = conn.execute(select(t.audit_chain)).mappings().all()
        entries = conn.execute(select(t.audit_entry)).mappings().all()
    return {
        "chains": sorted(
            (place[c["device_id"]], {k: v for k, v in c.items() if k not in skip}) for c in chains
        ),
        "entries": sorted(
            (place[e["device_id"]], e["seq"], e["hash"], e["detail"], e["at"]) for e in entries
        ),
        "restated_from": sorted(
            (place[c["device_id"]], place.get(c["restated_from"])) for c in chains
        ),
    }


def _normalised(state: dict[str, Any]) -> dict[str, Any]:
    """Without the fields that name a device by its id (compared as ``restated_from`` places)."""
    return {
        **state,
        "chains": [
            (n, {k: v for k, v in c.items() if k not in ("restated_from", "restated_reason")})
            for n, c in state["chains"]
        ],
    }


def test_a_group_answers_and_stores_as_one_slice_after_another(tmp_path: Path) -> None:
    one_db, one_who = _hub(tmp_path, "one")
    group_db, group_who = _hub(tmp_path, "group")
    alone = []
    for who, entries in _slices(one_who):
        try:
            alone.append(_answer(audit_store.append_slice(one_db, who, entries)))
        except HubError as exc:
            alone.append(_answer(exc))
    together = [_answer(r) for r in audit_store.append_slices(group_db, _slices(group_who))]
    assert together == alone
    assert [a if isinstance(a, tuple) else a["held_seq"] for a in alone] == [
        2,
        2,
        2,
        3,
        (409, "audit_gap", {"held_seq": 0}),
        (409, "audit_broken", {"held_seq": 0, "broken_seq": 2}),
        0,
        3,
    ]
    one, group = _state(one_db, one_who), _state(group_db, group_who)
    assert _normalised(group) == _normalised(one)
    assert group["restated_from"] == one["restated_from"]
    chains = dict(group["chains"])
    assert chains[1]["restated_seq"] == 1 and chains[1]["rewritten_seq"] is None  # B restates A
    assert chains[5]["restated_seq"] is None  # li's device shares entries: not flagged
    assert chains[3]["broken_seq"] == 2 and chains[3]["entries"] == 0
    assert chains[0]["entries"] == 3 and 2 not in chains  # C's gap stores no chain
    one_db.close()
    group_db.close()


def test_out_of_order_entries_are_refused_before_they_queue(tmp_path: Path) -> None:
    db, who = _hub(tmp_path, "order")
    entries = _entries(1, 2, GENESIS, "a")
    with pytest.raises(HubError) as refused:
        audit_store.check_order(entries[::-1])
    assert refused.value.code == "audit_order"
    db.close()
