"""Files kept at rest in the data folder: written whole, and sealed when the desk is encrypted.

Scans (``attachments/``) and generated documents (``documents/``: notices, authorisations, forms,
receipts, hand-over lists) all go through here, so a stolen PC shows neither an ID card nor a filled
form. A sealed file is ``BLOB_MAGIC + nonce + AES-GCM`` under the desk's data key (store/crypto's
``BlobCipher``), with the file's own name as associated data: two files cannot be swapped.

Plaintext never lands in the data folder. When a program needs a real file (LibreOffice, pdftoppm,
Word/WPS, the system's viewer), it gets one in a private folder (0700) under the OS temp folder
(``%LOCALAPPDATA%\\Temp`` on Windows, per user):

- ``scratch()``: one job's folder (PDF conversion, page images), removed when the job ends, error or not;
- ``open_folder()``: the session's folder for a file the user asked to open in another program; the
  app removes it when it closes, and ``sweep_stale()`` removes what a crashed session left, at the
  next start.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from agent_desk import atomic
from agent_desk.core.errors import DomainError
from agent_desk.store.crypto import BLOB_MAGIC, BlobCipher

log = logging.getLogger(__name__)
SEALED_MARK = ".sealed"  # in a folder: everything in it was sealed (see seal_folder)
PLAIN_PREFIX = "agentdesk-plain-"
_PLAIN_RE = re.compile(rf"{PLAIN_PREFIX}[a-z]+-(\d+)-")
Write = Callable[[Path, bytes], None]


class SealedFileUnreadable(DomainError):
    """A sealed file that this desk's key does not open (wrong key, damaged, or locked desk)."""


class DeskFilesLocked(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "本机数据已加密，请先输入密码解锁，再生成或打开文书。",
            code="files_locked",
            message_en="the desk's files are encrypted; unlock the desk first",
        )


# -- writing --------------------------------------------------------------------------------------
def write_atomic(path: Path, data: bytes) -> None:
    """Never a half-written file (agent_desk.atomic: temp file, fsync, rename, folder fsync)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, data)


def write_file(path: Path, data: bytes, cipher: BlobCipher | None) -> None:
    """``data`` at ``path``, sealed under its file name when the desk is encrypted."""
    write_atomic(path, data if cipher is None else cipher.seal(data, path.name))


def writer_for(folder: Path, cipher: BlobCipher | None) -> Write:
    """How to write into ``folder``: sealed on an encrypted desk; a locked one is refused, not written in plain."""
    if cipher is None and (folder / SEALED_MARK).exists():
        raise DeskFilesLocked()
    return lambda path, data: write_file(path, data, cipher)


# -- reading --------------------------------------------------------------------------------------
def is_sealed_bytes(raw: bytes) -> bool:
    return raw.startswith(BLOB_MAGIC)


def read_file(path: Path, cipher: BlobCipher | None) -> bytes:
    """The plaintext of a stored file; a file from before encryption is read as it is."""
    raw = path.read_bytes()
    if not is_sealed_bytes(raw):
        return raw
    if cipher is None:
        raise SealedFileUnreadable(
            f"文件「{path.name}」已加密，请先输入密码解锁本机数据再打开。",
            code="file_locked",
            message_en=f"{path.name} is encrypted; unlock the desk",
        )
    try:
        return cipher.open(raw, path.name)
    except (DomainError, ValueError):
        raise SealedFileUnreadable(
            f"文件「{path.name}」无法解密：它已损坏、被改动或改了名，或不是用本机的密钥加密的。"
            "文书请重新生成，扫描件请重新附加。",
            code="file_unreadable",
            message_en=f"{path.name} does not decrypt with this desk's key",
        ) from None


def plain_copy(path: Path, cipher: BlobCipher | None, folder: Path) -> Path:
    """A file other programs can read: the stored file on a plain desk, else a decrypted copy in ``folder``.

    ``folder`` is a ``scratch()`` or ``open_folder()`` folder, never one in the data folder.
    """
    if cipher is None:
        return path
    data = read_file(path, cipher)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    if target.is_file() and target.read_bytes() == data:
        return target  # opened before, maybe still open in Word (which locks it on Windows)
    try:
        target.write_bytes(data)
    except PermissionError:  # an older copy still open in Word: this one goes beside it
        target = Path(tempfile.mkdtemp(dir=folder)) / path.name
        target.write_bytes(data)
    return target


# -- sealing what is already there (encrypting an existing desk) -----------------------------------
def seal_file(path: Path, cipher: BlobCipher) -> bool:
    """Seal one plaintext file in place (temp, fsync, rename); False when it already was."""
    raw = path.read_bytes()
    if is_sealed_bytes(raw):
        return False
    write_atomic(path, cipher.seal(raw, path.name))
    return True


def seal_folder(
    root: Path,
    cipher: BlobCipher,
    *,
    drop: Callable[[Path], bool] = lambda _p: False,
    note: str = "files here are encrypted with the desk's data key",
) -> int:
    """Seal every plaintext file under ``root``, once; returns how many were sealed.

    Idempotent and crash-safe: each file is replaced atomically and sealed files are skipped, so an
    interrupted run just goes on at the next unlock; the mark is written last and ends the walk for
    good. Leftover temp files (a write cut short) and whatever ``drop`` says can be made again are
    deleted, not sealed.
    """
    mark = root / SEALED_MARK
    if mark.exists():
        return 0
    root.mkdir(parents=True, exist_ok=True)
    sealed = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p != mark):
        if (path.name.startswith(".") and path.name.endswith(".tmp")) or drop(path):
            path.unlink(missing_ok=True)
        elif not path.name.startswith("."):
            sealed += seal_file(path, cipher)
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if drop(folder) and not any(folder.iterdir()):
            folder.rmdir()
    write_atomic(mark, f"{note}\n".encode())
    return sealed


# -- plaintext for other programs, outside the data folder -----------------------------------------
def _private_folder(kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"{PLAIN_PREFIX}{kind}-{os.getpid()}-"))  # mode 0700


@contextmanager
def scratch() -> Iterator[Path]:
    """A private folder for one job's plaintext (LibreOffice's input and output); always removed."""
    folder = _private_folder("job")
    try:
        yield folder
    finally:
        remove_folder(folder)


def open_folder() -> Path:
    """The session's folder for files opened in Word/WPS or a viewer (the caller removes it on exit)."""
    return _private_folder("open")


def remove_folder(folder: Path) -> None:
    shutil.rmtree(
        folder, ignore_errors=True
    )  # a file Word still holds stays; sweep_stale gets it later
    if folder.exists():
        log.info("plaintext folder %s still in use; removed at the next start", folder.name)


def sweep_stale(temp_root: Path | None = None) -> int:
    """Remove plaintext folders left by sessions that ended without cleaning up (a crash, a kill)."""
    removed = 0
    root = temp_root or Path(tempfile.gettempdir())
    for folder in root.glob(f"{PLAIN_PREFIX}*"):
        found = _PLAIN_RE.match(folder.name)
        if not found or not folder.is_dir() or not _ours(folder) or _alive(int(found.group(1))):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    return removed


def _ours(folder: Path) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or folder.stat().st_uid == getuid()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return kernel32.GetLastError() == 5  # access denied: someone else's live process
    try:
        code = ctypes.c_ulong()
        return (
            bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259
        )  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)
