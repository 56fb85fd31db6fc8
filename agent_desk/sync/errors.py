"""Sync problems a user can act on, each with a Chinese message; bugs stay exceptions of their own."""

from __future__ import annotations

from typing import Any

from agent_desk.core.errors import DomainError


class SyncError(DomainError):
    """Something about sync the user can understand; ``retryable`` ones are retried with backoff."""

    retryable = False


class HubUnreachable(SyncError):
    retryable = True

    def __init__(self, url: str, detail: str = "") -> None:
        super().__init__(
            f"无法连接到乡镇服务器 {url}，请检查网络后再试。本机数据不受影响，联网后会继续同步。",
            code="hub_unreachable",
            message_en=f"cannot reach the hub at {url} ({detail})",
        )


class HubFailed(SyncError):
    retryable = True

    def __init__(self, status: int) -> None:
        super().__init__(
            f"乡镇服务器暂时出错（{status}），稍后会自动重试。",
            code="hub_failed",
            message_en=f"the hub answered {status}",
        )


class LoginRequired(SyncError):
    def __init__(self, message: str = "请先登录乡镇服务器（输入用户名和密码）。") -> None:
        super().__init__(message, code="login_required", message_en="login required")


class WrongPassword(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "用户名或密码错误，请重新输入。",
            code="wrong_password",
            message_en="wrong username or password",
        )


class RateLimited(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "密码错误次数过多，请稍等几分钟再试（每次多等一会儿）。",
            code="rate_limited",
            message_en="too many failed logins",
        )


class DeskOutdated(SyncError):
    """The hub requires a newer desk: nothing syncs until this one is updated (the hub's message)."""

    def __init__(self, message: str = "", minimum: str | None = None) -> None:
        super().__init__(
            message
            or f"代办通版本过旧，乡镇服务器要求 {minimum or '更新的'} 版本。请安装新版代办通后再同步；本机的数据不受影响。",
            code="desk_outdated",
            message_en=f"the hub requires desk version {minimum or '(newer)'}",
        )
        self.minimum = minimum


class HubRejected(SyncError):
    """``facts``: the other fields of the hub's error detail (e.g. ``held_seq`` of an audit chain)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        offset: int | None = None,
        facts: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            message or f"乡镇服务器拒绝了请求（{status}）",
            code=code or "hub_rejected",
            message_en=f"the hub refused the request ({status} {code})",
        )
        self.status, self.offset, self.facts = status, offset, facts or {}


class NotConfigured(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "还没有设置乡镇服务器地址和用户名，请在“同步设置”中填写。",
            code="sync_not_configured",
            message_en="hub address or username not set",
        )


class KeyringUnavailable(SyncError):
    def __init__(self, why: str) -> None:
        super().__init__(
            f"本机没有可用的密码保管库（{why}），登录令牌不会保存到磁盘，每次打开程序都需要重新输入密码。",
            code="keyring_unavailable",
            message_en=f"no keyring backend ({why}); password needed each session",
        )


class SyncCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "同步已取消，未完成的部分下次继续。", code="sync_cancelled", message_en="sync cancelled"
        )
