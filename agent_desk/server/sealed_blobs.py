"""Scans and publications sealed at rest on the hub, under a key kept outside its data folder.

``SealedBlobStore`` wraps any blob store (the local folder or S3): a finished object is stored as
``ADHUB1`` + nonce + AES-GCM(content), the object's key bound as associated data, under an HKDF
subkey of the hub's blob key (``blob_key`` / ``blob_key_file`` in the hub's settings, never in the
data folder, so a copied disk or backup of the folder alone reveals no scan). Objects stored before
the key was set stay readable as they are.

Uploads are resumable as before, and sealed while they are under way too: each chunk received is
appended to the wrapped store's partial upload as its own AES-GCM record (its length, a fresh nonce,
the sealed chunk), bound to the partial upload's name (scan and uploader) and to the plaintext offset
where it starts, after an ``ADPART1`` header. A small note beside it (the wrapped store's
``partial_note``, sizes only) says how many plaintext and stored bytes the records hold, written
after the data, so the desk's offsets still count plaintext bytes. When the upload completes the
records are opened one by one, the sha256 checked, and the whole scan sealed into place as above.
A damaged or moved record, a note that does not match its data (a crash between the two) or a plain
partial upload begun before the hub had its key is never resumed: the hub answers offset 0 (or, for
a record found damaged at the end, an error ``partial_damaged``) and the upload starts again.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import struct
from contextlib import AbstractContextManager
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from agent_desk.core.errors import DomainError

MAGIC = b"ADHUB1\x00"
PART_MAGIC = b"ADPART1\x00"  # a sealed partial upload: this, then records
RECORD_LEN = struct.Struct(">I")  # a record: its sealed length, nonce, AES-GCM(chunk)
NONCE = 12
OVERHEAD = len(MAGIC) + NONCE + 16  # header, nonce, GCM tag


def parse_blob_key(text: str) -> bytes:
    """The hub's blob key: 64 hexadecimal characters (``openssl rand -hex 32``)."""
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise DomainError(
            "扫描件加密密钥应为 64 位十六进制字符（可用 openssl rand -hex 32 生成）",
            code="bad_blob_key",
            message_en="blob_key must be 64 hex characters",
        )
    return key


def _record_ad(part: str, offset: int) -> bytes:
    """A record is bound to its partial upload (scan and uploader) and to where its chunk starts."""
    return b"partial\x00" + part.encode() + b"\x00" + offset.to_bytes(8, "big")


def _open_records(aead: AESGCM, part: str, stored: bytes) -> bytes | None:
    """The plaintext of a sealed partial upload, or None if any record is damaged or out of place."""
    if not stored.startswith(PART_MAGIC):
        return None
    plain, at = bytearray(), len(PART_MAGIC)
    while at < len(stored):
        if at + RECORD_LEN.size + NONCE > len(stored):
            return None
        (length,) = RECORD_LEN.unpack_from(stored, at)
        body = at + RECORD_LEN.size + NONCE
        if length < 16 or body + length > len(stored):
            return None
        try:
            plain += aead.decrypt(
                stored[body - NONCE : body],
                stored[body : body + length],
                _record_ad(part, len(plain)),
            )
        except InvalidTag:
            return None
        at = body + length
    return bytes(plain)


class SealedBlobStore:
    """A BlobStore whose objects and partial uploads are encrypted: the wrapped store never sees
    plaintext."""

    def __init__(self, inner: Any, key: bytes) -> None:
        self.inner = inner
        subkey = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"agentdesk hub blobs v1"
        ).derive(key)
        self._aead = AESGCM(subkey)

    # -- sealing ---------------------------------------------------------------------------------
    def seal(self, key: str, data: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, key.encode())

    def unseal(self, key: str, stored: bytes) -> bytes:
        if not stored.startswith(MAGIC):
            return stored  # stored before the hub had a key
        body = stored[len(MAGIC) :]
        try:
            return self._aead.decrypt(body[:NONCE], body[NONCE:], key.encode())
        except InvalidTag:
            raise DomainError(
                f"服务器上的文件 {key[:12]} 无法解密：已损坏，或密钥不对",
                code="blob_tampered",
                message_en="a sealed blob failed its check (wrong key or damaged)",
            ) from None

    def _stored(self, key: str) -> bytes:
        with self.inner.open(key) as fh:
            return fh.read()  # type: ignore[no-any-return]

    # -- objects ---------------------------------------------------------------------------------
    def exists(self, key: str) -> bool:
        return bool(self.inner.exists(key))

    def size(self, key: str) -> int | None:
        stored = self.inner.size(key)
        if stored is None:
            return None
        sealed = stored >= OVERHEAD and self.inner.read(key, 0, len(MAGIC)) == MAGIC
        return int(stored - OVERHEAD) if sealed else int(stored)

    def open(self, key: str) -> BinaryIO:
        return io.BytesIO(self.unseal(key, self._stored(key)))

    def put(self, key: str, data: bytes) -> None:
        self.inner.put(key, self.seal(key, data))

    def read(self, key: str, offset: int, length: int) -> bytes:
        return self.unseal(key, self._stored(key))[offset : offset + length]

    # -- resumable uploads (see the module docstring) -------------------------------------------
    def _record(self, part: str, offset: int, data: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE)
        sealed = self._aead.encrypt(nonce, data, _record_ad(part, offset))
        return RECORD_LEN.pack(len(sealed)) + nonce + sealed

    def _note(self, part: str) -> tuple[int, int] | None:
        """(plaintext bytes, stored bytes) of a sealed partial upload whose data and note agree."""
        raw = self.inner.partial_note(part)
        try:
            note = json.loads(raw) if raw else {}
            plain, stored = int(note["plain"]), int(note["stored"])
        except (ValueError, TypeError, KeyError):
            return None
        if stored != int(self.inner.stored_partial_size(part)):
            return None  # a crash between the data and its note, or a changed file: start again
        return plain, stored

    def partial_size(self, part: str) -> int:
        """The plaintext bytes received; 0 for a partial upload to start again: a plain one begun
        before the hub had its key, or one whose note does not match its data."""
        note = self._note(part)
        return 0 if note is None else note[0]

    def append_partial(self, part: str, offset: int, data: bytes) -> int:
        """``data`` sealed as one record after the ``offset`` plaintext bytes already received."""
        if offset == 0:
            self.inner.discard_partial(part)  # whatever was there: plain, damaged or sealed
            plain, stored = 0, 0
            record = PART_MAGIC + self._record(part, 0, data)
        else:
            note = self._note(part)
            if note is None or note[0] != offset:
                raise ValueError(f"cannot write at {offset} of a partial upload")
            plain, stored = note
            record = self._record(part, offset, data)
        self.inner.append_partial(part, stored, record)
        note_bytes = json.dumps({"plain": plain + len(data), "stored": stored + len(record)})
        self.inner.set_partial_note(part, note_bytes.encode())
        return offset + len(data)

    def read_partial(self, part: str) -> bytes:
        """The received plaintext, each record checked. A damaged or swapped record discards the
        partial upload (the desk starts it again at 0) and says so."""
        note = self._note(part)
        stored = self.inner.read_partial(part) if note is not None else b""
        plain = _open_records(self._aead, part, stored)
        if plain is None or note is None or len(plain) != note[0]:
            self.inner.discard_partial(part)
            raise DomainError(
                "服务器上未完成的上传已损坏（校验不通过），已删除，请重新上传",
                code="partial_damaged",
                message_en="a sealed partial upload failed its check; it was removed, upload again",
            )
        return plain

    def partial_sha256(self, part: str) -> str:
        return hashlib.sha256(self.read_partial(part)).hexdigest()

    def promote_partial(self, part: str, key: str) -> None:
        """The finished upload, opened record by record and sealed whole into place."""
        self.inner.put(key, self.seal(key, self.read_partial(part)))
        self.inner.discard_partial(part)

    def discard_partial(self, part: str) -> None:
        self.inner.discard_partial(part)

    def stored_partial_size(self, part: str) -> int:
        return int(self.inner.stored_partial_size(part))

    def partial_note(self, part: str) -> bytes | None:
        return None  # the notes are this store's own

    def set_partial_note(self, part: str, note: bytes) -> None:
        raise NotImplementedError("a sealed store keeps its notes for itself")

    def lock(self, key: str) -> AbstractContextManager[Any]:
        return self.inner.lock(key)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:  # root, client… of the wrapped store
        return getattr(self.inner, name)
