"""Applying a desk's batch of ops: idempotent by op id, field-level merge, conflicts kept for a person.

A batch costs a fixed handful of statements, not a few per op: its target records are read (and
row-locked on PostgreSQL) in one query, its op ids checked in one, the ops are merged in memory
in order, and then one range of sequence numbers is allocated under the hub's sequence lock and the
records, change log, conflicts and op results are written in bulk. Each op is staged on copies and
kept only if it succeeds, so a bad op is refused alone and the rest of the batch applies.
A field is a conflict only when someone else (another device) wrote it after the desk's base
version and the values differ; the hub value stays until a person resolves it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update

from agent_desk.core.errors import DomainError
from agent_desk.protocol import (
    CHILD_LINKS,
    DESK_WRITABLE,
    PARENT_LINK,
    VILLAGE_SCOPED,
    FieldConflict,
    Op,
    OpResult,
)
from agent_desk.protocol.roles import DERIVED, check_write
from agent_desk.protocol.steps import case_effects
from agent_desk.protocol.values import LABELS, check_fields, check_values
from agent_desk.server import identity
from agent_desk.server import tables as t
from agent_desk.server.attachments import NOT_YOURS_ZH, may_reference
from agent_desk.server.auth import Principal, utcnow
from agent_desk.server.authority import order_steps, stamp
from agent_desk.server.db import HubDB, SeqCounter
from agent_desk.server.departures import children_of, departure_rows

log = logging.getLogger(__name__)
Key = tuple[str, str]  # (entity, id)


class Refusal(Exception):
    """An op the hub will not apply; the reason goes back to the desk, which quarantines it."""


@dataclass
class _Rec:
    """A record as this batch sees it; ``seq`` is an index into the batch's change list until written."""

    entity: str
    id: str
    village_id: str | None
    version: int
    deleted: bool
    fields: dict[str, Any]
    field_meta: dict[str, Any]
    seq: int = -1
    in_db: bool = True
    dirty: bool = False


@dataclass
class _Staged:
    """What one op wants to write; merged into the batch only when the op succeeds."""

    records: list[_Rec] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    left: dict[int, str] = field(default_factory=dict)  # change index → the village its record left
    identities: dict[identity.Key, str] = field(
        default_factory=dict
    )  # number → client, decided by this op
    aliases: list[dict[str, Any]] = field(
        default_factory=list
    )  # a desk's copy merged into a hub record


