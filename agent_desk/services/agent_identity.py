"""The agent's own ID number lives in the encrypted desk database, never in settings.json.

It is printed on every proxy authorisation, so the desk keeps it, but settings.json is a plain
file. ``save_settings`` never writes it; the windows and commands that change it store it here
(``store_agent_id``), and a desk whose settings.json still holds one (older versions) has it moved
into the database at its next unlock (``move_agent_id_into_store``, called by ``open_desk``),
settings backups scrubbed too. In memory, ``with_stored_agent_id`` puts it back into the settings
the forms read.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any

from sqlmodel import Session

from agent_desk import atomic
from agent_desk.services.settings import Settings, save_settings, without_agent_id
from agent_desk.store.models import Meta

log = logging.getLogger(__name__)
META_KEY = "agent.id_number"


def stored_agent_id(session: Session) -> str | None:
    row = session.get(Meta, META_KEY)
    return row.value if row is not None and row.value else None


def store_agent_id(session: Session, number: str | None) -> None:
    """Keep (or, when empty, forget) the agent's ID number; the caller commits."""
    row = session.get(Meta, META_KEY)
    if not number:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(Meta(key=META_KEY, value=number))
    elif row.value != number:
        row.value = number
        session.add(row)


def agent_id_in(settings: Settings) -> str | None:
    agent = settings.extra.get("agent") or {}
    return str(agent.get("id_number") or "").strip() or None


def with_stored_agent_id(settings: Settings, session: Session) -> Settings:
    """The settings with the stored ID number in ``extra.agent`` (memory only)."""
    return with_id(settings, stored_agent_id(session))


def with_id(settings: Settings, number: str | None) -> Settings:
    if number is None or agent_id_in(settings) == number:
        return settings
    agent = dict(settings.extra.get("agent") or {}) | {"id_number": number}
    return dataclasses.replace(settings, extra=settings.extra | {"agent": agent})


def stored_id(desk: Any) -> str | None:
    with desk.db.session() as session:
        return stored_agent_id(session)


def save_with_id(desk: Any, settings_file: Path, settings: Settings) -> None:
    """Settings saved from the window: the ID number into the database, the rest into the file."""
    if desk is not None:
        with desk.db.session() as session:
            store_agent_id(session, agent_id_in(settings))
            session.commit()
    save_settings(settings_file, settings)


def move_agent_id_into_store(desk: Any) -> bool:
    """settings.json (and its backups) from an older version: the ID number moved into the
    database, then removed from the files. Returns whether anything moved."""
    root = desk.data.root
    found: str | None = None
    files = sorted(root.glob("settings*.json"))
    for path in files:
        number = _id_in_file(path)
        found = found or number
    if found is None:
        return False
    with desk.db.session() as session:
        if stored_agent_id(session) is None:
            store_agent_id(session, found)
        session.commit()
    for path in files:  # only once the database holds it
        _scrub_file(path)
    log.info("the agent's ID number moved from settings.json into the encrypted database")
    return True


def _load(path: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _id_in_file(path: Any) -> str | None:
    raw = _load(path)
    values = raw.get("values") if isinstance(raw, dict) else None
    extra = values.get("extra") if isinstance(values, dict) else None
    agent = extra.get("agent") if isinstance(extra, dict) else None
    if not isinstance(agent, dict) or "id_number" not in agent:
        return None
    return str(agent.get("id_number") or "").strip() or ""


def _scrub_file(path: Any) -> None:
    raw = _load(path)
    if _id_in_file(path) is None or not isinstance(raw, dict):
        return
    raw["values"]["extra"] = without_agent_id(raw["values"]["extra"])
    atomic.write_text(path, json.dumps(raw, ensure_ascii=False, indent=2))
