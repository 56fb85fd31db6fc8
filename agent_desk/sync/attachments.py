"""Scans go to the hub by content address, in chunks, resuming where the hub's copy ends.

The desk keeps scans at ``attachments/ab/abcd…`` (sha256) in its data folder; one that the hub
already holds is never sent again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlmodel import col, select

from agent_desk.store.models import ClientDocument
from agent_desk.store.sync_state import SyncBlob
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import CancelCheck, HubClient, with_retry

CHUNK = 1024 * 1024


def blob_path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha


def store_scan(root: Path, data: bytes) -> str:
    """Keep a scan content-addressed in the desk's attachments folder; returns its sha256."""
    sha = hashlib.sha256(data).hexdigest()
    path = blob_path(root, sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return sha


def upload_file(client: HubClient, path: Path, sha: str, *, chunk: int = CHUNK,
                cancelled: CancelCheck = lambda: False) -> None:  # fmt: skip
    """Send ``path`` from the hub's current offset on; a wrong offset answer re-aligns and continues."""
    total = path.stat().st_size
    status = with_retry(lambda: client.upload_status(sha), cancelled=cancelled)
    offset = status.offset
    with path.open("rb") as fh:
        while not status.complete:
            fh.seek(offset)
            data = fh.read(chunk)
            try:
                status = with_retry(lambda o=offset, d=data: client.upload_chunk(sha, o, total, d), cancelled=cancelled)  # type: ignore[misc]
            except HubRejected as exc:
                if exc.offset is None:
                    raise
                status = status.model_copy(update={"offset": exc.offset})
            offset = status.offset


def upload_pending(run: SyncRun) -> None:
    root = run.data.attachments
    with run.db.session() as session:  # the set difference in SQL: no table's worth of shas in Python per sync
        uploaded = select(col(SyncBlob.sha256)).where(col(SyncBlob.sha256) == col(ClientDocument.sha256))
        stmt = (select(col(ClientDocument.sha256)).distinct()
                .where(col(ClientDocument.deleted) == False, col(ClientDocument.sha256).is_not(None), ~uploaded.exists())
                .order_by(col(ClientDocument.sha256)))  # fmt: skip
        todo = list(session.scalars(stmt))
    for sha in todo:
        run.check_cancel()
        path = blob_path(root, sha)
        if not path.is_file():
            continue
        run.tick("attachments", run.report.uploaded, None, "正在上传材料扫描件…")
        upload_file(run.client, path, sha, cancelled=run.cancelled)
        with run.db.session() as session:
            session.add(SyncBlob(sha256=sha))
            session.commit()
        run.report.uploaded += 1
