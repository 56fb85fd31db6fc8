"""Keys for encryption at rest: a random data key, wrapped by a key derived from the user's password.

The key file (``key.json`` in the data folder) holds only the salt, the argon2id parameters and the
wrapped (AES-GCM encrypted) data key — no secret in plain text. A wrong password fails the GCM tag
check and never touches the data. Changing the password re-wraps the same data key, so the database
and the attachments are not re-encrypted. Attachments are sealed with a subkey of the data key;
their file name stays the sha256 of the plaintext (content address shared with the hub), and that
name is bound to the ciphertext as associated data so blobs cannot be swapped.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from agent_desk import atomic
from agent_desk.core.errors import DomainError
from agent_desk.core.passwords import password_problem

KEY_FORMAT = "agentdesk-key/1"
KEY_BYTES = 32
BLOB_MAGIC = b"ADENC1\x00"
_WRAP_AAD = b"agentdesk data key v1:"


class WrongPassword(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "密码不正确，数据未打开，也未作任何改动。",
            code="wrong_password",
            message_en="wrong password; nothing was opened or changed",
        )


class KeyFileBroken(DomainError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"密钥文件 {path} 已损坏，无法解锁数据。请从备份恢复密钥文件，或联系乡镇管理员。",
            code="key_file_broken",
            message_en=f"key file {path} is unreadable: {detail}",
        )


class WeakPassword(DomainError):
    pass


@dataclass(frozen=True)
class KdfParams:
    """argon2id cost; the defaults take a few hundred ms on an old PC, tests use ``light()``."""

    time_cost: int = 3
    memory_cost: int = 64 * 1024  # KiB
    parallelism: int = 2

    @classmethod
    def light(cls) -> KdfParams:
        return cls(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def derive_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(
        password.encode(),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def check_password_strength(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise WeakPassword(
            problem, code="weak_password", message_en="password too weak (short, common or a run)"
        )


@dataclass(frozen=True)
class KeyFile:
    """The parsed ``key.json``; ``unwrap`` turns a password into the data key."""

    desk_id: str
    salt: bytes
    params: KdfParams
    wrapped: bytes
    created: str

    def unwrap(self, password: str) -> bytes:
        kek = derive_kek(password, self.salt, self.params)
        try:
            return AESGCM(kek).decrypt(
                self.wrapped[:12], self.wrapped[12:], _WRAP_AAD + self.desk_id.encode()
            )
        except InvalidTag:
            raise WrongPassword() from None

    def to_json(self) -> str:
        body = {
            "format": KEY_FORMAT,
            "desk_id": self.desk_id,
            "created": self.created,
            "kdf": {"name": "argon2id", "salt": _b64(self.salt), **asdict(self.params)},
            "wrapped_key": _b64(self.wrapped),
        }
        return json.dumps(body, indent=2)


def wrap(
    data_key: bytes, password: str, *, desk_id: str, params: KdfParams, created: str = ""
) -> KeyFile:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(derive_kek(password, salt, params)).encrypt(
        nonce, data_key, _WRAP_AAD + desk_id.encode()
    )
    created = created or datetime.now(timezone.utc).isoformat(timespec="seconds")
    return KeyFile(desk_id, salt, params, nonce + sealed, created)


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def read_key_file(path: Path) -> KeyFile:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != KEY_FORMAT or raw["kdf"]["name"] != "argon2id":
            raise ValueError(f"unknown format {raw.get('format')}")
        kdf = raw["kdf"]
        params = KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost"]), int(kdf["parallelism"]))
        return KeyFile(
            str(raw["desk_id"]),
            _unb64(kdf["salt"]),
            params,
            _unb64(raw["wrapped_key"]),
            str(raw.get("created", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileBroken(path, str(exc)) from None


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Atomic: a crash leaves the old key file or the new one, never half of one."""
    atomic.write_text(path, key_file.to_json())


def sqlcipher_key(data_key: bytes) -> str:
    """The raw-key form SQLCipher takes (no second KDF): x'…'."""
    return f"x'{data_key.hex()}'"


class BlobCipher:
    """AES-GCM for attachment files, under a subkey of the data key."""

    def __init__(self, data_key: bytes) -> None:
        subkey = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"agentdesk attachments v1"
        ).derive(data_key)
        self._aead = AESGCM(subkey)

    def seal(self, plaintext: bytes, name: str) -> bytes:
        nonce = secrets.token_bytes(12)
        return BLOB_MAGIC + nonce + self._aead.encrypt(nonce, plaintext, name.encode())

    def open(self, sealed: bytes, name: str) -> bytes:
        if not sealed.startswith(BLOB_MAGIC):
            raise DomainError(f"附件 {name} 未加密或已损坏", code="blob_not_sealed")
        body = sealed[len(BLOB_MAGIC) :]
        try:
            return self._aead.decrypt(body[:12], body[12:], name.encode())
        except InvalidTag:
            raise DomainError(f"附件 {name} 已损坏或被改动", code="blob_tampered") from None


def is_sealed(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(BLOB_MAGIC)) == BLOB_MAGIC
