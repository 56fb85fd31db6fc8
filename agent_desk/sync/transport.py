"""The desk's HTTP client for the hub: typed calls, errors mapped to messages, bytes counted.

Backoff lives here too: exponential with full jitter, for errors that retrying can cure.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from agent_desk import __version__ as DESK_VERSION
from agent_desk.protocol import (
    API_PREFIX,
    DESK_VERSION_HEADER,
    MAX_REFUSAL,
    AuditAppendResponse,
    LoginResponse,
    PullResponse,
    PushResponse,
    RoundResponse,
    UploadStatus,
)
from agent_desk.sync.errors import (
    DeskOutdated,
    HubFailed,
    HubRejected,
    HubUnreachable,
    LoginRequired,
    RateLimited,
    SyncCancelled,
    SyncError,
    WrongPassword,
)
from agent_desk.sync.tls import HubCertificateError, is_certificate_error

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
CancelCheck = Callable[[], bool]


class _CountedStream(httpx.SyncByteStream):
    def __init__(self, inner: Any, counter: Callable[[int], None]) -> None:
        self.inner, self.counter = inner, counter

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.inner:
            self.counter(len(chunk))
            yield chunk

    def close(self) -> None:
        if hasattr(self.inner, "close"):
            self.inner.close()


class CountingTransport(httpx.BaseTransport):
    """Counts bytes on the wire (headers and compressed bodies) for the status panel and the bench."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.sent = self.received = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent += (
            len(request.content)
            + _header_bytes(request.headers)
            + len(str(request.url.raw_path))
            + 16
        )
        response = self.inner.handle_request(request)
        self.received += _header_bytes(response.headers) + 17
        response.stream = _CountedStream(response.stream, self._add_received)
        return response

    def _add_received(self, n: int) -> None:
        self.received += n

    def close(self) -> None:
        self.inner.close()


def _header_bytes(headers: httpx.Headers) -> int:
    return sum(len(k) + len(v) + 4 for k, v in headers.raw)


