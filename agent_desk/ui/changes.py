"""Typed change flags, computed from what an operation flushed, and the one way a screen follows them.

An operation (``DeskContext.write``/``track``) reports the tables it wrote; ``from_tables`` turns
them into ``Change`` flags and the ``ChangeBus`` carries them to every open page and window that
``subscribe``\\ d. A subscription lives as a child of its widget, so it ends when the widget does.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


class Change(enum.Flag):
    NONE = 0
    CLIENT = enum.auto()  # profiles, households, search keys
    CASE = enum.auto()  # cases and their events
    DOCUMENT = enum.auto()  # required, library and printed documents
    BATCH = enum.auto()  # hand-over batches
    VILLAGE = enum.auto()  # villages and users
    OUTBOX = enum.auto()  # changes waiting for the hub
    SYNC = enum.auto()  # a sync ran: conflicts, set-aside changes, the sync log
    SETTINGS = enum.auto()
    CATALOG = enum.auto()  # a catalog, templates or calendar was published to this desk
    REQUEST = enum.auto()  # 一件事 requests (their cases are CASE)

    def __contains__(self, other: object) -> bool:
        """``"case" in changes`` still works for code written against the old string sets."""
        if isinstance(other, str):
            other = Change.__members__.get(other.upper(), Change.NONE)
            return bool(other) and super().__contains__(other)
        return super().__contains__(other)


TABLE_CHANGES: dict[str, Change] = {
    "client": Change.CLIENT,
    "household": Change.CLIENT,
    "client_search_key": Change.CLIENT,
    "client_change": Change.CLIENT,
    "case": Change.CASE,
    "case_event": Change.CASE,
    "case_publication": Change.CASE,
    "case_document": Change.DOCUMENT,
    "client_document": Change.DOCUMENT,
    "generated_document": Change.DOCUMENT,
    "handover_batch": Change.BATCH,
    "request": Change.REQUEST,
    "village": Change.VILLAGE,
    "desk_user": Change.VILLAGE,
    "outbox": Change.OUTBOX,
    "sync_conflict": Change.SYNC,
    "sync_set_aside": Change.SYNC,
    "sync_log": Change.SYNC,
}


def from_tables(tables: Iterable[str]) -> Change:
    """The flags for the tables a unit of work flushed (tables no screen shows count for nothing)."""
    changes = Change.NONE
    for table in tables:
        changes |= TABLE_CHANGES.get(table, Change.NONE)
    return changes


def from_names(*names: str | Change) -> Change:
    changes = Change.NONE
    for name in names:
        changes |= name if isinstance(name, Change) else Change.__members__[name.upper()]
    return changes


class ChangeBus(QObject):
    """Screens refresh from here: ``changed`` carries one ``Change`` value."""

    changed = Signal(object)

    def emit_changes(self, changes: Change) -> None:
        if changes:
            self.changed.emit(changes)

    def notify(self, *names: str | Change) -> None:
        """For changes no flush shows (settings, a catalog loaded); writes report their own."""
        self.emit_changes(from_names(*names))


DataBus = ChangeBus  # the old name


class _Subscription(QObject):
    """A child of the subscribing widget: Qt disconnects it when the widget is deleted."""

    def __init__(self, owner: QObject, flags: Change, callback: Callable[[Change], Any]) -> None:
        super().__init__(owner)
        self.flags, self.callback = flags, callback

    @Slot(object)
    def deliver(self, changes: Change) -> None:
        if changes & self.flags:
            self.callback(changes)


def subscribe(
    bus: ChangeBus, owner: QObject, flags: Change, callback: Callable[[Change], Any]
) -> None:
    """The one way a page or window follows data: ``callback(changes)`` when any of ``flags`` changed."""
    subscription = _Subscription(owner, flags, callback)
    bus.changed.connect(subscription.deliver)
