"""The one engine factory: SQLite in WAL mode, foreign keys on, a busy timeout, schema checked at open.

A database written by a newer version is refused, a corrupt or locked one is reported, and an
older one is migrated only after a backup copy — never overwritten.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from agent_desk import atomic
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
PROGRESS_STEPS = (
    20_000  # virtual machine steps between two checks of a cancelled query (well under 1 ms)
)


def _sqlite_from_hint(_compiler: Any, _table: Any, text: str | None) -> str | None:
    """SQLAlchemy's SQLite compiler drops ``with_hint``; SQLite's own hint is ``INDEXED BY``, which
    the board's common-name search needs (store/case_queries.py): rendered as given."""
    return text


SQLiteCompiler.get_from_hint_text = _sqlite_from_hint  # type: ignore[method-assign,assignment]

CACHE_KIB = 8000


def _set_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Per-connection settings; WAL is set once, after the schema check (it rewrites the header)."""
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # 8 MB a connection; the pool holds a few
    cur.close()


def make_engine(path: Path | str, key: bytes | None = None) -> Engine:
    """An engine on a SQLite file with the house pragmas on every connection; SQLCipher when keyed."""
    if key is None:
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"check_same_thread": False}, hide_parameters=True
        )
    else:
        url = URL.create("sqlite+pysqlcipher", password=sqlcipher_key(key), database=str(path))
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=QueuePool,
            hide_parameters=True,
        )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def is_keyed(engine: Engine) -> bool:
    return engine.url.drivername == "sqlite+pysqlcipher"


def alembic_config(engine: Engine | None = None) -> Any:
    from alembic.config import Config  # alembic loads only when a schema is checked or migrated

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

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
            from alembic.runtime.migration import MigrationContext

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


def copy_database(
    engine: Engine, target: Path, cancelled: Callable[[], bool] | None = None
) -> None:
    """A consistent copy of the live database (safe under WAL); encrypted with the same key when keyed.

    Written beside ``target`` and renamed, so a crash never leaves half a backup under its name.
    ``cancelled`` (keyed copies) stops the copy where it runs: the partial file stays, for the next
    backup to remove, and the connection is discarded rather than returned with the copy attached.
    """
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        if is_keyed(engine):
            _export(raw.driver_connection, partial, _quoted_key(engine), cancelled)
        else:
            dest = sqlite3.connect(partial)
            with dest:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
            dest.close()
    except BaseException:
        raw.invalidate()
        raise
    finally:
        raw.close()
    atomic.fsync_file(partial)
    atomic.replace(partial, target)


def _export(
    conn: Any, partial: Path, quoted_key: str, cancelled: Callable[[], bool] | None
) -> None:
    if cancelled is not None:
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
    cur = conn.cursor()
    cur.execute("ATTACH DATABASE ? AS backup KEY " + quoted_key, (str(partial),))
    cur.execute("SELECT sqlcipher_export('backup')")
    cur.execute("DETACH DATABASE backup")
    cur.close()
    conn.set_progress_handler(None, 0)


def _quoted_key(engine: Engine) -> str:
    return '"' + str(engine.url.password) + '"'


def upgrade(
    engine: Engine,
    path: Path,
    backups: Path,
    on_migrate: Callable[[SchemaState], None] | None = None,
) -> SchemaState:
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
        restore_deferred_indexes(engine)
        from alembic import command

        command.upgrade(alembic_config(engine), "head")
    except OperationalError as exc:
        raise _classify(path, exc) from exc
    return schema_state(engine, path)


# A first pull drops the synced tables' non-unique indexes and builds them at its end
# (sync/initial_pull.py), keeping their CREATE statements in Meta under this key.
DEFERRED_INDEXES = "sync_initial_pull_indexes"


def if_not_exists(sql: str) -> str:
    """A kept ``CREATE INDEX`` statement, harmless if the index is there already."""
    head = "CREATE INDEX "
    if sql.upper().startswith(head) and "IF NOT EXISTS" not in sql.upper():
        return "CREATE INDEX IF NOT EXISTS " + sql[len(head) :]
    return sql


def restore_deferred_indexes(engine: Engine) -> int:
    """A desk stopped during its first pull (killed, power lost) is about to be migrated: its
    dropped indexes come back first, as that schema had them, so the migration finds what it
    expects. The Meta entry stays with no statements left, so the next pull still builds the
    pulled clients' search keys. Returns how many indexes were built."""
    with engine.begin() as conn:
        if not inspect(conn).has_table("meta"):
            return 0
        found = conn.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (DEFERRED_INDEXES,)
        ).scalar()
        if not found:
            return 0
        statements = [sql for _name, sql in json.loads(found)]
        for sql in statements:
            conn.exec_driver_sql(if_not_exists(sql))
        conn.exec_driver_sql("UPDATE meta SET value = '[]' WHERE key = ?", (DEFERRED_INDEXES,))
    return len(statements)


@dataclass
class Database:
    """An open desk database; sessions come from here, the caller commits."""

    path: Path
    engine: Engine
    actor: str = ""  # who works at this desk, written into the audit trail

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session (audited); a write blocked by another program past the busy timeout is DatabaseLocked."""
        with Session(
            self.engine,
            expire_on_commit=False,
            info={"audit": True, "actor": self.actor, QUEUES: True},
        ) as session:
            try:
                yield session
            except OperationalError as exc:
                if _is_locked(exc):
                    raise DatabaseLocked(str(self.path)) from exc
                raise

    def close(self) -> None:
        self.engine.dispose()


_REVISION = re.compile(r"^revision\s*=\s*['\"](\w+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.*)$", re.M)


def newest_migration() -> str | None:
    """The head revision read from the migration files themselves (no alembic): the one revision
    no other names as its parent; None when that is not exactly one."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        if found := _REVISION.search(text):
            revisions.add(found.group(1))
        if down := _DOWN.search(text):
            parents.update(re.findall(r"['\"](\w+)['\"]", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_newest(engine: Engine) -> bool:
    """A desk already at the newest schema opens without loading alembic (0.4–1 s of every start);
    anything else (older, newer, not ours, a wrong key) takes the checked path."""
    try:
        with engine.connect() as conn:
            stored = [
                row[0] for row in conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            ]
    except (DatabaseError, OperationalError, sqlite3.DatabaseError):
        return False
    return stored != [] and stored == [newest_migration()]


def open_database(
    path: Path,
    backups: Path,
    *,
    migrate: bool = True,
    key: bytes | None = None,
    on_migrate: Callable[[SchemaState], None] | None = None,
) -> Database:
    """Open (and by default migrate) the desk database; raises a StoreError a user can act on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path, key)
    try:
        if _at_newest(engine):
            state = SchemaState(
                revision=newest_migration(), head=newest_migration() or "", empty=False
            )
        else:
            state = (
                upgrade(engine, path, backups, on_migrate)
                if migrate
                else schema_state(engine, path)
            )
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


@contextmanager
def interruptible(session: Session, cancelled: Callable[[], bool]) -> Iterator[None]:
    """Abort the session's running statement once ``cancelled()`` turns true (SQLite raises
    "interrupted"): a search superseded by the next keystroke stops instead of holding a thread."""
    raw: Any = session.connection().connection.driver_connection
    raw.set_progress_handler(lambda: 1 if cancelled() else 0, PROGRESS_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def integrity_check(engine: Engine) -> list[str]:
    """PRAGMA integrity_check; an empty list means the file is sound."""
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows
