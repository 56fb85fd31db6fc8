"""Opening a desk: its data folder, its database (migrated after a backup) and its log."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desk.store.datadir import DataDir, resolve_data_dir

if TYPE_CHECKING:  # the database layer is imported when a desk opens, not for setting up the log
    from agent_desk.store.db import Database, SchemaState

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass
class Desk:
    data: DataDir
    db: Database

    def close(self) -> None:
        self.db.close()


def open_desk(data_dir: str | Path | None = None, *, migrate: bool = True,
              on_migrate: Callable[[SchemaState], None] | None = None) -> Desk:  # fmt: skip
    """``on_migrate`` is called before an existing database is backed up and migrated."""
    from agent_desk.store.db import open_database

    data = resolve_data_dir(data_dir).ensure()
    return Desk(data=data, db=open_database(data.database, data.backups, migrate=migrate, on_migrate=on_migrate))


def setup_logging(data: DataDir, *, verbose: bool = False) -> Path:
    """A rotating log in the data folder; returns its path for crash messages."""
    data.logs.mkdir(parents=True, exist_ok=True)
    path = data.logs / "agent_desk.log"
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path

