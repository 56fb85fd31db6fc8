"""Backups: a daily copy with rotation, a manual one, and a restore that keeps the current database aside.

A backup of an encrypted desk is encrypted with the same data key (a password change re-wraps the
key, so old backups still open). Backups hold the database; attachments are content-addressed and
never rewritten, so the ones a restored database names are still in ``attachments/``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from agent_desk.core.errors import DomainError
from agent_desk.services.desk import Desk
from agent_desk.store import audit
from agent_desk.store.datadir import DataDir
from agent_desk.store.db import copy_database, integrity_check, make_engine, schema_state
from agent_desk.store.encrypt import is_plaintext
from agent_desk.store.errors import DatabaseCorrupt, StoreError

log = logging.getLogger(__name__)
DAILY = "daily"
KEEP_DEFAULT = 7
_STAMP = re.compile(r"-(\d{8}-\d{6})\.db$")


class RestoreRefused(DomainError):
    pass


def make_backup(desk: Desk, reason: str = "manual") -> Path:
    """Record the backup in the audit trail, then copy the database into ``backups/``."""
    with desk.db.session() as session:
        audit.append(session, "backup", detail={"reason": reason})
        session.commit()
    desk.data.backups.mkdir(parents=True, exist_ok=True)
    target = desk.data.backups / f"{desk.data.database.stem}-{reason}-{datetime.now():%Y%m%d-%H%M%S}.db"
    copy_database(desk.db.engine, target)
    log.info("backup written: %s", target.name)
    return target


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


def daily_backup_due(backups: Path, now: datetime | None = None) -> bool:
    latest = backups_of(backups, DAILY)
    if not latest:
        return True
    stamp = datetime.strptime(_STAMP.search(latest[-1].name).group(1), "%Y%m%d-%H%M%S")  # type: ignore[union-attr]
    return (now or datetime.now()) - stamp >= timedelta(hours=23)


def daily_backup(desk: Desk, keep: int = KEEP_DEFAULT, now: datetime | None = None) -> Path | None:
    """The automatic backup: at most one a day, the oldest beyond ``keep`` removed."""
    if not daily_backup_due(desk.data.backups, now):
        return None
    path = make_backup(desk, DAILY)
    rotate(desk.data.backups, DAILY, keep)
    return path


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
            raise RestoreRefused(f"{source.name} 不是代办通的备份（没有数据结构）", code="backup_empty")
        problems = integrity_check(engine)
    except StoreError as exc:
        raise RestoreRefused(f"不能恢复 {source.name}：{exc}", code=getattr(exc, "code", "restore_refused")) from exc
    finally:
        engine.dispose()
    if problems:
        raise RestoreRefused(f"备份 {source.name} 已损坏（{problems[0]}），未恢复", code="backup_corrupt")
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
        aside = data.backups / f"{data.database.stem}-before-restore-{datetime.now():%Y%m%d-%H%M%S}.db"
        os.replace(data.database, aside)
        for suffix in ("-wal", "-shm"):
            side = data.database.with_name(data.database.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    os.replace(staged, data.database)
    log.info("restored %s (schema %s); previous database kept as %s", source.name, revision, aside)
    return RestoreResult(data.database, aside, revision)
