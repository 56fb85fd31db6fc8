"""Wire protocol shared by the desk and the hub: one definition, so the two cannot drift apart.

Field names and types come from the desk's own tables, so the hub can refuse a malformed op
precisely without a second copy of the schema.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, Table, TypeDecorator

from agent_desk.core.audit_chain import canonical
from agent_desk.store import models as desk_models

API_PREFIX = "/api/v1"
MAX_BATCH = 500
MAX_PAGE = 5000
MAX_TEXT = 10_000
MAX_AUDIT_BATCH = 5000
MAX_SEQ = 2**62  # within a signed 64-bit column on either database
HASH_PATTERN = r"^[0-9a-f]{64}$"
ID_RE = re.compile(r"^[0-9a-f]{32}$")
SKIPPED = frozenset({"id", "version", "deleted", "updated_at"})
# Entities the hub owns (desks only read them) and entities desks write, in parent-first order.
HUB_OWNED = ("village", "desk_user")
DESK_WRITABLE = ("household", "client", "client_document", "case", "case_document", "case_event")
SYNCED_ENTITIES = HUB_OWNED + DESK_WRITABLE
PARENT_LINK = {"case_event": ("case", "case_id"), "case_document": ("case", "case_id"),
               "client_document": ("client", "client_id")}  # fmt: skip
VILLAGE_SCOPED = ("household", "client", "case")
CHILD_LINKS: dict[str, list[tuple[str, str]]] = {}  # parent entity → [(child entity, link field)]
for _child, (_parent, _link) in PARENT_LINK.items():
    CHILD_LINKS.setdefault(_parent, []).append((_child, _link))


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str | None = Field(default=None, pattern=ID_RE.pattern)
    device_name: str = Field(default="", max_length=100)


class UserInfo(BaseModel):
    id: str
    username: str
    display_name: str
    role: Literal["agent", "reviewer", "admin"]
    village_ids: list[str] = []
    township_code: str | None = None


class LoginResponse(BaseModel):
    token: str
    device_id: str
    user: UserInfo


class Op(BaseModel):
    """One local change; ``fields`` holds only what changed, ``base_version`` what the desk had seen."""

    op_id: str = Field(pattern=ID_RE.pattern)
    entity: str
    entity_id: str = Field(pattern=ID_RE.pattern)
    op: Literal["upsert", "delete"] = "upsert"
    fields: dict[str, Any] = {}
    base_version: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _tombstone_flag(self) -> Op:
        """Desks may carry ``deleted`` among the fields (a full-row snapshot); True means delete."""
        if self.fields.pop("deleted", False) is True:
            self.op = "delete"
        return self


class PushRequest(BaseModel):
    ops: list[dict[str, Any]] = Field(max_length=MAX_BATCH)  # validated one by one, refused alone


class FieldConflict(BaseModel):
    conflict_id: str
    field: str
    hub_value: Any = None
    desk_value: Any = None
    hub_version: int = 0


class OpResult(BaseModel):
    op_id: str
    status: Literal["applied", "conflict", "refused"]
    version: int | None = None
    reason: str | None = None
    conflicts: list[FieldConflict] = []
    filled: dict[str, Any] = {}  # fields the hub set itself (the agent's only village on a create without one)


class PushResponse(BaseModel):
    results: list[OpResult]


class Change(BaseModel):
    seq: int
    entity: str
    id: str
    version: int
    deleted: bool = False
    fields: dict[str, Any] = {}
    # The record left the caller's villages (moved elsewhere): the desk drops its copy and children.
    # Sent as a version-0 tombstone, so a desk that ignores this field skips the entry harmlessly.
    left_scope: bool = False


class PullResponse(BaseModel):
    changes: list[Change]
    cursor: int
    more: bool
    # On the last page: kind → {"version", "sha256"} of the latest publications, so a sync with
    # nothing to do needs no second request. None from a hub that does not send it.
    publications: dict[str, dict[str, Any]] | None = None


class ResolveRequest(BaseModel):
    conflict_ids: list[str] = Field(max_length=MAX_BATCH)
    resolution: Literal["desk", "hub"] = "hub"


class UploadStatus(BaseModel):
    sha256: str
    offset: int
    complete: bool
    size: int | None = None


class PublicationInfo(BaseModel):
    kind: str
    version: int
    sha256: str
    size: int
    files: list[dict[str, Any]] = []


class AuditEntryWire(BaseModel):
    """One link of a desk's audit chain as it travels (store/audit.py writes it, the hub keeps it)."""

    seq: int = Field(ge=1, le=MAX_SEQ)
    at: str = Field(max_length=40)
    actor: str = Field(default="", max_length=200)
    action: str = Field(max_length=40)
    entity: str = Field(default="", max_length=64)
    entity_id: str = Field(default="", max_length=128)
    detail: dict[str, Any] = {}
    prev_hash: str = Field(pattern=HASH_PATTERN)
    hash: str = Field(pattern=HASH_PATTERN)

    @model_validator(mode="after")
    def _storable(self) -> AuditEntryWire:
        """Text a database column cannot hold (NUL, lone surrogates) is malformed, not a 500."""
        if any("\x00" in value for value in (self.at, self.actor, self.action, self.entity, self.entity_id)):
            raise ValueError("text with a NUL character")
        try:
            canonical(self.model_dump())
        except (UnicodeEncodeError, ValueError, TypeError, RecursionError) as exc:
            raise ValueError("detail is not storable JSON") from exc
        return self


