"""Bulk inserts for seeding and initial pulls: plain rows straight to the driver's executemany.

SQLAlchemy's per-row bind processing was a third of seeding the benchmark dataset, so values are
converted once here, column by column, into exactly what SQLAlchemy itself stores in SQLite
(datetimes in UTC as ``YYYY-MM-DD HH:MM:SS.ffffff``, dates ISO, JSON as text, booleans 0/1).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table
from sqlmodel import Session, SQLModel

CHUNK = 5000


def db_datetime(value: datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (UTC, no offset)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _converter(column: Any) -> Callable[[Any], Any] | None:
    kind = column.type
    if isinstance(kind, DateTime) or getattr(kind, "impl", None).__class__ is DateTime:
        return lambda v: None if v is None else db_datetime(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else (v if isinstance(v, str) else date.isoformat(v))
    if isinstance(kind, JSON):
        return lambda v: json.dumps(v, ensure_ascii=False)
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else int(bool(v))
    return None


@functools.lru_cache(maxsize=256)
def row_converters(
    table: Table, names: tuple[str, ...]
) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function turning a dict row of Python values into the driver's tuple for ``names``."""
    pairs = [(n, _converter(table.columns[n])) for n in names]
    plain = all(f is None for _n, f in pairs)
    if plain:
        return lambda row: tuple(row[n] for n in names)
    return lambda row: tuple(row[n] if f is None else f(row[n]) for n, f in pairs)


def bulk_insert(session: Session, model: type[SQLModel], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert plain dict rows in chunks; returns how many were written. The caller commits."""
    table = model.__table__  # type: ignore[attr-defined]
    names: list[str] = []
    convert: list[Callable[[Any], Any] | None] = []
    sql = ""
    batch: list[tuple[Any, ...]] = []
    total = 0
    connection = session.connection()
    for row in rows:
        if not names:
            names = [c.name for c in table.columns if c.name in row]
            convert = [_converter(table.columns[n]) for n in names]
            quoted = ", ".join(f'"{n}"' for n in names)
            sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
        batch.append(
            tuple(row[n] if f is None else f(row[n]) for n, f in zip(names, convert, strict=True))
        )
        if len(batch) >= CHUNK:
            connection.exec_driver_sql(sql, batch)
            total += len(batch)
            batch = []
    if batch:
        connection.exec_driver_sql(sql, batch)
        total += len(batch)
    return total
