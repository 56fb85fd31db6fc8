"""Applying a desk's batch of ops: idempotent by op id, field-level merge, conflicts kept for a person.

Each op runs in its own savepoint, so a bad op is refused alone and the rest of the batch applies.
A field is a conflict only when someone else (another device) wrote it after the desk's base
version and the values differ; the hub value stays until a person resolves it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import Connection, insert, select, update

from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, utcnow
from agent_desk.server.db import HubDB, SeqCounter
from agent_desk.sync.protocol import (
    DESK_WRITABLE,
    PARENT_LINK,
    VILLAGE_SCOPED,
    FieldConflict,
    Op,
    OpResult,
    validate_fields,
)

log = logging.getLogger(__name__)


class Refusal(Exception):
    """An op the hub will not apply; the reason goes back to the desk, which quarantines it."""


@dataclass
class PushContext:
    conn: Connection
    seq: SeqCounter
    who: Principal
    now: datetime


def push_batch(db: HubDB, who: Principal, raw_ops: list[dict[str, Any]]) -> list[OpResult]:
    if not raw_ops:
        return []
    with db.sequenced() as seq:
        ctx = PushContext(seq.conn, seq, who, utcnow())
        return [_apply_raw(ctx, raw) for raw in raw_ops]


def _apply_raw(ctx: PushContext, raw: Any) -> OpResult:
    op_id = str(raw.get("op_id", "")) if isinstance(raw, dict) else ""
    try:
        op = Op.model_validate(raw)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        return OpResult(op_id=op_id[:64], status="refused", reason=f"格式错误 (malformed op): {where}")
    stored = ctx.conn.execute(select(t.applied_op.c.result).where(t.applied_op.c.op_id == op.op_id)).scalar()
    if stored is not None:
        return OpResult.model_validate(stored)  # a replay changes nothing
    try:
        with ctx.conn.begin_nested():
            result = _apply_op(ctx, op)
            ctx.conn.execute(insert(t.applied_op).values(op_id=op.op_id, user_id=ctx.who.user_id,
                                                         result=result.model_dump(), at=ctx.now))  # fmt: skip
        return result
    except Refusal as exc:
        return OpResult(op_id=op.op_id, status="refused", reason=str(exc))
    except Exception:
        log.exception("op %s (%s) failed", op.op_id, op.entity)
        return OpResult(op_id=op.op_id, status="refused", reason="乡镇服务器处理出错 (hub error)")


def _load(conn: Connection, entity: str, entity_id: str) -> Any:
    r = t.record.c
    return conn.execute(select(t.record).where(r.entity == entity, r.id == entity_id)).mappings().first()


def _apply_op(ctx: PushContext, op: Op) -> OpResult:
    if op.entity not in DESK_WRITABLE:
        raise Refusal(f"不能从代办端修改「{op.entity}」 (entity not writable from a desk)")
    rec = _load(ctx.conn, op.entity, op.entity_id)
    if op.op == "delete":
        return _delete(ctx, op, rec)
    if (problem := validate_fields(op.entity, op.fields, creating=rec is None)) is not None:
        raise Refusal(problem)
    return _create(ctx, op) if rec is None else _update(ctx, op, rec)


def _village_of(ctx: PushContext, entity: str, fields: dict[str, Any], creating: bool) -> str:
    """Scope comes from the record itself (or its parent on the hub), never from the desk's word."""
    if entity in VILLAGE_SCOPED:
        village = fields.get("village_id")
        if village is None and creating and ctx.who.villages is not None and len(ctx.who.villages) == 1:
            village = fields["village_id"] = next(iter(ctx.who.villages))
        if village is None:
            raise Refusal("记录没有所属村，无法上报 (record has no village)")
        return str(village)
    parent_entity, link = PARENT_LINK[entity]
    parent = _load(ctx.conn, parent_entity, str(fields.get(link)))
    if parent is None:
        raise Refusal(f"所属的{'办件' if parent_entity == 'case' else '委托人'}尚未上报 (parent {parent_entity} not on the hub)")
    return str(parent["village_id"])


def _check_scope(ctx: PushContext, *villages: str | None) -> None:
    if not all(ctx.who.can_see(v) for v in villages):
        raise Refusal("无权修改其他村的记录 (record outside your scope)")


