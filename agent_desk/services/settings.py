"""The desk's settings: declared once with defaults, stored as JSON, written atomically.

Secrets never go here (tokens and keys live in the keyring). A file from an older version is
upgraded by versioned steps after a copy of the old file is kept (Picard's config_upgrade); an
unreadable file is kept aside and defaults are used; a file from a newer version is read for the
keys this version knows and left as it is.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SETTINGS_VERSION = 3
FONT_SIZES = (10, 12, 14, 16, 18)
ROLES = (
    "agent",
    "chief_officer",
    "reviewer",
    "admin",
)  # a reviewer's (or admin's) desk shows review and supervision

Raw = dict[str, Any]


@dataclass
class Settings:
    language: str = "zh_CN"  # zh_CN | en
    font_size: int = 12
    role: str = "agent"  # agent | reviewer | admin
    hub_url: str = ""
    username: str = ""
    work_offline: bool = True
    demo: bool = False  # chosen "try with sample data" on first run
    lock_minutes: int = 10  # idle minutes before the window locks; 0 never
    backup_keep: int = 1  # daily backups kept beside the weekly one
    extra: dict[str, Any] = field(default_factory=dict)

    def validated(self) -> Settings:
        if self.language not in ("zh_CN", "en"):
            self.language = "zh_CN"
        if self.font_size not in FONT_SIZES:
            self.font_size = min(FONT_SIZES, key=lambda s: abs(s - int(self.font_size or 12)))
        if self.role not in ROLES:
            self.role = "agent"
        self.lock_minutes = max(0, min(int(self.lock_minutes or 0), 240))
        self.backup_keep = max(1, min(int(self.backup_keep or 1), 60))
        return self


# -- versioned upgrades: UPGRADES[n] turns a version-n file's values into version n+1 --------------
def _v1_to_v2(values: Raw) -> Raw:
    """v2 adds the role and the demo flag; a v1 desk with a hub address was working online."""
    values.setdefault("role", "agent")
    values.setdefault("demo", False)
    if str(values.get("hub_url") or "").strip() and "work_offline" not in values:
        values["work_offline"] = False
    return values


def _v2_to_v3(values: Raw) -> Raw:
    """v3 keeps a weekly copy beside the daily ones: the old default of seven dailies becomes one."""
    if values.get("backup_keep") == 7:
        values["backup_keep"] = 1
    return values


UPGRADES: dict[int, Callable[[Raw], Raw]] = {1: _v1_to_v2, 2: _v2_to_v3}


def upgrade_values(version: int, values: Raw) -> Raw:
    for step in range(version, SETTINGS_VERSION):
        values = UPGRADES[step](dict(values))
        log.info("settings upgraded from version %d to %d", step, step + 1)
    return values


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.stem}.v{version}.bak{path.suffix}")


def _from_values(values: Raw) -> Settings:
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known}).validated()


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        version, values = int(raw.get("version", 1)), dict(raw.get("values", {}))
        if version > SETTINGS_VERSION:
            log.warning(
                "settings file %s is from a newer version (%d); reading the keys we know",
                path,
                version,
            )
            return _from_values(values)
        settings = _from_values(upgrade_values(version, values))
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        aside = path.with_suffix(".broken.json")
        path.replace(aside)
        log.warning("settings file unreadable (%s); kept as %s, using defaults", exc, aside)
        return Settings()
    if version < SETTINGS_VERSION:
        shutil.copy2(path, backup_path(path, version))
        save_settings(path, settings)
    return settings


def _other_sections(path: Path) -> dict[str, Any]:
    """Other parts of the file (the sync section) are kept as they are."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if k not in ("version", "values")}
        if isinstance(data, dict)
        else {}
    )


def save_settings(path: Path, settings: Settings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    payload = _other_sections(path) | {
        "version": SETTINGS_VERSION,
        "values": asdict(settings.validated()),
    }
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