class AuditAppendRequest(BaseModel):
    """The next slice of the caller's own device's chain; there is no device to name (extra keys refused)."""

    model_config = ConfigDict(extra="forbid")
    entries: list[AuditEntryWire] = Field(max_length=MAX_AUDIT_BATCH)


class AuditAppendResponse(BaseModel):
    held_seq: int  # the last seq the hub holds for this device
    stored: int  # entries of this slice it had not held before
    intact: bool  # False once the hub has refused a broken link of this device's chain


class ErrorDetail(BaseModel):
    code: str
    message: str


@cache
def entity_table(entity: str) -> Table:
    if entity not in SYNCED_ENTITIES:
        raise KeyError(entity)
    table = desk_models.SQLModel.metadata.tables[entity]
    return table


@cache
def entity_model(entity: str) -> type[desk_models.SQLModel]:
    for mapper in desk_models.SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
        if getattr(mapper.class_, "__tablename__", None) == entity:
            return mapper.class_  # type: ignore[no-any-return]
    raise KeyError(entity)


@cache
def entity_fields(entity: str) -> dict[str, Any]:
    """Column name → SQL type for the fields an op may carry."""
    return {c.name: _base_type(c.type) for c in entity_table(entity).columns if c.name not in SKIPPED}


def _base_type(sql_type: Any) -> Any:
    """The underlying type of a decorated one (SQLModel's UTCDateTime is a DateTime underneath)."""
    return sql_type.impl_instance if isinstance(sql_type, TypeDecorator) else sql_type


@cache
def required_on_create(entity: str) -> frozenset[str]:
    model = entity_model(entity)
    return frozenset(n for n, f in model.model_fields.items() if f.is_required() and n not in SKIPPED)


def _type_error(name: str, sql_type: Any, value: Any) -> str | None:
    if value is None or isinstance(sql_type, JSON):
        return None
    if isinstance(sql_type, Boolean):
        return None if isinstance(value, bool) else f"{name}: 应为布尔值 (expected boolean)"
    if isinstance(sql_type, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"{name}: 应为整数 (expected integer)"
    if not isinstance(value, str):
        return f"{name}: 应为文本 (expected text)"
    if len(value) > MAX_TEXT:
        return f"{name}: 文本过长 (too long)"
    parser = {Date: date.fromisoformat, DateTime: datetime.fromisoformat}.get(type(sql_type))
    if parser is not None:
        try:
            parser(value)
        except ValueError:
            return f"{name}: 日期格式错误 (bad date)"
    return None


def validate_fields(entity: str, fields: dict[str, Any], *, creating: bool) -> str | None:
    """Why an op's fields are malformed, or None; the hub refuses such an op alone."""
    if entity not in DESK_WRITABLE:
        return f"不能从代办端修改「{entity}」 (entity not writable from a desk)"
    known = entity_fields(entity)
    unknown = sorted(set(fields) - set(known))
    if unknown:
        return f"未知字段 (unknown fields): {', '.join(unknown[:5])}"
    for name, value in fields.items():
        if (problem := _type_error(name, known[name], value)) is not None:
            return problem
    missing = sorted(required_on_create(entity) - set(fields)) if creating else []
    return f"新建记录缺少字段 (missing fields): {', '.join(missing)}" if missing else None
