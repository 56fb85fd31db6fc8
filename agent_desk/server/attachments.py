"""Resumable, content-addressed uploads of scans: stored once, size-limited, type-checked by magic
bytes — and reached through records, never by hash.

The desk sends chunks with their offset; a chunk at the wrong offset gets the hub's current offset
back (409), so an interrupted upload resumes where the hub's copy ends. Each user's partial upload is
their own. A scan is stored once but may be uploaded by many, so the hub records every uploader with
their device and scope (``hub_blob_upload``): a client document may name a scan only its pusher
uploaded or can already read (``may_reference``), and the state of a scan is told only to its
uploaders and to those who may read it — to anyone else it looks like a scan the hub never saw.

A second uploader of a scan the hub already holds proves they have it without sending it all again
(``_sample``): their first chunk must match the stored copy, then the hub asks for ``PROOF_SAMPLES``
ranges at offsets it draws at random (the ordinary "resume at offset N" answer, so a desk needs no new
code), each of at least ``MIN_SAMPLE`` bytes; about 4 MB of a 20 MB scan travel. Only someone holding
the content can answer, and a wrong answer turns the shortcut off for that user and scan, so guessing
again cannot succeed: only the whole upload, checked against its sha256, proves it then. Until the
first chunk matches, the hub answers exactly as for a scan it does not hold (the chunks are kept as an
ordinary partial upload), so an upload does not reveal whether someone else stored the scan.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from agent_desk.protocol import UploadStatus
from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, utcnow
from agent_desk.server.blobs import BlobStore
from agent_desk.server.db import HubDB
from agent_desk.server.errors import HubError, bad_request

MAX_SIZE = 20 * 1024 * 1024
PROOF_SAMPLES = 3  # random ranges asked after a matching first chunk
MIN_SAMPLE = 256 * 1024  # the desk sends 1 MB chunks; a range answered with less is refused
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
NOT_YOURS_ZH = "扫描件须由本人上传到乡镇服务器，或已在本人负责的村中 (scan neither uploaded by you nor in your villages)"


def sniff(head: bytes) -> str | None:
    return next((mime for magic, mime in MAGIC if head.startswith(magic)), None)


def check_key(sha: str) -> None:
    if not SHA_RE.fullmatch(sha):
        raise bad_request("bad_sha256", "附件编号应为 64 位十六进制 sha256 (bad sha256)")


def _part(sha: str, who: Principal) -> str:
    """The name of ``who``'s partial upload of ``sha`` (user ids are hex, safe in a file name)."""
    return f"{sha}.{who.user_id}"


def _complete(sha: str, size: int) -> UploadStatus:
    return UploadStatus(sha256=sha, offset=size, complete=True, size=size)


def upload_status(db: HubDB, store: BlobStore, who: Principal, sha: str) -> UploadStatus:
    """Complete for a scan ``who`` uploaded or may read; else where ``who``'s own upload stands — 0 alike
    for a scan the hub does not hold and for someone else's."""
    check_key(sha)
    size = store.size(sha)
    own = None
    if size is not None:
        with db.reading() as conn:
            own = _upload_of(conn, who, sha)
            if _proven(own) or _in_scope(conn, who, sha):
                return _complete(sha, size)
    if own is not None and own["challenge"] is not None:
        return UploadStatus(sha256=sha, offset=int(own["challenge"]), complete=False)
    return UploadStatus(sha256=sha, offset=store.partial_size(_part(sha, who)), complete=False)


def _check_chunk(store: BlobStore, part: str, offset: int, total: int, data: bytes) -> None:
    if total > MAX_SIZE:
        raise HubError(
            413, "too_large", f"附件超过 {MAX_SIZE // (1024 * 1024)} MB 上限 (attachment too large)"
        )
    current = store.partial_size(part)
    if offset != current:
        raise _resume_at(current)
    if offset == 0 and sniff(data[:16]) is None:
        raise HubError(415, "bad_type", "附件只能是 JPEG、PNG 或 PDF (only jpeg/png/pdf)")
    if offset + len(data) > total:
        raise bad_request("past_end", "上传的数据超过声明的大小 (chunk past the declared size)")


