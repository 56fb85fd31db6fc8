"""A demo desk says 演示数据 everywhere its data can end up: the window, printed documents,
exports; and it takes no real roster (only its own marked exports)."""

from __future__ import annotations

from sqlmodel import Session

from agent_desk.core.errors import DomainError
from agent_desk.store.models import Meta

DEMO_MARK = "演示数据"


def is_demo_desk(session: Session) -> bool:
    """Seeded with sample data (seed-demo, gui --demo): the mark seed_demo leaves in meta."""
    return session.get(Meta, "demo") is not None


def demo_title(title: str) -> str:
    """A sheet or document title on a demo desk."""
    return f"{DEMO_MARK}-{title}"


def refuse_real_roster(header: list[object]) -> None:
    """A demo desk re-imports its own exports (marked with a 演示数据 column), nothing else."""
    if DEMO_MARK not in {str(cell).strip() for cell in header if cell is not None}:
        raise DomainError(
            "这是演示数据（演示数据），不能导入真实花名册；请换一个数据文件夹",
            code="demo_desk",
            message_en="a demo desk takes no real rosters; use another data folder",
        )
