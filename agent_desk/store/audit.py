"""The desk's audit trail: every change and every full view of personal data, hash-chained.

A ``before_flush`` hook on sessions opened by ``Database.session`` appends one entry per flush that
changes rows (table, id, operation and the names of changed fields — values stay out, the rows
themselves hold them); bulk inserts append one entry with their count. Views of full ID numbers and
exports with full numbers are appended by ``record_view``. Entries ride the caller's transaction, so
a rolled-back change leaves no entry and a committed change always has one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, event, inspect, select, text
from sqlmodel import Session, col

from agent_desk.core.audit_chain import GENESIS, BrokenLink, entry_hash, first_broken
from agent_desk.store.models import AuditEntry, ClientChange, ClientSearchKey, Meta, OutboxEntry
from agent_desk.store.sync_state import SyncLog

# The sync log is the sync's own record of its runs: were it audited, every sync that did something
# would leave an entry for the next one to send to the hub, and no sync would ever be a no-op.
NOT_AUDITED = (AuditEntry, OutboxEntry, ClientSearchKey, ClientChange, Meta, SyncLog)
MAX_ROWS_LISTED = 200
_TIP = "audit_tip"
_CLAIM = text("UPDATE meta SET value = value WHERE key = 'audit_chain'")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _tip(session: Session) -> str:
    tip = session.info.get(_TIP)
    if tip:
        return str(tip)
    with session.no_autoflush:
        # Take the write lock first (a write statement, even one that changes nothing, starts the
        # transaction and holds SQLite's lock until commit): the tip read next stays the tip, and a
        # writer elsewhere (the day's background backup records itself) waits instead of linking to
        # the same tip and failing this transaction at its commit.
        session.execute(_CLAIM)
        stmt = select(col(AuditEntry.hash)).order_by(col(AuditEntry.seq).desc()).limit(1)
        last = session.execute(stmt).scalar()
    return last or GENESIS


def append(
    session: Session,
    action: str,
    *,
    entity: str = "",
    entity_id: str = "",
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> AuditEntry:
    """Add the next link of the chain to the caller's transaction."""
    who = actor if actor is not None else str(session.info.get("actor", ""))
    fields: dict[str, Any] = {
        "at": _now(),
        "actor": who,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "detail": detail or {},
    }
    prev = _tip(session)
    entry = AuditEntry(prev_hash=prev, hash=entry_hash(prev, fields), **fields)
    session.info[_TIP] = entry.hash
    session.add(entry)
    return entry


def record_view(
    session: Session,
    entity: str,
    entity_id: str,
    what: str,
    *,
    actor: str | None = None,
    reason: str = "",
) -> AuditEntry:
    """A full (unmasked) view or export of personal data; the caller commits."""
    return append(
        session,
        "view_full",
        entity=entity,
        entity_id=entity_id,
        detail={"what": what, "reason": reason},
        actor=actor,
    )


def record_bulk(session: Session, table: str, count: int) -> None:
    if session.info.get("audit") and count:
        append(session, "change", entity=table, detail={"bulk_insert": count})


def _row(obj: Any, op: str) -> dict[str, Any]:
    state = inspect(obj)
    changed = (
        sorted(a.key for a in state.attrs if a.history.has_changes()) if op == "update" else []
    )
    ident = (
        state.identity[0] if state.identity else getattr(obj, "id", None) or getattr(obj, "key", "")
    )
    return {
        "table": obj.__tablename__,
        "id": str(ident),
        "op": op,
        **({"fields": changed} if changed else {}),
    }


def _changed_rows(session: Session) -> list[dict[str, Any]]:
    rows = [_row(o, "insert") for o in session.new if not isinstance(o, NOT_AUDITED)]
    rows += [
        _row(o, "update")
        for o in session.dirty
        if not isinstance(o, NOT_AUDITED) and session.is_modified(o)
    ]
    rows += [_row(o, "delete") for o in session.deleted if not isinstance(o, NOT_AUDITED)]
    return rows


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if not session.info.get("audit"):
        return
    rows = _changed_rows(session)
    if not rows:
        return
    one = rows[0] if len(rows) == 1 else None
    detail: dict[str, Any] = {"rows": rows[:MAX_ROWS_LISTED], "count": len(rows)}
    append(
        session,
        "change",
        entity=one["table"] if one else "",
        entity_id=one["id"] if one else "",
        detail=detail,
    )


def _forget_tip(session: Session, *_args: Any) -> None:
    session.info.pop(_TIP, None)


def install() -> None:
    """Hook every SQLAlchemy session once; only sessions marked ``info['audit']`` are recorded."""
    from sqlalchemy.orm import Session as OrmSession

    if not event.contains(OrmSession, "before_flush", _before_flush):
        event.listen(OrmSession, "before_flush", _before_flush)
        event.listen(OrmSession, "after_commit", _forget_tip)
        event.listen(OrmSession, "after_rollback", _forget_tip)


def entries(conn: Connection, batch: int = 5000, *, after: int = 0) -> Iterator[dict[str, Any]]:
    """Every entry (past seq ``after``) in sequence order, as plain dicts, a batch at a time."""
    last = after
    sql = text(
        "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash FROM audit_entry "
        "WHERE seq > :last ORDER BY seq LIMIT :n"
    )
    while True:
        rows = conn.execute(sql, {"last": last, "n": batch}).mappings().all()
        if not rows:
            return
        for row in rows:
            entry = dict(row)
            entry["detail"] = (
                json.loads(entry["detail"]) if isinstance(entry["detail"], str) else entry["detail"]
            )
            yield entry
        last = rows[-1]["seq"]


def tip_seq(conn: Connection) -> int:
    """The seq of the newest entry (0 for an empty trail): one primary-key lookup."""
    return int(conn.execute(text("SELECT max(seq) FROM audit_entry")).scalar() or 0)


def verify(conn: Connection) -> tuple[int, BrokenLink | None]:
    """(entries checked, the first broken link or None)."""
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for entry in entries(conn):
            count += 1
            yield entry

    broken = first_broken(counted())
    return count, broken
