"""The desk's settings: each declared once with its type and default, stored as JSON, written atomically.

The registry is the dataclasses below (``REGISTRY`` lists every setting with its section, type and
default): ``Settings`` for the desk, ``AgentSettings`` for the agent's own details, and the sync
section's ``SyncSettings`` (sync/settings.py, which the sync engine writes). The hub address and
login name live only there; ``Settings.sync`` is the view read with the file.

Secrets never go here (tokens and keys live in the keyring), nor the agent's ID number (the
encrypted database: services/agent_identity.py). A file from an older version is
upgraded by versioned steps after a copy of the old file is kept (Picard's config_upgrade); an
unreadable file is kept aside and defaults are used; a file from a newer version is read for the
keys this version knows and left as it is.
"""

from __future__ import annotations

import copy
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from agent_desk import atomic
from agent_desk.sync.settings import SECTION as SYNC_SECTION
from agent_desk.sync.settings import SyncSettings

log = logging.getLogger(__name__)
SETTINGS_VERSION = 4
FONT_SIZES = (10, 12, 14, 16, 18)
ROLES = (
    "agent",
    "chief_officer",
    "reviewer",
    "admin",
)  # a reviewer's (or admin's) desk shows review and supervision

Raw = dict[str, Any]


@dataclass
class AgentSettings:
    """The agent's own details, printed on every 委托书, 回执 and form (set up offline or in 设置)."""

    name: str = ""
    phone: str = ""
    id_number: str = (
        ""  # in memory only: stored in the encrypted database (services/agent_identity.py)
    )
    village: str = ""
    service_room: str = ""

    def values(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


@dataclass
class Settings:
    language: str = "zh_CN"  # zh_CN | en
    font_size: int = 12
    role: str = "agent"  # agent | reviewer | admin
    work_offline: bool = True
    demo: bool = False  # chosen "try with sample data" on first run
    lock_minutes: int = 10  # idle minutes before the window locks; 0 never
    backup_keep: int = 1  # daily backups kept beside the weekly one
    agent: AgentSettings = field(default_factory=AgentSettings)
    extra: dict[str, Any] = field(default_factory=dict)  # what other parts keep (window geometry)
    sync: SyncSettings = field(
        default_factory=SyncSettings
    )  # read with the file; the engine writes it

    @property
    def username(self) -> str:
        """The hub login (the sync section's)."""
        return self.sync.username

    def actor_name(self, fallback: str = "代办员") -> str:
        """Who a step is recorded as: the hub login, or on a desk set up offline the agent's name."""
        return self.username or self.agent.name or fallback

    @property
    def hub_url(self) -> str:
        return self.sync.hub_url

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


def _v3_to_v4(values: Raw) -> Raw:
    """v4 declares each setting once: the agent's details become typed (``agent``), and the hub
    address and login name live only in the sync section (``_hub_to_sync`` moves them)."""
    extra = dict(values.get("extra") or {})
    agent = extra.pop("agent", None)
    if isinstance(agent, dict):
        values["agent"] = {k: str(v) for k, v in agent.items() if v is not None}
    values["extra"] = extra
    return values


UPGRADES: dict[int, Callable[[Raw], Raw]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
REGISTRY: dict[str, tuple[str, Any, Any]] = {
    f"{section}.{f.name}": (section, f.type, f.default)
    for section, declared in (
        ("values", Settings),
        ("values.agent", AgentSettings),
        (SYNC_SECTION, SyncSettings),
    )
    for f in fields(declared)
    if f.name not in ("agent", "sync")
}  # every setting once: "section.name" -> (section, type, default)


def upgrade_values(version: int, values: Raw) -> Raw:
    for step in range(version, SETTINGS_VERSION):
        values = UPGRADES[step](dict(values))
        log.info("settings upgraded from version %d to %d", step, step + 1)
    return values


def _hub_to_sync(raw: Raw, values: Raw) -> None:
    """Before v4 the first run wrote the hub and login into ``values`` as well; the sync section
    (what the engine used) wins, and what only ``values`` had moves there."""
    section = dict(raw.get(SYNC_SECTION) or {})
    for key in ("hub_url", "username"):
        old = values.pop(key, None)
        if old and not section.get(key):
            section[key] = str(old).rstrip("/") if key == "hub_url" else str(old)
    if section:
        raw[SYNC_SECTION] = section


def backup_path(path: Path, version: int) -> Path:
    return path.with_name(f"{path.stem}.v{version}.bak{path.suffix}")


def _typed(declared: Any, values: Any) -> Any:
    """The declared dataclass from stored values: unknown keys dropped, a wrong type its default."""
    values = values if isinstance(values, dict) else {}
    chosen = {}
    for f in fields(declared):
        if f.name in values and f.name not in ("agent", "sync"):
            value, wanted = values[f.name], type(f.default)
            if wanted in (str, int, bool) and not isinstance(value, wanted):
                continue  # a hand-edited file: the declared default instead of a crash
            chosen[f.name] = value
    return declared(**chosen)


def _from_values(values: Raw, sync: Any = None) -> Settings:
    settings = _typed(Settings, {k: v for k, v in values.items() if k != "extra"})
    extra = values.get("extra")
    settings.extra = dict(extra) if isinstance(extra, dict) else {}
    settings.agent = _typed(AgentSettings, values.get("agent"))
    settings.sync = _typed(SyncSettings, sync)
    return settings.validated()


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
            return _from_values(values, raw.get(SYNC_SECTION))
        values = upgrade_values(version, values)
        if version < 4:
            _hub_to_sync(raw, values)
        settings = _from_values(values, raw.get(SYNC_SECTION))
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        aside = path.with_suffix(".broken.json")
        path.replace(aside)
        log.warning("settings file unreadable (%s); kept as %s, using defaults", exc, aside)
        return Settings()
    if version < SETTINGS_VERSION:
        shutil.copy2(path, backup_path(path, version))
        save_settings(path, settings, sync=raw.get(SYNC_SECTION))
    return settings


def _other_sections(path: Path) -> dict[str, Any]:
    """Other parts of the file (the sync section, which the engine writes) are kept as they are."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if k not in ("version", "values")}
        if isinstance(data, dict)
        else {}
    )


def save_settings(path: Path, settings: Settings, *, sync: Raw | None = None) -> None:
    """The desk's values; the sync section stays as the engine last wrote it (``sync`` when upgrading)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    values = asdict(settings.validated())
    values.pop("sync")
    values["agent"]["id_number"] = ""  # kept in the encrypted database instead
    values["extra"] = without_agent_id(values["extra"])
    payload = _other_sections(path) | {"version": SETTINGS_VERSION, "values": values}
    if sync:
        payload[SYNC_SECTION] = sync
    atomic.write_text(path, json.dumps(payload, ensure_ascii=False, indent=2))


def without_agent_id(extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` as a settings.json before version 4 may hold it: the agent's ID number left out."""
    agent = extra.get("agent")
    if not isinstance(agent, dict) or "id_number" not in agent:
        return extra
    cleaned = copy.deepcopy(extra)
    cleaned["agent"].pop("id_number", None)
    return cleaned
