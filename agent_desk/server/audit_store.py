"""The hub's copy of each desk's audit chain: appended slice by slice, checked link by link, read by admins.

A desk sends the entries the hub does not hold yet; the chain is the token's device's, never named
in the request. A slice is stored only when every entry's hash recomputes and it continues the
chain the hub holds (from GENESIS for a first slice); entries the hub already holds must match
them exactly, so a replay stores nothing and succeeds. A slice that breaks or forks the chain is
refused whole, and the chain is marked broken at that seq — kept as evidence even if later slices
link again. Entries may name people (``detail``), so only an admin reads them back, and a
reviewer those of the desks of their township's agents and their own. The hub stamps each stored
entry with its own receive time and the user whose token sent it, and flags a user presenting a
history again as a new device (the rule is in audit_restated.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    exists,
    insert,
    or_,
    select,
    update,
)

from agent_desk.core.audit_chain import GENESIS, BrokenLink, first_broken
from agent_desk.protocol import AuditAppendResponse
from agent_desk.server import tables as t
from agent_desk.server.audit_restated import held_twins, restatement, twin_key
from agent_desk.server.auth import Principal, utcnow
from agent_desk.server.db import HubDB
from agent_desk.server.errors import HubError, bad_request, forbidden, not_found

READ_PAGE = 500
HASHED_TEXT = ("at", "actor", "action", "entity", "entity_id")
STAMPS = ("device_id", "user_id", "received_at")  # the hub's own, not part of the entry as sent


@dataclass(frozen=True)
class _Gap:
    """The slice starts past what the hub holds (the desk's bookkeeping is ahead of this hub's copy)."""


def append_slice(db: HubDB, who: Principal, entries: list[dict[str, Any]]) -> AuditAppendResponse:
    """Store the entries of ``who``'s device chain the hub does not hold; raise a 409 for a gap or a break."""
    check_order(entries)
    result = append_slices(db, [(who, entries)])[0]
    if isinstance(result, HubError):
        raise result
    return result


def check_order(entries: list[dict[str, Any]]) -> None:
    if any(a["seq"] >= b["seq"] for a, b in zip(entries, entries[1:], strict=False)):
        raise bad_request(
            "audit_order", "审计记录应按序号从小到大排列，且不重复 (entries out of order)"
        )


Slice = tuple[Principal, list[dict[str, Any]]]


def append_slices(db: HubDB, slices: list[Slice]) -> list[AuditAppendResponse | HubError]:
    """Several devices' slices (each in seq order) in as few transactions as possible, with the
    answers of appending them one after another: the audit part of a sync round joins the group
    commit (group_commit.py), so 200 desks' appends cost a few transactions, not 200.

    A device's second slice in the same group goes into the next transaction, after its first."""
    results: list[AuditAppendResponse | HubError | None] = [None] * len(slices)
    waiting = list(enumerate(slices))
    while waiting:
        devices: set[str] = set()
        wave: list[tuple[int, Slice]] = []
        later: list[tuple[int, Slice]] = []
        for n, (who, entries) in waiting:
            (later if who.device_id in devices else wave).append((n, (who, entries)))
            devices.add(who.device_id)
        for (n, _slice), result in zip(wave, _append_wave(db, [s for _n, s in wave]), strict=True):
            results[n] = result
        waiting = later
    return [r for r in results if r is not None]


def _append_wave(db: HubDB, wave: list[Slice]) -> list[AuditAppendResponse | HubError]:
    """Slices of distinct devices in one transaction: one lock, one chain read, one twin read, one insert."""
    with db.writing() as conn:
        chains = _lock_chains(conn, sorted({who.device_id for who, _entries in wave}))
        stored = _Stored(held_twins(conn, wave))
        results = [
            _append(conn, who, entries, chains.get(who.device_id), stored) for who, entries in wave
        ]
        _write(conn, stored)
    return results


class _Stored:
    """The entries this transaction stores, and the twins they may have (held or stored just now)."""

    def __init__(self, held: list[dict[str, Any]]) -> None:
        self.rows: list[dict[str, Any]] = []
        self.new_chains: list[dict[str, Any]] = []
        self.moved_tips: list[dict[str, Any]] = []
        self.restated: list[tuple[str, dict[str, Any]]] = []
        self.by_user: dict[str, list[dict[str, Any]]] = {}
        for row in held:
            self.by_user.setdefault(str(row["user_id"]), []).append(row)

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.rows += rows
        for row in rows:
            self.by_user.setdefault(str(row["user_id"]), []).append(row)

    def twins(self, who: Principal, new: list[dict[str, Any]]) -> dict[tuple[Any, ...], Any]:
        times = {e["at"] for e in new}
        return {
            twin_key(row): row
            for row in self.by_user.get(who.user_id, [])
            if row["device_id"] != who.device_id and row["at"] in times
        }


