"""Read queries the UI and services share; lists return ids so views stay lazy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, tuple_
from sqlmodel import Session

from agent_desk.store.models import Client, ClientSearchKey, Village
from agent_desk.store.search_keys import client_keys, query_ranges, sort_key


def set_search_keys(session: Session, client: Client) -> None:
    """Replace a client's search keys; called on every write of name, ID or phone."""
    session.execute(delete(ClientSearchKey).where(ClientSearchKey.client_id == client.id))  # type: ignore[arg-type]
    client.sort_key = sort_key(client.name)
    for key in client_keys(client.name, client.id_number, client.phone):
        session.add(ClientSearchKey(key=key, client_id=client.id))


def search_client_ids(session: Session, query: str, *, limit: int = 200, offset: int = 0) -> list[str]:
    """Ids of clients matching the search box; empty query lists everyone by name.

    Each key family (pinyin, then initials; or ID, ID tail, phone, phone tail) is read in index
    order and stops once the page is full, so a one-letter query costs a page, not the table.
    """
    ranges = query_ranges(query)
    if not ranges:
        return list_client_ids(session, limit=limit, offset=offset)
    found: dict[str, None] = {}
    for low, high in ranges:
        _collect(session, low, high, found, offset + limit)
        if len(found) >= offset + limit:
            break
    return list(found)[offset : offset + limit]


def _collect(session: Session, low: str, high: str, found: dict[str, None], wanted: int) -> None:
    key, client = ClientSearchKey.key, ClientSearchKey.client_id
    last: tuple[str, str] | None = None
    chunk = max(64, wanted * 2)
    while len(found) < wanted:
        stmt = select(key, client).where(key < high).order_by(key, client).limit(chunk)  # type: ignore[operator,arg-type]
        stmt = stmt.where(key >= low) if last is None else stmt.where(tuple_(key, client) > last)  # type: ignore[operator]
        rows = session.execute(stmt).all()
        for _key, client_id in rows:
            found.setdefault(client_id, None)
        if len(rows) < chunk:
            return
        last = (rows[-1][0], rows[-1][1])


def list_client_ids(session: Session, *, limit: int = 200, offset: int = 0) -> list[str]:
    stmt = (
        select(Client.id)
        .where(Client.deleted == False)
        .order_by(Client.sort_key, Client.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(stmt))


def count_clients(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(Client).where(Client.deleted == False)) or 0
    )


def clients_by_ids(session: Session, ids: Sequence[str]) -> dict[str, Client]:
    if not ids:
        return {}
    rows = session.scalars(select(Client).where(Client.id.in_(ids)))  # type: ignore[attr-defined]
    return {c.id: c for c in rows}


def client_by_id_number(session: Session, id_number: str) -> Client | None:
    return session.scalars(select(Client).where(Client.id_number == id_number)).first()


def villages(session: Session) -> list[Village]:
    return list(
        session.scalars(select(Village).where(Village.deleted == False).order_by(Village.code))
    )


def village_by_name(session: Session, name: str) -> Village | None:
    return session.scalars(select(Village).where(Village.name == name)).first()
