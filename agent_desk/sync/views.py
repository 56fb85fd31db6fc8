"""Read-only views of sync state for the UI: plain frozen dataclasses, no ORM objects cross threads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from agent_desk.protocol import SYNCED_ENTITIES
from agent_desk.store.models import OutboxEntry
from agent_desk.store.sync_state import SyncConflict, SyncLog, SyncSetAside
from agent_desk.sync.tables import entity_table

LABEL_COLUMN = {
    "client": "name",
    "case": "case_no",
    "request": "request_no",
    "household": "head_name",
    "case_document": "name",
    "client_document": "title",
    "case_event": "action",
    "village": "name",
    "desk_user": "display_name",
}


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    hub_url: str
    username: str
    logged_in: bool
    keyring_problem: str | None  # why the password is asked every session, or None
    pending: int
    inflight: int
    quarantined: int
    open_conflicts: int
    cursor: int
    running: bool
    last_sync_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    audit_unsent: int  # audit entries the hub has not acknowledged yet
    audit_problem: str | None  # why the hub refused this desk's audit chain
    set_aside: int = 0  # changes from the hub this desk could not store
    plain_http: bool = (
        False  # the admin allowed a plain http hub off this computer: the 同步 page warns
    )


@dataclass(frozen=True)
class OpView:
    op_id: str
    entity: str
    entity_id: str
    label: str
    op: str
    fields: dict[str, Any]
    state: str
    attempts: int
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity: str
    entity_id: str
    label: str  # a person-readable name of the record (client name, case number …)
    field: str
    local_value: Any
    hub_value: Any
    reason: str | None
    detected_at: datetime
    resolution: str | None


@dataclass(frozen=True)
class SetAsideView:
    """A change from the hub this desk could not store, and why (the rest of the pull applied)."""

    entity: str
    entity_id: str
    label: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class SyncRunView:
    started_at: datetime
    finished_at: datetime | None
    ok: bool
    pushed: int
    pulled: int
    conflicts: int
    quarantined: int
    bytes_sent: int
    bytes_received: int
    error: str | None


def record_label(session: Session, entity: str, entity_id: str) -> str:
    if entity not in SYNCED_ENTITIES:
        return entity_id[:8]
    table = entity_table(entity)
    value = session.scalar(select(table.c[LABEL_COLUMN[entity]]).where(table.c.id == entity_id))
    return str(value) if value else entity_id[:8]


def op_view(session: Session, e: OutboxEntry) -> OpView:
    return OpView(
        e.op_id,
        e.entity,
        e.entity_id,
        record_label(session, e.entity, e.entity_id),
        e.op,
        dict(e.fields),
        e.state,
        e.attempts,
        e.last_error,
        e.created_at,
    )


def conflict_view(session: Session, c: SyncConflict) -> ConflictView:
    return ConflictView(
        c.id,
        c.entity,
        c.entity_id,
        record_label(session, c.entity, c.entity_id),
        c.field,
        c.local_value,
        c.hub_value,
        c.reason,
        c.detected_at,
        c.resolution,
    )


def set_aside_view(session: Session, row: SyncSetAside) -> SetAsideView:
    label = str((row.fields or {}).get(LABEL_COLUMN.get(row.entity, ""), "") or "") or record_label(
        session, row.entity, row.entity_id
    )
    return SetAsideView(row.entity, row.entity_id, label, row.reason, row.at)


def run_view(log: SyncLog) -> SyncRunView:
    return SyncRunView(
        log.started_at,
        log.finished_at,
        log.ok,
        log.pushed,
        log.pulled,
        log.conflicts,
        log.quarantined,
        log.bytes_sent,
        log.bytes_received,
        log.error,
    )
