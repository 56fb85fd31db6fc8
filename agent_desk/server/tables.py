"""The hub's own tables, apart from the desk's: a generic record store, its change log, accounts and
the audit chains desks send.

Core ``Table`` objects on their own ``MetaData`` so the hub never mixes with the desk schema.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql.expression import false

metadata = MetaData()
Json = JSON().with_variant(JSONB(), "postgresql")
Id = String(32)

village = Table(
    "hub_village",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("township_code", String(9), nullable=False, index=True),
    Column("township_name", String(100), nullable=False),
    Column("county_name", String(100), nullable=False, default=""),
)

user = Table(
    "hub_user",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("township_code", String(9), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("must_change_password", Boolean, nullable=False, server_default=false()),
)

user_village = Table(
    "hub_user_village",
    metadata,
    Column("user_id", Id, ForeignKey("hub_user.id"), primary_key=True),
    Column("village_id", Id, ForeignKey("hub_village.id"), primary_key=True),
)

device = Table(
    "hub_device",
    metadata,
    Column("id", Id, primary_key=True),
    Column("user_id", Id, ForeignKey("hub_user.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
    Column(
        "revoked_at", DateTime(timezone=True), nullable=True
    ),  # a lost laptop: never logs in again
    Column("desk_version", String(40), nullable=True),  # as the desk last said (None: older desk)
    Column("last_sync_at", DateTime(timezone=True), nullable=True),  # its last push, or refusal
    Column("last_sync_result", String(100), nullable=True),  # "applied=… conflict=… refused=…"
)

token = Table(
    "hub_token",
    metadata,
    Column(
        "token_hash", String(64), primary_key=True
    ),  # sha256 of the bearer token, never the token
    Column("user_id", Id, ForeignKey("hub_user.id"), nullable=False, index=True),
    Column("device_id", Id, ForeignKey("hub_device.id"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),  # idle expiry (auth.TOKEN_IDLE)
)

login_throttle = Table(  # server/throttle.py: one row a counter, updated by one atomic statement
    "hub_login_throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("next_at", Float, nullable=False),  # epoch seconds: portable arithmetic in the statement
    Column("seen_at", Float, nullable=False),
    Column("grant", String(32), nullable=False),
)

counter = Table(
    "hub_counter",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

record = Table(
    "hub_record",
    metadata,
    Column("entity", String(40), primary_key=True),
    Column("id", Id, primary_key=True),
    Column("village_id", Id, nullable=True),
    Column("version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("seq", BigInteger, nullable=False),
    Column("fields", Json, nullable=False),
    Column("field_meta", Json, nullable=False),  # field → [version, device id] of its last write
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_hub_record_seq", "seq", unique=True),
    Index("ix_hub_record_village_seq", "village_id", "seq"),
)

change = Table(
    "hub_change",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Id, nullable=False),
    Column("village_id", Id, nullable=True),
    Column("version", Integer, nullable=False),
    Column("op_id", Id, nullable=True),
    Column("user_id", Id, nullable=True),
    Column("device_id", Id, nullable=True),
    Column("fields", Json, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

departure = Table(
    "hub_departure",
    metadata,  # a record that left a village: that village's desks must drop it
    Column(
        "seq", BigInteger, primary_key=True, autoincrement=False
    ),  # the seq of the change that moved it
    Column("entity", String(40), nullable=False),
    Column("entity_id", Id, nullable=False),
    Column("village_id", Id, nullable=False),  # the village it left
    Index("ix_hub_departure_village_seq", "village_id", "seq"),
)

applied_op = Table(
    "hub_op",
    metadata,
    Column("op_id", Id, primary_key=True),
    Column("user_id", Id, nullable=False),
    Column("result", Json, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

identity = Table(
    "hub_identity",
    metadata,  # one person, one record: a township's clients by their 18-digit number
    Column("township_code", String(9), primary_key=True),
    Column("number", String(18), primary_key=True),
    Column("client_id", Id, nullable=False),
)

alias = Table(
    "hub_alias",
    metadata,  # a desk's copy of a person merged into the hub's record: its id now means the target
    Column("entity", String(40), primary_key=True),
    Column("alias_id", Id, primary_key=True),
    Column("target_id", Id, nullable=False),
    Column("user_id", Id, nullable=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

repair = Table(
    "hub_repair",
    metadata,  # what `server check-records --fix` changed, field by field (the admin's audit)
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Id, nullable=False),
    Column("field", String(64), nullable=False),
    Column("problem", Text, nullable=False),
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Column("seq", BigInteger, nullable=True),  # the change that carried the repair to the desks
)

conflict = Table(
    "hub_conflict",
    metadata,
    Column("id", Id, primary_key=True),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Id, nullable=False),
    Column("village_id", Id, nullable=True, index=True),
    Column("field", String(64), nullable=False),
    Column("hub_value", Json, nullable=True),
    Column("desk_value", Json, nullable=True),
    Column("base_version", Integer, nullable=False),
    Column("hub_version", Integer, nullable=False),
    Column("op_id", Id, nullable=False),
    Column("user_id", Id, nullable=False),
    Column("device_id", Id, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", Id, nullable=True),
    Column("resolution", String(16), nullable=True),
)

publication = Table(
    "hub_publication",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("files", Json, nullable=False),
    Column("blob", Text, nullable=False),  # object key in the blob store
    Column("created_at", DateTime(timezone=True), nullable=False),
)

publication_refusal = (
    Table(  # a desk that could not use a published version says why (one per device)
        "hub_publication_refusal",
        metadata,
        Column("kind", String(32), primary_key=True),
        Column("version", Integer, primary_key=True),
        Column("device_id", Id, primary_key=True),
        Column("user_id", Id, nullable=False),
        Column("reason", Text, nullable=False),
        Column("reported_at", DateTime(timezone=True), nullable=False),
    )
)

blob = Table(
    "hub_blob",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mime", String(64), nullable=False),
    Column("uploaded_by", Id, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# who uploaded each scan (stored once, uploaded by many): they may name it in a client document
blob_upload = Table(
    "hub_blob_upload",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("user_id", Id, ForeignKey("hub_user.id"), primary_key=True),
    Column("device_id", Id, nullable=True),
    # the uploader's scope when they uploaded (null: an admin), and the offset asked next while they
    # prove they hold a scan another user stored (attachments.py)
    Column("villages", Json, nullable=True),
    Column("challenge", BigInteger, nullable=True),
    Column("samples", Integer, nullable=False, default=0),  # ranges verified so far
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("proven_at", DateTime(timezone=True), nullable=True),  # an uploader only once set
)

audit_chain = Table(
    "hub_audit_chain",
    metadata,
    Column("device_id", Id, ForeignKey("hub_device.id"), primary_key=True),
    Column("entries", BigInteger, nullable=False, default=0),
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("last_hash", String(64), nullable=False),
    Column(
        "broken_seq", BigInteger, nullable=True
    ),  # the first refused link; kept once set (evidence)
    Column("broken_reason", Text, nullable=True),
    Column("broken_at", DateTime(timezone=True), nullable=True),
    Column("refusals", Integer, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # the first entry restating one the hub holds from another device of the same user, and the first
    # such entry whose hash differs (a rewritten history); each kept once set (evidence)
    Column("restated_seq", BigInteger, nullable=True),
    Column("rewritten_seq", BigInteger, nullable=True),
    Column("restated_from", Id, nullable=True),  # that other device
    Column("restated_reason", Text, nullable=True),
    Column("restated_at", DateTime(timezone=True), nullable=True),
)

audit_entry = Table(
    "hub_audit_entry",
    metadata,
    Column("device_id", Id, ForeignKey("hub_device.id"), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("entity_id", String(128), nullable=False),
    Column(
        "detail", Text, nullable=False
    ),  # the JSON text itself, so the hash recomputes on read-back
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column(
        "received_at", DateTime(timezone=True), nullable=False
    ),  # stamped by the hub, as is the user
    Column("user_id", Id, nullable=False),  # the user whose token pushed the slice
    Index("ix_hub_audit_entry_user_at", "user_id", "at"),
)
