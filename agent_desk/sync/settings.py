"""Sync settings a person may read (hub address, username, timer) in the desk's settings.json.

Only non-secrets live here; the token goes to the OS keyring. Writes are atomic and keep the other
sections of the file untouched.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from agent_desk import atomic

SECTION = "sync"


@dataclass
class SyncSettings:
    hub_url: str = ""
    username: str = ""
    device_name: str = ""
    interval_seconds: int = 300
    auto_sync: bool = True
    allow_plain_http: bool = (
        False  # an administrator's explicit choice; the 同步 page warns (sync/tls.py)
    )

    @property
    def configured(self) -> bool:
        return bool(self.hub_url and self.username)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def load_settings(path: Path) -> SyncSettings:
    raw = _read(path).get(SECTION) or {}
    known = {f.name for f in fields(SyncSettings)}
    return SyncSettings(**{k: v for k, v in raw.items() if k in known})


def save_settings(path: Path, settings: SyncSettings) -> None:
    data = _read(path)
    data[SECTION] = asdict(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, json.dumps(data, ensure_ascii=False, indent=2))
