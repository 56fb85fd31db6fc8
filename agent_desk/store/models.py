"""SQLModel tables of the desk database.

Every synced record has a UUID made offline, a hub-assigned ``version`` (0 until the hub has it)
and a ``deleted`` tombstone instead of a delete. No ``from __future__ import annotations`` here:
it breaks SQLModel (sqlmodel #196).
"""

import uuid
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Synced(SQLModel):
    """Columns every synced record carries."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    version: int = Field(default=0)
    deleted: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow)


class Village(Synced, table=True):
    code: str = Field(index=True, unique=True, max_length=12)  # 12-digit statistical code
    name: str
    township_code: str = Field(max_length=9)
    township_name: str
    county_name: str = ""


class User(Synced, table=True):
    __tablename__ = "desk_user"

    username: str = Field(unique=True, index=True)
    display_name: str
    role: str = Field(default="agent")  # agent | reviewer | admin
    phone: str | None = None
    village_id: str | None = Field(default=None, foreign_key="village.id")
    service_room: str | None = None


class Household(Synced, table=True):
    village_id: str | None = Field(default=None, foreign_key="village.id", index=True)
    address: str | None = None
    head_name: str | None = None
    registration_type: str | None = None


class Client(Synced, table=True):
    __table_args__ = (
        Index("ix_client_sort_id", "sort_key", "id", "deleted"),
    )  # the list's keyset seek (0008)

    kind: str = Field(default="person")  # person | organisation
    name: str = Field(index=True)
    sort_key: str = Field(default="", index=True)  # pinyin of the name, for ordering lists
    id_number: str | None = Field(default=None, unique=True)  # resident ID or credit code
    sex: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    address: str | None = None
    village_id: str | None = Field(default=None, foreign_key="village.id", index=True)
    household_id: str | None = Field(default=None, foreign_key="household.id", index=True)
    relation_to_head: str | None = None
    ethnicity: str | None = None
    marital_status: str | None = None
    education: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    disability: str | None = None
    poverty_status: str | None = None
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    # An organisation's people and business (migration 0010); ``address`` is its registered address.
    # The legal representative is a person profile (legal_rep_client_id) or typed by name and number.
    legal_rep_name: str | None = None
    legal_rep_id_number: str | None = None
    legal_rep_client_id: str | None = Field(default=None, max_length=32)
    contact_name: str | None = None
    contact_phone: str | None = None
    business_scope: str | None = None


class ClientSearchKey(SQLModel, table=True):
    """Prefix keys for the one search box: name, pinyin readings, initials, ID and phone (both ends)."""

    __tablename__ = "client_search_key"

    key: str = Field(primary_key=True)
    client_id: str = Field(primary_key=True, foreign_key="client.id", index=True)


class ClientChange(SQLModel, table=True):
    """A recorded change of a profile (who, when, from where, old and new values)."""

    __tablename__ = "client_change"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    client_id: str = Field(foreign_key="client.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = ""
    source: str = ""
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Request(Synced, table=True):
    """项目 / 一件事: one client's request that holds several cases (a bundle of items, migration 0010).

    Its cases carry ``request_id``. The request keeps what the cases cannot say: which item waits
    for which (``plan``, the bundle as it was when opened, as a case keeps its item's definition),
    the overall deadline, and the trips the client was spared."""

    __tablename__ = "request"
    __table_args__ = (Index("ix_request_status_due", "status", "due_on", "deleted"),)

    request_no: str = Field(unique=True, index=True)
    bundle_code: str
    bundle_name: str
    client_id: str = Field(foreign_key="client.id", index=True)
    village_id: str | None = Field(default=None, foreign_key="village.id")
    agent_id: str | None = Field(default=None, foreign_key="desk_user.id")
    status: str = "open"  # open | completed | withdrawn
    opened_on: date
    due_on: date | None = None
    completed_on: date | None = None
    trips_saved: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    # the bundle's order when the request was opened: {"members": [{"item": code, "after": [codes]}]}
    plan: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Case(Synced, table=True):
    # The board pages through cases in index order (see store/case_queries.py); the partial index
    # lets counts skip tombstones without reading every row. Few indexes hold an open case's due_on:
    # a calendar publication rewrites it for most open cases, and each such index is built again
    # (migration 0013 dropped two that others serve; 0014 made those that read due_on for closed
    # cases only partial, and took it out of the agent's).
    __table_args__ = (
        Index("ix_case_status_entrusted", "status", "entrusted_on"),
        Index("ix_case_entrusted", "entrusted_on"),
        Index("ix_case_item_status_due", "item_code", "status", "due_on"),
        Index("ix_case_village_status_due", "village_id", "status", "due_on"),
        Index("ix_case_updated", "updated_at"),
        Index(
            "ix_case_tombstones",
            "status",
            sqlite_where=text("deleted = 1"),
            postgresql_where=text("deleted"),
        ),
        # The reviewer's queue and the supervision figures (migration 0004): covering indexes, so
        # figures over 300k cases read index entries only.
        Index("ix_case_review_status_entrusted", "review_state", "status", "entrusted_on"),
        Index("ix_case_agent_status", "agent_id", "status", "deleted", "review_state"),
        Index(
            "ix_case_open_due_where",
            "status",
            "due_on",
            "village_id",
            "agent_id",
            "item_code",
            "deleted",
            "review_state",
            "entrusted_on",
        ),
        Index("ix_case_satisfaction", "satisfaction", "concluded_on", "deleted"),
        Index("ix_case_item_entrusted", "item_code", "entrusted_on", "deleted"),
        Index("ix_case_village_entrusted", "village_id", "entrusted_on", "deleted"),
        Index(
            "ix_case_concluded_figures",
            "concluded_on",
            "accepted_on",
            "deleted",
            "due_on",
            "deferred",
            "returned_count",
            "satisfaction",  # concluded cases only (migration 0014)
            sqlite_where=text("concluded_on IS NOT NULL"),
            postgresql_where=text("concluded_on IS NOT NULL"),
        ),
        Index("ix_case_deferred_status", "deferred", "status", "deleted", "id"),
        # counts by status and of tombstones; 今日待办's follow-ups due: delivered, not yet visited,
        # in due order (migrations 0007, 0014)
        Index("ix_case_status_satisfaction", "status", "satisfaction", "deleted"),
        Index(
            "ix_case_follow_up",
            "status",
            "satisfaction",
            "deleted",
            "due_on",
            sqlite_where=text("status = 'delivered'"),
            postgresql_where=text("status = 'delivered'"),
        ),
        # The board's text search reads the matching clients' cases from here alone (migration 0008).
        Index(
            "ix_case_client_board",
            "client_id",
            "status",
            "deleted",
            "due_on",
            "entrusted_on",
            "item_code",
            "village_id",
            "batch_id",
            "id",
        ),
        Index(
            "ix_case_status_due_client", "status", "due_on", "id", "deleted", "client_id"
        ),  # a common name's cases
        Index("ix_case_request", "request_id", "deleted"),  # a request's cases (migration 0010)
    )

    case_no: str = Field(unique=True, index=True)
    client_id: str = Field(foreign_key="client.id", index=True)
    item_code: str = Field(index=True)
    item_name: str
    status: str = Field(default="entrusted")
    outcome: str | None = None
    village_id: str | None = Field(default=None, foreign_key="village.id", index=True)
    agent_id: str | None = Field(default=None, foreign_key="desk_user.id")
    entrusted_on: date
    accepted_on: date | None = None
    due_on: date | None = None
    promised_days: int = 0
    deferred: bool = False  # 容缺受理: accepted with a document promised later
    concluded_on: date | None = None
    delivered_on: date | None = None
    result: str | None = None
    satisfaction: int | None = None
    follow_up_comment: str | None = None
    batch_id: str | None = Field(default=None, index=True)
    review_state: str | None = (
        None  # waiting | approved | returned: the township's review, kept by apply_action
    )
    returned_count: int = Field(
        default=0, sa_column_kwargs={"server_default": "0"}
    )  # times returned for correction
    # working days the case waited in 补正, added to due_on when it came back (migration 0007)
    paused_days: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    manual_fields: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict)
    )
    created_at: datetime = Field(default_factory=utcnow)
    request_id: str | None = Field(default=None, max_length=32)  # its 一件事, if any


class CaseEvent(Synced, table=True):
    """Append-only: every transition with who, when and why."""

    __tablename__ = "case_event"

    case_id: str = Field(foreign_key="case.id", index=True)
    action: str
    from_status: str | None = None
    to_status: str
    actor: str = ""
    at: datetime = Field(default_factory=utcnow)  # the hub's clock once synced (stamped there)
    desk_at: datetime | None = (
        None  # the desk's own clock, kept beside the hub's for offline ordering
    )
    reason: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ClientDocument(Synced, table=True):
    """A scan in the client's library, content-addressed so every case can reuse it."""

    __tablename__ = "client_document"

    client_id: str = Field(foreign_key="client.id", index=True)
    doc_kind: str  # id_card, household_register, bank_card …
    title: str
    sha256: str = Field(max_length=64, index=True)
    filename: str
    mime: str = "application/octet-stream"
    size: int = 0
    added_at: datetime = Field(default_factory=utcnow)


class CaseDocument(Synced, table=True):
    """One required document of one case: received, missing or promised later (容缺)."""

    __tablename__ = "case_document"
    __table_args__ = (
        Index("ix_case_document_status", "status", "case_id", "deleted", "promised_on"),
    )  # 容缺 documents still awaited

    case_id: str = Field(foreign_key="case.id", index=True)
    name: str
    doc_kind: str | None = None
    original: bool = False
    copies: int = 1
    required: bool = True
    status: str = "missing"  # received | missing | deferred
    position: int = Field(
        default=0, sa_column_kwargs={"server_default": "0"}
    )  # the catalog's order, so notices list documents as the item does
    promised_on: date | None = None
    received_on: date | None = (
        None  # 补交: when it arrived, at intake or any time after (migration 0007)
    )
    client_document_id: str | None = Field(default=None, foreign_key="client_document.id")


class HandoverBatch(Synced, table=True):
    """交接清单: the cases an agent carries to the township in one trip."""

    __tablename__ = "handover_batch"

    batch_no: str = Field(unique=True, index=True)
    village_id: str | None = Field(default=None, foreign_key="village.id")
    agent_id: str | None = Field(default=None, foreign_key="desk_user.id")
    created_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    received_by: str | None = None
    note: str | None = None


class GeneratedDocument(Synced, table=True):
    __tablename__ = "generated_document"

    case_id: str | None = Field(default=None, foreign_key="case.id", index=True)
    template: str
    title: str
    path: str
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class OutboxEntry(SQLModel, table=True):
    """A local change waiting for the hub, written in the same transaction as the change."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("op_id"), Index("ix_outbox_state_seq", "state", "seq"))

    seq: int | None = Field(default=None, primary_key=True)
    op_id: str = Field(default_factory=new_id, max_length=32)
    entity: str
    entity_id: str = Field(max_length=32)
    op: str = "upsert"  # upsert | delete
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    base_version: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    state: str = "pending"  # pending | inflight | quarantined
    attempts: int = 0
    last_error: str | None = None


class Meta(SQLModel, table=True):
    """Small key/value facts about this desk (device id, sync cursor …)."""

    key: str = Field(primary_key=True)
    value: str


class AuditEntry(SQLModel, table=True):
    """Append-only, hash-chained: every change and every full view of personal data (see store/audit.py).

    ``at`` is kept as ISO text so the hash recomputes byte for byte; ``prev_hash`` is unique, so two
    writers can never fork the chain. Triggers refuse UPDATE and DELETE.
    """

    __tablename__ = "audit_entry"

    seq: int | None = Field(default=None, primary_key=True)
    at: str
    actor: str = ""
    action: str  # change | view_full | export_full | backup | restore | password_change | unlock
    entity: str = ""
    entity_id: str = ""
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64)


class CasePublication(SQLModel, table=True):
    """The catalog and templates versions a case was opened under (desk-local, never synced).

    A case keeps its item's definition — documents, time limits, forms — for its whole life, so
    reprinting an old case gives the same forms after the county publishes a new catalog.
    Version 0 is the catalog shipped with the software."""

    __tablename__ = "case_publication"

    case_id: str = Field(primary_key=True, max_length=32)
    catalog_version: int = 0
    templates_version: int = 0
