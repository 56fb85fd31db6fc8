"""Wire protocol shared by the desk and the hub: the messages, their limits and the entity lists.

What a field may hold lives in ``values.py`` and who may write it in ``roles.py``; both sides import
this package, so the desk and the hub cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent_desk.core.audit_chain import canonical

__all__ = [
    "API_PREFIX",
    "AuditAppendRequest",
    "AuditAppendResponse",
    "AuditEntryWire",
    "CHILD_LINKS",
    "Change",
    "DESK_VERSION_HEADER",
    "DESK_VERSION_PATTERN",
    "DESK_WRITABLE",
    "ErrorDetail",
    "FieldConflict",
    "HASH_PATTERN",
    "HUB_OWNED",
    "ID_RE",
    "LoginRequest",
    "LoginResponse",
    "MAX_AUDIT_BATCH",
    "MAX_BATCH",
    "MAX_PAGE",
    "MAX_SEQ",
    "MAX_TEXT",
    "Op",
    "OpResult",
    "PARENT_LINK",
    "PublicationInfo",
    "PublicationRefusal",
    "MAX_REFUSAL",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "ResolveRequest",
    "RoundRequest",
    "RoundResponse",
    "SKIPPED",
    "SYNCED_ENTITIES",
    "UploadStatus",
    "UserInfo",
    "VILLAGE_SCOPED",
    "version_key",
]


API_PREFIX = "/api/v1"
MAX_BATCH = 500
MAX_PAGE = 5000
MAX_TEXT = 10_000
MAX_REFUSAL = 500  # a publication refusal's reason, as the desk's 同步 page shows it
MAX_AUDIT_BATCH = 5000
MAX_SEQ = 2**62  # within a signed 64-bit column on either database
HASH_PATTERN = r"^[0-9a-f]{64}$"
ID_RE = re.compile(r"^[0-9a-f]{32}$")
# The desk's version (agent_desk.__version__): in the login body and, so a desk upgraded while its
# token lives is known at once, in this header of every request. Older desks send neither.
DESK_VERSION_HEADER = "X-AgentDesk-Version"
DESK_VERSION_PATTERN = r"^[0-9]+(\.[0-9]+){0,3}[0-9A-Za-z.+-]{0,24}$"
SKIPPED = frozenset({"id", "version", "deleted", "updated_at"})
# Entities the hub owns (desks only read them) and entities desks write, in parent-first order.
HUB_OWNED = ("village", "desk_user")
DESK_WRITABLE = (
    "household",
    "client",
    "client_document",
    "request",
    "case",
    "case_document",
    "case_event",
)
SYNCED_ENTITIES = HUB_OWNED + DESK_WRITABLE
PARENT_LINK = {
    "case_event": ("case", "case_id"),
    "case_document": ("case", "case_id"),
    "client_document": ("client", "client_id"),
}
VILLAGE_SCOPED = ("household", "client", "request", "case")
CHILD_LINKS: dict[str, list[tuple[str, str]]] = {}  # parent entity → [(child entity, link field)]
for _child, (_parent, _link) in PARENT_LINK.items():
    CHILD_LINKS.setdefault(_parent, []).append((_child, _link))


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_id: str | None = Field(default=None, pattern=ID_RE.pattern)
    device_name: str = Field(default="", max_length=100)
    new_password: str | None = Field(default=None, max_length=256)  # after an administrator's reset
    # agent_desk.__version__; not a version (e.g. a long local build tag): the hub notes none
    desk_version: str | None = Field(default=None, max_length=100)


def version_key(version: str | None) -> tuple[int, ...]:
    """``"0.10.2"`` → ``(0, 10, 2, 0)``: the numeric release, compared part by part (a suffix such
    as ``rc1`` is ignored); a desk that sent no version (older than any that does) is ``()``."""
    found = re.match(r"[0-9]+(\.[0-9]+){0,3}", version or "")
    if not found:
        return ()
    parts = [int(p) for p in found.group(0).split(".")]
    return tuple(parts + [0] * (4 - len(parts)))


class UserInfo(BaseModel):
    id: str
    username: str
    display_name: str
    role: Literal["agent", "chief_officer", "reviewer", "admin"]
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
    filled: dict[
        str, Any
    ] = {}  # fields the hub set itself (the agent's only village on a create without one)
    # The hub already held this person (same ID number in the township): the desk's copy is now this
    # record; the desk moves its cases and scans over (sync/merge.py). Older desks see a plain "applied".
    merged_into: str | None = None


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
    # The hub's sequence head when it read this page: how far the cursor still has to go, so the
    # desk can estimate the records and time left. None from a hub that does not send it.
    head: int | None = None


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


class PublicationRefusal(BaseModel):
    """A desk could not use a version the hub published (it keeps its previous one): why, as the
    desk's 同步 page says it. The hub keeps one per device and version for the county admin."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=MAX_REFUSAL)


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
        if any(
            "\x00" in value
            for value in (self.at, self.actor, self.action, self.entity, self.entity_id)
        ):
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


class RoundRequest(BaseModel):
    """``POST /sync/round``: a desk's whole sync in one request — its next batch of ops, the next
    slice of its audit chain and the cursor to pull from. The hub applies the ops, stores the slice
    and answers with the results and the first page of changes read after them (what a pull after
    the push would bring). One round trip instead of four: it is what a village link with a
    200 ms round-trip time and a county hub with hundreds of desks at 9 o'clock both need."""

    model_config = ConfigDict(extra="forbid")
    cursor: int = Field(default=0, ge=0, le=MAX_SEQ)
    limit: int = Field(default=1000, ge=1, le=MAX_PAGE)
    ops: list[dict[str, Any]] = Field(default=[], max_length=MAX_BATCH)  # each checked alone
    audit: list[AuditEntryWire] = Field(default=[], max_length=MAX_AUDIT_BATCH)


class RoundResponse(BaseModel):
    results: list[OpResult] = []
    page: PullResponse
    audit: AuditAppendResponse | None = None  # None when the round carried no audit entries
    # The audit slice was refused (``audit_broken``, ``audit_gap``…): the code, the message and
    # the facts of that refusal, as ``POST /audit/append`` would have answered. Ops and page stand.
    audit_refused: dict[str, Any] | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
