"""Where the shipped data lives: the repository when run from source, the bundle when frozen.

PyInstaller unpacks (or, in a one-folder build, places) data next to the executable and sets
``sys._MEIPASS``; the spec copies ``forms/`` and ``templates/`` to its top, so the catalog's own
relative link (``templates: ../templates``) holds in both layouts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CATALOG_ENV = "AGENT_DESK_CATALOG"


def private_files() -> None:
    """Files and folders this process creates are its user's only (0600/0700) on Linux and macOS:
    the data folder holds personal data, keys and backups. (Windows: the per-user profile's ACL.)"""
    if os.name == "posix":
        os.umask(0o077)


def private_folder(path: Path) -> Path:
    """Create ``path`` if needed and make it the user's only (0700 on POSIX); returns it."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def shipped_root() -> Path:
    """The folder holding forms/ and templates/: the bundle's top, or the repository root."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[1]


def manual_file(language: str) -> Path:
    """The user manual (docs/manual/<language>.md), Chinese when there is none in ``language``."""
    folder = shipped_root() / "docs" / "manual"
    own = folder / f"{language}.md"
    return own if own.exists() else folder / "zh_CN.md"


def catalog_dir() -> Path:
    """The forms/ folder; AGENT_DESK_CATALOG points elsewhere (a catalog published by the hub)."""
    override = os.environ.get(CATALOG_ENV)
    return Path(override) if override else shipped_root() / "forms"
