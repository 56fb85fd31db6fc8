"""What every sync phase shares during one run: database, hub client, progress, cancel and counters."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent_desk.store.datadir import DataDir
from agent_desk.store.db import Database
from agent_desk.sync.errors import SyncCancelled
from agent_desk.sync.transport import HubClient


@dataclass(frozen=True)
class SyncProgress:
    """One progress tick for the UI: ``total`` is None when the amount is not known yet."""

    phase: str  # pull | index | push | resolve | attachments | publications | audit | done
    done: int
    total: int | None
    message: str
    message_en: str = ""  # the same in English, for the English UI

    def text(self, lang: str = "zh_CN") -> str:
        return self.message_en if lang == "en" and self.message_en else self.message


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    quarantined: int = 0
    uploaded: int = 0
    downloaded: int = 0  # scans fetched for client documents pulled from other desks
    left_scope: int = 0  # records dropped because they moved to a village this user does not serve (in pulled too)
    publications: list[str] = field(default_factory=list)
    audit_sent: int = 0  # audit entries the hub had not held before
    audit_problem: str | None = None  # why the hub refused this desk's audit chain, when it did
    bytes_sent: int = 0
    bytes_received: int = 0
    seconds: float = 0.0

    def summary_zh(self) -> str:
        text = f"上传 {self.pushed} 条，下载 {self.pulled} 条"
        if self.left_scope:
            text += f"（其中 {self.left_scope} 条记录已转到其他村，已从本机移除）"
        if self.conflicts:
            text += f"，{self.conflicts} 处冲突待处理"
        if self.quarantined:
            text += f"，{self.quarantined} 条被乡镇服务器拒绝"
        if self.publications:
            text += f"，已更新 {'、'.join(self.publications)}"
        if self.audit_problem:
            text += "，审计记录被乡镇服务器拒收"
        return text

    def summary_en(self) -> str:
        text = f"{self.pushed} sent, {self.pulled} received"
        if self.left_scope:
            text += f" ({self.left_scope} moved to other villages and were removed from this desk)"
        if self.conflicts:
            text += f", {self.conflicts} conflicts to resolve"
        if self.quarantined:
            text += f", {self.quarantined} refused by the hub"
        if self.publications:
            text += f", updated {', '.join(self.publications)}"
        if self.audit_problem:
            text += ", audit records refused by the hub"
        return text

    def summary(self, lang: str = "zh_CN") -> str:
        """The summary in the UI's language ("en" or Chinese)."""
        return self.summary_en() if lang == "en" else self.summary_zh()


@dataclass
class SyncRun:
    db: Database
    data: DataDir
    client: HubClient
    progress: Callable[[SyncProgress], None]
    cancelled: Callable[[], bool]
    report: SyncReport = field(default_factory=SyncReport)
    batch_size: int = 200
    page_size: int = 1000
    sleep: Callable[[float], None] = time.sleep
    publications: dict[str, Any] | None = (
        None  # latest versions, as the last pull page reported them
    )
    cipher: Any = None  # the desk's BlobCipher when its scans are sealed

    def tick(
        self, phase: str, done: int, total: int | None, message: str, message_en: str = ""
    ) -> None:
        self.progress(SyncProgress(phase, done, total, message, message_en))

    def check_cancel(self) -> None:
        if self.cancelled():
            raise SyncCancelled()