def _resume_at(offset: int) -> HubError:
    return HubError(
        409,
        "wrong_offset",
        f"续传位置应为 {offset} (resume at {offset})",
        headers={"Upload-Offset": str(offset)},
    )


def receive_chunk(
    db: HubDB, store: BlobStore, who: Principal, sha: str, offset: int, total: int, data: bytes
) -> UploadStatus:
    check_key(sha)
    with store.lock(sha):
        sampled = _sample(db, store, who, sha, offset, total, data) if store.exists(sha) else None
        if sampled is not None:
            return sampled
        part = _part(sha, who)
        _check_chunk(store, part, offset, total, data)
        size = store.append_partial(part, offset, data)
        if size < total:
            return UploadStatus(sha256=sha, offset=size, complete=False)
        return _finish(db, store, who, sha, total)


def _finish(db: HubDB, store: BlobStore, who: Principal, sha: str, total: int) -> UploadStatus:
    part = _part(sha, who)
    if store.partial_sha256(part) != sha:
        store.discard_partial(part)
        raise bad_request("checksum", "附件内容与编号不符，请重新上传 (sha256 mismatch)")
    if store.exists(sha):
        store.discard_partial(part)  # stored once: this copy only showed that ``who`` has it
    else:
        store.promote_partial(part, sha)
    with db.writing() as conn:
        if conn.execute(select(t.blob.c.sha256).where(t.blob.c.sha256 == sha)).first() is None:
            conn.execute(
                insert(t.blob).values(
                    sha256=sha,
                    size=total,
                    mime=_mime(store, sha),
                    uploaded_by=who.user_id,
                    created_at=utcnow(),
                )
            )
        _uploaded(conn, who, sha)
    return _complete(sha, total)


def _mime(store: BlobStore, sha: str) -> str:
    with store.open(sha) as fh:
        return sniff(fh.read(16)) or "application/octet-stream"


# -- a second uploader shows they hold the scan (see the module docstring) ---------------------------
@dataclass(frozen=True)
class _Chunk:
    """A chunk of a scan the hub holds, checked against the stored copy."""

    size: int  # of the stored scan
    offset: int
    whole: bool  # the chunk is the whole scan
    genuine: bool  # its bytes (and the declared size) match the stored copy
    first: bool  # at offset 0, with no ordinary upload of the sender's under way


def _sample(
    db: HubDB, store: BlobStore, who: Principal, sha: str, offset: int, total: int, data: bytes
) -> UploadStatus | None:
    """The answer to a chunk of a scan the hub holds; None when it takes the ordinary upload path."""
    size = store.size(sha)
    if size is None:
        return None
    genuine = total == size and offset < size and len(data) >= min(MIN_SAMPLE, size - offset)
    genuine = genuine and store.read(sha, offset, len(data)) == data
    first = offset == 0 and store.partial_size(_part(sha, who)) == 0
    chunk = _Chunk(size, offset, offset == 0 and len(data) == size, genuine, first)
    with db.writing() as conn:
        verdict = _sample_verdict(conn, who, sha, chunk)
    if isinstance(verdict, HubError):
        raise verdict  # after the commit: a refused sample stays recorded
    return verdict


