"""Opening a desk: its data folder, its database (decrypted, migrated after a backup) and its log."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desk.core.masking import mask_text
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.datadir import DataDir, resolve_data_dir

if TYPE_CHECKING:  # the database layer is imported when a desk opens, not for setting up the log
    from agent_desk.store.db import Database, SchemaState

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass
class Desk:
    data: DataDir
    db: Database
    cipher: BlobCipher | None = None  # attachments are sealed with it when the desk is encrypted

    def close(self) -> None:
        self.db.close()


def open_desk(
    data_dir: str | Path | None = None,
    *,
    migrate: bool = True,
    key: bytes | None = None,
    actor: str = "",
    on_migrate: Callable[[SchemaState], None] | None = None,
) -> Desk:
    """Open the desk; an encrypted one needs ``key`` (from unlock) or a key remembered on this PC.

    ``on_migrate`` is called before an existing database is backed up and migrated.
    """
    from agent_desk.services.agent_identity import move_agent_id_into_store
    from agent_desk.services.vault import (
        DeskLocked,
        finish_encryption,
        is_protected,
        remembered_key,
    )
    from agent_desk.store.db import open_database

    data = resolve_data_dir(data_dir).ensure()
    if key is None and is_protected(data):
        key = remembered_key(data)
        if key is None:
            raise DeskLocked()
    if key is not None:
        finish_encryption(data, key)
    db = open_database(data.database, data.backups, migrate=migrate, key=key, on_migrate=on_migrate)
    db.actor = actor
    if migrate:
        _refresh_search_keys(db)
    _use_publications(db, data.root)
    desk = Desk(data=data, db=db, cipher=BlobCipher(key) if key is not None else None)
    move_agent_id_into_store(desk)  # older settings.json files held it in plain text
    return desk


def _refresh_search_keys(db: Database) -> None:
    """Keys made by an older version of the key rules are rebuilt once (store/key_rebuild.py)."""
    from agent_desk.store.key_rebuild import rebuild_search_keys

    with db.session() as session:
        rewritten = rebuild_search_keys(session)
        session.commit()
    if rewritten:
        logging.getLogger("agent_desk.desk").info("search keys rebuilt for %d clients", rewritten)


class MaskingFilter(logging.Filter):
    """Masks ID numbers, mobiles and card numbers in every record (message, arguments, traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_text(record.getMessage()), ()
        if record.exc_info:
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(data: DataDir, *, verbose: bool = False) -> Path:
    """A rotating log in the data folder, personal numbers masked; returns its path for crash messages."""
    data.logs.mkdir(parents=True, exist_ok=True)
    path = data.logs / "agent_desk.log"
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(MaskingFilter())
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path


def _use_publications(db: Database, root: Path) -> None:
    """Install this desk's published calendar as the default one, and apply any version a sync
    fetched but could not apply before the desk closed."""
    from agent_desk.services.publications import apply_publications, install_calendar

    with db.session() as session:
        install_calendar(root, session)
    apply_publications(db, root)
