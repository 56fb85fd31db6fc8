"""Atomic file writes, one way for every writer: a reader sees the old file or the new one, never half.

A temp file in the target's folder (same file system), fsync, rename over the target, then fsync of
the folder so the rename itself survives a power cut. A failure removes the temp file and leaves the
target as it was. Temp names start with "." and end with ".tmp", so a crash's leftover is easy to
recognise and sweep (``stale_temp_files``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def replace(source: Path, target: Path) -> None:
    """Rename a finished file over ``target`` durably (the caller wrote and synced ``source``)."""
    os.replace(source, target)
    fsync_folder(target.parent)


@contextlib.contextmanager
def writing(target: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that becomes ``target`` once the block ends without an error."""
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_bytes(target: Path, data: bytes) -> None:
    with writing(target) as handle:
        handle.write(data)


def write_text(target: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(target, text.encode(encoding))


def write_with(target: Path, produce: Callable[[Path], object]) -> None:
    """For writers that need a path (openpyxl, shutil.copy): ``produce(temp)`` fills the temp file."""
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    os.close(fd)
    temp = Path(temp_name)
    try:
        produce(temp)
        fsync_file(temp)
        replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def stale_temp_files(folder: Path) -> list[Path]:
    """Temp files a killed writer left in ``folder``."""
    return sorted(folder.glob(f".*{TEMP_SUFFIX}"))
