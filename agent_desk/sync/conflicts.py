"""Conflicts on the desk: recorded from the hub's answers, listed with both values, resolved by a person.

A resolution in favour of this desk travels as an ordinary outbox op whose base is the hub version
the person saw; the hub is then told the conflict is closed.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import func, select
from sqlmodel import Session, col

from agent_desk.core.errors import DomainError
from agent_desk.protocol import FieldConflict
from agent_desk.store.models import OutboxEntry, utcnow
from agent_desk.store.outbox import record_change, take_from_hub
from agent_desk.store.sync_state import SyncConflict
from agent_desk.sync.apply import set_local_field, to_columns
from agent_desk.sync.tables import entity_model

Choice = Literal["desk", "hub"]


def record_push_conflicts(
    session: Session, entry: OutboxEntry, conflicts: list[FieldConflict]
) -> None:
    """Keep both values; the row shows the hub's value until someone decides (no silent loss)."""
    for c in conflicts:
        session.add(
            SyncConflict(
                hub_conflict_id=c.conflict_id,
                entity=entry.entity,
                entity_id=entry.entity_id,
                field=c.field,
                local_value=c.desk_value,
                hub_value=c.hub_value,
                hub_version=c.hub_version,
            )
        )
        if not _pending_elsewhere(session, entry, c.field):
            set_local_field(session, entry.entity, entry.entity_id, c.field, c.hub_value)


def _pending_elsewhere(session: Session, entry: OutboxEntry, field: str) -> bool:
    stmt = select(col(OutboxEntry.fields)).where(
        col(OutboxEntry.entity_id) == entry.entity_id, col(OutboxEntry.seq) != entry.seq
    )
    return any(field in (fields or {}) for fields in session.scalars(stmt))


def open_conflicts(
    session: Session, *, include_resolved: bool = False, limit: int = 500
) -> list[SyncConflict]:
    stmt = select(SyncConflict).order_by(SyncConflict.detected_at).limit(limit)  # type: ignore[arg-type]
    if not include_resolved:
        stmt = stmt.where(SyncConflict.resolved_at.is_(None))  # type: ignore[union-attr]
    return list(session.scalars(stmt))


def count_open(session: Session) -> int:
    stmt = select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))  # type: ignore[union-attr]
    return int(session.scalar(stmt) or 0)


def resolve(session: Session, conflict_id: str, choice: Choice) -> SyncConflict:
    """Apply a person's choice: keep this desk's value (pushed as a new op) or the hub's."""
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.resolved_at is not None:
        raise DomainError("这条冲突不存在或已经处理过了", code="conflict_gone")
    if conflict.field != "*":
        _apply_choice(session, conflict, choice)
    conflict.resolution, conflict.resolved_at = choice, utcnow()
    conflict.reported = conflict.hub_conflict_id is None
    return conflict


def _apply_choice(session: Session, conflict: SyncConflict, choice: Choice) -> None:
    row = session.get(entity_model(conflict.entity), conflict.entity_id)
    if row is None:
        raise DomainError("冲突涉及的记录在本机已不存在", code="conflict_row_gone")
    value = conflict.local_value if choice == "desk" else conflict.hub_value
    setattr(
        row,
        conflict.field,
        to_columns(conflict.entity, {conflict.field: value}).get(conflict.field),
    )
    session.add(row)
    if choice == "desk":  # sent again, as of the hub version the person saw
        record_change(session, row, {conflict.field: value}, base_version=conflict.hub_version or 0)
    else:
        take_from_hub(session, row)


def unreported(session: Session) -> list[SyncConflict]:
    stmt = select(SyncConflict).where(
        col(SyncConflict.reported) == False, col(SyncConflict.resolved_at).is_not(None)
    )
    return list(session.scalars(stmt))
