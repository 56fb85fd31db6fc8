"""Turning an unencrypted desk database into a SQLCipher one, safely and resumably.

The key file is written before this runs, so a crash at any point leaves either the untouched
plain database (migration runs again at the next unlock) or the verified encrypted one — never a
database without its key. The encrypted copy is checked (integrity and row counts) and a copy of it
kept in ``backups/`` before it replaces the plain file.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime
from pathlib import Path

import sqlcipher3

from agent_desk import atomic
from agent_desk.store.crypto import sqlcipher_key
from agent_desk.store.errors import DatabaseCorrupt

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"


def is_plaintext(path: Path) -> bool:
    """True for an ordinary (unencrypted) SQLite file; an encrypted one starts with random bytes."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        return handle.read(16) == SQLITE_HEADER


def _counts(conn: sqlcipher3.Connection, schema: str) -> dict[str, int]:
    names = [
        r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type='table'")
    ]
    return {n: conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in names}


def encrypt_in_place(path: Path, key: bytes, backups: Path) -> Path:
    """Encrypt the plain database at ``path`` with ``key``; returns the (encrypted) backup copy's path."""
    work = _encrypted_copy(path, key)
    backups.mkdir(parents=True, exist_ok=True)
    backup = backups / f"{path.stem}-pre-encryption-{datetime.now():%Y%m%d-%H%M%S}.db"
    shutil.copyfile(work, backup)
    _replace(work, path)
    log.info("database encrypted at rest; encrypted backup %s", backup.name)
    return backup


def encrypt_file(path: Path, key: bytes) -> None:
    """Encrypt one plain database file (an older backup) in place: verified copy, then rename."""
    _replace(_encrypted_copy(path, key), path)


def plain_backups(backups: Path) -> list[Path]:
    """Backups still in plain text (taken before the desk had a password)."""
    return [p for p in sorted(backups.glob("*.db")) if is_plaintext(p)] if backups.is_dir() else []


def overwrite_and_remove(path: Path) -> None:
    """Overwrite the file's bytes with zeros (synced), then delete it.

    On a hard disk the old content is gone; an SSD or a copy-on-write file system may keep old
    blocks, which only whole-disk encryption (BitLocker) covers."""
    size = path.stat().st_size
    zeros = bytes(1 << 20)
    with path.open("r+b") as handle:
        for offset in range(0, size, len(zeros)):
            handle.write(zeros[: min(len(zeros), size - offset)])
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    atomic.fsync_folder(path.parent)


def remove_plain_backups(backups: Path) -> list[Path]:
    """The user chose removal over re-encryption: every plain backup (and its -wal/-shm)
    overwritten and deleted."""
    removed = plain_backups(backups)
    for path in removed:
        for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if side.exists():
                overwrite_and_remove(side)
        overwrite_and_remove(path)
    if removed:
        log.info("%d older plain backups overwritten and removed", len(removed))
    return removed


def encrypt_plain_backups(backups: Path, key: bytes) -> list[Path]:
    """Every backup still in plain text, encrypted with the desk's key (after a password is set)."""
    done = []
    for path in sorted(backups.glob("*.db")) if backups.is_dir() else []:
        if is_plaintext(path):
            encrypt_file(path, key)
            done.append(path)
    if done:
        log.info("%d older backups encrypted", len(done))
    return done


def plaintext_files(root: Path) -> list[Path]:
    """SQLite files under the data folder still in plain text (database, backups, copies)."""
    found = []
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if (
            path.is_file()
            and not path.name.endswith(("-shm", ".json", ".log"))
            and is_plaintext(path)
        ):
            found.append(path)
    return found


def _encrypted_copy(path: Path, key: bytes) -> Path:
    """``path`` exported into a verified SQLCipher file beside it (integrity and row counts checked)."""
    work = path.with_name(path.name + ".encrypting")
    work.unlink(missing_ok=True)
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # folds the WAL in and removes it
        conn.execute(f'ATTACH DATABASE ? AS enc KEY "{sqlcipher_key(key)}"', (str(work),))
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute(
            f"PRAGMA enc.user_version = {int(conn.execute('PRAGMA main.user_version').fetchone()[0])}"
        )
        ok = conn.execute("PRAGMA enc.integrity_check").fetchone()[0] == "ok"
        same = _counts(conn, "main") == _counts(conn, "enc")
        conn.execute("DETACH DATABASE enc")
    except sqlcipher3.DatabaseError as exc:
        raise DatabaseCorrupt(str(path), f"encryption failed: {exc}") from exc
    finally:
        conn.close()
    if not (ok and same):
        work.unlink(missing_ok=True)
        raise DatabaseCorrupt(
            str(path), "encrypted copy did not verify; the plain database was kept"
        )
    atomic.fsync_file(work)
    return work


def _replace(work: Path, path: Path) -> None:
    atomic.replace(work, path)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
