"""Open cases' due dates recomputed when the official calendar changes (a new holiday schedule).

A due date is ``n`` working days after acceptance. When the calendar changes, ``n`` is measured on
the calendar the date was computed with and counted again on the new one, so a deadline keeps its
length in working days (whatever extended it) and only moves by the holidays that changed. Each
case whose date moved gets an event that says so ("办结期限因放假安排调整由 12-18 改为 12-25"),
and both the new date and the event are queued for the hub in the caller's transaction.

Written for 300k open cases: one read of six columns, each distinct (acceptance, due date) pair
counted once, the moved cases in a temp table, the dates moved by one UPDATE from it (the due-date
indexes built again when many move), then the events and outbox entries built by SQLite from the
same table (INSERT … SELECT) in case id order. Five case indexes hold an open case's due date and
one its ``updated_at`` (migration 0014): those are built again.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import Connection
from sqlmodel import Session

from agent_desk.core.calendar import WorkCalendar
from agent_desk.core.case_flow import OPEN_STATUSES
from agent_desk.store.bulk import db_datetime
from agent_desk.store.db import CACHE_KIB as DEFAULT_CACHE_KIB
from agent_desk.store.models import utcnow

ACTION = "deadline_adjusted"
CHUNK = 5000
# 512 MB at most while the dates move (the case table and indexes of 300k cases stay in memory),
# then back to the house setting
CACHE_KIB = 524288
MOVED_COLUMNS = ("due_on", "updated_at")
# moved cases, as a share of all cases, from which the indexes holding MOVED_COLUMNS are built again
REBUILD_SHARE = 0.25
Progress = Callable[[int, int | None, str], None]
# rowid, id, status, version, old due date, new due date
Moved = tuple[int, str, str, int, date, date]


_STATUSES = ", ".join(f"'{s.value}'" for s in sorted(OPEN_STATUSES))
# open cases with an acceptance and a due date, read in rowid order (a table scan)
_OPEN = (
    f"WHERE status IN ({_STATUSES}) AND due_on IS NOT NULL AND accepted_on IS NOT NULL"
    " AND deleted = 0"
)
_OPEN_CASES = f'FROM "case" NOT INDEXED {_OPEN}'


def moved_text(old: date, new: date) -> str:
    """The event's reason, as the case screen shows it."""
    if old.year != new.year:
        return f"办结期限因放假安排调整由 {old.isoformat()} 改为 {new.isoformat()}"
    return (
        f"办结期限因放假安排调整由 {old.month:02d}-{old.day:02d} 改为 {new.month:02d}-{new.day:02d}"
    )


def moved_cases(session: Session, old: WorkCalendar, new: WorkCalendar) -> list[Moved]:
    """Open cases whose due date differs on ``new``; read-only (the dry run counts these).

    Counted once per distinct (acceptance, due date) pair: 300k open cases share a few thousand."""
    rows = session.connection().exec_driver_sql(
        f"SELECT rowid, id, status, version, accepted_on, due_on {_OPEN_CASES}"
    )
    moves: dict[tuple[str, str], tuple[date, date] | None] = {}
    moved = []
    for rowid, case_id, status, version, accepted_text, due_text in rows:
        pair = (accepted_text, due_text)
        if pair not in moves:
            moves[pair] = _move(old, new, accepted_text, due_text)
        if (move := moves[pair]) is not None:
            moved.append((rowid, case_id, status, version, *move))
    return moved


def _move(
    old: WorkCalendar, new: WorkCalendar, accepted_text: str, due_text: str
) -> tuple[date, date] | None:
    """(old, new) due date of a case accepted and due on these days, or None when it stays."""
    accepted, due = date.fromisoformat(accepted_text), date.fromisoformat(due_text)
    days = old.working_days_between(accepted, due)
    if days < 0:
        return None  # a due date before acceptance was set by hand: leave it alone
    new_due = new.add_working_days(accepted, days)
    return None if new_due == due else (due, new_due)


