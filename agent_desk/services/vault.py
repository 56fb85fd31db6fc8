"""The desk's password: first-time setup, unlock, "remember on this PC", password change.

The data key is random; the password only wraps it (store/crypto.py). Remembering keeps the data
key in the OS keyring, never in a file. Setting a password on a desk that already has data encrypts
the database, the scans and the generated documents in place after a backup (store/encrypt.py,
store/sealed.py); an interrupted run resumes at the next unlock because the key file is written first.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from pathlib import Path

import keyring
import keyring.errors

from agent_desk.core.errors import DomainError
from agent_desk.store.crypto import (
    KEY_BYTES,
    BlobCipher,
    KdfParams,
    check_password_strength,
    new_data_key,
    read_key_file,
    wrap,
    write_key_file,
)
from agent_desk.store.datadir import DataDir
from agent_desk.store.encrypt import (
    encrypt_in_place,
    encrypt_plain_backups,
    is_plaintext,
    plain_backups,
)
from agent_desk.store.encrypt import remove_plain_backups as remove_backups
from agent_desk.store.sealed import seal_folder

log = logging.getLogger(__name__)
KEYRING_SERVICE = "AgentDesk"


class DeskLocked(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "数据已加密，请先输入密码解锁。",
            code="desk_locked",
            message_en="the desk is encrypted; unlock it with the password",
        )


class PasswordAlreadySet(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "本机已经设置过密码，请用“修改密码”。",
            code="password_exists",
            message_en="a password is already set; change it instead",
        )


def is_protected(data: DataDir) -> bool:
    return data.key_file.exists()


def _keyring_user(desk_id: str) -> str:
    return f"data-key:{desk_id}"


def setup_password(
    data: DataDir,
    password: str,
    *,
    remember: bool = False,
    params: KdfParams | None = None,
    remove_plain_backups: bool = False,
) -> bytes:
    """First-time password: a new data key, wrapped; existing data gets encrypted. Returns the data key.

    Older plain backups are encrypted too, or, with the user's yes (``remove_plain_backups``),
    overwritten and deleted before anything else happens."""
    check_password_strength(password)
    if is_protected(data):
        raise PasswordAlreadySet()
    data.ensure()
    if remove_plain_backups:
        remove_backups(data.backups)
    key = new_data_key()
    desk_id = hashlib.sha256(os.urandom(16)).hexdigest()[:32]
    write_key_file(
        data.key_file, wrap(key, password, desk_id=desk_id, params=params or KdfParams())
    )
    if remember:
        remember_key(data, key)
    finish_encryption(data, key)
    return key


def plain_backup_count(data: DataDir) -> int:
    """Backups a new password would have to encrypt (or the user may have removed)."""
    return len(plain_backups(data.backups))


def unlock(data: DataDir, password: str) -> bytes:
    """The data key for ``password``; WrongPassword (nothing touched) otherwise."""
    key = read_key_file(data.key_file).unwrap(password)
    finish_encryption(data, key)
    return key


def change_password(data: DataDir, old: str, new: str) -> None:
    """Re-wrap the same data key under ``new``: the data is not re-encrypted."""
    check_password_strength(new)
    current = read_key_file(data.key_file)
    key = current.unwrap(old)
    write_key_file(
        data.key_file,
        wrap(key, new, desk_id=current.desk_id, params=current.params, created=current.created),
    )


def remember_key(data: DataDir, key: bytes) -> None:
    desk_id = read_key_file(data.key_file).desk_id
    keyring.set_password(KEYRING_SERVICE, _keyring_user(desk_id), key.hex())


def forget_key(data: DataDir) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(
            KEYRING_SERVICE, _keyring_user(read_key_file(data.key_file).desk_id)
        )


def remembered_key(data: DataDir) -> bytes | None:
    """The data key kept in the OS keyring, or None (not remembered, or no keyring on this PC)."""
    if not is_protected(data):
        return None
    try:
        stored = keyring.get_password(
            KEYRING_SERVICE, _keyring_user(read_key_file(data.key_file).desk_id)
        )
    except keyring.errors.KeyringError as exc:
        log.info("keyring unavailable: %s", type(exc).__name__)
        return None
    try:
        key = bytes.fromhex(stored) if stored else b""
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def finish_encryption(data: DataDir, key: bytes) -> None:
    """Encrypt what is still plain (the database, its older backups, scans, documents); a no-op once done."""
    if is_plaintext(data.database):
        encrypt_in_place(data.database, key, data.backups)
    encrypt_plain_backups(data.backups, key)
    cipher = BlobCipher(key)
    seal_attachments(data.attachments, cipher)
    seal_documents(data.documents, cipher)
    shutil.rmtree(
        data.scan_pages, ignore_errors=True
    )  # plain page images of PDF scans (review screen)


def seal_attachments(root: Path, cipher: BlobCipher) -> int:
    """Encrypt every scan still in plain text, one atomic replace each; marks the folder done."""
    return seal_folder(root, cipher, note="attachments are encrypted with the desk's data key")


def seal_documents(root: Path, cipher: BlobCipher) -> int:
    """Encrypt the generated documents (.docx) still in plain text; their print copies are deleted."""
    return seal_folder(
        root, cipher, drop=_print_copy, note="documents are encrypted with the desk's data key"
    )


def _print_copy(path: Path) -> bool:
    """What services/printing.py keeps beside a .docx on a plain desk: ``x.pdf`` and ``x.pages/``."""
    if path.suffix == ".pages" or path.parent.suffix == ".pages":
        return True
    return path.suffix == ".pdf" and path.with_suffix(".docx").exists()