class _Batch:
    def __init__(self, conn: Connection, who: Principal, now: datetime) -> None:
        self.conn, self.who, self.now = conn, who, now
        self.records: dict[Key, _Rec | None] = {}
        self.changes: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.applied: list[dict[str, Any]] = []
        self.left: dict[int, str] = {}
        self.results: dict[str, tuple[str, OpResult]] = {}  # op id → (author, stored result)
        self.identities: dict[identity.Key, str] = {}  # as loaded, then as this batch decided
        self.new_identities: dict[identity.Key, str] = {}
        self.aliases: dict[str, str] = {}  # a merged desk copy's client id → the hub's record
        self.new_aliases: list[dict[str, Any]] = []
        self._townships: dict[str, str] | None = None

    def township(self, village_id: str | None) -> str | None:
        if self._townships is None:
            self._townships = identity.village_townships(self.conn)
        return self._townships.get(village_id or "")

    def identity_key(self, fields: dict[str, Any], village_id: str | None) -> identity.Key | None:
        """Townships are read only when a client carries a number (most pushes carry none)."""
        if identity.normalised_number(fields) is None:
            return None
        return identity.identity_key(self.township(village_id), fields)

    def resolve_aliases(self, ops: list[Op]) -> None:
        """Ops naming a desk copy that was merged into a hub record name that record instead."""
        ids = {op.entity_id for op in ops if op.entity == "client"}
        ids |= {
            str(op.fields[ref])
            for op in ops
            if (ref := identity.REFERENCES.get(op.entity)) in op.fields
        }
        self.aliases = identity.load_aliases(self.conn, ids)
        for op in ops:
            self.redirect(op)

    def redirect(self, op: Op) -> None:
        if op.entity == "client" and op.entity_id in self.aliases and op.op == "upsert":
            op.fields.pop("id_number", None)  # the hub's record keeps its own number
        ref = identity.REFERENCES.get(op.entity)
        if ref is not None and op.fields.get(ref) in self.aliases:
            op.fields[ref] = self.aliases[op.fields[ref]]

    # reading ---------------------------------------------------------------------------
    def load(self, keys: set[Key], *, lock: bool) -> None:
        missing = sorted(k for k in keys if k not in self.records)
        if not missing:
            return
        r = t.record.c
        by_entity: dict[str, list[str]] = {}
        for entity, entity_id in missing:
            by_entity.setdefault(entity, []).append(entity_id)
        stmt = select(t.record).where(
            or_(*(and_(r.entity == e, r.id.in_(ids)) for e, ids in by_entity.items()))
        )
        if (
            lock
        ):  # row locks in key order: concurrent pushes of the same records queue, never deadlock
            stmt = stmt.order_by(r.entity, r.id).with_for_update()
        for key in missing:
            self.records[key] = None
        for row in self.conn.execute(stmt).mappings():
            self.records[(row["entity"], row["id"])] = _Rec(
                row["entity"],
                row["id"],
                row["village_id"],
                row["version"],
                row["deleted"],
                dict(row["fields"]),
                dict(row["field_meta"]),
                row["seq"],
            )

    def get(self, entity: str, entity_id: str) -> _Rec | None:
        if (entity, entity_id) not in self.records:
            self.load({(entity, entity_id)}, lock=False)
        return self.records[(entity, entity_id)]

    def load_results(self, op_ids: list[str]) -> None:
        c = t.applied_op.c
        stmt = select(c.op_id, c.user_id, c.result).where(c.op_id.in_(op_ids))
        for op_id, user_id, result in self.conn.execute(stmt):
            self.results[op_id] = (user_id, OpResult.model_validate(result))

    # staging -----------------------------------------------------------------------------
    def keep(self, op: Op, result: OpResult, staged: _Staged) -> None:
        base = len(self.changes)
        for rec in staged.records:
            rec.seq += base
            rec.dirty = True
            self.records[(rec.entity, rec.id)] = rec
        for change in staged.changes:
            change["seq"] += base
        self.changes += staged.changes
        self.left.update({index + base: village for index, village in staged.left.items()})
        self.conflicts += staged.conflicts
        self.identities |= staged.identities
        self.new_identities |= staged.identities
        self.new_aliases += staged.aliases
        self.aliases |= {a["alias_id"]: a["target_id"] for a in staged.aliases}
        self.applied.append(
            {
                "op_id": op.op_id,
                "user_id": self.who.user_id,
                "result": result.model_dump(),
                "at": self.now,
            }
        )
        self.results[op.op_id] = (self.who.user_id, result)

    # writing -----------------------------------------------------------------------------
    def write(self, seq: SeqCounter) -> None:
        """Write everything in bulk. What needs no sequence number goes first: the hub lock, taken by
        allocating the batch's range, is then held only for the records and the change log."""
        if self.conflicts:
            self.conn.execute(insert(t.conflict), self.conflicts)
        if self.applied:
            self.conn.execute(insert(t.applied_op), self.applied)
        identity.write(self.conn, self.new_identities, self.new_aliases, self.now)
        if self.changes:
            first = seq.take(len(self.changes))
            for change in self.changes:
                change["seq"] += first
            dirty = [rec for rec in self.records.values() if rec is not None and rec.dirty]
            rows = [
                {
                    "entity": rec.entity,
                    "id": rec.id,
                    "village_id": rec.village_id,
                    "version": rec.version,
                    "deleted": rec.deleted,
                    "seq": rec.seq + first,
                    "fields": rec.fields,
                    "field_meta": rec.field_meta,
                    "updated_at": self.now,
                }
                for rec in dirty
            ]
            new = [row for row, rec in zip(rows, dirty, strict=True) if not rec.in_db]
            known = [row for row, rec in zip(rows, dirty, strict=True) if rec.in_db]
            if new:
                self.conn.execute(insert(t.record), new)
            if known:
                r = t.record.c
                stmt = update(t.record).where(
                    r.entity == bindparam("k_entity"), r.id == bindparam("k_id")
                )
                self.conn.execute(
                    stmt,
                    [
                        {"k_entity": row.pop("entity"), "k_id": row.pop("id"), **row}
                        for row in known
                    ],
                )
            self.conn.execute(insert(t.change), self.changes)
            if self.left:
                self.conn.execute(insert(t.departure), departure_rows(self.changes, self.left))


