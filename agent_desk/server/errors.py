"""Errors the hub answers with: an HTTP status, a stable code and a Chinese message for the desk."""

from __future__ import annotations

from typing import Any


class HubError(Exception):
    """``facts`` are extra machine-readable fields of the answer's detail (e.g. the seq the hub holds)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        facts: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}
        self.facts = facts or {}


def unauthorized(
    message: str = "登录已失效，请重新登录 (token missing, expired or revoked)",
) -> HubError:
    return HubError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def forbidden(message: str) -> HubError:
    return HubError(403, "forbidden", message)


def not_found(message: str) -> HubError:
    return HubError(404, "not_found", message)


def bad_request(code: str, message: str) -> HubError:
    return HubError(400, code, message)
