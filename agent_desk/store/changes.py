"""Which tables a unit of work wrote: the screens' change flags are computed from it, not guessed.

A worker wraps its work in ``track_changes()``; every flush inside (on any session the work opens,
the sync engine's and the roster import's included) adds the tables of its new, changed and deleted
rows, and ORM bulk statements add their table. Outside ``track_changes`` the hooks do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_written: ContextVar[set[str] | None] = ContextVar("agent_desk_written_tables", default=None)


@contextmanager
def track_changes() -> Iterator[set[str]]:
    """Collect the names of the tables written inside the block (in this thread)."""
    install()
    tables: set[str] = set()
    token = _written.set(tables)
    try:
        yield tables
    finally:
        _written.reset(token)


def _after_flush(session: Session, _context: Any) -> None:
    tables = _written.get()
    if tables is None:
        return
    dirty = (row for row in session.dirty if session.is_modified(row))
    for row in chain(session.new, dirty, session.deleted):
        name = getattr(type(row), "__tablename__", None)
        if name:
            tables.add(str(name))


def _orm_execute(state: Any) -> None:
    tables = _written.get()
    if tables is None or not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name:
        tables.add(str(name))


def install() -> None:
    """Hook every SQLAlchemy session once (cheap: one context lookup per flush when not tracking)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _orm_execute)
