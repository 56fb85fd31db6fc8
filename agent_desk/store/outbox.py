"""The outbox: every change of a synced record is queued for the hub in the transaction that makes it.

Sessions opened by ``Database.session`` queue their changes themselves, in a ``before_flush`` hook
(as the audit trail does), so a forgotten call can never keep a change from the hub: new records go
as whole rows, changed ones with the fields that changed. Records are queued creates first (parents
before children), then updates, so a case's event reaches the hub before the case's new status.
``record_change`` remains for what the hook cannot see: a value re-sent unchanged (a conflict
resolved in the desk's favour) or a whole row to send again. A value the hub would refuse
(``protocol.values``) is refused here already, before anything is queued. Changes the hub made
(``take_from_hub``) are not queued back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session, SQLModel

from agent_desk.protocol.values import FIELDS, check_fields
from agent_desk.protocol.wire import DESK_WRITABLE
from agent_desk.store.models import OutboxEntry, utcnow

SKIP = {"version", "updated_at"}
QUEUES = "outbox"  # session.info flag: this session's flushes queue their synced changes
_FORCED = "outbox_forced"  # (entity, id) → fields named by record_change, sent even if unchanged
_LAST = "outbox_last"  # the last entry this transaction queued (a later change of the same row joins it)
_FROM_HUB = (
    "outbox_from_hub"  # (entity, id) of rows that took the hub's values: nothing to send back
)
ORDER = {entity: i for i, entity in enumerate(DESK_WRITABLE)}


def json_value(value: Any) -> Any:
    """Dates as ISO text; a naive datetime read back from SQLite is UTC (the desk stores UTC)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _entity(row: Any) -> str:
    return str(getattr(row, "__tablename__", ""))


def _whole(row: SQLModel) -> dict[str, Any]:
    return {k: v for k, v in row.model_dump().items() if k not in SKIP | {"id"}}


def record_change(
    session: Session,
    row: SQLModel,
    fields: dict[str, Any] | None = None,
    *,
    op: str = "upsert",
    base_version: int | None = None,
) -> None:
    """Queue ``row``'s ``fields`` (the whole row when None) even if unchanged; the caller commits.
    In a queuing session the entry is written at the next flush with the row's other changes."""
    if session.info.get(QUEUES):
        key = (_entity(row), str(row.id))  # type: ignore[attr-defined]
        slot = session.info.setdefault(_FORCED, {}).setdefault(
            key, {"row": row, "fields": {}, "whole": False}
        )
        slot["fields"].update(_whole(row) if fields is None else fields)
        slot["whole"] = slot["whole"] or fields is None
        slot["op"], slot["base"] = op, base_version
        return
    _write(
        session,
        row,
        _whole(row) if fields is None else fields,
        op=op,
        base_version=base_version,
        creating=fields is None,
    )


def take_from_hub(session: Session, row: SQLModel) -> None:
    """``row``'s pending changes are the hub's own values (a conflict resolved for the hub): not queued."""
    session.info.setdefault(_FROM_HUB, set()).add((_entity(row), str(row.id)))  # type: ignore[attr-defined]


def _write(
    session: Session,
    row: SQLModel,
    fields: dict[str, Any],
    *,
    op: str,
    base_version: int | None,
    creating: bool,
) -> None:
    entity = _entity(row)
    values = {k: json_value(v) for k, v in fields.items()}
    if entity in FIELDS and op == "upsert":
        current = None if creating else {k: json_value(v) for k, v in _whole(row).items()}
        check_fields(entity, {k: v for k, v in values.items() if k != "deleted"}, current=current)
    last = session.info.get(_LAST)
    if (
        last is not None
        and (last.entity, last.entity_id, last.op) == (entity, row.id, op)  # type: ignore[attr-defined]
        and op == "upsert"
    ):
        last.fields = {
            **last.fields,
            **values,
        }  # the same row again, nothing queued between: one op
        return
    base = getattr(row, "version", 0)
    entry = OutboxEntry(
        entity=entity,
        entity_id=row.id,  # type: ignore[attr-defined]
        op=op,
        fields=values,
        base_version=max(base, base_version or 0),
    )
    session.add(entry)
    session.info[_LAST] = entry
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()  # type: ignore[attr-defined]


def _changed_fields(row: Any) -> dict[str, Any]:
    state = inspect(row)
    return {a.key: a.value for a in state.attrs if a.key not in SKIP and a.history.has_changes()}


def _queue(session: Session, _ctx: Any, _instances: Any) -> None:
    if not session.info.get(QUEUES):
        return
    forced: dict[tuple[str, str], dict[str, Any]] = session.info.pop(_FORCED, {})
    from_hub: set[tuple[str, str]] = session.info.pop(_FROM_HUB, set())
    synced = [o for o in session.new if _entity(o) in ORDER]
    changed = [o for o in session.dirty if _entity(o) in ORDER and session.is_modified(o)]
    for row in sorted(synced, key=lambda o: ORDER[_entity(o)]):
        slot = forced.pop((_entity(row), str(row.id)), None)
        _write(session, row, _whole(row), op="upsert", base_version=_base(slot), creating=True)
    for row in sorted(changed, key=lambda o: ORDER[_entity(o)]):
        key = (_entity(row), str(row.id))
        slot = forced.pop(key, None)
        fields = {} if key in from_hub else _changed_fields(row)
        if slot is not None:
            fields |= slot["fields"]
        if fields:
            _write(
                session,
                row,
                fields,
                op=slot["op"] if slot else "upsert",
                base_version=_base(slot),
                creating=bool(slot and slot["whole"]),
            )
    for slot in forced.values():  # named by record_change, unchanged since: sent as asked
        _write(
            session,
            slot["row"],
            slot["fields"],
            op=slot["op"],
            base_version=slot["base"],
            creating=slot["whole"],
        )


def _base(slot: dict[str, Any] | None) -> int | None:
    return None if slot is None else slot["base"]


def install() -> None:
    """Hook every SQLAlchemy session once; only sessions marked ``info['outbox']`` queue changes."""
    from sqlalchemy.orm import Session as OrmSession

    if not event.contains(OrmSession, "before_flush", _queue):
        event.listen(OrmSession, "before_flush", _queue)
        event.listen(OrmSession, "after_commit", _forget_last)
        event.listen(OrmSession, "after_rollback", _forget_last)


def _forget_last(session: Session, *_args: Any) -> None:
    session.info.pop(_LAST, None)