def push_batch(db: HubDB, who: Principal, raw_ops: list[dict[str, Any]]) -> list[OpResult]:
    return push_group(db, [(who, raw_ops)])[0]


def push_group(
    db: HubDB, pushes: list[tuple[Principal, list[dict[str, Any]]]]
) -> list[list[OpResult]]:
    """Apply several desks' pushes in one transaction, in order, each op under its own pusher's
    rights: one row-lock read, one sequence range, one bulk write and one commit for all of them
    (see group_commit.py). The results are exactly those of applying the pushes one after another."""
    parsed = [[_parse(raw) for raw in raw_ops] for _who, raw_ops in pushes]
    ops = [p for group in parsed for p in group if isinstance(p, Op)]
    if not ops:
        return [[p for p in group if isinstance(p, OpResult)] for group in parsed]
    with db.sequenced(lock_late=True) as seq:
        batch = _Batch(seq.conn, pushes[0][0], utcnow())
        batch.resolve_aliases(ops)
        targets = {(op.entity, op.entity_id) for op in ops if op.entity in DESK_WRITABLE}
        batch.load(targets, lock=True)
        parents = {
            (PARENT_LINK[op.entity][0], str(op.fields[PARENT_LINK[op.entity][1]]))
            for op in ops
            if op.entity in PARENT_LINK and PARENT_LINK[op.entity][1] in op.fields
        }
        batch.load(parents, lock=False)
        batch.load_results(sorted({op.op_id for op in ops}))
        keys = [
            batch.identity_key(op.fields, op.fields.get("village_id"))
            for op in ops
            if op.entity == "client"
        ]
        batch.identities = identity.load_identities(seq.conn, [k for k in keys if k is not None])
        results = []
        for (who, _raw), group in zip(pushes, parsed, strict=True):
            batch.who = who
            results.append(
                [p if isinstance(p, OpResult) else _apply_one(batch, p) for p in order_steps(group)]
            )
        batch.write(seq)
    return results


def _parse(raw: Any) -> Op | OpResult:
    op_id = str(raw.get("op_id", "")) if isinstance(raw, dict) else ""
    try:
        op = Op.model_validate(raw)
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        return OpResult(
            op_id=_printable(op_id[:64]),
            status="refused",
            reason=f"格式错误 (malformed op): {where}",
        )
    problem = _value_problem(op)
    return op if problem is None else OpResult(op_id=op.op_id, status="refused", reason=problem)


def _value_problem(op: Op) -> str | None:
    """Values checked before anything reads them (the batch's look-ups use them as keys): an op with
    one value no desk can store is refused alone, before it touches the database."""
    if op.entity not in DESK_WRITABLE:
        return f"不能从代办端修改「{op.entity[:40]}」 (entity not writable from a desk)"
    try:
        check_values(op.entity, op.fields)
    except DomainError as exc:
        return exc.bilingual()
    return None


def _printable(text: str) -> str:
    """An op id echoed back: only what every JSON reader and database can hold."""
    return "".join(ch for ch in text if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)


