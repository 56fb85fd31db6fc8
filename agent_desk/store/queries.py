"""Read queries the UI and services share; lists return ids so views stay lazy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

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


ClientCursor = tuple[Any, ...]  # where the next page of the client list starts (keyset paging)


def search_client_ids(
    session: Session, query: str, *, limit: int = 200, offset: int = 0
) -> list[str]:
    """Ids of clients matching the search box (services and the CLI); the list screen pages with
    ``search_client_page``."""
    found: dict[str, None] = {}
    after: ClientCursor | None = None
    while len(found) < offset + limit:
        page = search_client_page(session, query, after=after, limit=offset + limit)
        found.update(dict.fromkeys(client_id for client_id, _ in page))
        if len(page) < offset + limit:
            break
        after = page[-1][1]
    return list(found)[offset : offset + limit]


def search_client_page(
    session: Session, query: str, *, after: ClientCursor | None = None, limit: int = 200
) -> list[tuple[str, ClientCursor]]:
    """A page of (client id, cursor) for the search box; an empty query lists everyone by name.

    Each key family (pinyin, then initials; or ID, ID tail, phone, phone tail) is read in index
    order from the cursor on, so a page costs a page wherever it starts. A client found by two
    families may come twice on different pages; the list keeps the first.
    """
    ranges = query_ranges(query)
    if not ranges:
        return list_client_page(session, after=after, limit=limit)
    first = after[0] if after else 0
    found: dict[str, ClientCursor] = {}
    for family in range(first, len(ranges)):
        last = (after[1], after[2]) if after and family == first else None
        _collect(session, family, ranges[family], last, found, limit)
        if len(found) >= limit:
            break
    return list(found.items())[:limit]


def _collect(
    session: Session,
    family: int,
    bounds: tuple[str, str],
    last: tuple[str, str] | None,
    found: dict[str, ClientCursor],
    wanted: int,
) -> None:
    key, client = ClientSearchKey.key, ClientSearchKey.client_id
    low, high = bounds
    chunk = max(64, wanted * 2)
    while len(found) < wanted:
        stmt = select(key, client).where(key < high).order_by(key, client).limit(chunk)  # type: ignore[operator,arg-type]
        stmt = stmt.where(key >= low) if last is None else stmt.where(tuple_(key, client) > last)  # type: ignore[operator]
        rows = session.execute(stmt).all()
        for row_key, client_id in rows:
            if len(found) >= wanted:
                return
            found.setdefault(client_id, (family, row_key, client_id))
        if len(rows) < chunk:
            return
        last = (rows[-1][0], rows[-1][1])


def list_client_page(
    session: Session, *, after: ClientCursor | None = None, limit: int = 200
) -> list[tuple[str, ClientCursor]]:
    """Everyone in phone-book order, seeking by (sort_key, id) on ``ix_client_sort_id``."""
    stmt = select(Client.id, Client.sort_key).where(Client.deleted == False)  # noqa: E712
    if after is not None:
        stmt = stmt.where(tuple_(Client.sort_key, Client.id) > after)
    rows = session.execute(stmt.order_by(Client.sort_key, Client.id).limit(limit))  # type: ignore[arg-type]
    return [(client_id, (key, client_id)) for client_id, key in rows]


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
