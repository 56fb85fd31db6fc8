"""Write the outbox entry for a local change in the caller's transaction, so no change is lost.

A value the hub would refuse (``protocol.values``) is refused here already, before anything is queued.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, SQLModel

from agent_desk.protocol.values import FIELDS, check_fields
from agent_desk.store.models import OutboxEntry, utcnow

SKIP = {"version", "updated_at"}


def json_value(value: Any) -> Any:
    """Dates as ISO text; a naive datetime read back from SQLite is UTC (the desk stores UTC)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def record_change(
    session: Session, row: SQLModel, fields: dict[str, Any] | None = None, *, op: str = "upsert"
) -> OutboxEntry:
    """Queue ``row``'s changed fields (all fields when None) for the hub; the caller commits."""
    whole = {k: v for k, v in row.model_dump().items() if k not in SKIP | {"id"}}
    entity = str(row.__tablename__)  # type: ignore[attr-defined]
    values = {k: json_value(v) for k, v in (whole if fields is None else fields).items()}
    if entity in FIELDS and op == "upsert":
        current = None if fields is None else {k: json_value(v) for k, v in whole.items()}
        check_fields(entity, {k: v for k, v in values.items() if k != "deleted"}, current=current)
    entry = OutboxEntry(
        entity=entity,
        entity_id=row.id,  # type: ignore[attr-defined]
        op=op,
        fields=values,
        base_version=getattr(row, "version", 0),
    )
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()  # type: ignore[attr-defined]
    session.add(entry)
    return entry
