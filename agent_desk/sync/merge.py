"""Records this desk made that the hub already holds: a person registered again (same ID number in
the township), whose copy takes the hub record's id with its cases, scans and search keys, so the
agent never resolves blank rows; and a village set up offline that the hub has under the same code.
Runs with foreign-key checks off (the id of a referenced row changes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from agent_desk.store import audit
from agent_desk.store.models import (
    Case,
    Client,
    ClientChange,
    ClientDocument,
    ClientSearchKey,
    HandoverBatch,
    Household,
    OutboxEntry,
    User,
    Village,
)

CHILDREN = (Case, ClientDocument, ClientChange, ClientSearchKey)


def adopt_client_id(session: Session, local_id: str, target_id: str) -> None:
    """Make ``local_id`` the hub's ``target_id``: children move over; a row already holding the target
    id keeps its fields (the hub's) and the local copy goes. Queued ops that name the client follow."""
    if local_id == target_id:
        return
    exists = session.scalar(select(col(Client.id)).where(col(Client.id) == target_id)) is not None
    if exists:
        session.execute(delete(ClientSearchKey).where(col(ClientSearchKey.client_id) == local_id))
    for child in CHILDREN:
        column = child.__table__.c.client_id  # type: ignore[union-attr]
        session.execute(update(child).where(column == local_id).values(client_id=target_id))
    if exists:
        session.execute(delete(Client).where(col(Client.id) == local_id))
    else:  # version 0: the next pull brings the hub's record over this one
        session.execute(
            update(Client).where(col(Client.id) == local_id).values(id=target_id, version=0)
        )
    _rewrite_outbox(session, local_id, target_id)
    audit.append(
        session, "merge", entity="client", entity_id=target_id, detail={"merged_copy": local_id}
    )


def _rewrite_outbox(session: Session, local_id: str, target_id: str) -> None:
    """Ops still queued that name the copy (a case's client, a scan's owner) name the record instead.
    The copy's own ops keep its id: the hub knows it as an alias and merges them the same way."""
    stmt = select(OutboxEntry).where(col(OutboxEntry.entity).in_(("case", "client_document")))
    for entry in session.scalars(stmt):
        fields: dict[str, Any] = dict(entry.fields)
        if fields.get("client_id") == local_id:
            entry.fields = fields | {"client_id": target_id}
            session.add(entry)


VILLAGE_HOLDERS = (User, Household, Client, Case, HandoverBatch)


def adopt_village(session: Session, local_id: str, hub_row: dict[str, Any]) -> None:
    """A village this desk set up offline that the hub also has (same 统计用区划代码): one village,
    the hub's id and name (the local name kept in the audit trail); everything in it, and every
    change still waiting for the hub, follows the new id."""
    old_name = session.scalar(select(col(Village.name)).where(col(Village.id) == local_id))
    target = str(hub_row["id"])
    for holder in VILLAGE_HOLDERS:
        column = holder.__table__.c.village_id  # type: ignore[union-attr]
        session.execute(update(holder).where(column == local_id).values(village_id=target))
    values = {k: v for k, v in hub_row.items() if k in Village.__table__.c}  # type: ignore[attr-defined]
    session.execute(update(Village).where(col(Village.id) == local_id).values(**values))
    for entry in session.scalars(select(OutboxEntry).where(col(OutboxEntry.state) != "done")):
        if dict(entry.fields).get("village_id") == local_id:
            entry.fields = dict(entry.fields) | {"village_id": target}
            session.add(entry)
    audit.append(
        session,
        "merge",
        entity="village",
        entity_id=target,
        detail={"local_id": local_id, "local_name": old_name, "hub_name": hub_row.get("name")},
    )
