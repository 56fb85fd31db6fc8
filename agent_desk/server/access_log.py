"""One JSON line per request, in a file per day, kept ``access_log_days`` (180 by default).

网络安全法 第二十一条 asks for network logs kept at least six months. A line holds the time, the
user and device ids (opaque ids, never a name or an ID number), method, route template (never the
path with its values, nor the query), status, duration and bytes sent. Files are named by date and
written with one ``O_APPEND`` write per line, so several API workers share a day's file safely and
rotation needs no coordination: whoever first writes on a new day prunes the files past the limit.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

Record = dict[str, Any]
PREFIX, SUFFIX = "access-", ".jsonl"


class DailyJsonLog:
    """Append-only daily files ``access-YYYY-MM-DD.jsonl`` under ``folder``; older than ``keep_days`` pruned."""

    def __init__(
        self, folder: Path, keep_days: int = 180, *, today: Callable[[], date] = date.today
    ) -> None:
        self.folder, self.keep_days, self._today = folder, keep_days, today
        folder.mkdir(parents=True, exist_ok=True)
        self._day: date | None = None
        self._fd = -1
        self._guard = threading.Lock()

    def write(self, record: Record) -> None:
        line = orjson.dumps(record) + b"\n"
        with self._guard:
            day = self._today()
            if day != self._day:
                self._open(day)
            os.write(self._fd, line)

    def _open(self, day: date) -> None:
        self.close()
        path = self.folder / f"{PREFIX}{day.isoformat()}{SUFFIX}"
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        self._day = day
        self.prune(day)

    def prune(self, day: date) -> None:
        oldest = day - timedelta(days=self.keep_days)  # today plus full keep_days before it
        for path in self.folder.glob(f"{PREFIX}*{SUFFIX}"):
            try:
                stamp = date.fromisoformat(path.name.removeprefix(PREFIX).removesuffix(SUFFIX))
            except ValueError:
                continue
            if stamp < oldest:
                path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class RequestObserver:
    """Pure ASGI middleware (no per-request task or thread hop): times each request, counts the bytes
    sent and hands one record to every sink (the access log, the metrics)."""

    def __init__(self, app: Any, sinks: Sequence[Callable[[Record], None]]) -> None:
        self.app, self.sinks = app, sinks

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, facts = time.perf_counter(), {"status": 500, "bytes": 0}

        async def counting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                facts["status"] = message["status"]
            elif message["type"] == "http.response.body":
                facts["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            record = _record(scope, facts, (time.perf_counter() - started) * 1000)
            for sink in self.sinks:
                sink(record)


def _record(scope: dict[str, Any], facts: dict[str, int], duration_ms: float) -> Record:
    route = scope.get("route")
    who = scope.get("state", {}).get("principal")
    return {
        "time": datetime.now().astimezone().isoformat(timespec="milliseconds"),
        "user": getattr(who, "user_id", None),
        "device": getattr(who, "device_id", None),
        "method": scope.get("method", ""),
        "route": getattr(route, "path", None) or "(unmatched)",
        "status": facts["status"],
        "duration_ms": round(duration_ms, 1),
        "bytes": facts["bytes"],
    }
