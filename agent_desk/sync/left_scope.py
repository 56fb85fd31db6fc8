"""Records that left this desk's villages: dropped from the desk, children and search keys with them.

The hub lists a record that moved to a village this user does not serve (``Change.left_scope``).
It is not a user's delete: no outbox op is written, the rows simply go, in the pull's transaction,
with one audit entry naming them. Two things keep a record here for now (remembered in Meta and
tried again at every pull):

- a change of this desk to it (or to a child) still waits in the outbox: it is kept until pushed
  (the hub then refuses it as outside the user's villages and the desk sets it aside with that
  reason, visible on the sync page), then dropped;
- a client still has a live case here (a case stays in its own village when only its client
  moved), a household still has a live client here: dropping it would leave them without it.

A record that comes back into scope meanwhile arrives as an ordinary change and stops waiting.
Scans and printed files stay in the desk's folders (sealed on an encrypted desk), as the library
keeps the file of a removed scan: the same file may serve another record.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import Table, delete, false, select
from sqlmodel import Session, col

from agent_desk.protocol import CHILD_LINKS, SYNCED_ENTITIES
from agent_desk.store import audit
from agent_desk.store.models import (
    ClientChange,
    ClientSearchKey,
    GeneratedDocument,
    Meta,
    OutboxEntry,
)
from agent_desk.store.sync_state import SyncConflict
from agent_desk.sync.tables import entity_table

Key = tuple[str, str]  # (entity, id)
WAITING_KEY = "sync_left_scope_waiting"
ORDER = (
    "case",
    "request",
    "client",
    "household",
)  # dependants first: a case can hold its client, a client its household
LOCAL_ROWS: dict[
    str, list[tuple[Table, str, bool]]
] = {  # this desk's own rows about it: (table, link, audited)
    "client": [
        (ClientSearchKey.__table__, "client_id", False),  # type: ignore[attr-defined]
        (ClientChange.__table__, "client_id", False),  # type: ignore[attr-defined]
    ],
    "case": [(GeneratedDocument.__table__, "case_id", True)],  # type: ignore[attr-defined]
}
HOLDERS = {"client": ("case", "client_id"), "household": ("client", "household_id")}
BUSY_STATES = ("pending", "inflight")


def read_waiting(session: Session) -> list[Key]:
    meta = session.get(Meta, WAITING_KEY)
    return [(str(e), str(i)) for e, i in json.loads(meta.value)] if meta else []


def _write_waiting(session: Session, keys: list[Key]) -> None:
    meta = session.get(Meta, WAITING_KEY)
    if not keys:
        if meta is not None:
            session.delete(meta)
        return
    meta = meta or Meta(key=WAITING_KEY, value="[]")
    meta.value = json.dumps(sorted(keys))
    session.add(meta)


def settle(
    session: Session, leaving: list[Key], arrived: Collection[Key] = (), *, actor: str = ""
) -> int:
    """Drop the records that left (and those still waiting to), except those ``arrived`` back in scope
    in this page; returns how many records were dropped. Costs one Meta read when there is nothing."""
    waiting = read_waiting(session)
    if not leaving and not waiting:
        return 0
    keys = list(dict.fromkeys([k for k in waiting if k not in arrived] + leaving))
    removed, still = _drop(session, keys, actor)
    if sorted(still) != sorted(waiting):
        _write_waiting(session, still)
    return removed


def _drop(session: Session, keys: list[Key], actor: str) -> tuple[int, list[Key]]:
    by_entity: dict[str, list[str]] = {}
    for entity, entity_id in keys:
        if entity in SYNCED_ENTITIES:
            by_entity.setdefault(entity, []).append(entity_id)
    busy = _busy(session)
    removed, still, rows = 0, [], []
    for entity in sorted(by_entity, key=lambda e: ORDER.index(e) if e in ORDER else len(ORDER)):
        table = entity_table(entity)
        present = sorted(
            session.scalars(select(table.c.id).where(table.c.id.in_(by_entity[entity])))
        )
        children, held = _children(session, entity, present), _held(session, entity, present)
        go = []
        for entity_id in present:
            kids = children.get(entity_id, [])
            if entity_id in held or (entity, entity_id) in busy or any(k in busy for k in kids):
                still.append((entity, entity_id))
                continue
            go.append(entity_id)
            rows += [{"table": e, "id": i, "op": "delete"} for e, i in [(entity, entity_id), *kids]]
        rows += _delete(session, entity, go, children)
        removed += len(go)
    if rows:  # like a flush's entry (store/audit.py), marked as the hub's doing
        one = rows[0] if len(rows) == 1 else {"table": "", "id": ""}
        detail = {"rows": rows[: audit.MAX_ROWS_LISTED], "count": len(rows), "cause": "left_scope"}
        audit.append(
            session, "change", entity=one["table"], entity_id=one["id"], detail=detail, actor=actor
        )
    return removed, still


def _busy(session: Session) -> set[Key]:
    """Records with a local change still to be pushed (the outbox is short: read it whole)."""
    stmt = select(col(OutboxEntry.entity), col(OutboxEntry.entity_id)).where(
        col(OutboxEntry.state).in_(BUSY_STATES)
    )
    return {(e, i) for e, i in session.execute(stmt)}


def _children(session: Session, entity: str, ids: list[str]) -> dict[str, list[Key]]:
    found: dict[str, list[Key]] = {}
    for child, link in CHILD_LINKS.get(entity, []):
        table = entity_table(child)
        for child_id, parent_id in session.execute(
            select(table.c.id, table.c[link]).where(table.c[link].in_(ids))
        ):
            found.setdefault(parent_id, []).append((child, child_id))
    return found


def _held(session: Session, entity: str, ids: list[str]) -> set[str]:
    """Records a live (not deleted) dependant with a scope of its own still points at."""
    if entity not in HOLDERS or not ids:
        return set()
    holder, link = HOLDERS[entity]
    table = entity_table(holder)
    return set(
        session.scalars(
            select(table.c[link]).where(table.c[link].in_(ids), table.c.deleted == false())
        )
    )


def _delete(
    session: Session, entity: str, ids: list[str], children: dict[str, list[Key]]
) -> list[dict[str, Any]]:
    """Delete the records, their children, this desk's rows about them and their open conflicts.
    Returns the audited rows this adds (printed documents; the rest are listed by the caller)."""
    if not ids:
        return []
    extra: list[dict[str, Any]] = []
    for child, link in CHILD_LINKS.get(entity, []):
        table = entity_table(child)
        session.execute(delete(table).where(table.c[link].in_(ids)))
    for table, link, audited in LOCAL_ROWS.get(entity, []):
        if audited:
            found = session.scalars(select(table.c.id).where(table.c[link].in_(ids)))
            extra += [{"table": table.name, "id": i, "op": "delete"} for i in found]
        session.execute(delete(table).where(table.c[link].in_(ids)))
    all_ids = ids + [i for p in ids for _e, i in children.get(p, [])]
    open_conflicts = col(SyncConflict.resolved_at).is_(None)
    session.execute(
        delete(SyncConflict).where(col(SyncConflict.entity_id).in_(all_ids), open_conflicts)
    )
    table = entity_table(entity)
    session.execute(delete(table).where(table.c.id.in_(ids)))
    return extra
