"""A person this desk registered whom the hub already held (same ID number in the township): the
desk's copy takes the hub record's id, and its cases, scans and search keys follow, so the agent
never resolves blank rows. Runs with foreign-key checks off (the id of a referenced row changes)."""

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
    OutboxEntry,
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
