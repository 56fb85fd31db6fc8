"""Records leaving a village: the hub notes each departure so the desks of that village drop their copy.

The feed filters records by their *current* village, so on its own it could never tell a village's
desks that a record moved away. A push that moves a household, client or case writes a
``hub_departure`` row (the seq of the moving change, the village it left) and moves the record's
children (events and documents of a case, documents of a client) to the new village with fresh
seqs, so the new village's desks receive them. A pull page lists a departure for a caller who can
see the village it left but not the record's village now; the desk then drops the record and the
children it holds (it cascades locally: the hub does not list children).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Connection, and_, bindparam, or_, select

from agent_desk.protocol import CHILD_LINKS
from agent_desk.server import tables as t

_d, _r = t.departure.c, t.record.c
_INSIDE: BindParameter[list[str]] = bindparam("villages", expanding=True)
# Built once, like the feed's own page: departures from the caller's villages in (cursor, head] of
# records whose village now is not one of them; an index range on (village_id, seq), joined by key.
_GONE = (
    select(_d.seq, _d.entity, _d.entity_id)
    .join(t.record, and_(_r.entity == _d.entity, _r.id == _d.entity_id))
    .where(
        _d.village_id.in_(_INSIDE),
        _d.seq > bindparam("cursor"),
        _d.seq <= bindparam("head"),
        or_(_r.village_id.is_(None), _r.village_id.not_in(_INSIDE)),
    )
    .order_by(_d.seq)
    .limit(bindparam("limit"))
)


def with_departures(
    conn: Connection, params: dict[str, Any], changes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Merge the departures of the page's range into its changes. ``params`` are the feed's own
    (cursor, head, villages, and limit: one more than the page) and both lists are in seq order and
    at most that long, so the first ``limit`` merged entries leave the caller's "more" test and
    cursor as they were.

    Seqs never repeat across the two (a departure has the seq of the change that moved the record,
    and that change is outside the caller's scope), so cutting the merged list at any entry and
    resuming after its seq skips nothing and repeats nothing. A departure reads as a version-0
    tombstone to a desk that predates ``left_scope``: such a desk skips it (it holds a higher
    version, or would not insert a tombstone), so it cannot break."""
    gone = [
        {
            "seq": row.seq,
            "entity": row.entity,
            "id": row.entity_id,
            "version": 0,
            "deleted": True,
            "fields": {},
            "left_scope": True,
        }
        for row in conn.execute(_GONE, params)
    ]
    if not gone:
        return changes
    return sorted(changes + gone, key=lambda c: c["seq"])[: params["limit"]]


def children_of(
    conn: Connection, entity: str, entity_id: str, village_id: str | None, *, lock: bool
) -> list[dict[str, Any]]:
    """The hub records that follow this parent (by their link field), read in the parent's old village
    (an indexed range of one village, filtered on the link; a move is rare), row-locked if asked."""
    kinds = CHILD_LINKS.get(entity)
    if not kinds or village_id is None:
        return []
    r = t.record.c
    linked = or_(
        *(and_(r.entity == child, r.fields[link].as_string() == entity_id) for child, link in kinds)
    )
    stmt = select(t.record).where(r.village_id == village_id, linked)
    if lock:
        stmt = stmt.order_by(r.entity, r.id).with_for_update()
    return [dict(row) for row in conn.execute(stmt).mappings()]


def departure_rows(changes: list[dict[str, Any]], left: dict[int, str]) -> list[dict[str, Any]]:
    """Departure rows for the batch's changes that moved a record: ``left`` maps a change's index to the
    village it left; called once the changes carry their final seqs."""
    return [
        {
            "seq": changes[i]["seq"],
            "entity": changes[i]["entity"],
            "entity_id": changes[i]["entity_id"],
            "village_id": village,
        }
        for i, village in left.items()
    ]
