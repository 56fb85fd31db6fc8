"""Bulk inserts for seeding and initial pulls: core executemany, no ORM objects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from agent_desk.store.audit import record_bulk

CHUNK = 5000


def bulk_insert(session: Session, model: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert plain dict rows in chunks; returns how many were written. The caller commits."""
    table = model.__table__  # type: ignore[attr-defined]
    batch: list[Mapping[str, Any]] = []
    total = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            session.execute(insert(table), batch)
            total += len(batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)
        total += len(batch)
    record_bulk(session, table.name, total)
    return total