def _apply_one(batch: _Batch, op: Op) -> OpResult:
    stored = batch.results.get(op.op_id)
    if stored is not None:
        if (
            stored[0] != batch.who.user_id
        ):  # op ids belong to their author: never someone else's replay
            return OpResult(
                op_id=op.op_id,
                status="refused",
                reason="操作编号已被其他用户使用，本次修改未上报 (op id taken)",
            )
        return stored[1]  # a replay changes nothing
    staged = _Staged()
    try:
        result = _apply_op(batch, op, staged)
    except (Refusal, DomainError) as exc:
        why = exc.bilingual() if isinstance(exc, DomainError) else str(exc)
        return OpResult(op_id=op.op_id, status="refused", reason=why)
    except Exception:
        log.exception("op %s (%s) failed", op.op_id, op.entity)
        return OpResult(op_id=op.op_id, status="refused", reason="乡镇服务器处理出错 (hub error)")
    batch.keep(op, result, staged)
    return result


def _apply_op(batch: _Batch, op: Op, staged: _Staged) -> OpResult:
    if op.entity not in DESK_WRITABLE:
        raise Refusal(f"不能从代办端修改「{op.entity}」 (entity not writable from a desk)")
    rec = batch.get(op.entity, op.entity_id)
    if op.base_version > (rec.version if rec is not None else 0):
        raise Refusal(
            f"基础版本 {op.base_version} 高于乡镇服务器上的版本，本次修改未上报 (base version ahead of the hub)"
        )
    check_write(
        batch.who.role, op.entity, op.op, op.fields, exists=rec is not None and not rec.deleted
    )
    if op.op == "delete":
        return _delete(batch, op, rec, staged)
    filled = stamp(op, batch.who, batch.now, creating=rec is None)
    check_fields(op.entity, op.fields, current=None if rec is None else rec.fields)
    _check_derived(op, rec)
    _check_scan(batch, op, rec)
    _check_links(batch, op)
    if op.entity == "case_event":
        _apply_event_effects(batch, op, staged)
    result = _create(batch, op, staged) if rec is None else _update(batch, op, rec, staged)
    result.filled |= filled
    return result


def _check_scan(batch: _Batch, op: Op, rec: _Rec | None) -> None:
    """A scan is reached through records: a document may name one its pusher uploaded or may read."""
    sha = op.fields.get("sha256")
    if (
        op.entity != "client_document"
        or sha is None
        or (rec is not None and rec.fields.get("sha256") == sha)
    ):
        return
    if not may_reference(batch.conn, batch.who, str(sha)):
        raise Refusal(NOT_YOURS_ZH)


# Links a desk may set to records other than a parent: each must name a record on the hub that the
# pusher may see, so a desk cannot hang its case on another village's request (一件事) or client.
LINKS = {
    ("case", "request_id"): ("request", "一件事"),
    ("request", "client_id"): ("client", "委托人"),
    ("client", "legal_rep_client_id"): ("client", "法定代表人"),
}


def _check_links(batch: _Batch, op: Op) -> None:
    for (entity, name), (target, label) in LINKS.items():
        value = op.fields.get(name) if op.entity == entity else None
        if value is None:
            continue
        linked = batch.get(target, str(value))
        if linked is None or linked.deleted:
            raise Refusal(f"所属的{label}尚未上报 ({target} not on the hub)")
        if not batch.who.can_see(linked.village_id):
            raise Refusal(f"不能关联其他村的{label} ({target} outside your scope)")


def _check_derived(op: Op, rec: _Rec | None) -> None:
    """A case's status and what follows from its steps change only through events: a desk may echo
    the hub's value, never set another one (a new case starts 委托 with none of them)."""
    derived = DERIVED.get(op.entity, frozenset())
    if not derived:
        return
    current = rec.fields if rec is not None else {"status": "entrusted", "returned_count": 0}
    for name in sorted(derived & set(op.fields)):
        if op.fields[name] != current.get(name):
            raise Refusal(
                f"办件的「{LABELS.get(name, name)}」只能通过办件步骤改变"
                f"（乡镇服务器上为 {current.get(name)!r}），本次修改未上报"
            )
        if rec is not None:
            del op.fields[name]
    if rec is None:
        op.fields |= {k: v for k, v in current.items() if k not in op.fields}