def _append(
    conn: Connection,
    who: Principal,
    entries: list[dict[str, Any]],
    chain: dict[str, Any] | None,
    stored: _Stored,
) -> AuditAppendResponse | HubError:
    device = who.device_id
    held, tip = (int(chain["last_seq"]), str(chain["last_hash"])) if chain else (0, GENESIS)
    verdict = _verdict(conn, device, entries, held, tip) if entries else None
    if isinstance(verdict, BrokenLink):
        _mark_broken(conn, device, chain, verdict)
    count = (
        _store(conn, who, chain, [e for e in entries if e["seq"] > held], stored)
        if verdict is None
        else 0
    )
    if isinstance(verdict, _Gap):
        return HubError(
            409,
            "audit_gap",
            f"乡镇服务器只保存到第 {held} 条审计记录，请从第 {held + 1} 条起重新上传",
            facts={"held_seq": held},
        )
    if isinstance(verdict, BrokenLink):
        return HubError(
            409,
            "audit_broken",
            f"审计记录链断裂，乡镇服务器未保存本次上传：{verdict.zh()}",
            facts={"held_seq": held, "broken_seq": verdict.seq},
        )
    intact = chain is None or chain["broken_seq"] is None
    return AuditAppendResponse(
        held_seq=max(held, entries[-1]["seq"]) if entries else held, stored=count, intact=intact
    )


def _lock_chains(conn: Connection, devices: list[str]) -> dict[str, dict[str, Any]]:
    """The device rows are locked first, in id order (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises), so two appends of one device — a chain row that does not exist yet included — run
    one after the other, and two groups never wait on each other in a cycle."""
    d = t.device.c
    conn.execute(select(d.id).where(d.id.in_(devices)).order_by(d.id).with_for_update()).all()
    rows = conn.execute(select(t.audit_chain).where(t.audit_chain.c.device_id.in_(devices)))
    return {str(row["device_id"]): dict(row) for row in rows.mappings()}


def _verdict(
    conn: Connection, device: str, entries: list[dict[str, Any]], held: int, tip: str
) -> BrokenLink | _Gap | None:
    """None when the slice is sound and continues the chain; else the earliest problem."""
    old = [e for e in entries if e["seq"] <= held]
    new = [e for e in entries if e["seq"] > held]
    if new and not old and new[0]["prev_hash"] != tip and new[0]["seq"] > held + 1:
        return _Gap()
    problems = [
        b for b in (first_broken(entries, entries[0]["prev_hash"]), _fork(conn, device, old)) if b
    ]
    if new and new[0]["prev_hash"] != tip:
        problems.append(
            BrokenLink(new[0]["seq"], "does not follow the last entry the hub holds", "detached")
        )
    return min(problems, key=lambda b: b.seq) if problems else None


def _fork(conn: Connection, device: str, old: list[dict[str, Any]]) -> BrokenLink | None:
    """An entry the hub already holds must come again exactly as it was first received."""
    if not old:
        return None
    a = t.audit_entry.c
    stmt = select(a.seq, a.prev_hash, a.hash).where(
        a.device_id == device, a.seq.between(old[0]["seq"], old[-1]["seq"])
    )
    held = {row.seq: (row.prev_hash, row.hash) for row in conn.execute(stmt)}
    for entry in old:
        if held.get(entry["seq"]) != (entry["prev_hash"], entry["hash"]):
            return BrokenLink(entry["seq"], "differs from the entry the hub holds", "fork")
    return None


def _mark_broken(
    conn: Connection, device: str, chain: dict[str, Any] | None, broken: BrokenLink
) -> None:
    """Count the refusal; the first broken link stays recorded."""
    now = utcnow()
    first = {"broken_seq": broken.seq, "broken_reason": broken.zh(), "broken_at": now}
    if chain is None:
        conn.execute(
            insert(t.audit_chain).values(
                device_id=device,
                entries=0,
                last_seq=0,
                last_hash=GENESIS,
                refusals=1,
                updated_at=now,
                **first,
            )
        )
        return
    values: dict[str, Any] = {"refusals": int(chain["refusals"]) + 1, "updated_at": now}
    if chain["broken_seq"] is None:
        values |= first
    conn.execute(update(t.audit_chain).where(t.audit_chain.c.device_id == device).values(**values))


def _store(
    conn: Connection,
    who: Principal,
    chain: dict[str, Any] | None,
    new: list[dict[str, Any]],
    stored: _Stored,
) -> int:
    """Queue the new entries and the chain's new tip for the transaction's few bulk writes."""
    if not new:
        return 0
    now, device = utcnow(), who.device_id
    restated = restatement(who, chain, new, stored.twins(who, new))
    stored.add([_row(who, e, now) for e in new])
    values = {"last_seq": new[-1]["seq"], "last_hash": new[-1]["hash"], "updated_at": now}
    if chain is None:
        stored.new_chains.append({"device_id": device, "entries": len(new), "refusals": 0} | values)
    else:
        stored.moved_tips.append({"chain": device, "added": len(new)} | values)
    if restated:
        stored.restated.append((device, restated))
    return len(new)


