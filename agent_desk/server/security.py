"""Hub hardening: security headers, request size limits, audit-chain verification, TLS readiness.

``create_app`` (server/app.py) wraps every hub app with ``harden`` — two small ASGI
middlewares — and ``audit_router()``, which adds ``POST /api/v1/audit/verify``, which checks a posted chain
and keeps nothing (the same pure check the desk runs, agent_desk/core/audit_chain.py; the chains
desks send at every sync are kept by server/audit_store.py). ``serve_options`` gives uvicorn the
certificate (direct TLS) or the proxy settings (TLS ended by nginx/Caddy).
"""

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from agent_desk.core.audit_chain import GENESIS, first_broken

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 5 * 1024 * 1024  # above the 4 MB attachment chunk, far above any JSON batch
API_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"cache-control": b"no-store",
    b"cross-origin-resource-policy": b"same-origin",
    b"content-security-policy": b"default-src 'none'; frame-ancestors 'none'",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
}
DOCS_CSP = b"default-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'"
HSTS = b"max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Adds the headers above to every HTTP answer; HSTS only when the request came over HTTPS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope.get("path", "").startswith(("/docs", "/openapi.json", "/redoc"))
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in API_HEADERS
                ]
                extra = dict(API_HEADERS) | ({b"content-security-policy": DOCS_CSP} if docs else {})
                headers += list(extra.items()) + (
                    [(b"strict-transport-security", HSTS)] if https else []
                )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses a request body over ``max_bytes`` with 413, by Content-Length or while it streams."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send)
            return
        if declared is not None:
            await self.app(scope, receive, send)  # the server stops reading at Content-Length
            return
        messages, seen = [], 0
        while True:  # chunked: buffer up to the limit, then replay to the app
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await _too_large(send)
                return
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send) -> None:
    body = json.dumps(
        {"detail": {"code": "too_large", "message": "请求过大 (request body too large)"}},
        ensure_ascii=False,
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def validation_error(_request: Any, exc: Any) -> Any:
    """422 naming where the body is wrong, without echoing the input back.

    FastAPI's own handler echoes the input: that returns passwords in error answers, and a body
    that is not UTF-8 makes it fail with a 500.
    """
    from fastapi.responses import JSONResponse

    errors = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()[:20]
    ]
    return JSONResponse(
        {
            "detail": {
                "code": "invalid_body",
                "message": "请求格式不正确 (malformed request)",
                "errors": errors,
            }
        },
        status_code=422,
    )


def harden(app: Any, *, max_body: int = MAX_BODY) -> Any:
    """Wrap the hub app; ``create_app`` calls it once, so every hub — tests included — is hardened."""
    from fastapi.exceptions import RequestValidationError

    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    return app


def verify_chain(entries: list[dict[str, Any]], start: str = GENESIS) -> dict[str, Any]:
    """The hub's verdict on a chain a desk sent: ok, how many checked, the first broken link."""
    broken = first_broken(sorted(entries, key=lambda e: int(e.get("seq") or 0)), start)
    if broken is None:
        return {"ok": True, "checked": len(entries), "broken_seq": None, "reason": None}
    return {"ok": False, "checked": len(entries), "broken_seq": broken.seq, "reason": broken.zh()}


def audit_router() -> Any:
    """``POST {API_PREFIX}/audit/verify`` (signed-in users): {"start": hash, "entries": [...]}."""
    from fastapi import APIRouter
    from pydantic import BaseModel, Field

    from agent_desk.protocol import API_PREFIX, HASH_PATTERN, MAX_AUDIT_BATCH, AuditEntryWire
    from agent_desk.server.app import Who

    class AuditBatch(BaseModel):
        start: str = Field(default=GENESIS, pattern=HASH_PATTERN)
        entries: list[AuditEntryWire] = Field(max_length=MAX_AUDIT_BATCH)

    router = APIRouter(prefix=API_PREFIX)

    @router.post("/audit/verify")
    def verify(body: AuditBatch, who: Who) -> dict[str, Any]:
        return verify_chain([e.model_dump() for e in body.entries], body.start)

    return router


def serve_options(
    *,
    certfile: str | None = None,
    keyfile: str | None = None,
    behind_proxy: bool = False,
    trusted_proxies: str = "127.0.0.1",
) -> dict[str, Any]:
    """uvicorn.run keyword arguments: direct TLS with a certificate, or trust X-Forwarded-* from the proxy.

    Plain HTTP without a proxy is for a closed test network only.
    """
    if certfile and keyfile:
        return {"ssl_certfile": certfile, "ssl_keyfile": keyfile, "proxy_headers": False}
    if certfile or keyfile:
        raise ValueError("both a certificate and its key are needed for TLS")
    if behind_proxy:
        return {"proxy_headers": True, "forwarded_allow_ips": trusted_proxies}
    return {"proxy_headers": False}