def _apply_event_effects(batch: _Batch, op: Op, staged: _Staged) -> None:
    """Check the event against the case's status on the hub and apply what follows from it to the case."""
    case = batch.get("case", str(op.fields.get("case_id")))
    if case is None or case.deleted:
        raise Refusal("所属的办件尚未上报 (parent case not on the hub)")
    _check_still_yours(batch, case)
    changes = case_effects(op.fields, case.fields)
    changes = {k: v for k, v in changes.items() if case.fields.get(k) != v}
    if not changes:
        return
    version = case.version + 1
    meta = dict(case.field_meta) | {f: [version, batch.who.device_id] for f in changes}
    new = replace(case, fields=case.fields | changes, field_meta=meta, version=version)
    _log_change(
        batch, staged, op.model_copy(update={"entity": "case", "entity_id": case.id}), new, changes
    )


def _village_of(batch: _Batch, entity: str, fields: dict[str, Any], creating: bool) -> str:
    """Scope comes from the record itself (or its parent on the hub), never from the desk's word."""
    who = batch.who
    if entity in VILLAGE_SCOPED:
        village = fields.get("village_id")
        if village is None and creating and who.villages is not None and len(who.villages) == 1:
            village = fields["village_id"] = next(iter(who.villages))
        if village is None:
            raise Refusal("记录没有所属村，无法上报 (record has no village)")
        return str(village)
    parent_entity, link = PARENT_LINK[entity]
    parent = batch.get(parent_entity, str(fields.get(link)))
    if parent is None:
        raise Refusal(
            f"所属的{'办件' if parent_entity == 'case' else '委托人'}尚未上报 (parent {parent_entity} not on the hub)"
        )
    return str(parent.village_id)


def _check_scope(batch: _Batch, *villages: str | None) -> None:
    if not all(batch.who.can_see(v) for v in villages):
        raise Refusal("无权修改其他村的记录 (record outside your scope)")


def _log_change(batch: _Batch, staged: _Staged, op: Op, rec: _Rec, fields: dict[str, Any]) -> None:
    """Stage the change-log row and give the record its (batch-relative) sequence number."""
    rec.seq = len(staged.changes)
    staged.records.append(rec)
    staged.changes.append(
        {
            "seq": rec.seq,
            "entity": op.entity,
            "entity_id": op.entity_id,
            "village_id": rec.village_id,
            "version": rec.version,
            "op_id": op.op_id,
            "user_id": batch.who.user_id,
            "device_id": batch.who.device_id,
            "fields": fields,
            "deleted": rec.deleted,
            "at": batch.now,
        }
    )


def _create(batch: _Batch, op: Op, staged: _Staged) -> OpResult:
    batch.redirect(op)  # an earlier op of this batch may have merged the client this one names
    fields = dict(op.fields)
    village = _village_of(batch, op.entity, fields, creating=True)
    _check_scope(batch, village)
    if (
        op.entity == "client"
        and (merged := _merge_duplicate(batch, op, fields, village, staged)) is not None
    ):
        return merged
    meta = {f: [1, batch.who.device_id] for f in fields}
    rec = _Rec(op.entity, op.entity_id, village, 1, False, fields, meta, in_db=False)
    _log_change(batch, staged, op, rec, fields)
    filled = {name: value for name, value in fields.items() if op.fields.get(name) != value}
    return OpResult(
        op_id=op.op_id, status="applied", version=1, filled=filled
    )  # the desk takes them over


