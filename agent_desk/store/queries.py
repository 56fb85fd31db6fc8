"""Read queries the UI and services share; lists return ids so views stay lazy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, insert, select, tuple_
from sqlmodel import Session

from agent_desk.core.identity import id_match_key, id_number_forms
from agent_desk.store.models import Client, ClientSearchKey, Village
from agent_desk.store.search_keys import client_keys, query_ranges, sort_key

_IN_CHUNK = 400


def set_search_keys(session: Session, client: Client) -> None:
    """Replace a client's search keys; called on every write of name, ID or phone."""
    session.execute(delete(ClientSearchKey).where(ClientSearchKey.client_id == client.id))  # type: ignore[arg-type]
    insert_search_keys(session, search_key_rows(client))


def search_key_rows(client: Client) -> list[dict[str, str]]:
    """The client's key rows (and its sort key set), for one insert with other clients' rows."""
    client.sort_key = sort_key(client.name)
    keys = client_keys(client.name, client.id_number, client.phone)
    return [{"key": key, "client_id": client.id} for key in keys]


def insert_search_keys(session: Session, rows: list[dict[str, str]]) -> None:
    """One executemany; the clients must be flushed already (the keys refer to them)."""
    if rows:
        session.flush()
        session.execute(insert(ClientSearchKey.__table__), rows)  # type: ignore[attr-defined]


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
    """The client with this number in any of its forms (a 15-digit number finds its 18-digit form)."""
    forms = id_number_forms(id_number)
    return session.scalars(select(Client).where(Client.id_number.in_(forms))).first()  # type: ignore[union-attr]


def clients_by_id_numbers(session: Session, numbers: Iterable[str]) -> dict[str, Client]:
    """Clients holding any of these numbers, keyed by ``id_match_key`` (a few queries, not one per number)."""
    forms = sorted({form for number in numbers for form in id_number_forms(number)})
    found: dict[str, Client] = {}
    for start in range(0, len(forms), _IN_CHUNK):
        chunk = forms[start : start + _IN_CHUNK]
        for client in session.scalars(select(Client).where(Client.id_number.in_(chunk))):  # type: ignore[union-attr]
            found.setdefault(id_match_key(client.id_number or ""), client)
    return found


def villages(session: Session) -> list[Village]:
    return list(
        session.scalars(select(Village).where(Village.deleted == False).order_by(Village.code))
    )


def village_by_name(session: Session, name: str) -> Village | None:
    return session.scalars(select(Village).where(Village.name == name)).first()
