"""Backups: a scheduled copy with rotation, a manual one, and a restore that keeps the current database aside.

The scheduled backup runs once a day in the background after the window is usable. It keeps one
weekly copy and ``keep`` daily copies (one by default): two database sizes at rest, where seven
daily copies took seven (11 GB at 300k cases). Only one backup runs at a time (a lock file, across
processes); a copy is written as ``.partial`` and renamed when complete, and older copies are removed
only after that, so a crash mid-backup leaves every earlier copy intact.

A backup of an encrypted desk is encrypted with the same data key (a password change re-wraps the
key, so old backups still open). Backups hold the database; attachments are content-addressed and
never rewritten, so the ones a restored database names are still in ``attachments/``.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from filelock import FileLock, Timeout

from agent_desk import atomic
from agent_desk.core.errors import DomainError
from agent_desk.services.desk import Desk
from agent_desk.store import audit
from agent_desk.store.datadir import DataDir
from agent_desk.store.db import copy_database, integrity_check, make_engine, schema_state
from agent_desk.store.encrypt import is_plaintext
from agent_desk.store.errors import DatabaseCorrupt, StoreError

log = logging.getLogger(__name__)
DAILY = "daily"
WEEKLY = "weekly"
KEEP_DEFAULT = 1  # daily copies kept beside the weekly one
DAY = timedelta(hours=23)  # "a day old" with an hour's slack for a desk started a little earlier
WEEK = timedelta(days=7) - timedelta(hours=1)
THREAD_MODE_BACKGROUND_BEGIN = 0x00010000
Progress = Callable[[int, int], None]  # (bytes copied, database bytes)
_STAMP = re.compile(r"-(\d{8}-\d{6})\.db$")


class RestoreRefused(DomainError):
    pass


def make_backup(
    desk: Desk,
    reason: str = "manual",
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Record the backup in the audit trail, then copy the database into ``backups/``."""
    with desk.db.session() as session:
        audit.append(session, "backup", detail={"reason": reason})
        session.commit()
    desk.data.backups.mkdir(parents=True, exist_ok=True)
    target = (
        desk.data.backups
        / f"{desk.data.database.stem}-{reason}-{now or datetime.now():%Y%m%d-%H%M%S}.db"
    )
    with _watching(target, desk.data.database, progress):
        copy_database(desk.db.engine, target, cancelled)
    log.info("backup written: %s", target.name)
    return target


@contextmanager
def _watching(target: Path, database: Path, progress: Progress | None) -> Iterator[None]:
    """Report the copy's growth against the database size twice a second (the copy itself is one
    SQLite call with no progress of its own)."""
    if progress is None:
        yield
        return
    partial, total, stop = (
        target.with_name(target.name + ".partial"),
        database.stat().st_size,
        threading.Event(),
    )

    def watch() -> None:
        while not stop.wait(0.5):
            with contextlib.suppress(OSError):
                progress(min(partial.stat().st_size, total), total)

    watcher = threading.Thread(target=watch, name="backup-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()


def lower_priority() -> None:
    """Run the calling thread in the background: lowest CPU priority and, where the OS ties them,
    I/O priority (Linux derives it from nice; Windows' background mode lowers both)."""
    try:
        if sys.platform == "win32":
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), THREAD_MODE_BACKGROUND_BEGIN)
        elif sys.platform.startswith("linux"):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)  # this thread only
    except (OSError, AttributeError):
        log.info("could not lower the backup thread's priority")


def backups_of(backups: Path, reason: str) -> list[Path]:
    """Backups of one kind, oldest first (by the time stamp in their name)."""
    found = [p for p in backups.glob(f"*-{reason}-*.db") if _STAMP.search(p.name)]
    return sorted(found, key=lambda p: _STAMP.search(p.name).group(1))  # type: ignore[union-attr]


