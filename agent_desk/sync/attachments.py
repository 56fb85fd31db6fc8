"""Scans go to the hub by content address, in chunks, resuming where the hub's copy ends.

The desk keeps scans at ``attachments/ab/<sha256><ext>`` in its data folder, sealed when the desk
is encrypted; the hub gets the plaintext under the same address. One it holds is never sent again.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select

from agent_desk import atomic
from agent_desk.store.crypto import BLOB_MAGIC, BlobCipher
from agent_desk.store.models import ClientDocument
from agent_desk.store.sync_state import SyncBlob
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import CancelCheck, HubClient, with_retry

CHUNK = 1024 * 1024
SHA_RE = re.compile(r"[0-9a-f]{64}")
BLOB_NAME_RE = re.compile(r"[0-9a-f]{64}(\.[a-z]{3,4})?")  # as the library names them
log = logging.getLogger(__name__)


def blob_path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha


def store_scan(root: Path, data: bytes) -> str:
    """Keep a scan content-addressed in the desk's attachments folder; returns its sha256."""
    sha = hashlib.sha256(data).hexdigest()
    path = blob_path(root, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(path, data)
    return sha


def upload_file(
    client: HubClient,
    data: bytes,
    sha: str,
    *,
    chunk: int = CHUNK,
    cancelled: CancelCheck = lambda: False,
) -> None:
    """Send ``data`` from the hub's current offset on; a wrong offset answer re-aligns and continues."""
    total = len(data)
    status = with_retry(lambda: client.upload_status(sha), cancelled=cancelled)
    offset = status.offset
    while not status.complete:
        piece = data[offset : offset + chunk]
        try:
            status = with_retry(
                lambda o=offset, d=piece: client.upload_chunk(sha, o, total, d),  # type: ignore[misc]
                cancelled=cancelled,
            )
        except HubRejected as exc:
            if exc.offset is None:
                raise
            status = status.model_copy(update={"offset": exc.offset})
        offset = status.offset


def scan_bytes(root: Path, sha: str, filename: str, cipher: BlobCipher | None) -> bytes | None:
    """The plaintext of a scan kept by the library (``ab/<sha><ext>``, sealed on an encrypted desk)."""
    for path in (root / sha[:2] / filename, blob_path(root, sha)):
        if path.is_file() and path.name.startswith(sha):
            raw = path.read_bytes()
            return (
                cipher.open(raw, path.name)
                if cipher is not None and raw.startswith(BLOB_MAGIC)
                else raw
            )
    return None


def exchange_scans(run: SyncRun) -> None:
    """Scans the hub does not have yet go up; scans this desk lacks (pulled with another desk's
    client documents: a reviewer's desk, or a second PC in the village) come down."""
    root = run.data.attachments
    with (
        run.db.session() as session
    ):  # the set difference in SQL: no table's worth of shas in Python per sync
        done = select(col(SyncBlob.sha256)).where(
            col(SyncBlob.sha256) == col(ClientDocument.sha256)
        )
        stmt = (
            select(col(ClientDocument.sha256), func.min(col(ClientDocument.filename)))
            .where(
                col(ClientDocument.deleted) == False,
                col(ClientDocument.sha256).is_not(None),
                ~done.exists(),
            )
            .group_by(col(ClientDocument.sha256))
            .order_by(col(ClientDocument.sha256))
        )
        todo = list(session.execute(stmt))
    for sha, filename in todo:
        run.check_cancel()
        data = scan_bytes(root, sha, filename, run.cipher)
        if data is None:
            if not _download(run, sha, filename):
                continue
        elif hashlib.sha256(data).hexdigest() != sha:
            continue  # damaged on this desk: never send a wrong file
        else:
            run.tick(
                "attachments", run.report.uploaded, None, "正在上传材料扫描件…", "Uploading scans…"
            )
            upload_file(run.client, data, sha, cancelled=run.cancelled)
            run.report.uploaded += 1
        with run.db.session() as session:
            session.add(SyncBlob(sha256=sha))
            session.commit()


def _download(run: SyncRun, sha: str, filename: str) -> bool:
    """Fetch one scan into the library's place for it (sealed on an encrypted desk)."""
    if (
        not SHA_RE.fullmatch(sha)
        or not BLOB_NAME_RE.fullmatch(filename)
        or not filename.startswith(sha)
    ):
        log.warning("scan %s has an unusable file name; not downloaded", sha[:12])
        return False
    run.tick(
        "attachments", run.report.downloaded, None, "正在下载材料扫描件…", "Downloading scans…"
    )
    try:
        data = with_retry(lambda: run.client.download(sha), cancelled=run.cancelled)
    except HubRejected:
        return False  # the hub does not have it (yet): the desk that made it has not synced
    if hashlib.sha256(data).hexdigest() != sha:
        return False
    path = root_path(run.data.attachments, sha, filename)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, run.cipher.seal(data, filename) if run.cipher is not None else data)
    run.report.downloaded += 1
    return True


def root_path(root: Path, sha: str, filename: str) -> Path:
    return root / sha[:2] / filename
