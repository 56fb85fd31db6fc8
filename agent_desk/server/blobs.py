"""Object storage behind attachments and publications: a small interface a local folder or S3 can fill.

Keys are content addresses (sha256) or publication names; partial uploads live apart from finished
objects, so a reader never sees half a file. A partial upload has a name of its own (the scan's key
and its uploader), so two users sending the same scan never write into, or learn of, each other's.
"""

from __future__ import annotations

import hashlib
import os
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Protocol

from agent_desk import atomic

try:
    import fcntl
except ImportError:  # Windows: one hub process, the thread lock is enough
    fcntl = None  # type: ignore[assignment]


class BlobStore(Protocol):
    def exists(self, key: str) -> bool: ...
    def size(self, key: str) -> int | None: ...
    def open(self, key: str) -> BinaryIO: ...
    def put(self, key: str, data: bytes) -> None: ...
    def read(self, key: str, offset: int, length: int) -> bytes: ...
    def partial_size(self, part: str) -> int: ...
    def append_partial(self, part: str, offset: int, data: bytes) -> int: ...
    def partial_sha256(self, part: str) -> str: ...
    def read_partial(self, part: str) -> bytes: ...
    def promote_partial(self, part: str, key: str) -> None: ...
    def discard_partial(self, part: str) -> None: ...
    def stored_partial_size(self, part: str) -> int: ...
    def partial_note(self, part: str) -> bytes | None: ...
    def set_partial_note(self, part: str, note: bytes) -> None: ...
    def lock(self, key: str) -> AbstractContextManager[Any]: ...


class KeyLock:
    """One upload's lock, held across threads *and* the API worker processes of one host
    (``server --workers N``): a thread lock, then ``flock`` on a lock file of the key."""

    def __init__(self, thread_lock: threading.Lock, path: Path) -> None:
        self._thread_lock, self._path, self._fd = thread_lock, path, -1

    def acquire(self, blocking: bool = True) -> bool:
        if not self._thread_lock.acquire(blocking):
            return False
        if fcntl is None:
            return True
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            self._thread_lock.release()
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing drops the flock
            self._fd = -1
        self._thread_lock.release()

    def __enter__(self) -> KeyLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


class LocalBlobStore:
    """Objects under ``root/objects/ab/abcd…``; partial uploads under ``root/partial``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "objects").mkdir(parents=True, exist_ok=True)
        (root / "partial").mkdir(parents=True, exist_ok=True)
        (root / "locks").mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _object(self, key: str) -> Path:
        return self.root / "objects" / key[:2] / key

    def _partial(self, part: str) -> Path:
        return self.root / "partial" / f"{part}.part"

    def lock(self, key: str) -> KeyLock:
        with self._guard:
            thread_lock = self._locks.setdefault(key, threading.Lock())
        stripe = hashlib.sha256(key.encode()).hexdigest()[:2]  # 256 lock files, however many scans
        return KeyLock(thread_lock, self.root / "locks" / f"{stripe}.lock")

    def exists(self, key: str) -> bool:
        return self._object(key).is_file()

    def size(self, key: str) -> int | None:
        path = self._object(key)
        return path.stat().st_size if path.is_file() else None

    def open(self, key: str) -> BinaryIO:
        return self._object(key).open("rb")

    def put(self, key: str, data: bytes) -> None:
        target = self._object(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(target, data)

    def read(self, key: str, offset: int, length: int) -> bytes:
        with self.open(key) as fh:
            fh.seek(offset)
            return fh.read(length)

    def partial_size(self, part: str) -> int:
        if self._note(part).is_file():
            return 0  # sealed records written while the hub had a blob key: start again
        return self.stored_partial_size(part)

    def stored_partial_size(self, part: str) -> int:
        path = self._partial(part)
        return path.stat().st_size if path.is_file() else 0

    def append_partial(self, part: str, offset: int, data: bytes) -> int:
        path = self._partial(part)
        if offset == 0:
            self._note(part).unlink(missing_ok=True)
        with path.open("r+b" if path.exists() else "wb") as fh:
            fh.truncate(offset)
            fh.seek(offset)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return offset + len(data)

    def partial_sha256(self, part: str) -> str:
        digest = hashlib.sha256()
        with self._partial(part).open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def read_partial(self, part: str) -> bytes:
        return self._partial(part).read_bytes()

    def promote_partial(self, part: str, key: str) -> None:
        target = self._object(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.replace(self._partial(part), target)

    def discard_partial(self, part: str) -> None:
        self._partial(part).unlink(missing_ok=True)
        self._note(part).unlink(missing_ok=True)

    # A few bytes a wrapping store keeps beside a partial upload (``SealedBlobStore``: how much
    # plaintext its sealed records hold), written after the data they describe. A partial upload
    # with a note is sealed: a hub run without its key answers 0 for it, and the upload starts again.
    def _note(self, part: str) -> Path:
        return self.root / "partial" / f"{part}.note"

    def partial_note(self, part: str) -> bytes | None:
        path = self._note(part)
        return path.read_bytes() if path.is_file() else None

    def set_partial_note(self, part: str, note: bytes) -> None:
        atomic.write_bytes(self._note(part), note)
