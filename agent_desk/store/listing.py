"""Rows for list screens, fetched for a page of ids at a time (views hold ids, not objects)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from agent_desk.store.models import Client, Village


@dataclass(frozen=True)
class ClientRow:
    id: str
    name: str
    sex: str | None
    birth_date: date | None
    id_number: str | None
    phone: str | None
    village: str | None
    address: str | None


def client_rows(session: Session, ids: Sequence[str]) -> dict[str, ClientRow]:
    """One query for a page of clients with their village name."""
    if not ids:
        return {}
    stmt = (
        select(
            Client.id,
            Client.name,
            Client.sex,
            Client.birth_date,
            Client.id_number,
            Client.phone,
            Village.name,
            Client.address,
        )
        .outerjoin(Village, Village.id == Client.village_id)
        .where(Client.id.in_(list(ids)))  # type: ignore[attr-defined]
    )
    return {row[0]: ClientRow(*row) for row in session.execute(stmt)}
