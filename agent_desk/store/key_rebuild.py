"""Bringing an existing desk's search keys up to the current key rules, once, when it opens.

Keys are derived data (store/search_keys.py), so this is a rebuild, not a migration: the rules
live in code, and a migration frozen at one version of them would go stale. Only the clients
whose keys the new rules change are rewritten (names with a surname from the tables, a dot or a
compatibility character; 15-digit numbers), so a 100k-client desk opens in about a second.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session

from agent_desk.store.models import Client, ClientSearchKey, Meta
from agent_desk.store.queries import insert_search_keys
from agent_desk.store.search_keys import VERSION, client_keys, needs_new_keys, sort_key

META_KEY = "search_keys_version"
CHUNK = 500


def rebuild_search_keys(session: Session) -> int:
    """Rewrite the keys that differ under VERSION; returns how many clients were rewritten.

    The caller commits. Nothing is queued for the hub: every desk derives its own keys.
    """
    stored = session.get(Meta, META_KEY)
    if stored is not None and stored.value == VERSION:
        return 0
    columns = (Client.id, Client.name, Client.id_number, Client.phone, Client.sort_key)
    rows = session.execute(select(*columns)).all()
    stale = [row for row in rows if needs_new_keys(row.name or "", row.id_number)]
    for start in range(0, len(stale), CHUNK):
        _rewrite(session, stale[start : start + CHUNK])
    session.merge(Meta(key=META_KEY, value=VERSION))
    return len(stale)


def _rewrite(session: Session, rows: list) -> None:  # type: ignore[type-arg]
    ids = [row.id for row in rows]
    session.execute(delete(ClientSearchKey).where(ClientSearchKey.client_id.in_(ids)))  # type: ignore[attr-defined]
    keys = [
        {"key": key, "client_id": row.id}
        for row in rows
        for key in client_keys(row.name or "", row.id_number, row.phone)
    ]
    insert_search_keys(session, keys)
    changed = [
        {"client_id": row.id, "new_sort_key": new}
        for row in rows
        if (new := sort_key(row.name or "")) != row.sort_key
    ]
    if changed:  # one executemany; the hub's copy is the same: every side derives it from the name
        table = Client.__table__  # type: ignore[attr-defined]
        stmt = update(table).where(table.c.id == bindparam("client_id"))
        session.execute(stmt.values(sort_key=bindparam("new_sort_key")), changed)
