"""One person, one record: the hub knows each township's clients by their 18-digit ID number (or
credit code), so a villager registered on two desks becomes one client, and the second desk's copy
becomes an alias of the first (its cases and scans follow it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select

from agent_desk.core.identity import id_match_key
from agent_desk.server import tables as t

Key = tuple[str, str]  # (township code, normalised number)
REFERENCES = {"case": "client_id", "client_document": "client_id"}  # fields that name a client


def normalised_number(fields: Mapping[str, Any]) -> str | None:
    """The number a person is matched by (``core.identity.id_match_key``: a 15-digit resident number
    becomes its 18-digit form; a credit code stays as it is)."""
    number = fields.get("id_number")
    return id_match_key(number) if isinstance(number, str) and number else None


def identity_key(township: str | None, fields: Mapping[str, Any]) -> Key | None:
    number = normalised_number(fields)
    return (township, number) if township and number else None


def village_townships(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(t.village.c.id, t.village.c.township_code)).all())  # type: ignore[arg-type]


def load_identities(conn: Connection, keys: Iterable[Key]) -> dict[Key, str]:
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    c = t.identity.c
    stmt = select(c.township_code, c.number, c.client_id).where(
        or_(*(and_(c.township_code == tw, c.number == n) for tw, n in wanted))
    )
    return {(tw, n): cid for tw, n, cid in conn.execute(stmt)}


def load_aliases(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    c = t.alias.c
    stmt = select(c.alias_id, c.target_id).where(c.entity == "client", c.alias_id.in_(wanted))
    return dict(conn.execute(stmt).all())  # type: ignore[arg-type]


def write(
    conn: Connection, identities: dict[Key, str], aliases: list[dict[str, Any]], now: datetime
) -> None:
    """Replace the identity rows this batch decided and add its aliases."""
    if identities:
        c = t.identity.c
        keys = [and_(c.township_code == tw, c.number == n) for tw, n in identities]
        conn.execute(delete(t.identity).where(or_(*keys)))
        rows = [
            {"township_code": tw, "number": n, "client_id": cid}
            for (tw, n), cid in identities.items()
        ]
        conn.execute(insert(t.identity), rows)
    if aliases:
        conn.execute(insert(t.alias), [a | {"at": now} for a in aliases])
