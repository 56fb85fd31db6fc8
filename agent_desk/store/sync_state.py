"""Sync bookkeeping tables on the desk: conflicts for a person to resolve, the sync log, uploaded scans.

Kept apart from the domain tables; only ``agent_desk.sync`` writes them.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from agent_desk.store.models import new_id, utcnow


class SyncConflict(SQLModel, table=True):
    """One field both this desk and someone else changed; the hub kept its value until resolved."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_open", "resolved_at", "detected_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    hub_conflict_id: str | None = Field(default=None, max_length=32)
    entity: str
    entity_id: str = Field(max_length=32, index=True)
    field: str
    local_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    hub_value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    hub_version: int = 0  # the hub's version when the conflict was found
    reason: str | None = None  # set when a remote change could not be applied here at all
    detected_at: datetime = Field(default_factory=utcnow)
    resolution: str | None = None  # desk | hub
    resolved_at: datetime | None = None
    reported: bool = False  # the hub has been told about the resolution


class SyncSetAside(SQLModel, table=True):
    """A change from the hub this desk could not store (a value it cannot hold): kept with its reason,
    shown on the 同步 page, while the rest of the pull applies."""

    __tablename__ = "sync_set_aside"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = 0  # the hub's sequence number of the change
    entity: str
    entity_id: str = Field(max_length=32, index=True)
    version: int = 0
    reason: str
    fields: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    at: datetime = Field(default_factory=utcnow)


class SyncLog(SQLModel, table=True):
    """A ring buffer of recent sync runs (the newest few hundred are kept)."""

    __tablename__ = "sync_log"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    ok: bool = False
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    quarantined: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    error: str | None = None


class SyncBlob(SQLModel, table=True):
    """A scan whose bytes the hub already holds (content-addressed, so uploaded once)."""

    __tablename__ = "sync_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    uploaded_at: datetime = Field(default_factory=utcnow)


# Pulls look up pending local fields by record id; without this index that is a scan of the outbox.
OUTBOX_ENTITY_INDEX = Index("ix_outbox_entity_id", SQLModel.metadata.tables["outbox"].c.entity_id)