def _log_change(ctx: PushContext, op: Op, seq: int, village: str | None, version: int,
                fields: dict[str, Any], deleted: bool = False) -> None:  # fmt: skip
    ctx.conn.execute(insert(t.change).values(
        seq=seq, entity=op.entity, entity_id=op.entity_id, village_id=village, version=version,
        op_id=op.op_id, user_id=ctx.who.user_id, device_id=ctx.who.device_id, fields=fields,
        deleted=deleted, at=ctx.now))  # fmt: skip


def _create(ctx: PushContext, op: Op) -> OpResult:
    fields = dict(op.fields)
    village = _village_of(ctx, op.entity, fields, creating=True)
    _check_scope(ctx, village)
    seq = ctx.seq.next()
    meta = {f: [1, ctx.who.device_id] for f in fields}
    ctx.conn.execute(insert(t.record).values(
        entity=op.entity, id=op.entity_id, village_id=village, version=1, deleted=False, seq=seq,
        fields=fields, field_meta=meta, updated_at=ctx.now))  # fmt: skip
    _log_change(ctx, op, seq, village, 1, fields)
    return OpResult(op_id=op.op_id, status="applied", version=1)


def _update(ctx: PushContext, op: Op, rec: Any) -> OpResult:
    _check_scope(ctx, rec["village_id"])
    if rec["deleted"]:
        return OpResult(op_id=op.op_id, status="applied", version=rec["version"], reason="记录已删除 (deleted)")
    hub_fields, meta = dict(rec["fields"]), dict(rec["field_meta"])
    changes, conflicts = _merge(ctx, op, rec, hub_fields, meta)
    status: Literal["applied", "conflict"] = "conflict" if conflicts else "applied"
    if not changes:
        return OpResult(op_id=op.op_id, status=status, version=rec["version"], conflicts=conflicts)
    merged = hub_fields | changes
    village = _village_of(ctx, op.entity, merged, creating=False)
    _check_scope(ctx, village)
    version, seq = rec["version"] + 1, ctx.seq.next()
    meta.update({f: [version, ctx.who.device_id] for f in changes})
    r = t.record.c
    ctx.conn.execute(update(t.record).where(r.entity == op.entity, r.id == op.entity_id).values(
        fields=merged, field_meta=meta, version=version, seq=seq, village_id=village, updated_at=ctx.now))  # fmt: skip
    _log_change(ctx, op, seq, village, version, changes)
    return OpResult(op_id=op.op_id, status=status, version=version, conflicts=conflicts)


def _merge(ctx: PushContext, op: Op, rec: Any, hub_fields: dict[str, Any],
           meta: dict[str, Any]) -> tuple[dict[str, Any], list[FieldConflict]]:  # fmt: skip
    changes: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name, value in op.fields.items():
        if name in hub_fields and hub_fields[name] == value:
            continue
        written_at, writer = meta.get(name, [0, None])
        if written_at > op.base_version and writer != ctx.who.device_id:
            conflicts.append(_record_conflict(ctx, op, rec, name, hub_fields.get(name), value))
        else:
            changes[name] = value
    return changes, conflicts


def _record_conflict(ctx: PushContext, op: Op, rec: Any, name: str, hub_value: Any, desk_value: Any) -> FieldConflict:
    conflict_id = uuid.uuid4().hex
    ctx.conn.execute(insert(t.conflict).values(
        id=conflict_id, entity=op.entity, entity_id=op.entity_id, village_id=rec["village_id"], field=name,
        hub_value=hub_value, desk_value=desk_value, base_version=op.base_version, hub_version=rec["version"],
        op_id=op.op_id, user_id=ctx.who.user_id, device_id=ctx.who.device_id, created_at=ctx.now))  # fmt: skip
    return FieldConflict(conflict_id=conflict_id, field=name, hub_value=hub_value, desk_value=desk_value,
                         hub_version=rec["version"])


def _delete(ctx: PushContext, op: Op, rec: Any) -> OpResult:
    if rec is None:
        return OpResult(op_id=op.op_id, status="applied", version=0)
    _check_scope(ctx, rec["village_id"])
    if rec["deleted"]:
        return OpResult(op_id=op.op_id, status="applied", version=rec["version"])
    version, seq = rec["version"] + 1, ctx.seq.next()
    r = t.record.c
    ctx.conn.execute(update(t.record).where(r.entity == op.entity, r.id == op.entity_id).values(
        deleted=True, version=version, seq=seq, updated_at=ctx.now))  # fmt: skip
    _log_change(ctx, op, seq, rec["village_id"], version, {}, deleted=True)
    return OpResult(op_id=op.op_id, status="applied", version=version)