_CHAIN = t.audit_chain.c
_MOVE_TIP = (
    update(t.audit_chain)
    .where(_CHAIN.device_id == bindparam("chain"))
    .values(entries=_CHAIN.entries + bindparam("added"))
)


def _write(conn: Connection, stored: _Stored) -> None:
    """The group's entries and chain tips: one insert each, one executemany of the moved tips."""
    if stored.rows:
        conn.execute(insert(t.audit_entry), stored.rows)
    if stored.new_chains:
        conn.execute(insert(t.audit_chain), stored.new_chains)
    if stored.moved_tips:
        conn.execute(_MOVE_TIP, stored.moved_tips)
    for device, restated in stored.restated:
        conn.execute(update(t.audit_chain).where(_CHAIN.device_id == device).values(**restated))


def _row(who: Principal, entry: dict[str, Any], now: Any) -> dict[str, Any]:
    """The detail is kept as JSON text, so reading it back gives the very values the hash covers."""
    detail = json.dumps(entry["detail"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {
        "device_id": who.device_id,
        "user_id": who.user_id,
        "seq": entry["seq"],
        "detail": detail,
        "prev_hash": entry["prev_hash"],
        "hash": entry["hash"],
        "received_at": now,
        **{k: entry[k] for k in HASHED_TEXT},
    }


# -- reading back (admin; a reviewer for their township) --------------------------------------------
def _readable(who: Principal | None) -> ColumnElement[bool] | None:
    """Which devices' chains ``who`` may read; None means all (an admin, or the hub's own console)."""
    if who is None or who.role == "admin":
        return None
    if who.role != "reviewer":
        raise forbidden("只有管理员和审核员可以查看审计记录 (admins and reviewers only)")
    d, uv = t.device.c, t.user_village.c
    agents_here = exists().where(
        uv.user_id == d.user_id, uv.village_id.in_(sorted(who.villages or ()))
    )
    return or_(agents_here, d.user_id == who.user_id)


_c = t.audit_chain.c
_RESTATED = (
    _c.restated_seq,
    _c.rewritten_seq,
    _c.restated_from,
    _c.restated_reason,
    _c.restated_at,
)


def chain_status(db: HubDB, who: Principal | None) -> list[dict[str, Any]]:
    """One row per device in scope, broken chains first, then restated ones: entries held, last seq,
    intact or broken at N, ``restated`` when it restates another device's history of the same user."""
    d, u, c = t.device.c, t.user.c, t.audit_chain.c
    stmt = (
        select(
            d.id.label("device_id"),
            d.name.label("device_name"),
            u.username,
            u.role,
            c.entries,
            c.last_seq,
            c.broken_seq,
            c.broken_reason,
            c.broken_at,
            c.refusals,
            c.updated_at,
            *_RESTATED,
        )
        .select_from(
            t.device.join(t.user, u.id == d.user_id).outerjoin(t.audit_chain, c.device_id == d.id)
        )
        .order_by(c.broken_seq.is_(None), c.restated_seq.is_(None), u.username, d.name, d.id)
        .limit(5000)
    )
    scope = _readable(who)
    if scope is not None:
        stmt = stmt.where(scope)
    with db.reading() as conn:
        return [_status(dict(row)) for row in conn.execute(stmt).mappings()]


def _status(row: dict[str, Any]) -> dict[str, Any]:
    row["entries"], row["last_seq"], row["refusals"] = (
        int(row[k] or 0) for k in ("entries", "last_seq", "refusals")
    )
    row["intact"] = row["broken_seq"] is None
    row["restated"] = row["restated_seq"] is not None
    for key in ("broken_at", "updated_at", "restated_at"):
        row[key] = row[key].isoformat() if row[key] is not None else None
    return row


def chain_entries(
    db: HubDB, who: Principal | None, device: str, after: int = 0, limit: int = READ_PAGE
) -> dict[str, Any]:
    """A page of one device's chain as the desk sent it (re-verifiable); the same 404 when out of scope."""
    d, a = t.device.c, t.audit_entry.c
    scope = _readable(who)
    found = select(d.id).where(and_(d.id == device, *(() if scope is None else (scope,))))
    with db.reading() as conn:
        if conn.execute(found).first() is None:
            raise not_found("没有这台设备的审计记录 (no such device)")
        stmt = (
            select(t.audit_entry)
            .where(a.device_id == device, a.seq > after)
            .order_by(a.seq)
            .limit(limit + 1)
        )
        rows = [dict(r) for r in conn.execute(stmt).mappings()]
    entries = [
        {k: (json.loads(v) if k == "detail" else v) for k, v in r.items() if k not in STAMPS}
        for r in rows[:limit]
    ]
    stamps = [_stamp(r) for r in rows[:limit]]
    return {"device_id": device, "entries": entries, "stamps": stamps, "more": len(rows) > limit}


def _stamp(row: dict[str, Any]) -> dict[str, Any]:
    """What the hub itself recorded of an entry (apart from the entry, which stays as the desk sent it)."""
    return {
        "seq": row["seq"],
        "received_at": row["received_at"].isoformat(),
        "user_id": row["user_id"],
    }