class HubClient:
    desk_version = DESK_VERSION  # this desk's version, said at login and with every request

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.counter = CountingTransport(transport or httpx.HTTPTransport())
        headers = {DESK_VERSION_HEADER: self.desk_version}  # the hub notes it, or asks to update
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            transport=self.counter,
            timeout=timeout,
            headers=headers,
        )

    def close(self) -> None:
        self._http.close()

    def set_token(self, token: str) -> None:
        self.token = token
        self._http.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
            response.read()
        except httpx.TransportError as exc:
            if is_certificate_error(exc):
                raise HubCertificateError(self.base_url) from exc
            raise HubUnreachable(self.base_url, type(exc).__name__) from exc
        if response.status_code >= 400:
            raise _error_for(response)
        return response

    def _parse(self, model: type[M], response: httpx.Response) -> M:
        """A body cut short or garbled on the way counts as a dropped connection (retryable)."""
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise HubUnreachable(self.base_url, "incomplete response") from exc

    def login(
        self,
        username: str,
        password: str,
        device_id: str | None,
        device_name: str,
        new_password: str | None = None,
    ) -> LoginResponse:
        body = {
            "username": username,
            "password": password,
            "device_id": device_id,
            "device_name": device_name,
            "desk_version": self.desk_version,
        }
        if new_password:  # the administrator reset the password: the new one is set with this login
            body["new_password"] = new_password
        try:
            response = self._call("POST", "/auth/login", json=body)
        except LoginRequired as exc:
            raise WrongPassword() from exc
        return self._parse(LoginResponse, response)

    def logout(self) -> None:
        self._call("POST", "/auth/logout")

    def push(self, ops: list[dict[str, Any]]) -> PushResponse:
        return self._parse(PushResponse, self._call("POST", "/sync/push", json={"ops": ops}))

    def pull(self, cursor: int, limit: int) -> PullResponse:
        response = self._call("GET", "/sync/pull", params={"cursor": cursor, "limit": limit})
        try:
            return self._parse(PullResponse, response)
        except HubUnreachable:
            return self._parse_lenient(response)

    def round(
        self, cursor: int, limit: int, ops: list[dict[str, Any]], audit: list[dict[str, Any]]
    ) -> RoundResponse:
        """``POST /sync/round``: ops and audit slice up, results and the first page down."""
        body = {"cursor": cursor, "limit": limit, "ops": ops, "audit": audit}
        response = self._call("POST", "/sync/round", json=body)
        try:
            return self._parse(RoundResponse, response)
        except HubUnreachable:  # as ``pull``: a text only Python's own parser reads
            try:
                return RoundResponse.model_validate(json.loads(response.content))
            except (ValueError, ValidationError) as exc:
                raise HubUnreachable(self.base_url, "incomplete response") from exc

    def _parse_lenient(self, response: httpx.Response) -> PullResponse:
        """A page whose JSON holds a text a strict parser refuses (a lone surrogate from an older hub):
        Python's own parser reads it, and the desk sets that one change aside (sync/apply.py)."""
        try:
            return PullResponse.model_validate(json.loads(response.content))
        except (ValueError, ValidationError) as exc:
            raise HubUnreachable(self.base_url, "incomplete response") from exc

    def resolve(self, conflict_ids: list[str], resolution: str) -> int:
        body = {"conflict_ids": conflict_ids, "resolution": resolution}
        return int(self._call("POST", "/conflicts/resolve", json=body).json()["resolved"])

    def publications(self) -> dict[str, Any]:
        return dict(self._call("GET", "/publications").json())

    def publication(self, kind: str, version: int) -> bytes:
        return self._call("GET", f"/publications/{kind}/{version}").content

    def report_refusal(self, kind: str, version: int, reason: str) -> None:
        self._call(
            "POST", f"/publications/{kind}/{version}/refusal", json={"reason": reason[:MAX_REFUSAL]}
        )

    def upload_status(self, sha: str) -> UploadStatus:
        return self._parse(UploadStatus, self._call("GET", f"/attachments/{sha}/status"))

    def upload_chunk(self, sha: str, offset: int, total: int, data: bytes) -> UploadStatus:
        response = self._call(
            "PUT",
            f"/attachments/{sha}",
            params={"offset": offset, "total": total},
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        return self._parse(UploadStatus, response)

    def download(self, sha: str) -> bytes:
        return self._call("GET", f"/attachments/{sha}").content

    def audit_append(self, entries: list[dict[str, Any]]) -> AuditAppendResponse:
        return self._parse(
            AuditAppendResponse, self._call("POST", "/audit/append", json={"entries": entries})
        )


def _error_for(response: httpx.Response) -> SyncError:
    status = response.status_code
    if status >= 500:
        return HubFailed(status)
    try:
        detail = response.json().get("detail") or {}
    except ValueError:
        detail = {}
    if not isinstance(detail, dict):
        detail = {"code": "invalid", "message": "请求格式错误 (invalid request)"}
    if status == 401:
        return LoginRequired(detail.get("message") or "登录已失效，请重新输入密码。")
    if status == 429:
        return RateLimited()
    if detail.get("code") == "desk_outdated":
        minimum = detail.get("min_version")
        return DeskOutdated(str(detail.get("message") or ""), str(minimum) if minimum else None)
    offset = response.headers.get("Upload-Offset")
    facts = {k: v for k, v in detail.items() if k not in ("code", "message")}
    return HubRejected(
        status,
        str(detail.get("code", "")),
        str(detail.get("message", "")),
        int(offset) if offset else None,
        facts,
    )


def with_retry(
    call: Callable[[], T],
    *,
    attempts: int = 4,
    base: float = 0.5,
    cap: float = 8.0,
    cancelled: CancelCheck = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``call``, retrying retryable sync errors with exponential backoff and full jitter."""
    for attempt in range(attempts):
        if cancelled():
            raise SyncCancelled()
        try:
            return call()
        except SyncError as exc:
            if not exc.retryable or attempt == attempts - 1:
                raise
            sleep(random.uniform(0, min(cap, base * 2**attempt)))
    raise AssertionError("unreachable")
