"""The hub's HTTP API (FastAPI). Thin handlers: each delegates to one module and answers in JSON.

OpenAPI docs are served at ``/docs``. Errors carry a stable code and a Chinese message.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from agent_desk.core.errors import DomainError
from agent_desk.protocol import (
    API_PREFIX,
    DESK_VERSION_HEADER,
    MAX_AUDIT_BATCH,
    MAX_SEQ,
    AuditAppendRequest,
    AuditAppendResponse,
    LoginRequest,
    LoginResponse,
    PublicationRefusal,
    PushRequest,
    PushResponse,
    ResolveRequest,
    RoundRequest,
    UploadStatus,
    UserInfo,
)
from agent_desk.server import (
    accounts,
    admin,
    attachments,
    audit_store,
    desk_versions,
    feed,
    publications,
    throttle,
)
from agent_desk.server.auth import (
    Principal,
    authenticate,
    check_password,
    issue_token,
    revoke,
    user_scope,
)
from agent_desk.server.blobs import BlobStore, LocalBlobStore
from agent_desk.server.config import HubSettings
from agent_desk.server.db import HubDB
from agent_desk.server.errors import HubError, bad_request, not_found, unauthorized
from agent_desk.server.group_commit import GroupCommit
from agent_desk.server.metrics import HubMetrics
from agent_desk.server.security import validation_error

MAX_CHUNK = 4 * 1024 * 1024


@dataclass
class Hub:
    """Everything a request needs, built once at start-up and injected (no globals)."""

    db: HubDB
    blobs: BlobStore
    pushes: GroupCommit = field(init=False)
    audit_appends: GroupCommit = field(init=False)
    metrics: HubMetrics = field(default_factory=HubMetrics)
    min_desk_version: str | None = None  # older desks are asked to update (desk_versions.py)

    def __post_init__(self) -> None:
        self.pushes = GroupCommit(
            self.db,
            on_group=self.metrics.group_commit.observe,
            on_committed=lambda pushes: desk_versions.note_pushes(self.db, pushes),
        )
        self.audit_appends = GroupCommit(
            self.db, apply=audit_store.append_slices, name="hub-audit-group-commit"
        )

    @classmethod
    def open(cls, url: str, data_dir: Path, *, migrate: bool = True) -> Hub:
        return cls(HubDB.open(url, migrate=migrate), LocalBlobStore(data_dir / "blobs"))


async def get_hub(request: Request) -> Hub:
    """Async on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop per request."""
    return request.app.state.hub  # type: ignore[no-any-return]


HubDep = Annotated[Hub, Depends(get_hub)]
_bearer = HTTPBearer(auto_error=False)


async def get_principal(
    hub: HubDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    request: Request,
) -> Principal:
    """Runs on the event loop, not in the thread pool: one indexed query (well under a millisecond)
    costs less inline than a thread hop, and with 200 desks at once dozens of pool threads only fight
    over the GIL (p95 per round 750 ms in threads, 460 ms inline; see bench_sync.py)."""
    with hub.db.reading() as conn:
        who = authenticate(conn, creds.credentials if creds else None)
    request.state.principal = who  # the access log names the user and device ids
    _check_desk(hub, who, request)
    return who


def _check_desk(hub: Hub, who: Principal, request: Request) -> None:
    """The desk's version: noted when it changed, refused (426) when below the hub's minimum."""
    sent = request.headers.get(DESK_VERSION_HEADER)
    if sent or hub.min_desk_version:
        desk_versions.check_request(hub.db, hub.min_desk_version, who, sent)


Who = Annotated[Principal, Depends(get_principal)]
router = APIRouter(prefix=API_PREFIX)


@router.get("/health")
def health() -> dict[str, bool]:
    """Kept for desks and monitors of earlier versions; /health/ready checks the database too."""
    return {"ok": True}


@router.post("/auth/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, hub: HubDep) -> LoginResponse:
    ip = request.client.host if request.client else "?"
    throttle.admit(hub.db.writing, body.username, ip)  # 429 before any password check
    version = desk_versions.valid_version(body.desk_version)
    outdated = desk_versions.is_outdated(hub.min_desk_version, version)
    with hub.db.writing() as conn:
        row = check_password(conn, body.username, body.password, ip)
        if row is not None and outdated:  # the right password, an old desk: say so, note the device
            if body.device_id and accounts.owns_device(conn, str(row["id"]), body.device_id):
                desk_versions.note_refused(conn, body.device_id, version)
        elif row is not None:
            accounts.login_gate(conn, row, body.device_id, body.new_password)
            token, device_id = issue_token(
                conn, str(row["id"]), body.device_id, body.device_name, version
            )
            info = _user_info(conn, row)
    if row is None:
        hub.metrics.login_failures.inc()
        raise unauthorized("用户名或密码错误 (wrong username or password)")
    if outdated:
        raise desk_versions.outdated_error(hub.min_desk_version or "", version)
    request.state.principal = Principal(
        str(row["id"]), str(row["username"]), str(row["role"]), device_id, None
    )  # the access log names who logged in
    return LoginResponse(token=token, device_id=device_id, user=info)


def _user_info(conn: Any, row: dict[str, Any]) -> UserInfo:
    scope = user_scope(conn, str(row["id"]), str(row["role"]), row["township_code"])  # type: ignore[arg-type]
    return UserInfo(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        village_ids=sorted(scope or ()),
        township_code=row["township_code"],
    )


@router.post("/auth/logout", status_code=204)
def logout(
    hub: HubDep, who: Who, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Response:
    with hub.db.writing() as conn:
        revoke(conn, token=creds.credentials if creds else "")
    return Response(status_code=204)


@router.post("/sync/push", response_model=PushResponse)
async def push(body: PushRequest, hub: HubDep, who: Who) -> Response:
    """Applied together with the pushes that arrive at the same moment (group_commit.py)."""
    results = await asyncio.wrap_future(hub.pushes.submit(who, body.ops))
    hub.metrics.pushed(results)
    answer = [r.model_dump(exclude_defaults=True) | {"status": r.status} for r in results]
    return _json({"results": answer})


def _json(body: Any) -> Response:
    """orjson, and no second pass through the response model (the sync round's answers)."""
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("/sync/pull")
async def pull(
    request: Request,
    hub: HubDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cursor: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = feed.DEFAULT_PAGE,
) -> Response:
    """One connection, two indexed queries (token with head, then the page); the last page carries the
    publication versions. Inline on the event loop like ``get_principal``: a page of the default
    size takes a few milliseconds; the desk asks for pages of 1000."""
    with hub.db.reading() as conn:
        who, page = feed.pull(conn, creds.credentials if creds else None, cursor, limit)
    request.state.principal = who  # the access log names the user and device ids
    _check_desk(hub, who, request)
    hub.metrics.pull_pages.inc()
    return _json(page)


@router.post("/sync/round")
async def sync_round(body: RoundRequest, hub: HubDep, who: Who) -> Response:
    """A desk's whole sync in one request (protocol ``RoundRequest``): its ops and its audit slice go
    into the group commits of the pushes and appends arriving at the same moment, side by side; the
    page of changes is read after both, inline like ``pull``. Each part is checked exactly as its own
    endpoint checks it; a slice out of order refuses the round before anything is written. A refused
    audit slice (a broken chain) does not undo the ops: the answer says it in ``audit_refused``."""
    entries = [e.model_dump() for e in body.audit]
    audit_store.check_order(entries)
    pushed = hub.pushes.submit(who, body.ops) if body.ops else None
    appended = hub.audit_appends.submit(who, entries) if entries else None
    answer: dict[str, Any] = {"results": [], "audit": None}
    if pushed is not None:
        results = await asyncio.wrap_future(pushed)
        hub.metrics.pushed(results)
        answer["results"] = [
            r.model_dump(exclude_defaults=True) | {"status": r.status} for r in results
        ]
    if appended is not None:
        stored = await asyncio.wrap_future(appended)
        if isinstance(stored, HubError):
            answer["audit_refused"] = {
                **stored.facts,
                "code": stored.code,
                "message": stored.message,
            }
        else:
            answer["audit"] = stored.model_dump()
    with hub.db.reading() as conn:
        answer["page"] = feed.page_for(conn, who, body.cursor, body.limit)
    hub.metrics.pull_pages.inc()
    return _json(answer)


@router.get("/conflicts")
def conflicts(hub: HubDep, who: Who, open_only: bool = True) -> JSONResponse:
    rows = admin.list_conflicts(hub.db, who, open_only=open_only)
    return JSONResponse(
        [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows]
    )


@router.post("/conflicts/resolve")
def resolve(body: ResolveRequest, hub: HubDep, who: Who) -> dict[str, int]:
    return {"resolved": admin.resolve_conflicts(hub.db, who, body.conflict_ids, body.resolution)}


@router.get("/attachments/{sha}/status", response_model=UploadStatus)
def attachment_status(sha: str, hub: HubDep, who: Who) -> UploadStatus:
    """The caller's own upload, or a scan they may read; any other scan looks like one the hub never saw."""
    return attachments.upload_status(hub.db, hub.blobs, who, sha)


@router.put("/attachments/{sha}", response_model=UploadStatus)
async def attachment_chunk(
    sha: str,
    request: Request,
    hub: HubDep,
    who: Who,
    offset: Annotated[int, Query(ge=0)],
    total: Annotated[int, Query(ge=1)],
) -> UploadStatus:
    if int(request.headers.get("content-length") or 0) > MAX_CHUNK:
        raise HubError(413, "chunk_too_large", "单次上传的数据块过大 (chunk too large)")
    data = await request.body()
    if len(data) > MAX_CHUNK:
        raise HubError(413, "chunk_too_large", "单次上传的数据块过大 (chunk too large)")
    return await run_in_threadpool(
        attachments.receive_chunk, hub.db, hub.blobs, who, sha, offset, total, data
    )


@router.get("/attachments/{sha}")
def attachment(sha: str, hub: HubDep, who: Who) -> Response:
    """Readable by a user whose scope holds a client document with this scan (scans are ID cards)."""
    attachments.check_key(sha)
    if not hub.blobs.exists(sha) or not attachments.may_read(hub.db, who, sha):
        raise not_found(
            "乡镇服务器上没有这个附件 (no such attachment)"
        )  # the same answer: no probing
    with hub.blobs.open(sha) as fh:
        data = fh.read()
    return Response(data, media_type=attachments.sniff(data[:16]) or "application/octet-stream")


@router.get("/publications")
def publication_list(hub: HubDep, who: Who) -> dict[str, Any]:
    """Versions only (a few hundred bytes), so a sync with nothing to do stays small."""
    with hub.db.reading() as conn:
        return publications.latest_versions(conn)


@router.get("/publications/{kind}")
def publication_info(kind: str, hub: HubDep, who: Who) -> dict[str, Any]:
    info = publications.latest(hub.db, kind)
    if info is None:
        raise not_found(f"尚未发布 {kind} (nothing published)")
    return info.model_dump()


@router.get("/publications/{kind}/{version}")
def publication_content(
    kind: str, version: Annotated[int, PathParam(ge=0, le=2**31 - 1)], hub: HubDep, who: Who
) -> Response:
    key = publications.content_key(hub.db, kind, version)
    if key is None:
        raise not_found(f"没有 {kind} 第 {version} 版 (no such version)")
    with hub.blobs.open(key) as fh:
        return Response(fh.read(), media_type="application/zip")


@router.post("/publications/{kind}/{version}/refusal", status_code=204)
def publication_refusal(
    kind: str,
    version: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    body: PublicationRefusal,
    hub: HubDep,
    who: Who,
) -> Response:
    """The caller's desk could not use this version and keeps its previous one (listed by
    ``agent-desk server publications``). Any signed-in desk may report; one report per device."""
    if not publications.record_refusal(hub.db, who, kind, version, body.reason):
        raise not_found(f"没有 {kind} 第 {version} 版 (no such version)")
    return Response(status_code=204)


@router.post("/audit/append", response_model=AuditAppendResponse)
async def audit_append(body: AuditAppendRequest, hub: HubDep, who: Who) -> Response:
    """The next slice of the caller's own device's audit chain (409 ``audit_broken`` / ``audit_gap``),
    stored together with the slices that arrive at the same moment (group_commit.py)."""
    entries = [e.model_dump() for e in body.entries]
    audit_store.check_order(entries)
    result = await asyncio.wrap_future(hub.audit_appends.submit(who, entries))
    if isinstance(result, HubError):
        raise result
    return _json(result.model_dump())


@router.get("/audit/chains")
def audit_chains(hub: HubDep, who: Who) -> JSONResponse:
    """Each device's chain as the hub holds it: entries, last seq, intact or broken at N (admin, reviewer)."""
    return JSONResponse(audit_store.chain_status(hub.db, who))


@router.get("/audit/chains/{device_id}/entries")
def audit_entries(
    device_id: str,
    hub: HubDep,
    who: Who,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_BATCH)] = audit_store.READ_PAGE,
) -> JSONResponse:
    return JSONResponse(audit_store.chain_entries(hub.db, who, device_id, after, limit))


