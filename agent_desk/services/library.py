"""The client's document library: scans attached once, stored once by sha256, reused by every case.

A file is checked by its first bytes, not its name (a renamed .exe is not a photo), refused above
a size limit, copied into ``attachments/`` under its hash and never written twice. The same scan
attached again for the same client returns the entry already there.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from agent_desk import atomic
from agent_desk.core.errors import DomainError
from agent_desk.services.case_life import library_scan_received
from agent_desk.services.cases import set_document_status
from agent_desk.store import sealed
from agent_desk.store.case_queries import client_document_by_hash
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.models import CaseDocument, ClientDocument
from agent_desk.store.sealed import read_file, write_file

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 1 << 16
# magic bytes -> (mime, file suffix)
MAGIC: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"%PDF-", 0, "application/pdf", ".pdf"),
    (b"II*\x00", 0, "image/tiff", ".tif"),
    (b"MM\x00*", 0, "image/tiff", ".tif"),
    (b"BM", 0, "image/bmp", ".bmp"),
    (b"WEBP", 8, "image/webp", ".webp"),
)
SHA_RE = re.compile(r"[0-9a-f]{64}")
BLOB_NAME_RE = re.compile(r"[0-9a-f]{64}(\.[a-z]{3,4})?")
FILE_FILTER = "扫描件或照片 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff *.bmp *.webp)"


class AttachmentRefused(DomainError):
    """A file that cannot go into the library (wrong type, too big, unreadable)."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    path: Path
    mime: str
    size: int


def sniff_type(head: bytes) -> tuple[str, str] | None:
    """(mime, suffix) from a file's first bytes, or None when it is no scan or photo we accept."""
    for magic, offset, mime, suffix in MAGIC:
        if head[offset : offset + len(magic)] == magic and (
            magic != b"WEBP" or head[:4] == b"RIFF"
        ):
            return mime, suffix
    return None


def blob_path(attachments: Path, sha256: str, suffix: str) -> Path:
    return attachments / sha256[:2] / f"{sha256}{suffix}"


def store_blob(
    attachments: Path, source: Path, *, max_bytes: int = MAX_BYTES, cipher: BlobCipher | None = None
) -> StoredBlob:
    """Copy ``source`` into the content-addressed store (once), sealed when the desk is encrypted.

    The name stays the sha256 of the plaintext, so dedup and the hub's content address still work.
    """
    try:
        size = source.stat().st_size
        with source.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise AttachmentRefused(
            f"无法读取文件「{source.name}」：{exc.strerror or exc}", code="attachment_unreadable"
        ) from None
    _check(source, head, size, max_bytes)
    mime, suffix = sniff_type(head) or ("", "")
    digest = _sha256(source)
    target = blob_path(attachments, digest, suffix)
    if not target.exists():
        if cipher is None:
            _copy_atomic(source, target)
        else:
            write_file(target, source.read_bytes(), cipher)
    return StoredBlob(digest, target, mime, size)


def _check(source: Path, head: bytes, size: int, max_bytes: int) -> None:
    if size == 0:
        raise AttachmentRefused(f"文件「{source.name}」是空的", code="attachment_empty")
    if size > max_bytes:
        raise AttachmentRefused(
            f"文件「{source.name}」有 {size / 1048576:.1f} MB，超过 {max_bytes // 1048576} MB 的上限，请压缩后再附加",
            code="attachment_too_big",
            message_en=f"{source.name} is larger than {max_bytes} bytes",
        )
    if sniff_type(head) is None:
        raise AttachmentRefused(
            f"文件「{source.name}」不是照片或扫描件（只接受 JPG、PNG、PDF、TIFF、BMP、WebP）",
            code="attachment_type",
            message_en=f"{source.name} is not an accepted image or PDF",
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_atomic(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_with(target, lambda temp: shutil.copyfile(source, temp))


def attach_document(
    client_id: str,
    doc_kind: str,
    title: str,
    source: Path,
    *,
    session: Session,
    attachments: Path,
    cipher: BlobCipher | None = None,
) -> ClientDocument:
    """Put a scan in the client's library; the same scan of the same kind is returned, not duplicated."""
    blob = store_blob(attachments, source, cipher=cipher)
    existing = client_document_by_hash(session, client_id, blob.sha256, doc_kind)
    if existing is not None:
        return existing
    doc = ClientDocument(
        client_id=client_id,
        doc_kind=doc_kind,
        title=title.strip() or source.stem,
        sha256=blob.sha256,
        filename=blob.path.name,
        mime=blob.mime,
        size=blob.size,
    )
    session.add(doc)
    session.flush()
    library_scan_received(doc, date.today(), session=session)
    return doc


def attach_to_case_document(
    case_doc: CaseDocument,
    client_id: str,
    source: Path,
    *,
    session: Session,
    attachments: Path,
    cipher: BlobCipher | None = None,
) -> ClientDocument:
    """A scan handed in for one case goes into the library too, so the next case reuses it."""
    kind = case_doc.doc_kind or "other"
    doc = attach_document(
        client_id,
        kind,
        case_doc.name,
        source,
        session=session,
        attachments=attachments,
        cipher=cipher,
    )
    session.flush()
    set_document_status(case_doc, "received", session=session, client_document_id=doc.id)
    return doc


def remove_document(doc: ClientDocument, *, session: Session) -> None:
    """A tombstone, as sync needs; the stored file stays (another entry may share it)."""
    doc.deleted = True


def document_file(attachments: Path, doc: ClientDocument) -> Path:
    """Where the blob lives; a name that is not ``<sha256>[.ext]`` (e.g. ``../x`` from a hostile sync) is refused."""
    if (
        not SHA_RE.fullmatch(doc.sha256)
        or not BLOB_NAME_RE.fullmatch(doc.filename)
        or not doc.filename.startswith(doc.sha256)
    ):
        raise AttachmentRefused(
            f"附件名「{doc.filename[:80]}」不合法，已拒绝打开", code="attachment_name"
        )
    return attachments / doc.sha256[:2] / doc.filename


def document_bytes(attachments: Path, doc: ClientDocument, cipher: BlobCipher | None) -> bytes:
    return read_file(document_file(attachments, doc), cipher)


def plain_copy(
    attachments: Path, doc: ClientDocument, cipher: BlobCipher | None, folder: Path
) -> Path:
    """A file the system viewer can open: the blob itself, or a decrypted copy in ``folder`` (outside the data folder)."""
    return sealed.plain_copy(document_file(attachments, doc), cipher, folder)