def rotate(backups: Path, reason: str = DAILY, keep: int = KEEP_DEFAULT) -> list[Path]:
    """Delete the oldest backups of ``reason`` beyond ``keep``; returns what was removed."""
    old = backups_of(backups, reason)[: -max(1, keep)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _stamp(path: Path) -> datetime:
    return datetime.strptime(_STAMP.search(path.name).group(1), "%Y%m%d-%H%M%S")  # type: ignore[union-attr]


def due_backup(backups: Path, now: datetime | None = None) -> str | None:
    """The scheduled copy due now: weekly when the weekly copy is a week old, else daily once a day."""
    now = now or datetime.now()
    weekly, daily = backups_of(backups, WEEKLY), backups_of(backups, DAILY)
    newest = max((_stamp(p) for p in weekly + daily), default=None)
    if newest is not None and now - newest < DAY:
        return None
    return WEEKLY if not weekly or now - _stamp(weekly[-1]) >= WEEK else DAILY


def daily_backup_due(backups: Path, now: datetime | None = None) -> bool:
    return due_backup(backups, now) is not None


def backup_lock(backups: Path) -> FileLock:
    """Held while a backup is written; the OS releases it if the process dies."""
    backups.mkdir(parents=True, exist_ok=True)
    return FileLock(backups / ".backup.lock")


def daily_backup(
    desk: Desk,
    keep: int = KEEP_DEFAULT,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path | None:
    """The scheduled backup: at most one a day and one at a time; the copies beyond the rotation
    are removed once the new one is complete. None when none was due or one is running already."""
    lock = backup_lock(desk.data.backups)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.info("a backup is already running; not starting another")
        return None
    try:
        reason = due_backup(desk.data.backups, now)
        if reason is None:
            return None
        for stale in desk.data.backups.glob("*.partial"):  # left by a backup killed mid-way
            stale.unlink(missing_ok=True)
        path = make_backup(desk, reason, now, progress, cancelled)
        rotate(desk.data.backups, DAILY, keep)
        rotate(desk.data.backups, WEEKLY, 1)
        return path
    finally:
        lock.release()


def backup_space(backups: Path) -> int:
    """Bytes the scheduled copies take (the bench compares it with the database size)."""
    return sum(p.stat().st_size for p in backups_of(backups, DAILY) + backups_of(backups, WEEKLY))


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    kept_aside: Path | None
    revision: str | None


def check_backup(source: Path, key: bytes | None) -> str | None:
    """Open the backup read-only and vet it: ours, not from a newer schema, sound. Returns its revision."""
    if not source.is_file():
        raise RestoreRefused(f"找不到备份文件 {source}", code="backup_missing")
    engine = make_engine(source, None if is_plaintext(source) else key)
    try:
        state = schema_state(engine, source)
        if state.empty:
            raise RestoreRefused(
                f"{source.name} 不是代办通的备份（没有数据结构）", code="backup_empty"
            )
        problems = integrity_check(engine)
    except StoreError as exc:
        raise RestoreRefused(
            f"不能恢复 {source.name}：{exc}", code=getattr(exc, "code", "restore_refused")
        ) from exc
    finally:
        engine.dispose()
    if problems:
        raise RestoreRefused(
            f"备份 {source.name} 已损坏（{problems[0]}），未恢复", code="backup_corrupt"
        )
    return state.revision


def restore(data: DataDir, source: Path, key: bytes | None) -> RestoreResult:
    """Replace the (closed) desk database with ``source``; the current one is moved to ``backups/``."""
    try:
        revision = check_backup(source, key)
    except DatabaseCorrupt as exc:
        raise RestoreRefused(str(exc), code="backup_corrupt") from exc
    data.backups.mkdir(parents=True, exist_ok=True)
    staged = data.database.with_name(data.database.name + ".restoring")
    shutil.copyfile(source, staged)
    aside = None
    if data.database.exists():
        aside = (
            data.backups / f"{data.database.stem}-before-restore-{datetime.now():%Y%m%d-%H%M%S}.db"
        )
        os.replace(data.database, aside)
        for suffix in ("-wal", "-shm"):
            side = data.database.with_name(data.database.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    atomic.fsync_file(staged)
    atomic.replace(staged, data.database)
    log.info("restored %s (schema %s); previous database kept as %s", source.name, revision, aside)
    return RestoreResult(data.database, aside, revision)
