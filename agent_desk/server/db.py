"""The hub's engine, migrations and the one write path that hands out change sequence numbers.

Ordering rule: every transaction that allocates sequence numbers takes the hub's sequence lock
(``BEGIN IMMEDIATE`` on SQLite, the row lock of the counter row on PostgreSQL, taken by the very
``UPDATE … RETURNING`` that allocates) before its first number and holds it until commit. Sequence numbers are therefore published in commit order: a puller that has
seen seq N can never later find an uncommitted N-1 appear behind its cursor.

A push takes the lock late (``SeqCounter(lock_late=True)``): it reads and row-locks its records,
merges in memory, and only then locks, allocates one range of numbers and bulk-writes; on
PostgreSQL concurrent pushes therefore overlap everything but those last few statements. Pulls,
logins and uploads take no such lock (see DESIGN §4 Sync).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, bindparam, create_engine, event, select, update

from agent_desk.paths import private_folder
from agent_desk.server import tables as t

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "hub_alembic_version"
HUB_HOME_ENV = "AGENT_DESK_HUB_HOME"


def hub_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, then AGENT_DESK_HUB_HOME, then the OS data folder of the hub."""
    chosen = explicit or os.environ.get(HUB_HOME_ENV)
    root = (
        Path(chosen).expanduser()
        if chosen
        else Path(platformdirs.user_data_dir("AgentDeskHub", appauthor=False))
    )
    return private_folder(root)  # hub.db, scans and logs: the hub's user only (0700)


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'hub.db'}"


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (SQLAlchemy's pysqlite recipe)
    cur = dbapi_conn.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=30000",
        "foreign_keys=ON",
    ):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("hub_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_hub_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    pool = pool_size()
    # No pool_pre_ping: it costs a round trip on every request. After a database restart the
    # requests in flight fail once (the desks retry with backoff) and the pool reconnects.
    return create_engine(
        url,
        pool_size=pool,
        max_overflow=pool,
        pool_timeout=30,
        pool_recycle=1800,
        hide_parameters=True,
    )  #  (no personal data in errors)


POOL_ENV = "AGENT_DESK_HUB_POOL"


def pool_size() -> int:
    """Connections per API worker: the server sets AGENT_DESK_HUB_POOL so that all workers together
    stay under PostgreSQL's ``max_connections`` (default 100); a single process keeps 10 (+10 overflow)."""
    try:
        return max(2, int(os.environ.get(POOL_ENV, "10")))
    except ValueError:
        return 10


def upgrade_hub(engine: Engine) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "head")


@dataclass
class HubDB:
    engine: Engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> HubDB:
        engine = make_hub_engine(url)
        if migrate:
            upgrade_hub(engine)
        return cls(engine)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Reads run without a transaction: on PostgreSQL that saves the BEGIN and the ROLLBACK round
        trips of every request (each statement still sees only committed rows; see the ordering rule)."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write without the sequence lock (logins, uploads, accounts); on SQLite ``BEGIN IMMEDIATE``
        so a read-then-write transaction waits for the writer instead of failing as "locked"."""
        with self.engine.execution_options(hub_write=True).begin() as conn:
            yield conn

    @contextmanager
    def sequenced(self, *, lock_late: bool = False) -> Iterator[SeqCounter]:
        """A write transaction with a counter for change sequence numbers. The hub sequence lock is
        taken at once, or with ``lock_late`` only when the first number is allocated."""
        with self.engine.execution_options(hub_write=True).begin() as conn:
            seq = SeqCounter(conn)
            if not lock_late:
                seq.lock()
            yield seq

    def close(self) -> None:
        self.engine.dispose()


_COUNTER = t.counter.c
_LOCK_SEQ = select(_COUNTER.value).where(_COUNTER.name == "seq").with_for_update()
_ADVANCE = (
    update(t.counter)
    .where(_COUNTER.name == "seq")
    .values(value=_COUNTER.value + bindparam("count"))
    .returning(_COUNTER.value)
)


class SeqCounter:
    """Hands out sequence numbers inside a write transaction. The counter row itself is the lock:
    the ``UPDATE … RETURNING`` that allocates a range row-locks it until commit, in one round trip."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._locked = False

    def lock(self) -> None:
        """Take the hub sequence lock until commit (SQLite's BEGIN IMMEDIATE already is one)."""
        if not self._locked and self.conn.dialect.name == "postgresql":
            self.conn.execute(_LOCK_SEQ)
        self._locked = True

    def take(self, count: int) -> int:
        """Allocate ``count`` consecutive numbers; returns the first."""
        last = int(self.conn.execute(_ADVANCE, {"count": count}).scalar_one())
        self._locked = True
        return last - count + 1

    def next(self) -> int:
        return self.take(1)
