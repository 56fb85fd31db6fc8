"""`agent-desk server check-records`: the records a hub accepted before it checked every op, judged
by today's rules (``protocol.values``), and with ``--fix`` repaired where a safe repair exists.

Repairs: characters no desk can store are removed, text is cut to its limit, a datetime without a
time zone is read as UTC, any other bad value of an optional field is cleared. A required field
that cannot be repaired tombstones the record; an invalid ID number is only listed (a person must
check the paper). Each repair is a new version in the feed, so every desk receives it, and a row in
``hub_repair`` (field, old and new value, the change's seq).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from agent_desk.protocol import DESK_WRITABLE
from agent_desk.protocol.values import FIELDS, BadValue, check_fields, field_problem
from agent_desk.server import tables as t
from agent_desk.server.auth import utcnow
from agent_desk.server.db import HubDB, SeqCounter

PAGE = 2000
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
TOMBSTONE = object()


@dataclass(frozen=True)
class Finding:
    entity: str
    entity_id: str
    village_id: str | None
    field: str
    problem: str
    repair: Any = None  # the new value, TOMBSTONE, or None with ``fixable`` False
    fixable: bool = True


def _records(conn: Connection) -> Iterator[Any]:
    r, after = t.record.c, -1
    while True:
        stmt = (
            select(r.entity, r.id, r.village_id, r.seq, r.fields)
            .where(r.seq > after, r.deleted == False)  # noqa: E712
            .where(r.entity.in_(DESK_WRITABLE))
            .order_by(r.seq)
            .limit(PAGE)
        )
        rows = conn.execute(stmt).all()
        yield from rows
        if len(rows) < PAGE:
            return
        after = rows[-1].seq


def _repair(entity: str, name: str, value: Any) -> Any:
    rule = FIELDS[entity].get(name)
    if rule is None:
        return TOMBSTONE
    if isinstance(value, str) and rule.kind == "text":
        return _BAD_TEXT.sub("", value)[: rule.max_len]
    if isinstance(value, str) and rule.kind == "datetime":
        try:
            moment = datetime.fromisoformat(_BAD_TEXT.sub("", value))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            return moment.isoformat() + "+00:00"
    return None if rule.nullable else TOMBSTONE


def record_findings(
    entity: str, record_id: str, village: str | None, fields: dict[str, Any]
) -> list[Finding]:
    found = []
    for name, value in fields.items():
        if name in FIELDS[entity] and (problem := field_problem(entity, name, value)) is not None:
            found.append(
                Finding(entity, record_id, village, name, problem, _repair(entity, name, value))
            )
    if not found:
        try:
            check_fields(entity, fields)
        except BadValue as exc:
            fixable = exc.field not in ("id_number",)
            found.append(
                Finding(entity, record_id, village, exc.field or "", str(exc), TOMBSTONE, fixable)
            )
    return found


def find(db: HubDB) -> list[Finding]:
    with db.reading() as conn:
        return [
            f
            for row in _records(conn)
            for f in record_findings(row.entity, row.id, row.village_id, dict(row.fields))
        ]


def fix(db: HubDB, findings: list[Finding]) -> int:
    """Apply the repairs, one feed change per record; returns how many records changed."""
    by_record: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.fixable:
            by_record.setdefault((finding.entity, finding.entity_id), []).append(finding)
    with db.sequenced() as seq:
        for (entity, record_id), found in by_record.items():
            _fix_record(seq, entity, record_id, found)
    return len(by_record)


def _fix_record(seq: SeqCounter, entity: str, record_id: str, found: list[Finding]) -> None:
    r, conn = t.record.c, seq.conn
    row = (
        conn.execute(select(t.record).where(r.entity == entity, r.id == record_id)).mappings().one()
    )
    tombstone = any(f.repair is TOMBSTONE for f in found)
    changes = {} if tombstone else {f.field: f.repair for f in found}
    number, now, version = seq.next(), utcnow(), row["version"] + 1
    values = {
        "version": version,
        "seq": number,
        "updated_at": now,
        "deleted": tombstone or row["deleted"],
        "fields": dict(row["fields"]) | changes,
    }
    conn.execute(update(t.record).where(r.entity == entity, r.id == record_id).values(**values))
    conn.execute(
        insert(t.change).values(
            seq=number,
            entity=entity,
            entity_id=record_id,
            village_id=row["village_id"],
            version=version,
            fields=changes,
            deleted=values["deleted"],
            at=now,
        )
    )
    conn.execute(
        insert(t.repair),
        [
            {
                "at": now,
                "entity": entity,
                "entity_id": record_id,
                "field": f.field,
                "problem": f.problem[:500],
                "old_value": _text(row["fields"].get(f.field)),
                "new_value": "(删除记录)" if tombstone else _text(f.repair),
                "seq": number,
            }
            for f in found
        ],
    )


def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, default=str)[:1000]
