"""Database problems a user can act on, kept apart from bugs (see qutebrowser's misc/sql.py)."""

from __future__ import annotations

from agent_desk.core.errors import DomainError


class StoreError(DomainError):
    """A database problem the user can understand and act on."""


class DatabaseTooNew(StoreError):
    def __init__(self, path: str, revision: str) -> None:
        super().__init__(
            f"数据库 {path} 来自更新版本的代办通（结构版本 {revision}），请升级本软件后再打开。数据未作任何改动。",
            code="db_too_new",
            message_en=f"database {path} was written by a newer AgentDesk (schema {revision}); upgrade the app. Nothing was changed.",
        )


class DatabaseCorrupt(StoreError):
    def __init__(self, path: str, detail: str = "") -> None:
        super().__init__(
            f"数据库文件 {path} 已损坏或不是代办通的数据库，程序不会覆盖它。请从备份恢复，或联系乡镇管理员。",
            code="db_corrupt",
            message_en=f"database {path} is corrupt or not an AgentDesk database ({detail}); it was not overwritten",
        )


class DatabaseLocked(StoreError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"数据库 {path} 正被另一个程序占用，请关闭其他代办通窗口后重试。",
            code="db_locked",
            message_en=f"database {path} is locked by another program",
        )


class DatabaseOutdated(StoreError):
    def __init__(self, path: str, revision: str | None) -> None:
        super().__init__(
            f"数据库 {path} 需要升级（当前结构版本 {revision or '空'}），请运行 agent-desk db upgrade 或直接启动程序。",
            code="db_outdated",
            message_en=f"database {path} needs an upgrade (schema {revision or 'empty'})",
        )
