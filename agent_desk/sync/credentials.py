"""The hub token, kept in the OS keyring (service "AgentDesk") and never in a plain file.

Without a usable keyring backend the token lives in memory for this session only, and the reason
is reported so the UI can say why the password is asked again next time.
"""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError

SERVICE = "AgentDesk"
log = logging.getLogger(__name__)


def keyring_problem() -> str | None:
    """Why tokens cannot be kept between sessions, or None when a real backend is there."""
    backend = keyring.get_keyring()
    name = type(backend).__module__ + "." + type(backend).__name__
    if "fail" in name.lower() or "null" in name.lower():
        return f"未找到系统密码保管库 (no keyring backend: {name})"
    try:
        if backend.priority < 1:  # type: ignore[operator]
            return f"系统密码保管库不可用 (keyring backend {name} is not usable)"
    except Exception:  # noqa: BLE001 - some backends raise from priority when unusable
        return f"系统密码保管库不可用 (keyring backend {name} is not usable)"
    return None


def account_name(hub_url: str, username: str) -> str:
    return f"{username}@{hub_url.rstrip('/')}"


class TokenStore:
    """One token per hub address and username; read from the keyring once, then kept in memory."""

    def __init__(self, hub_url: str, username: str) -> None:
        self.account = account_name(hub_url, username)
        self._session_token: str | None = None
        self.problem = keyring_problem()

    @property
    def persistent(self) -> bool:
        return self.problem is None

    def get(self) -> str | None:
        if self._session_token is not None or not self.persistent:
            return self._session_token
        try:
            self._session_token = keyring.get_password(SERVICE, self.account)
            return self._session_token
        except KeyringError as exc:
            log.warning("keyring read failed: %s", type(exc).__name__)
            return None

    def set(self, token: str) -> None:
        self._session_token = token
        if not self.persistent:
            return
        try:
            keyring.set_password(SERVICE, self.account, token)
        except KeyringError as exc:
            self.problem = f"无法写入系统密码保管库 ({type(exc).__name__})"

    def clear(self) -> None:
        self._session_token = None
        if self.persistent:
            with contextlib.suppress(KeyringError):
                keyring.delete_password(SERVICE, self.account)
