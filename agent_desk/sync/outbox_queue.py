"""The outbox as a queue: claim a batch (pending → inflight), settle results, recover after a crash.

Every state change is committed before the network call that depends on it, so a desk killed at
any point finds each op pending, inflight (safe to resend: push is idempotent) or settled.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from agent_desk.protocol import DESK_WRITABLE
from agent_desk.store.models import OutboxEntry

MAX_ATTEMPTS = 3
O = OutboxEntry  # noqa: E741


def recover_inflight(session: Session) -> int:
    """Ops left inflight by a crash go back to pending; the hub drops any it already has.
    Looks first, so a desk with nothing inflight does not write at all."""
    if session.scalar(select(col(O.seq)).where(col(O.state) == "inflight").limit(1)) is None:
        return 0
    stmt = update(O).where(col(O.state) == "inflight").values(state="pending")
    return session.execute(stmt).rowcount  # type: ignore[attr-defined, no-any-return]


def claim_batch(session: Session, limit: int, skip: Iterable[int] = ()) -> list[OutboxEntry]:
    stmt = (
        select(O)
        .where(col(O.state) == "pending", col(O.entity).in_(DESK_WRITABLE))
        .order_by(col(O.seq))
        .limit(limit)
    )
    skipped = list(skip)
    if skipped:
        stmt = stmt.where(col(O.seq).not_in(skipped))
    entries = list(session.scalars(stmt))
    for entry in entries:
        entry.state = "inflight"
    return entries


def as_wire(entry: OutboxEntry) -> dict[str, Any]:
    return {
        "op_id": entry.op_id,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "op": entry.op,
        "fields": entry.fields,
        "base_version": entry.base_version,
    }


def release(session: Session, seqs: list[int], error: str, *, count_attempt: bool) -> list[int]:
    """Back to pending after a failed call; an op failing alone too often is quarantined. Returns those."""
    quarantined: list[int] = []
    for entry in session.scalars(select(O).where(col(O.seq).in_(seqs))):
        entry.attempts += 1 if count_attempt else 0
        entry.last_error = error[:500]
        entry.state = "pending"
        if count_attempt and entry.attempts >= MAX_ATTEMPTS:
            entry.state = "quarantined"
            quarantined.append(entry.seq or 0)
    return quarantined


def quarantine(session: Session, entry: OutboxEntry, reason: str) -> None:
    entry.state, entry.last_error = "quarantined", reason[:500]
    entry.attempts += 1


def requeue_quarantined(session: Session, op_ids: list[str] | None = None) -> int:
    stmt = update(O).where(col(O.state) == "quarantined").values(state="pending", attempts=0)
    if op_ids is not None:
        stmt = stmt.where(col(O.op_id).in_(op_ids))
    return session.execute(stmt).rowcount  # type: ignore[attr-defined, no-any-return]


def drop(session: Session, seqs: list[int]) -> None:
    if seqs:
        session.execute(delete(O).where(col(O.seq).in_(seqs)))


def counts(session: Session) -> dict[str, int]:
    stmt = (
        select(col(O.state), func.count())
        .where(col(O.entity).in_(DESK_WRITABLE))
        .group_by(col(O.state))
    )
    found = {state: int(n) for state, n in session.execute(stmt).all()}
    return {state: found.get(state, 0) for state in ("pending", "inflight", "quarantined")}


def entries(session: Session, state: str, limit: int = 200) -> list[OutboxEntry]:
    stmt = (
        select(O)
        .where(col(O.state) == state, col(O.entity).in_(DESK_WRITABLE))
        .order_by(col(O.seq))
        .limit(limit)
    )
    return list(session.scalars(stmt))


def pending_fields(session: Session, entity: str, ids: list[str]) -> dict[str, set[str]]:
    """Fields of each record still waiting in the outbox: local values that a pull must not overwrite.
    The ids go in as one JSON list (a page holds thousands: one bound value, not thousands)."""
    found: dict[str, set[str]] = {}
    if not ids:
        return found
    rows = session.connection().exec_driver_sql(
        "SELECT entity_id, fields, op FROM outbox WHERE entity = ? "
        "AND entity_id IN (SELECT value FROM json_each(?))",
        (entity, json.dumps(ids)),
    )
    for entity_id, fields, op in rows:
        found.setdefault(entity_id, set()).update((json.loads(fields) if fields else None) or {})
        if op == "delete":
            found[entity_id].add("deleted")
    return found
    stmt = select(col(O.entity_id), col(O.fields), col(O.op)).where(
        col(O.entity) == entity, col(O.entity_id).in_(ids)
    )
    for entity_id, fields, op in session.execute(stmt):
        found.setdefault(entity_id, set()).update(fields or {})
        if op == "delete":
            found[entity_id].add("deleted")
    return found
