"""Where the hub database's schema stands against the code: empty, current, older or newer.

Production never migrates implicitly: ``server`` refuses an older schema and names ``server upgrade``
(which backs up first), and refuses a newer one (a downgrade of the code). Only an empty database is
created in place, so a first start needs no extra step.
"""

from __future__ import annotations

from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from agent_desk.core.errors import DomainError
from agent_desk.server.db import MIGRATIONS, VERSION_TABLE, upgrade_hub


@dataclass(frozen=True)
class SchemaState:
    current: str | None  # None: an empty database
    head: str
    state: str  # "empty", "current", "older", "newer"

    @property
    def problem(self) -> str | None:
        if self.state == "older":
            return f"数据库结构版本 {self.current} 旧于程序 ({self.head})，请先运行 agent-desk server upgrade"
        if self.state == "newer":
            return f"数据库结构版本 {self.current} 新于程序 ({self.head})，请安装新版服务器程序"
        return None


def schema_state(engine: Engine) -> SchemaState:
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head() or ""
    with engine.connect() as conn:
        current = MigrationContext.configure(
            conn, opts={"version_table": VERSION_TABLE}
        ).get_current_revision()
    if current is None:
        return SchemaState(None, head, "empty")
    if current == head:
        return SchemaState(current, head, "current")
    known = {rev.revision for rev in script.walk_revisions()}
    return SchemaState(current, head, "older" if current in known else "newer")


def ensure_current(engine: Engine) -> SchemaState:
    """Create an empty hub's schema; refuse an older or newer one with a message naming the way out."""
    state = schema_state(engine)
    if state.state == "empty":
        upgrade_hub(engine)
        return schema_state(engine)
    if state.problem:
        raise DomainError(
            state.problem,
            code=f"schema_{state.state}",
            message_en=f"hub schema {state.current} is {state.state} than the code ({state.head})",
        )
    return state
