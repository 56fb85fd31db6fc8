"""New records from the hub straight into the driver's executemany, as SQLAlchemy would store them.

A pull's new rows are most of an initial pull. Going wire value → Python value → SQLAlchemy's bind
processing → driver cost more than storing them, so each column gets one function from the wire's
JSON value to the stored value (store/bulk.py's formats: UTC datetimes as ``YYYY-MM-DD
HH:MM:SS.ffffff``, ISO dates, JSON as text, booleans 0/1). The values were judged before
(protocol.values); a value that still does not fit raises, and apply.py falls back to SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime
from sqlmodel import Session

from agent_desk.protocol import Change
from agent_desk.protocol.values import json_key
from agent_desk.store.bulk import row_converters
from agent_desk.store.models import utcnow
from agent_desk.store.search_keys import sort_key
from agent_desk.sync.tables import entity_fields, entity_model, entity_table

Convert = Callable[[Any], Any]


def _datetime(value: Any) -> Any:
    """A judged wire datetime as stored; the usual UTC forms by slicing, any other by parsing."""
    if not isinstance(value, str):
        return value
    if value.endswith("+00:00") and value[10:11] == "T":
        if len(value) == 25:  # 2026-11-02T08:00:00+00:00
            return f"{value[:10]} {value[11:19]}.000000"
        if len(value) == 32:  # 2026-11-02T08:00:00.123456+00:00
            return f"{value[:10]} {value[11:26]}"
    moment = datetime.fromisoformat(value)
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "microseconds")[:26]


def _date(value: Any) -> Any:
    """A judged wire date as stored: YYYY-MM-DD as it is, any other ISO form (a week date) parsed."""
    if not isinstance(value, str) or (value[4:5] == "-" and value[7:8] == "-"):
        return value
    return date.fromisoformat(value).isoformat()


_JSON_CACHE: dict[Any, str] = {}


def _json(value: Any) -> str:
    """JSON text; flat objects seen before (payload shapes repeat) are not dumped again."""
    if not value and type(value) is dict:
        return "{}"
    key = json_key(value)
    try:
        found = _JSON_CACHE.get(key) if key is not None else None
    except TypeError:
        key, found = None, None
    if found is None:
        found = json.dumps(value, ensure_ascii=False)
        if key is not None and len(_JSON_CACHE) < 4096:
            _JSON_CACHE[key] = found
    return found


def _bool(value: Any) -> Any:
    return None if value is None else int(bool(value))


def _wire_converter(sql_type: Any) -> Convert | None:
    if isinstance(sql_type, DateTime):
        return _datetime
    if isinstance(sql_type, Date):
        return _date
    if isinstance(sql_type, JSON):
        return _json
    if isinstance(sql_type, Boolean):
        return _bool
    return None


@cache
def stored_defaults(entity: str) -> dict[str, Any]:
    """The desk's default of every field a change may leave out, as stored (sort_key aside)."""
    model, known = entity_model(entity), entity_fields(entity)
    python = {
        n: f.get_default(call_default_factory=True)
        for n, f in model.model_fields.items()
        if n in known and not f.is_required() and n != "sort_key"
    }
    names = tuple(python)
    return dict(zip(names, row_converters(entity_table(entity), names)(python), strict=True))


@lru_cache(maxsize=64)
def _plan(
    entity: str, wire_names: tuple[str, ...]
) -> tuple[str, Callable[[Change, str], tuple[Any, ...]]]:
    """The INSERT for changes carrying ``wire_names`` and a function from a change to its row."""
    known, defaults = entity_fields(entity), stored_defaults(entity)
    wire = [n for n in wire_names if n in known and n != "sort_key"]
    fixed = [n for n in defaults if n not in wire]
    fixed_values = tuple(defaults[n] for n in fixed)
    client = entity == "client"
    names = [
        "id",
        "version",
        "deleted",
        "updated_at",
        *wire,
        *fixed,
        *(["sort_key"] if client else []),
    ]
    convert = [(i, f) for i, n in enumerate(wire) if (f := _wire_converter(known[n])) is not None]
    take = itemgetter(*wire) if wire else (lambda _f: ())
    single = len(wire) == 1
    quoted = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{entity_table(entity).name}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
    tail = (lambda f: (*fixed_values, _sort_key(f.get("name") or ""))) if client else None

    def row(change: Change, now: str) -> tuple[Any, ...]:
        fields = change.fields
        taken = take(fields)
        values = [taken] if single else list(taken)
        for i, f in convert:
            values[i] = f(values[i])
        return (
            change.id,
            change.version,
            0,
            now,
            *values,
            *(tail(fields) if tail else fixed_values),
        )

    return sql, row


@lru_cache(maxsize=65536)
def _sort_key(name: str) -> str:
    return sort_key(name)


def insert_new(session: Session, entity: str, changes: Sequence[Change]) -> None:
    """Insert these changes as new rows (grouped by the fields they carry: a hub may leave one out,
    which then keeps the desk's default)."""
    groups: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        groups.setdefault(tuple(change.fields), []).append(change)
    connection = session.connection()
    now = _datetime(utcnow().isoformat())
    for names, group in groups.items():
        sql, row = _plan(entity, names)
        connection.exec_driver_sql(sql, [row(change, now) for change in group])
