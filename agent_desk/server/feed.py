"""The change feed: records changed since a cursor, in the hub's sequence order, within the caller's scope.

A record carries the sequence number of its latest change, so a pull returns each changed record
once (the newest state, tombstones included) and costs an index range scan on ``(village_id, seq)``,
plus one on ``hub_departure`` for records that left the caller's villages (see departures.py).
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection, Text, bindparam, cast, func, insert, select, update

from agent_desk.protocol import MAX_PAGE
from agent_desk.server import publications
from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, authenticate_row, utcnow, who_statement
from agent_desk.server.db import SeqCounter
from agent_desk.server.departures import with_departures

DEFAULT_PAGE = 1000


_r = t.record.c
_HEAD = select(t.counter.c.value).where(t.counter.c.name == "seq")
# Built once: a pull only binds values (no statement building or cache-key work per request).
# ``fields`` comes back as its JSON text and goes into the answer as it is (orjson.Fragment): a
# page is not decoded from JSON only to be encoded again.
_PAGE = select(
    _r.seq, _r.entity, _r.id, _r.version, _r.deleted, cast(_r.fields, Text).label("fields")
).where(_r.seq > bindparam("cursor"), _r.seq <= bindparam("head"))
_PAGE_ALL = _PAGE.order_by(_r.seq).limit(bindparam("limit"))
_PAGE_SCOPED = (
    _PAGE.where(_r.village_id.in_(bindparam("villages", expanding=True)))
    .order_by(_r.seq)
    .limit(bindparam("limit"))
)


# A pull's token check also reads the head, the number of publications and the newest departure:
# one round trip, and the departures are looked at only when one is newer than the cursor.
_PAGE_FACTS = (
    _HEAD.scalar_subquery().label("head"),
    publications.COUNT.scalar_subquery().label("publications_held"),
    select(func.max(t.departure.c.seq)).scalar_subquery().label("last_departure"),
)
_PULL_WHO = who_statement(*_PAGE_FACTS)
_FACTS = select(*_PAGE_FACTS)


def pull(
    conn: Connection, bearer: str | None, cursor: int, limit: int = DEFAULT_PAGE
) -> tuple[Principal, dict[str, Any]]:
    """``GET /sync/pull``: who asked, and their page of changes; the last page carries the
    publication versions."""
    who, row = authenticate_row(conn, bearer, _PULL_WHO)
    return who, _page(conn, who, cursor, limit, row)


def page_for(
    conn: Connection, who: Principal, cursor: int, limit: int = DEFAULT_PAGE
) -> dict[str, Any]:
    """The page ``pull`` answers, for a caller already known (``POST /sync/round``, after its push)."""
    return _page(conn, who, cursor, limit, conn.execute(_FACTS).one())


def _page(conn: Connection, who: Principal, cursor: int, limit: int, facts: Any) -> dict[str, Any]:
    departed = facts.last_departure is not None and int(facts.last_departure) > cursor
    page = changes_since(conn, who, cursor, limit, head=int(facts.head), departures=departed)
    if not page["more"]:
        page["publications"] = publications.latest_versions(conn, held=int(facts.publications_held))
    return page


def changes_since(
    conn: Connection,
    who: Principal,
    cursor: int,
    limit: int = DEFAULT_PAGE,
    *,
    head: int | None = None,
    departures: bool = True,
) -> dict[str, Any]:
    """One page of changes as plain dicts ready for ``orjson.dumps`` (no per-row model objects:
    pulls are big); each change's ``fields`` is an ``orjson.Fragment`` of the stored JSON.
    ``head`` is the sequence head, when the caller read it already (before anything else);
    ``departures`` False when the caller knows no record left a village after the cursor."""
    limit = max(1, min(limit, MAX_PAGE))
    head = (
        _head(conn) if head is None else head
    )  # read first: everything at or below it is committed (see db.py)
    if cursor >= head:  # nothing new anywhere: the common case of a sync with nothing to do
        return {"changes": [], "cursor": cursor, "more": False, "head": head}
    params: dict[str, Any] = {"cursor": cursor, "head": head, "limit": limit + 1}
    if who.villages is None:
        stmt = _PAGE_ALL
    elif not who.villages:
        return {"changes": [], "cursor": max(cursor, head), "more": False, "head": head}
    else:
        stmt, params["villages"] = _PAGE_SCOPED, sorted(who.villages)
    rows = conn.execute(stmt, params).all()
    changes = [
        {
            "seq": row.seq,
            "entity": row.entity,
            "id": row.id,
            "version": row.version,
            "deleted": row.deleted,
            "fields": {} if row.deleted else orjson.Fragment(row.fields),
        }
        for row in rows
    ]
    if (
        departures and "villages" in params
    ):  # records that left the caller's villages (one more indexed query)
        changes = with_departures(conn, params, changes)
    more = len(changes) > limit
    changes = changes[:limit]
    # With no more pages the cursor jumps to the head, past changes the caller may not see.
    next_cursor = changes[-1]["seq"] if more else max(cursor, head)
    return {"changes": changes, "cursor": next_cursor, "more": more, "head": head}


def _head(conn: Connection) -> int:
    return int(conn.execute(_HEAD).scalar_one())


def put_hub_record(
    seq: SeqCounter, entity: str, record_id: str, village_id: str | None, fields: dict[str, Any]
) -> int:
    """Write a record the hub owns (a village, a user) into the feed, so desks pull it like any other."""
    conn, r = seq.conn, t.record.c
    current = conn.execute(
        select(t.record.c.version).where(r.entity == entity, r.id == record_id)
    ).scalar()
    number, now = seq.next(), utcnow()
    values = {
        "village_id": village_id,
        "seq": number,
        "fields": fields,
        "updated_at": now,
        "field_meta": {f: [(current or 0) + 1, None] for f in fields},
        "deleted": False,
    }
    if current is None:
        conn.execute(insert(t.record).values(entity=entity, id=record_id, version=1, **values))
    else:
        stmt = update(t.record).where(r.entity == entity, r.id == record_id)
        conn.execute(stmt.values(version=current + 1, **values))
    conn.execute(
        insert(t.change).values(
            seq=number,
            entity=entity,
            entity_id=record_id,
            village_id=village_id,
            version=(current or 0) + 1,
            fields=fields,
            deleted=False,
            at=now,
        )
    )
    return number
