"""Resumable, content-addressed uploads of scans: stored once, size-limited, type-checked by magic bytes.

The desk sends chunks with their offset; a chunk at the wrong offset gets the hub's current offset
back (409), so an interrupted upload resumes where the hub's copy ends.
"""

from __future__ import annotations

import re

from sqlalchemy import insert, select

from agent_desk.protocol import UploadStatus
from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, utcnow
from agent_desk.server.blobs import BlobStore
from agent_desk.server.db import HubDB
from agent_desk.server.errors import HubError, bad_request

MAX_SIZE = 20 * 1024 * 1024
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"%PDF-", "application/pdf"))


def sniff(head: bytes) -> str | None:
    return next((mime for magic, mime in MAGIC if head.startswith(magic)), None)


def check_key(sha: str) -> None:
    if not SHA_RE.fullmatch(sha):
        raise bad_request("bad_sha256", "附件编号应为 64 位十六进制 sha256 (bad sha256)")


def upload_status(store: BlobStore, sha: str) -> UploadStatus:
    check_key(sha)
    size = store.size(sha)
    if size is not None:
        return UploadStatus(sha256=sha, offset=size, complete=True, size=size)
    return UploadStatus(sha256=sha, offset=store.partial_size(sha), complete=False)


def _check_chunk(store: BlobStore, sha: str, offset: int, total: int, data: bytes) -> None:
    if total > MAX_SIZE:
        raise HubError(413, "too_large", f"附件超过 {MAX_SIZE // (1024 * 1024)} MB 上限 (attachment too large)")
    current = store.partial_size(sha)
    if offset != current:
        raise HubError(409, "wrong_offset", f"续传位置应为 {current} (resume at {current})",
                       headers={"Upload-Offset": str(current)})  # fmt: skip
    if offset == 0 and sniff(data[:16]) is None:
        raise HubError(415, "bad_type", "附件只能是 JPEG、PNG 或 PDF (only jpeg/png/pdf)")
    if offset + len(data) > total:
        raise bad_request("past_end", "上传的数据超过声明的大小 (chunk past the declared size)")


def receive_chunk(db: HubDB, store: BlobStore, who: Principal, sha: str, offset: int, total: int,
                  data: bytes) -> UploadStatus:  # fmt: skip
    check_key(sha)
    with store.lock(sha):
        if store.exists(sha):
            return upload_status(store, sha)  # stored once: a second upload is a no-op
        _check_chunk(store, sha, offset, total, data)
        size = store.append_partial(sha, offset, data)
        if size < total:
            return UploadStatus(sha256=sha, offset=size, complete=False)
        return _finish(db, store, who, sha, total)


def _finish(db: HubDB, store: BlobStore, who: Principal, sha: str, total: int) -> UploadStatus:
    if store.partial_sha256(sha) != sha:
        store.discard_partial(sha)
        raise bad_request("checksum", "附件内容与编号不符，请重新上传 (sha256 mismatch)")
    store.promote_partial(sha)
    with db.writing() as conn:
        if conn.execute(select(t.blob.c.sha256).where(t.blob.c.sha256 == sha)).first() is None:
            conn.execute(insert(t.blob).values(sha256=sha, size=total, mime=_mime(store, sha),
                                               uploaded_by=who.user_id, created_at=utcnow()))  # fmt: skip
    return UploadStatus(sha256=sha, offset=total, complete=True, size=total)


def _mime(store: BlobStore, sha: str) -> str:
    with store.open(sha) as fh:
        return sniff(fh.read(16)) or "application/octet-stream"


def may_read(db: HubDB, who: Principal, sha: str) -> bool:
    """An admin reads any scan; others only one attached to a client in a village they serve."""
    if who.villages is None:
        return True
    if not who.villages:
        return False
    r = t.record.c
    stmt = (
        select(r.id)
        .where(r.entity == "client_document", r.deleted == False, r.village_id.in_(sorted(who.villages)))  # noqa: E712
        .where(r.fields["sha256"].as_string() == sha)
        .limit(1)
    )
    with db.reading() as conn:
        return conn.execute(stmt).first() is not None