def _update(batch: _Batch, op: Op, rec: _Rec, staged: _Staged) -> OpResult:
    _check_still_yours(batch, rec)
    if rec.deleted:
        return OpResult(
            op_id=op.op_id, status="applied", version=rec.version, reason="记录已删除 (deleted)"
        )
    hub_fields, meta = dict(rec.fields), dict(rec.field_meta)
    changes, conflicts = _merge(batch, op, rec, hub_fields, meta, staged)
    status: Literal["applied", "conflict"] = "conflict" if conflicts else "applied"
    if not changes:
        return OpResult(op_id=op.op_id, status=status, version=rec.version, conflicts=conflicts)
    merged = hub_fields | changes
    village = _village_of(batch, op.entity, merged, creating=False)
    _check_scope(batch, village)
    if op.entity == "client" and ("id_number" in changes or village != rec.village_id):
        _claim_number(batch, rec.id, merged, village, staged)
    version = rec.version + 1
    meta.update({f: [version, batch.who.device_id] for f in changes})
    new = replace(rec, fields=merged, field_meta=meta, version=version, village_id=village)
    _log_change(batch, staged, op, new, changes)
    if village != rec.village_id:
        _leave_village(batch, op, rec.village_id, new, staged)
    return OpResult(op_id=op.op_id, status=status, version=version, conflicts=conflicts)


def _merge(
    batch: _Batch,
    op: Op,
    rec: _Rec,
    hub_fields: dict[str, Any],
    meta: dict[str, Any],
    staged: _Staged,
) -> tuple[dict[str, Any], list[FieldConflict]]:
    changes: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name, value in op.fields.items():
        if name in hub_fields and hub_fields[name] == value:
            continue
        written_at, writer = meta.get(name, [0, None])
        if written_at > op.base_version and writer != batch.who.device_id:
            conflicts.append(
                _record_conflict(batch, op, rec, name, hub_fields.get(name), value, staged)
            )
        else:
            changes[name] = value
    return changes, conflicts


def _holder(batch: _Batch, key: identity.Key, client_id: str) -> _Rec | None:
    """The live client that holds ``key`` on the hub, other than ``client_id``."""
    owner = batch.identities.get(key)
    if owner is None or owner == client_id:
        return None
    rec = batch.get("client", owner)
    if rec is None or rec.deleted or identity.normalised_number(rec.fields) != key[1]:
        return None  # a stale entry: that client was deleted or renumbered
    return rec


def _claim_number(
    batch: _Batch, client_id: str, fields: dict[str, Any], village: str, staged: _Staged
) -> None:
    key = batch.identity_key(fields, village)
    if key is None:
        return
    if _holder(batch, key, client_id) is not None:
        raise Refusal(
            "该证件号码已属于本乡镇的另一位委托人，不能重复登记 (ID number belongs to another client)"
        )
    staged.identities[key] = client_id


def _merge_duplicate(
    batch: _Batch, op: Op, fields: dict[str, Any], village: str, staged: _Staged
) -> OpResult | None:
    """A person the hub already holds in this township: the desk's copy fills what the hub's record
    lacks and becomes an alias of it; the answer names the record, so the desk merges its copy."""
    key = batch.identity_key(fields, village)
    target = _holder(batch, key, op.entity_id) if key is not None else None
    if target is None:
        if key is not None:
            staged.identities[key] = op.entity_id
        return None
    if not batch.who.can_see(target.village_id):
        raise Refusal(
            "该证件号码已在本乡镇的其他村登记，请与乡镇核实后再办理 (registered in another village)"
        )
    fill = {
        k: v for k, v in fields.items() if target.fields.get(k) in (None, "") and k != "village_id"
    }
    version = (
        target.version + 1
    )  # a change even when nothing is filled: every desk re-reads the record
    meta = dict(target.field_meta) | {f: [version, batch.who.device_id] for f in fill}
    new = replace(target, fields=target.fields | fill, field_meta=meta, version=version)
    _log_change(batch, staged, op.model_copy(update={"entity_id": target.id}), new, fill)
    staged.aliases.append(
        {
            "entity": "client",
            "alias_id": op.entity_id,
            "target_id": target.id,
            "user_id": batch.who.user_id,
        }
    )
    return OpResult(op_id=op.op_id, status="applied", version=version, merged_into=target.id)


