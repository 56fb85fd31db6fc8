"""The desk's settings: declared once with defaults, stored as JSON, written atomically.

Secrets never go here (tokens and keys live in the keyring). A file from an older version is
upgraded by versioned steps; an unreadable file is kept aside and defaults are used.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SETTINGS_VERSION = 1
FONT_SIZES = (10, 12, 14, 16, 18)


@dataclass
class Settings:
    language: str = "zh_CN"  # zh_CN | en
    font_size: int = 12
    hub_url: str = ""
    username: str = ""
    work_offline: bool = True
    lock_minutes: int = 10  # idle minutes before the window locks; 0 never
    backup_keep: int = 7  # daily backups kept
    extra: dict[str, Any] = field(default_factory=dict)

    def validated(self) -> Settings:
        if self.language not in ("zh_CN", "en"):
            self.language = "zh_CN"
        if self.font_size not in FONT_SIZES:
            self.font_size = min(FONT_SIZES, key=lambda s: abs(s - int(self.font_size or 12)))
        self.lock_minutes = max(0, min(int(self.lock_minutes or 0), 240))
        self.backup_keep = max(1, min(int(self.backup_keep or 7), 60))
        return self


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(Settings)}
        return Settings(**{k: v for k, v in raw.get("values", {}).items() if k in known}).validated()
    except (ValueError, TypeError, AttributeError) as exc:
        aside = path.with_suffix(".broken.json")
        path.replace(aside)
        log.warning("settings file unreadable (%s); kept as %s, using defaults", exc, aside)
        return Settings()


def save_settings(path: Path, settings: Settings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    payload = {"version": SETTINGS_VERSION, "values": asdict(settings.validated())}
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
