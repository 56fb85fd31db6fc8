"""The one engine factory: SQLite in WAL mode, foreign keys on, a busy timeout, schema checked at open.

A database written by a newer version is refused, a corrupt or locked one is reported, and an
older one is migrated only after a backup copy — never overwritten.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine, event, inspect
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from agent_desk.store import audit, outbox
from agent_desk.store.crypto import sqlcipher_key
from agent_desk.store.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseOutdated,
    DatabaseTooNew,
)
from agent_desk.store.outbox import QUEUES

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000


def _set_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Per-connection settings; WAL is set once, after the schema check (it rewrites the header)."""
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute("PRAGMA cache_size=-8000")  # 8 MB a connection; the pool holds a few
    cur.close()


def make_engine(path: Path | str, key: bytes | None = None) -> Engine:
    """An engine on a SQLite file with the house pragmas on every connection; SQLCipher when keyed."""
    if key is None:
        engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False}, hide_parameters=True)
    else:
        url = URL.create("sqlite+pysqlcipher", password=sqlcipher_key(key), database=str(path))
        engine = create_engine(url, connect_args={"check_same_thread": False}, poolclass=QueuePool, hide_parameters=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def is_keyed(engine: Engine) -> bool:
    return engine.url.drivername == "sqlite+pysqlcipher"


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@dataclass(frozen=True)
class SchemaState:
    revision: str | None
    head: str
    empty: bool

    @property
    def current(self) -> bool:
        return self.revision == self.head


def _is_locked(exc: Exception) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _classify(path: Path, exc: Exception) -> Exception:
    if _is_locked(exc):
        return DatabaseLocked(str(path))
    return DatabaseCorrupt(str(path), str(exc))


def _use_wal(engine: Engine) -> None:
    """Switch the file to WAL (persistent); only for a database known to be ours."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")


def schema_state(engine: Engine, path: Path | str) -> SchemaState:
    """Read the stored revision; refuse a database from a newer version or not ours."""
    try:
        with engine.connect() as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
            tables = set(inspect(conn).get_table_names())
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        raise _classify(Path(path), exc) from exc
    if revision is None and tables - {"alembic_version"}:
        raise DatabaseCorrupt(str(path), "tables without a schema revision")
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNew(str(path), revision)
    return SchemaState(revision=revision, head=head_revision(), empty=revision is None)


def backup_database(engine: Engine, path: Path, backups: Path, reason: str) -> Path | None:
    """Copy the live database with SQLite's backup API (safe under WAL) before touching its schema."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    backups.mkdir(parents=True, exist_ok=True)
    target = backups / f"{path.stem}-{reason}-{datetime.now():%Y%m%d-%H%M%S}.db"
    copy_database(engine, target)
    log.info("backed up %s to %s", path, target)
    return target


def copy_database(engine: Engine, target: Path) -> None:
    """A consistent copy of the live database (safe under WAL); encrypted with the same key when keyed.

    Written beside ``target`` and renamed, so a crash never leaves half a backup under its name.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        if is_keyed(engine):
            cur = raw.driver_connection.cursor()  # type: ignore[union-attr]
            cur.execute("ATTACH DATABASE ? AS backup KEY " + _quoted_key(engine), (str(partial),))
            cur.execute("SELECT sqlcipher_export('backup')")
            cur.execute("DETACH DATABASE backup")
            cur.close()
        else:
            dest = sqlite3.connect(partial)
            with dest:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
            dest.close()
    finally:
        raw.close()
    os.replace(partial, target)


def _quoted_key(engine: Engine) -> str:
    return '"' + str(engine.url.password) + '"'


def upgrade(engine: Engine, path: Path, backups: Path,
            on_migrate: Callable[[SchemaState], None] | None = None) -> SchemaState:  # fmt: skip
    """Migrate to head, after a backup when the database already holds data.

    ``on_migrate`` is told before the backup starts, so a window can say why opening takes longer.
    """
    state = schema_state(engine, path)
    if state.current:
        return state
    if not state.empty:
        if on_migrate is not None:
            on_migrate(state)
        backup_database(engine, path, backups, f"pre-{state.head}")
    try:
        _use_wal(engine)
        command.upgrade(alembic_config(engine), "head")
    except OperationalError as exc:
        raise _classify(path, exc) from exc
    return schema_state(engine, path)


@dataclass
class Database:
    """An open desk database; sessions come from here, the caller commits."""

    path: Path
    engine: Engine
    actor: str = ""  # who works at this desk, written into the audit trail

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session (audited); a write blocked by another program past the busy timeout is DatabaseLocked."""
        with Session(self.engine, expire_on_commit=False, info={"audit": True, "actor": self.actor, QUEUES: True}) as session:
            try:
                yield session
            except OperationalError as exc:
                if _is_locked(exc):
                    raise DatabaseLocked(str(self.path)) from exc
                raise

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path, backups: Path, *, migrate: bool = True, key: bytes | None = None,
                  on_migrate: Callable[[SchemaState], None] | None = None) -> Database:  # fmt: skip
    """Open (and by default migrate) the desk database; raises a StoreError a user can act on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path, key)
    try:
        state = upgrade(engine, path, backups, on_migrate) if migrate else schema_state(engine, path)
        if state.current:
            _use_wal(engine)
    except OperationalError as exc:
        engine.dispose()
        raise _classify(path, exc) from exc
    except Exception:
        engine.dispose()
        raise
    if not state.current:
        engine.dispose()
        raise DatabaseOutdated(str(path), state.revision)
    audit.install()
    outbox.install()
    return Database(path=path, engine=engine)


def integrity_check(engine: Engine) -> list[str]:
    """PRAGMA integrity_check; an empty list means the file is sound."""
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows
