"""Scans and publications sealed at rest on the hub, under a key kept outside its data folder.

``SealedBlobStore`` wraps any blob store (the local folder or S3): a finished object is stored as
``ADHUB1`` + nonce + AES-GCM(content), the object's key bound as associated data, under an HKDF
subkey of the hub's blob key (``blob_key`` / ``blob_key_file`` in the hub's settings, never in the
data folder, so a copied disk or backup of the folder alone reveals no scan). Objects stored before
the key was set stay readable as they are. Uploads are resumable as before: chunks gather in the
store's partial area and are sealed when the upload completes and its sha256 checks out (the
partial area holds at most the scans being uploaded at that moment, in plain).
"""

from __future__ import annotations

import io
import secrets
from contextlib import AbstractContextManager
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from agent_desk.core.errors import DomainError

MAGIC = b"ADHUB1\x00"
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


class SealedBlobStore:
    """A BlobStore whose finished objects are encrypted; the wrapped store never sees plaintext
    objects (partial uploads excepted, see the module docstring)."""

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

    # -- resumable uploads -----------------------------------------------------------------------
    def partial_size(self, part: str) -> int:
        return int(self.inner.partial_size(part))

    def append_partial(self, part: str, offset: int, data: bytes) -> int:
        return int(self.inner.append_partial(part, offset, data))

    def partial_sha256(self, part: str) -> str:
        return str(self.inner.partial_sha256(part))

    def promote_partial(self, part: str, key: str) -> None:
        """The finished upload, sealed into place; the plain partial is removed."""
        self.inner.put(key, self.seal(key, self.inner.read_partial(part)))
        self.inner.discard_partial(part)

    def discard_partial(self, part: str) -> None:
        self.inner.discard_partial(part)

    def lock(self, key: str) -> AbstractContextManager[Any]:
        return self.inner.lock(key)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:  # root, client… of the wrapped store
        return getattr(self.inner, name)
