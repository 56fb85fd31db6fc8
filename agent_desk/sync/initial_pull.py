"""A desk's first pull of its villages: secondary work deferred until the records are in.

An initial pull writes hundreds of thousands of rows into empty tables. Keeping two dozen case
indexes up to date row by row, at random places (ids are random), costs more than the rows
themselves, and so does building each new client's search keys one page at a time. So for the
first pull the non-unique indexes of the synced tables are dropped (their ``CREATE`` statements kept
in Meta, in the same transaction) and built once at the end, each from a sorted scan; new clients'
keys are built once at the end too, for every client that has none. Unique indexes stay: they are
how a pulled person with the same ID number as a local one is recognised (apply.py).

If the desk stops half way (killed, power lost), Meta still names the dropped indexes: the next pull
goes on in the same mode and builds them when it ends. Until then the desk works, more slowly; if a
new version migrates the database first, the indexes are built before the migration
(``store.db.restore_deferred_indexes``) and the next pull builds only the search keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from agent_desk.protocol import SYNCED_ENTITIES
from agent_desk.store.db import DEFERRED_INDEXES, if_not_exists
from agent_desk.store.models import Meta
from agent_desk.store.search_keys import client_keys

DEFERRED_KEY = DEFERRED_INDEXES  # store/db.py builds them before a migration if a pull was cut off
KEY_BATCH = 5000


def deferred(session: Session) -> bool:
    """Whether an initial pull is under way (begun, and its indexes not built yet)."""
    return session.get(Meta, DEFERRED_KEY) is not None


def defer_indexes(session: Session) -> None:
    """Drop the synced tables' non-unique indexes, remembering how to build them (caller commits)."""
    connection = session.connection()
    found = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(SYNCED_ENTITIES))}) ORDER BY name",
        tuple(SYNCED_ENTITIES),
    ).all()
    dropped = [(name, sql) for name, sql in found if not _unique(sql)]
    for name, _sql in dropped:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    session.add(Meta(key=DEFERRED_KEY, value=json.dumps(dropped, ensure_ascii=False)))
    session.flush()


def finish(session: Session, note: Callable[[int, int], None] = lambda _d, _t: None) -> None:
    """Build the deferred search keys and indexes; ``note(done, total)`` after each step. The caller
    commits (a rollback leaves the desk as it was: the next pull tries again)."""
    meta = session.get(Meta, DEFERRED_KEY)
    if meta is None:
        return
    statements = [sql for _name, sql in json.loads(meta.value)]
    connection = session.connection()
    total = len(statements) + 1
    build_missing_keys(connection)
    note(1, total)
    for done, sql in enumerate(statements, 2):
        connection.exec_driver_sql(if_not_exists(sql))
        note(done, total)
    session.delete(meta)
    session.flush()


def build_missing_keys(connection: Connection) -> int:
    """Search keys for every client that has none (the clients an initial pull brought), in bulk:
    each distinct name's pinyin is worked out once. Returns how many clients got keys."""
    rows = connection.exec_driver_sql(
        "SELECT id, name, id_number, phone FROM client WHERE NOT EXISTS "
        "(SELECT 1 FROM client_search_key k WHERE k.client_id = client.id) ORDER BY id"
    ).all()
    names: dict[str, set[str]] = {}
    count = 0
    for batch in _batches(rows, KEY_BATCH):
        keys: list[tuple[str, str]] = []
        for client_id, name, number, phone in batch:
            if name not in names:
                names[name] = client_keys(name or "", None, None)
            own = names[name] | client_keys("", number, phone) - {"n"}
            keys.extend((key, client_id) for key in own)
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO client_search_key (key, client_id) VALUES (?, ?)", keys
        )
        count += len(batch)
    return count


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _unique(sql: str) -> bool:
    return sql.lstrip().upper().startswith("CREATE UNIQUE")
