"""``/health/live`` (the process answers) and ``/health/ready`` (it can serve: database, blobs, schema).

A load balancer or systemd watchdog restarts on *live*; it sends traffic only on *ready*. Ready
answers 503 with the reason of each failed check, in words an operator can act on and without
internal details (no URL, no password, no stack).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import text

PROBE = "health-ready-probe"


def check_database(hub: Any) -> str | None:
    try:
        with hub.db.reading() as conn:
            conn.execute(text("select 1")).scalar_one()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return f"数据库连接失败 (database unreachable: {type(exc).__name__})"
    return None


def check_schema(hub: Any) -> str | None:
    from agent_desk.server.schema import schema_state

    try:
        state = schema_state(hub.db.engine)
    except Exception:  # noqa: BLE001 - the database check names the cause
        return None
    if state.state == "current":
        return None
    return state.problem or f"数据库结构为空 (schema {state.state})"


def check_blobs(hub: Any) -> str | None:
    """A one-byte partial upload written and discarded through the store's own interface."""
    try:
        hub.blobs.append_partial(PROBE, 0, b"x")
        hub.blobs.discard_partial(PROBE)
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return f"附件存储不可写 (blob store not writable: {type(exc).__name__})"
    return None


def readiness(hub: Any) -> dict[str, str | None]:
    return {"database": check_database(hub), "blobs": check_blobs(hub), "schema": check_schema(hub)}


def health_router() -> APIRouter:
    router = APIRouter(prefix="/health")

    @router.get("/live")
    async def live() -> dict[str, str]:
        return {"status": "live"}

    @router.get("/ready")
    async def ready(request: Request) -> JSONResponse:
        checks = await run_in_threadpool(readiness, request.app.state.hub)
        failed = {name: reason for name, reason in checks.items() if reason}
        body = {"status": "not_ready" if failed else "ready", "reasons": failed}
        return JSONResponse(body, status_code=503 if failed else 200)

    return router