def recompute_due_dates(
    session: Session,
    old: WorkCalendar,
    new: WorkCalendar,
    *,
    actor: str,
    progress: Progress | None = None,
    queue: bool = True,
) -> int:
    """Move every open case's due date from ``old`` to ``new``; returns how many moved. With
    ``queue`` (an agent's desk) each move is an event and both go to the hub; without (a reviewer's
    desk) only the dates move here, until the agent's change arrives.

    The caller commits (with the calendar version that caused it)."""
    tick = progress or (lambda done, total, text: None)
    tick(0, None, "正在按新的放假安排重新计算办结期限…")
    connection = session.connection()
    pairs = moved_pairs(connection, old, new)
    if not pairs:
        return 0
    connection.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")  # index pages of 300k cases
    try:
        stamp = db_datetime(utcnow())
        moved = _fill_moved(connection, pairs)
        _move_dates(connection, moved, stamp)
        tick(moved // 2 if queue else moved, moved, "正在调整办结期限…")
        if queue:
            ids = os.urandom(10).hex()
            for start in range(0, moved, CHUNK):
                _queue(connection, start, start + CHUNK, actor, ids, stamp)
                done = moved // 2 + (min(start + CHUNK, moved) + 1) // 2
                tick(done, moved, f"正在记录办结期限调整 {done}/{moved}…")
        connection.exec_driver_sql("DELETE FROM temp.moved_case")
        connection.exec_driver_sql("DELETE FROM temp.moved_pair")
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size=-{DEFAULT_CACHE_KIB}")
    # The rows above are written in SQL, past the flush hooks that chain each change: one link
    # says what moved and why, so the audit trail still holds every change (DESIGN.md).
    from agent_desk.store.audit import append

    append(
        session,
        "deadline_adjusted",
        entity="case",
        detail={"cases": moved, "calendar_version": new.version, "queued": queue},
        actor=actor,
    )
    return moved


def moved_pairs(
    connection: Connection, old: WorkCalendar, new: WorkCalendar
) -> list[tuple[str, str, str]]:
    """(acceptance, due date, new due date) of each distinct pair of the open cases that moves;
    300k open cases share a few thousand pairs, so only those reach Python."""
    rows = connection.exec_driver_sql(f"SELECT DISTINCT accepted_on, due_on {_OPEN_CASES}")
    moves = ((a, d, _move(old, new, a, d)) for a, d in rows)
    return [(a, d, move[1].isoformat()) for a, d, move in moves if move is not None]


def _fill_moved(connection: Connection, pairs: list[tuple[str, str, str]]) -> int:
    """The moved cases in a temp table keyed by their rank in case id order, the order their events
    and outbox entries are written in (each event's case, the foreign key, and the events' case
    index are then read page by page in order, never at random); returns how many."""
    # DATE columns like the case's own: compared with the same affinity, the join seeks this key
    # (with TEXT it scanned every pair for every case, 10 s)
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS moved_pair (accepted DATE, due DATE, new_due TEXT NOT NULL,"
        " PRIMARY KEY (accepted, due)) WITHOUT ROWID"
    )
    connection.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS moved_case (k INTEGER PRIMARY KEY, case_rowid INTEGER NOT NULL,"
        " case_id TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL,"
        " old_due TEXT NOT NULL, due_on TEXT NOT NULL)"
    )
    connection.exec_driver_sql("DELETE FROM temp.moved_pair")
    connection.exec_driver_sql("DELETE FROM temp.moved_case")
    connection.exec_driver_sql("INSERT INTO temp.moved_pair VALUES (?, ?, ?)", pairs)
    connection.exec_driver_sql(
        'INSERT INTO temp.moved_case SELECT row_number() OVER (ORDER BY id) - 1, "case".rowid, id,'
        ' status, version, due_on, p.new_due FROM "case" NOT INDEXED JOIN temp.moved_pair AS p'
        f" ON p.accepted = accepted_on AND p.due = due_on {_OPEN}"
    )
    return int(connection.exec_driver_sql("SELECT count(*) FROM temp.moved_case").scalar() or 0)


def _move_dates(connection: Connection, count: int, stamp: str) -> None:
    """One UPDATE … FROM the temp table.

    Each moved case changes an entry in every index holding ``due_on`` and ``updated_at``: at 192k
    of 300k cases, millions of index writes, which took twice the CPU of building those indexes
    again (one sorted pass each). So when a large share of the cases moves, they are dropped and
    built again around the UPDATE, inside the caller's transaction (a rollback brings the old ones
    back). The partial indexes stay: they hold closed cases only (migration 0014), never one of the
    open cases that move, so the UPDATE writes nothing there, where building one again reads the
    whole table."""
    cases = connection.exec_driver_sql('SELECT max(rowid) FROM "case"').scalar() or 0
    many = count >= cases * REBUILD_SHARE
    rebuilt = drop_case_indexes(connection, MOVED_COLUMNS, partial=False) if many else []
    connection.exec_driver_sql(
        'UPDATE "case" SET due_on = m.due_on, updated_at = ? FROM temp.moved_case AS m '
        'WHERE "case".rowid = m.case_rowid',
        (stamp,),
    )
    if rebuilt:
        # each build is a scan and a sort; SQLite sorts with a helper thread when allowed (a
        # desk's PC has two cores or more): 300k cases, idle machine, 9.9–11.3 s → 7.8–8.1 s wall
        connection.exec_driver_sql(f"PRAGMA threads = {SORT_THREADS}")
        try:
            for sql in rebuilt:
                connection.exec_driver_sql(sql)
        finally:
            connection.exec_driver_sql("PRAGMA threads = 0")


def drop_case_indexes(
    connection: Connection, columns: tuple[str, ...], *, partial: bool = True
) -> list[str]:
    """Drop the case table's indexes that hold any of ``columns`` (without ``partial``, only those
    over every case); returns their CREATE statements.

    Always inside a transaction: the driver starts one only before a data change, and a DROP
    outside one would be committed at once."""
    if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    found = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'case' "
        "AND sql IS NOT NULL ORDER BY name"
    ).all()
    dropped = []
    for name, sql in found:
        if not partial and _PARTIAL.search(sql):
            continue
        held = {row[2] for row in connection.exec_driver_sql(f'PRAGMA index_info("{name}")')}
        if held & set(columns) or any(c in sql for c in columns):
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
            dropped.append(sql)
    return dropped


