"""Where the shipped data lives: the repository when run from source, the bundle when frozen.

PyInstaller unpacks (or, in a one-folder build, places) data next to the executable and sets
``sys._MEIPASS``; the spec copies ``forms/`` and ``templates/`` to its top, so the catalog's own
relative link (``templates: ../templates``) holds in both layouts.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

CATALOG_ENV = "AGENT_DESK_CATALOG"


def private_files() -> None:
    """Files and folders this process creates are its user's only (0600/0700) on Linux and macOS:
    the data folder holds personal data, keys and backups. (Windows: ``private_folder``'s ACL.)"""
    if os.name == "posix":
        os.umask(0o077)


def private_folder(path: Path) -> Path:
    """Create ``path`` if needed and make it the user's only (0700 on POSIX, an ACL on Windows)."""
    path.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        restrict_windows_acl(path)
    elif os.name == "posix":
        path.chmod(0o700)
    return path


_WINDOWS_SYSTEM_SID = "*S-1-5-18"  # LocalSystem: reads every file anyway (backup, antivirus)
_restricted: set[Path] = set()


def windows_acl_command(path: Path, user: str) -> list[str]:
    """icacls: drop the inherited entries (Users, Everyone…) and grant full control to the user and
    SYSTEM only, inherited by every file and folder below."""
    return [
        "icacls",
        str(path),
        "/inheritance:r",
        "/grant:r",
        f"{user}:(OI)(CI)F",
        "/grant:r",
        f"{_WINDOWS_SYSTEM_SID}:(OI)(CI)F",
        "/Q",
    ]


def windows_user() -> str:
    """The current user as icacls takes it: ``*SID`` through pywin32 when present, else DOMAIN\\name."""
    try:
        import win32api  # type: ignore[import-not-found]
        import win32security  # type: ignore[import-not-found]

        token = win32security.OpenProcessToken(win32api.GetCurrentProcess(), 0x0008)  # TOKEN_QUERY
        sid = win32security.GetTokenInformation(token, win32security.TokenUser)[0]
        return "*" + win32security.ConvertSidToStringSid(sid)
    except ImportError:
        domain = os.environ.get("USERDOMAIN", "")
        name = os.environ.get("USERNAME", "")
        return f"{domain}\\{name}" if domain else name


def restrict_windows_acl(path: Path, run: Any = None) -> None:
    """Once per folder and process; a failure is logged, never fatal (the profile's ACL remains)."""
    if path in _restricted:
        return
    run = run or subprocess.run
    command = windows_acl_command(path, windows_user())
    try:
        result = run(command, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        logging.getLogger(__name__).warning("icacls failed on %s: %s", path, exc)
        return
    if result.returncode != 0:
        logging.getLogger(__name__).warning("icacls %s: exit %s", path, result.returncode)
        return
    _restricted.add(path)


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