def _record_conflict(
    batch: _Batch, op: Op, rec: _Rec, name: str, hub_value: Any, desk_value: Any, staged: _Staged
) -> FieldConflict:
    conflict_id = uuid.uuid4().hex
    who = batch.who
    staged.conflicts.append(
        {
            "id": conflict_id,
            "entity": op.entity,
            "entity_id": op.entity_id,
            "village_id": rec.village_id,
            "field": name,
            "hub_value": hub_value,
            "desk_value": desk_value,
            "base_version": op.base_version,
            "hub_version": rec.version,
            "op_id": op.op_id,
            "user_id": who.user_id,
            "device_id": who.device_id,
            "created_at": batch.now,
            "resolved_at": None,
            "resolved_by": None,
            "resolution": None,
        }
    )
    return FieldConflict(
        conflict_id=conflict_id,
        field=name,
        hub_value=hub_value,
        desk_value=desk_value,
        hub_version=rec.version,
    )


def _delete(batch: _Batch, op: Op, rec: _Rec | None, staged: _Staged) -> OpResult:
    if rec is None:
        return OpResult(op_id=op.op_id, status="applied", version=0)
    _check_still_yours(batch, rec)
    if rec.deleted:
        return OpResult(op_id=op.op_id, status="applied", version=rec.version)
    new = replace(rec, deleted=True, version=rec.version + 1)
    _log_change(batch, staged, op, new, {})
    return OpResult(op_id=op.op_id, status="applied", version=new.version)


def _check_still_yours(batch: _Batch, rec: _Rec) -> None:
    """A desk changes only records it holds, so one outside the caller's villages has moved away."""
    if not batch.who.can_see(rec.village_id):
        raise Refusal(
            "无权修改：这条记录已不在您负责的村（可能已转到其他村），本机的这次修改没有上报 "
            "(record outside your scope)"
        )


def _leave_village(batch: _Batch, op: Op, old: str | None, moved: _Rec, staged: _Staged) -> None:
    """The record left ``old``: note the departure (at the seq of its change) and take its children
    along, each with a change of its own (same version, fields unchanged) so the new village's desks
    receive it; see departures.py."""
    if old is not None:
        staged.left[moved.seq] = old
    for child in _children(batch, moved, old):
        child = replace(child, village_id=moved.village_id, seq=len(staged.changes))
        staged.records.append(child)
        staged.changes.append(
            {
                "seq": child.seq,
                "entity": child.entity,
                "entity_id": child.id,
                "village_id": child.village_id,
                "version": child.version,
                "op_id": op.op_id,
                "user_id": batch.who.user_id,
                "device_id": batch.who.device_id,
                "fields": {},
                "deleted": child.deleted,
                "at": batch.now,
            }
        )


def _children(batch: _Batch, parent: _Rec, old: str | None) -> list[_Rec]:
    """The parent's children still in ``old``: from the hub (row-locked) and as this batch holds them."""
    for row in children_of(batch.conn, parent.entity, parent.id, old, lock=True):
        key = (row["entity"], row["id"])
        if batch.records.get(key) is None:
            batch.records[key] = _Rec(
                row["entity"],
                row["id"],
                row["village_id"],
                row["version"],
                row["deleted"],
                dict(row["fields"]),
                dict(row["field_meta"]),
                row["seq"],
            )
    links = dict(CHILD_LINKS.get(parent.entity, []))
    return [
        rec
        for (entity, _id), rec in batch.records.items()
        if rec is not None
        and entity in links
        and rec.fields.get(links[entity]) == parent.id
        and rec.village_id == old
    ]