def _sample_verdict(
    conn: Connection, who: Principal, sha: str, chunk: _Chunk
) -> UploadStatus | HubError | None:
    own = _upload_of(conn, who, sha, lock=True)
    if _proven(own):
        return _complete(sha, chunk.size)
    if own is None:
        if not (chunk.first and chunk.genuine):
            return None  # as for a scan the hub does not hold: nothing revealed
        _start(conn, who, sha)
        return _next_sample(conn, who, sha, chunk.size, PROOF_SAMPLES + 1 if chunk.whole else 1)
    if own["challenge"] is None:
        return None  # a wrong answer turned the shortcut off: only the whole upload proves it now
    if chunk.offset != own["challenge"]:
        return _resume_at(int(own["challenge"]))
    if not chunk.genuine:
        conn.execute(_where(update(t.blob_upload), who, sha).values(challenge=None))
        return bad_request("checksum", "附件内容与编号不符，请重新上传 (sha256 mismatch)")
    return _next_sample(conn, who, sha, chunk.size, int(own["samples"]) + 1)


def _next_sample(
    conn: Connection, who: Principal, sha: str, size: int, samples: int
) -> UploadStatus:
    """Ask for the next range at a random offset, or record ``who`` as an uploader once enough matched."""
    if samples > PROOF_SAMPLES:
        _uploaded(conn, who, sha)
        return _complete(sha, size)
    challenge = secrets.randbelow(max(1, size - MIN_SAMPLE + 1))
    conn.execute(
        _where(update(t.blob_upload), who, sha).values(challenge=challenge, samples=samples)
    )
    return UploadStatus(sha256=sha, offset=challenge, complete=False)


# -- the uploader registry ----------------------------------------------------------------------------
def _where(stmt: Any, who: Principal, sha: str) -> Any:
    return stmt.where(t.blob_upload.c.sha256 == sha, t.blob_upload.c.user_id == who.user_id)


def _upload_of(
    conn: Connection, who: Principal, sha: str, *, lock: bool = False
) -> dict[str, Any] | None:
    stmt = _where(select(t.blob_upload), who, sha)
    row = conn.execute(stmt.with_for_update() if lock else stmt).mappings().first()
    return dict(row) if row else None


def _proven(own: dict[str, Any] | None) -> bool:
    return own is not None and own["proven_at"] is not None


def _start(conn: Connection, who: Principal, sha: str) -> None:
    """The row of ``who``'s upload of ``sha``, kept if it exists (two of their desks at once)."""
    ins = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(t.blob_upload)
    villages = None if who.villages is None else sorted(who.villages)
    conn.execute(
        ins.values(
            sha256=sha,
            user_id=who.user_id,
            device_id=who.device_id,
            villages=villages,
            samples=0,
            created_at=utcnow(),
        ).on_conflict_do_nothing(index_elements=["sha256", "user_id"])
    )


def _uploaded(conn: Connection, who: Principal, sha: str) -> None:
    _start(conn, who, sha)
    conn.execute(_where(update(t.blob_upload), who, sha).values(challenge=None, proven_at=utcnow()))


# -- who may reach a scan -----------------------------------------------------------------------------
def may_reference(conn: Connection, who: Principal, sha: str) -> bool:
    """May a client document pushed by ``who`` name this scan? Only if ``who`` uploaded it or can
    already read it (an admin any): a sha256 learnt elsewhere never opens someone else's scan.
    The push path calls it for each client_document op that sets ``sha256``; refuse with NOT_YOURS_ZH."""
    if who.villages is None:
        return True
    return _proven(_upload_of(conn, who, sha)) or _in_scope(conn, who, sha)


def may_read(db: HubDB, who: Principal, sha: str) -> bool:
    """An admin reads any scan; others only one attached to a live client document in a village they serve."""
    with db.reading() as conn:
        return _in_scope(conn, who, sha)


def _in_scope(conn: Connection, who: Principal, sha: str) -> bool:
    if who.villages is None:
        return True
    if not who.villages:
        return False
    r = t.record.c
    stmt = (
        select(r.id)
        .where(
            r.entity == "client_document",
            r.deleted.is_(False),
            r.village_id.in_(sorted(who.villages)),
        )
        .where(r.fields["sha256"].as_string() == sha)
        .limit(1)
    )
    return conn.execute(stmt).first() is not None