SORT_THREADS = 2  # helper threads SQLite may use to sort while building an index
_PARTIAL = re.compile(r"\)\s*WHERE\b", re.IGNORECASE)  # CREATE INDEX … ON "case" (…) WHERE …


# The events and outbox entries are built by SQLite from the temp table, as text exactly like the
# values SQLAlchemy would store (see store.bulk): formatting them in Python was most of their time.
# Ids: a random 80-bit prefix and a counter, 32 hex digits like ``store.models.new_id``; new rows
# then land side by side in the id indexes instead of at random pages (unique: the prefix is fresh
# for every recompute). Case k (in case id order) has its event 3k+1, its date's entry 3k+2 and its
# event's entry 3k+3.
_REASON = (
    "'办结期限因放假安排调整由 ' || CASE WHEN substr(old_due, 1, 4) = substr(due_on, 1, 4)"
    " THEN substr(old_due, 6) || ' 改为 ' || substr(due_on, 6) ELSE old_due || ' 改为 ' || due_on END"
)
_PAYLOAD = """'{"from": "' || old_due || '", "to": "' || due_on || '"}'"""
_CHUNK = "FROM temp.moved_case WHERE k >= :start AND k < :stop ORDER BY k"
_EVENT = (
    "INSERT INTO case_event (id, version, deleted, updated_at, case_id, action, from_status, to_status,"
    " actor, at, reason, payload) SELECT printf('%s%012x', :ids, 3 * k + 1), 0, 0, :stamp, case_id,"
    f" :action, status, status, :actor, :at, {_REASON}, {_PAYLOAD} {_CHUNK}"
)
_OUTBOX = (
    "INSERT INTO outbox (op_id, entity, entity_id, op, fields, base_version, created_at, state, attempts)"
    " SELECT printf('%s%012x', :ids, 3 * k + {n}), '{entity}', {entity_id}, 'upsert', {fields},"
    " {base}, :stamp, 'pending', 0 " + _CHUNK
)
_CASE_OP = _OUTBOX.format(
    n=2,
    entity="case",
    entity_id="case_id",
    fields="""'{"due_on": "' || due_on || '"}'""",
    base="version",
)
_EVENT_OP = _OUTBOX.format(
    n=3,
    entity="case_event",
    entity_id="printf('%s%012x', :ids, 3 * k + 1)",
    fields=(
        """'{"deleted": false, "case_id": "' || case_id || '", "action": "' || :action"""
        """ || '", "from_status": "' || status || '", "to_status": "' || status"""
        """ || '", "actor": ' || :actor_json || ', "at": ' || :at_json"""
        f""" || ', "reason": "' || {_REASON} || '", "payload": ' || {_PAYLOAD} || '}}'"""
    ),
    base="0",
)


def _queue(connection: Connection, start: int, stop: int, actor: str, ids: str, stamp: str) -> None:
    """The events of the moved cases ranked ``start`` to ``stop``, then their outbox entries for the
    hub: the chunk's new dates before its events."""
    at = datetime.now().astimezone()
    params = {
        "start": start,
        "stop": stop,
        "ids": ids,
        "stamp": stamp,
        "action": ACTION,
        "actor": actor,
        "at": db_datetime(at),
        "actor_json": json.dumps(actor, ensure_ascii=False),
        "at_json": json.dumps(at.isoformat()),
    }
    connection.exec_driver_sql(_EVENT, params)
    connection.exec_driver_sql(_CASE_OP, params)
    connection.exec_driver_sql(_EVENT_OP, params)
