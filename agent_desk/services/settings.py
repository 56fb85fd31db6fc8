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
    role: str = "agent"  # agent | reviewer | admin: a reviewer's desk shows the review queue and supervision
    extra: dict[str, Any] = field(default_factory=dict)

    def validated(self) -> Settings:
        if self.language not in ("zh_CN", "en"):
            self.language = "zh_CN"
        if self.font_size not in FONT_SIZES:
            self.font_size = min(FONT_SIZES, key=lambda s: abs(s - int(self.font_size or 12)))
        if self.role not in ("agent", "reviewer", "admin"):
            self.role = "agent"
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


def _other_sections(path: Path) -> dict[str, Any]:
    """Other parts of the file (the sync section) are kept as they are."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if k not in ("version", "values")} if isinstance(data, dict) else {}


def save_settings(path: Path, settings: Settings) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    payload = _other_sections(path) | {"version": SETTINGS_VERSION, "values": asdict(settings.validated())}
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
