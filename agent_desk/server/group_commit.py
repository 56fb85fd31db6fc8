"""Group commit: the pushes that reach one hub process at the same moment share one transaction.

Every push must take the hub's sequence lock for its last few statements and its commit (db.py),
so pushes are applied one at a time however many arrive. When 200 desks sync at once, each push
waiting its turn also waits for every other one's round trips to the database. Here one writer
thread per process applies whatever pushes are queued together (``push.push_group``): one
row-lock read, one sequence range, one bulk write, one commit for the lot. A group that fails as
a whole (a database error) is retried one push at a time, so one bad push never fails another.

The writer starts on the first push and stops after a quiet minute or when the app shuts down.
The audit slices of the same sync rounds share transactions the same way, on a writer of their
own (``apply`` = ``audit_store.append_slices``).

A group's transaction has a fixed cost (about ten statements, 2.5–4 ms of CPU) against 0.15–0.3 ms
per push in it, and in a burst of desks the pushes reach a writer a few at a time. So while busy
(the previous group ended under ``BUSY_SECONDS`` ago) the writer lingers up to ``LINGER_SECONDS``
for more before it starts a small group; a push to an idle hub starts at once. The devices' last
push (``on_committed``, bookkeeping for ``server devices``) is noted when the queue runs dry or a
second has passed, one statement for all the groups of a burst, not one transaction per group.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from agent_desk.protocol import OpResult
from agent_desk.server.auth import Principal
from agent_desk.server.db import HubDB
from agent_desk.server.push import push_group

log = logging.getLogger(__name__)
MAX_GROUP_OPS = 5000  # one transaction stays short: at most ten full desk batches
IDLE_SECONDS = 60.0
LINGER_SECONDS = 0.02  # how long a busy writer waits to fill a small group
LINGER_BELOW = 64  # a group of this many pushes (or more) starts without waiting
BUSY_SECONDS = 0.05  # a group that ended this recently means a burst is on
NOTE_EVERY = 1.0  # the devices' last push is noted at least this often while pushes keep coming


@dataclass
class _Push:
    who: Principal
    ops: list[dict[str, Any]]
    future: Future[Any] = field(default_factory=Future)


# Applies a group in one transaction; one result per item, in order (an error may be a result).
Apply = Callable[[HubDB, list[tuple[Principal, list[dict[str, Any]]]]], list[Any]]


class GroupCommit:
    def __init__(
        self,
        db: HubDB,
        *,
        max_ops: int = MAX_GROUP_OPS,
        idle: float = IDLE_SECONDS,
        on_group: Callable[[int], None] | None = None,
        on_committed: Callable[[list[tuple[Principal, list[OpResult]]]], None] | None = None,
        apply: Apply | None = None,  # push_group when None
        name: str = "hub-group-commit",
    ) -> None:
        self.db, self.max_ops, self.idle, self.on_group = db, max_ops, idle, on_group
        self.on_committed = on_committed  # after the group's answers are out (devices' last sync)
        self.apply, self.name = apply, name
        self.linger, self.busy, self.note_every = LINGER_SECONDS, BUSY_SECONDS, NOTE_EVERY
        self._queue: queue.SimpleQueue[_Push | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self._closed = False
        self._last_group = float("-inf")  # when the previous group ended (time.monotonic)
        self._notes: list[tuple[Principal, Any]] = []  # committed pushes not noted yet
        self._noted = time.monotonic()

    def submit(self, who: Principal, ops: list[dict[str, Any]]) -> Future[Any]:
        """Queue a push (or a slice); the future holds its results once its group has committed."""
        push = _Push(who, ops)
        with self._lock:
            if self._closed:
                raise RuntimeError("hub is shutting down")
            self._queue.put(push)
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._writer.start()
        return push.future

    def close(self) -> None:
        """Finish what is queued, then stop the writer."""
        with self._lock:
            self._closed = True
            writer = self._writer
            if writer is not None:
                self._queue.put(None)
        if writer is not None:
            writer.join()

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self.idle)
            except queue.Empty:
                with self._lock:  # nothing for a while: stop, unless a push arrived just now
                    if self._queue.empty():
                        self._writer = None
                        return
                continue
            if first is None:
                self._note()
                return
            group, stop = self._gather(first)
            if self.on_group is not None:
                self.on_group(len(group))  # the metrics' group-commit size
            self._apply(group)
            self._last_group = time.monotonic()
            if stop:
                self._note()
                return
            if self._queue.empty() or self._last_group - self._noted >= self.note_every:
                self._note()

    def _gather(self, first: _Push) -> tuple[list[_Push], bool]:
        """``first`` and what is queued behind it; lingering for more while a burst is on."""
        group, count = [first], len(first.ops)
        busy = time.monotonic() - self._last_group < self.busy
        deadline = time.monotonic() + (self.linger if busy else 0.0)
        while count < self.max_ops:
            try:
                push = self._queue.get_nowait()
            except queue.Empty:
                left = deadline - time.monotonic()
                if left <= 0 or len(group) >= LINGER_BELOW:
                    break
                try:
                    push = self._queue.get(timeout=left)
                except queue.Empty:
                    break
            if push is None:
                return group, True
            group.append(push)
            count += len(push.ops)
        return group, False

    def _note(self) -> None:
        """Hand the committed pushes gathered since the last note to ``on_committed``."""
        notes, self._notes, self._noted = self._notes, [], time.monotonic()
        if notes and self.on_committed is not None:
            self.on_committed(notes)

    def _apply(self, group: list[_Push]) -> None:
        try:
            results = (self.apply or push_group)(self.db, [(p.who, p.ops) for p in group])
        except Exception as exc:  # noqa: BLE001 - handed to the waiting request, or retried alone
            if len(group) == 1:
                group[0].future.set_exception(exc)
                return
            log.warning(
                "a group of %d pushes failed (%s); applying them one by one",
                len(group),
                type(exc).__name__,
            )
            for push in group:
                self._apply([push])
            return
        for push, result in zip(group, results, strict=True):
            push.future.set_result(result)
        if self.on_committed is not None:
            self._notes += [(p.who, r) for p, r in zip(group, results, strict=True)]
