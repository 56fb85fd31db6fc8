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
from agent_desk.services.settings import Settings, save_settings
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
    return settings.agent.id_number.strip() or None


def with_stored_agent_id(settings: Settings, session: Session) -> Settings:
    """The settings with the stored ID number in ``settings.agent`` (memory only)."""
    return with_id(settings, stored_agent_id(session))


def with_id(settings: Settings, number: str | None) -> Settings:
    if number is None or agent_id_in(settings) == number:
        return settings
    return dataclasses.replace(
        settings, agent=dataclasses.replace(settings.agent, id_number=number)
    )


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


def _agents(raw: Any) -> list[dict[str, Any]]:
    """Where a settings file keeps the agent: ``values.agent`` (version 4 on), ``values.extra.agent``."""
    values = raw.get("values") if isinstance(raw, dict) else None
    if not isinstance(values, dict):
        return []
    extra = values.get("extra")
    found = [values.get("agent"), extra.get("agent") if isinstance(extra, dict) else None]
    return [a for a in found if isinstance(a, dict) and a.get("id_number")]


def _id_in_file(path: Any) -> str | None:
    agents = _agents(_load(path))
    return str(agents[0]["id_number"]).strip() or None if agents else None


def _scrub_file(path: Any) -> None:
    raw = _load(path)
    agents = _agents(raw)
    if not agents:
        return
    for agent in agents:  # the dicts inside ``raw``
        agent.pop("id_number", None)
    atomic.write_text(path, json.dumps(raw, ensure_ascii=False, indent=2))
