"""Write the outbox entry for a local change in the caller's transaction, so no change is lost."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, SQLModel

from agent_desk.store.models import OutboxEntry, utcnow

SKIP = {"version", "updated_at"}


def json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def record_change(
    session: Session, row: SQLModel, fields: dict[str, Any] | None = None, *, op: str = "upsert"
) -> OutboxEntry:
    """Queue ``row``'s changed fields (all fields when None) for the hub; the caller commits."""
    if fields is None:
        fields = {k: v for k, v in row.model_dump().items() if k not in SKIP | {"id"}}
    entry = OutboxEntry(
        entity=row.__tablename__,  # type: ignore[arg-type]
        entity_id=row.id,  # type: ignore[attr-defined]
        op=op,
        fields={k: json_value(v) for k, v in fields.items()},
        base_version=getattr(row, "version", 0),
    )
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()  # type: ignore[attr-defined]
    session.add(entry)
    return entry
