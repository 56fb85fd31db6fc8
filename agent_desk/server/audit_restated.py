"""A user presenting a history again as a new device: flagged on the chain for the admin.

The rule: a stored entry *restates* another when the hub already holds an entry with the same
``at``, ``actor``, ``action``, ``entity`` and ``entity_id`` from another device of the same user. A
desk writes its own entries with its own microsecond clock, so two devices never share one
legitimately; a desk database copied and registered again as a new device does. Among restated
entries, one whose hash differs from its twin's shows a *rewritten* history (the entry or one
before it was changed); equal hashes show the same history sent again. Another user's device
sharing entries is a PC shared by two users, not flagged. The slice is stored all the same (it is
the evidence); the first restated and the first rewritten entry stay recorded once set, like a
break. A history invented anew, with new times for every event, cannot be told from a new desk's
by its entries alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, utcnow

KEY = ("at", "actor", "action", "entity", "entity_id")


def restatement(
    who: Principal,
    chain: dict[str, Any] | None,
    new: list[dict[str, Any]],
    twins: dict[tuple[Any, ...], Any],
) -> dict[str, Any]:
    """The ``restated_*`` / ``rewritten_seq`` values to set on ``who``'s device chain ({} for none),
    given the new entries' ``twins`` (by ``twin_key``) on the user's other devices."""
    known = {k: (chain or {}).get(k) for k in ("restated_seq", "rewritten_seq", "restated_from")}
    if known["restated_seq"] is not None and known["rewritten_seq"] is not None:
        return {}
    restated = [(entry, twin) for entry in new if (twin := twins.get(twin_key(entry))) is not None]
    rewritten = [(entry, twin) for entry, twin in restated if twin["hash"] != entry["hash"]]
    found = dict(known)
    if found["restated_seq"] is None and restated:
        found |= {
            "restated_seq": restated[0][0]["seq"],
            "restated_from": restated[0][1]["device_id"],
        }
    if found["rewritten_seq"] is None and rewritten:
        found["rewritten_seq"] = rewritten[0][0]["seq"]
    if found == known:
        return {}
    return found | {"restated_reason": reason_zh(found), "restated_at": utcnow()}


def twin_key(entry: Any) -> tuple[Any, ...]:
    return tuple(entry[k] for k in KEY)


def held_twins(
    conn: Connection, slices: list[tuple[Principal, list[dict[str, Any]]]]
) -> list[dict[str, Any]]:
    """Held entries of the slices' users at the slices' times (by the user+time index), one query
    for a whole group; each slice keeps those of its user's other devices with its own keys."""
    users = sorted({who.user_id for who, entries in slices if entries})
    times = sorted({e["at"] for _who, entries in slices for e in entries})
    if not users:
        return []
    a = t.audit_entry.c
    stmt = select(a.user_id, a.device_id, a.seq, a.hash, *(a[k] for k in KEY)).where(
        a.user_id.in_(users), a.at.in_(times)
    )
    return [dict(row) for row in conn.execute(stmt).mappings()]


def reason_zh(found: dict[str, Any]) -> str:
    text = f"审计记录第 {found['restated_seq']} 条起重述了同一用户的设备 {found['restated_from']} 已上传的记录"
    if found["rewritten_seq"] is None:
        return text + "（内容完全相同：同一段历史以新设备重新上传）"
    return text + f"；第 {found['rewritten_seq']} 条是同一事件，但哈希链不同（历史被改写）"