async def _hub_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HubError)
    return JSONResponse(
        {"detail": {**exc.facts, "code": exc.code, "message": exc.message}},
        status_code=exc.status,
        headers=exc.headers,
    )


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return await _hub_error(request, bad_request(exc.code, str(exc)))


def app_from_env() -> FastAPI:
    """The app of one API worker under ``agent-desk server --workers N`` (uvicorn imports it in each
    worker process). Workers share nothing but the database and the blob store: they are stateless,
    and the parent has already checked the schema. They rebuild the settings from the config file
    and the flags the parent passed (config.WORKER_ENV), so no password travels in their environment."""
    from agent_desk.server.config import settings_from_worker_env
    from agent_desk.server.ops_cli import open_hub

    settings = settings_from_worker_env()
    return create_app(open_hub(settings, check_schema=False), settings=settings)


def create_app(hub: Hub, *, settings: HubSettings | None = None) -> FastAPI:
    """The one hub app, served by production and built by every test: the API, security headers,
    request size limits, no input echoed in errors, and the audit-chain check endpoint. One factory,
    so a test never exercises a hub softer than the one in the township."""
    from agent_desk.server.security import audit_router, harden

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await asyncio.to_thread(hub.pushes.close)  # pushes already queued still commit
        await asyncio.to_thread(hub.audit_appends.close)

    app = FastAPI(
        title="代办通乡镇服务器 (AgentDesk hub)", version="1", docs_url="/docs", lifespan=lifespan
    )
    app.state.hub = hub
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    app.add_exception_handler(HubError, _hub_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(
        RequestValidationError, validation_error
    )  # never echoes the input back
    app.include_router(router)
    app.include_router(audit_router())
    install_operations(app, hub, settings)
    return harden(app)  # type: ignore[no-any-return]


def install_operations(app: FastAPI, hub: Hub, settings: HubSettings | None) -> None:
    """Health, metrics and the access log: what an operator watches (docs/operator.md)."""
    from agent_desk.server.access_log import DailyJsonLog, RequestObserver
    from agent_desk.server.health import health_router
    from agent_desk.server.metrics import metrics_router

    app.include_router(health_router())
    app.include_router(metrics_router())
    sinks = [hub.metrics.observe]
    if settings is not None and settings.access_log:
        sinks.append(DailyJsonLog(settings.logs_dir(), settings.access_log_days).write)
    app.add_middleware(RequestObserver, sinks=sinks)
