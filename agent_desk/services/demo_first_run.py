"""First start with ``--demo``: seed a modest demo dataset into an empty desk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent_desk.services.demo import seed_demo
from agent_desk.services.demo_catalog import demo_items
from agent_desk.services.desk import Desk
from agent_desk.services.settings import AgentSettings, load_settings, save_settings
from agent_desk.store.queries import count_clients

DEMO_CLIENTS = 3000
DEMO_CASES = 8000


def seed_if_empty(desk: Desk, progress: Callable[[int, int, str], None]) -> bool:
    """Seed only a desk with no clients; returns whether anything was written."""
    with desk.db.session() as session:
        if count_clients(session):
            return False
        steps = {
            "villages": "正在生成村和用户…",
            "clients": "正在生成演示委托人…",
            "cases": "正在生成演示办件…",
        }
        seed_demo(
            session,
            demo_items(),
            clients=DEMO_CLIENTS,
            cases=DEMO_CASES,
            seed=7,
            progress=lambda step: progress(0, 0, steps.get(step, step)),
        )
        session.commit()
    ensure_demo_agent(desk.data.settings_file, desk)
    return True


DEMO_AGENT = {
    "name": "王建国",
    "phone": "13909381234",
    "id_number": "620524197803150017",
    "village": "洛门村",
    "service_room": "洛门村便民服务室",
}


def ensure_demo_agent(settings_file: Path, desk: Any) -> None:
    """A demo desk prints at once: the demo agent's details go into settings unless some are set
    (the ID number into the desk's database, as every agent's)."""
    from agent_desk.services.agent_identity import store_agent_id

    settings = load_settings(settings_file)
    if not settings.agent.values():
        settings.agent = AgentSettings(**DEMO_AGENT)
        settings.extra.setdefault("demo_only", not settings_file.exists())
        with desk.db.session() as session:
            store_agent_id(session, DEMO_AGENT["id_number"])
            session.commit()
        save_settings(settings_file, settings)
