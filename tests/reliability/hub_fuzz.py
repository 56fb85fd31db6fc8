"""A bounded fuzz of every hub endpoint with each role (hypothesis): requests shaped like the protocol
but full of hostile values (huge integers, NUL, lone surrogates, wrong types, unknown entities and
fields, forged ids). The hub must never answer 5xx and never outside its documented shapes.
``make test`` runs a short round, ``make soak`` a long one (figures in docs/RELIABILITY.md).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_desk.protocol import (
    API_PREFIX,
    DESK_WRITABLE,
    PullResponse,
    PushResponse,
    RoundResponse,
    UploadStatus,
)
from agent_desk.protocol.values import FIELDS

HOSTILE_TEXT = st.sampled_from(
    ["", "\x00", "\ud800", "\ufffe", "a" * 20_000, "张三", "2026-12-04T10:00:00", "1e309"]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    HOSTILE_TEXT,
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
HEX32 = st.text("0123456789abcdef", min_size=32, max_size=32)
ENTITY = st.sampled_from([*DESK_WRITABLE, "village", "desk_user", "x"])
# Documented answers besides 200: the hub's error shapes (auth, scope, size, format, rate).
DOCUMENTED = {200, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429}


@st.composite
def op(draw: st.DrawFn) -> Any:
    entity = draw(ENTITY)
    names = list(FIELDS.get(entity, {})) + ["x", "deleted", "id"]
    fields = draw(st.dictionaries(st.sampled_from(names), JSON, max_size=6))
    shaped = {
        "op_id": draw(HEX32),
        "entity": entity,
        "entity_id": draw(HEX32),
        "op": draw(st.sampled_from(["upsert", "delete", "x"])),
        "fields": fields,
        "base_version": draw(st.integers(min_value=-5, max_value=2**70)),
    }
    return draw(st.sampled_from([shaped, shaped, draw(JSON)]))


REQUEST = st.one_of(
    st.builds(lambda ops: ("POST", "/sync/push", {"ops": ops}, None), st.lists(op(), max_size=6)),
    st.builds(lambda body: ("POST", "/sync/push", body, None), JSON),
    st.builds(
        lambda c, n, ops, entries: (
            "POST",
            "/sync/round",
            {"cursor": c, "limit": n, "ops": ops, "audit": entries},
            None,
        ),
        st.integers(-5, 2**70),
        st.integers(-5, 10**6),
        st.lists(op(), max_size=4),
        st.lists(JSON, max_size=2),
    ),
    st.builds(lambda body: ("POST", "/sync/round", body, None), JSON),
    st.builds(
        lambda c, n: ("GET", "/sync/pull", None, {"cursor": c, "limit": n}),
        st.integers(-5, 2**70),
        st.integers(-5, 10**6),
    ),
    st.builds(
        lambda ids, r: ("POST", "/conflicts/resolve", {"conflict_ids": ids, "resolution": r}, None),
        st.lists(st.text(max_size=40), max_size=3),
        JSON,
    ),
    st.builds(
        lambda sha: ("GET", f"/attachments/{sha}/status", None, None),
        st.text("0123456789abcdefxyz%", max_size=70),
    ),
    st.builds(
        lambda sha: ("GET", f"/attachments/{sha}", None, None),
        st.text("0123456789abcdef", max_size=64),
    ),
    st.builds(
        lambda kind, v: ("GET", f"/publications/{kind}/{v}", None, None),
        st.sampled_from(["catalog", "x", ".."]),
        st.integers(-1, 2**70),
    ),
    st.builds(
        lambda kind, v, body: ("POST", f"/publications/{kind}/{v}/refusal", body, None),
        st.sampled_from(["calendar", "x", ".."]),
        st.integers(-1, 2**70),
        st.one_of(JSON, st.builds(lambda r: {"reason": r}, st.text(max_size=700))),
    ),
    st.builds(
        lambda entries: ("POST", "/audit/append", {"entries": entries}, None),
        st.lists(JSON, max_size=3),
    ),
    st.builds(lambda body: ("POST", "/auth/login", body, None), JSON),
    st.builds(
        lambda sha, off, tot, body: (
            "PUT",
            f"/attachments/{sha}",
            body,
            {"offset": off, "total": tot},
        ),
        st.text("0123456789abcdef", min_size=64, max_size=64),
        st.integers(-1, 2**70),
        st.integers(-1, 2**70),
        JSON,
    ),
    st.builds(
        lambda kind: ("GET", f"/publications/{kind}", None, None),
        st.sampled_from(["catalog", "calendar", "x", "%2e%2e"]),
    ),
    st.builds(
        lambda device, after, n: (
            "GET",
            f"/audit/chains/{device}/entries",
            None,
            {"after": after, "limit": n},
        ),
        st.text("0123456789abcdefz", max_size=33),
        st.integers(-1, 2**70),
        st.integers(-1, 10**6),
    ),
    st.builds(
        lambda start, entries: (
            "POST",
            "/audit/verify",
            {"start": start, "entries": entries},
            None,
        ),
        JSON,
        st.lists(JSON, max_size=3),
    ),
    st.just(("GET", "/conflicts", None, None)),
    st.just(("GET", "/publications", None, None)),
    st.just(("GET", "/audit/chains", None, None)),
    st.just(("GET", "/health", None, None)),
    st.just(("POST", "/auth/logout", None, None)),
    st.sampled_from(
        [
            ("GET", "/health/live", None, None),
            ("GET", "/health/ready", None, None),
            ("GET", "/metrics", None, None),
        ]
    ),
)
ROOT_ROUTES = ("/health/live", "/health/ready", "/metrics")  # served beside the API, not under it
# Every route the hub serves, as the fuzz above reaches it (a test compares this with the OpenAPI paths).
FUZZED_ROUTES = {
    ("GET", "/health"),
    ("POST", "/auth/login"),
    ("POST", "/auth/logout"),
    ("POST", "/sync/push"),
    ("GET", "/sync/pull"),
    ("POST", "/sync/round"),
    ("GET", "/conflicts"),
    ("POST", "/conflicts/resolve"),
    ("GET", "/attachments/{sha}/status"),
    ("GET", "/attachments/{sha}"),
    ("PUT", "/attachments/{sha}"),
    ("GET", "/publications"),
    ("GET", "/publications/{kind}"),
    ("GET", "/publications/{kind}/{version}"),
    ("POST", "/publications/{kind}/{version}/refusal"),
    ("POST", "/audit/append"),
    ("GET", "/audit/chains"),
    ("GET", "/audit/chains/{device_id}/entries"),
    ("POST", "/audit/verify"),
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
}
SHAPES = {"/sync/push": PushResponse, "/sync/pull": PullResponse, "/sync/round": RoundResponse}


@dataclass
class FuzzFigures:
    cases: int = 0
    server_errors: list[str] = field(default_factory=list)
    schema_violations: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _check(figures: FuzzFigures, method: str, path: str, response: httpx.Response) -> None:
    figures.cases += 1
    where = f"{method} {path} → {response.status_code}"
    if response.status_code >= 500:
        figures.server_errors.append(f"{where}: {response.text[:200]}")
        return
    if response.status_code not in DOCUMENTED:
        figures.schema_violations.append(where)
        return
    model = SHAPES.get(path) or (UploadStatus if path.endswith("/status") else None)
    if response.status_code == 200 and model is not None:
        try:
            model.model_validate_json(response.content)
        except ValueError as exc:
            figures.schema_violations.append(f"{where}: {exc}"[:300])


def fuzz_hub(
    base_url: str, tokens: dict[str, str | None], *, examples: int, seconds: float = 120.0
) -> FuzzFigures:
    """``examples`` requests per role (None token = anonymous), stopping by itself after ``seconds``."""
    figures = FuzzFigures()
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    for token in tokens.values():
        with httpx.Client(base_url=base_url + API_PREFIX, timeout=30) as http:
            if token:
                http.headers["Authorization"] = f"Bearer {token}"
            _fuzz_one_role(http, figures, deadline, examples)
    figures.seconds = time.monotonic() - started
    return figures


def _fuzz_one_role(
    http: httpx.Client, figures: FuzzFigures, deadline: float, examples: int
) -> None:
    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(REQUEST)
    def one(request: tuple[str, str, Any, dict[str, Any] | None]) -> None:
        if time.monotonic() > deadline:
            return
        method, path, body, params = request
        content = None if body is None else json.dumps(body, ensure_ascii=True)
        headers = {"content-type": "application/json"} if content is not None else {}
        url = (
            str(http.base_url).removesuffix("/").removesuffix(API_PREFIX) + path
            if path in ROOT_ROUTES
            else path
        )
        try:
            response = http.request(method, url, content=content, params=params, headers=headers)
        except (
            httpx.TransportError
        ) as exc:  # the hub dropped the connection: a crash, counted as a 5xx
            figures.cases += 1
            figures.server_errors.append(
                f"{method} {path}: connection dropped ({type(exc).__name__})"
            )
            return
        _check(figures, method, path, response)

    one()


def fuzz_live_hub(
    folder: Any, url: str | None = None, *, examples: int, seconds: float
) -> FuzzFigures:
    """A real hub over HTTP on 127.0.0.1 (SQLite in ``folder``, or the PostgreSQL ``url``) with one
    user per role, fuzzed; used by ``make soak`` and by ``python -m tests.reliability.hub_fuzz``."""
    from agent_desk.server import admin
    from agent_desk.server.app import Hub, create_app
    from agent_desk.server.blobs import LocalBlobStore
    from agent_desk.server.db import HubDB
    from tests.sync.conftest import PASSWORD, ServerThread

    db = HubDB.open(url or f"sqlite:///{folder / 'hub.db'}")
    hub = Hub(db, LocalBlobStore(folder / "blobs"))
    v1 = admin.create_village(
        db, code="620524100200", name="洛门村", township_code="620524100", township_name="洛门镇"
    )
    admin.create_village(
        db, code="620524101200", name="城关村", township_code="620524101", township_name="城关镇"
    )
    users = {
        "agent": ("agent", ("620524100200",), None),
        "agent_other": ("agent", ("620524101200",), None),
        "reviewer": ("reviewer", (), "620524100"),
        "admin": ("admin", (), None),
    }
    for name, (role, villages, township) in users.items():
        admin.create_user(
            db,
            username=name,
            password=PASSWORD,
            role=role,
            villages=villages,
            township_code=township,
        )
    try:
        with ServerThread(create_app(hub)) as server:
            base = f"http://127.0.0.1:{server.port}"
            tokens: dict[str, str | None] = {"anonymous": None}
            for name in users:
                answer = httpx.post(
                    f"{base}{API_PREFIX}/auth/login", json={"username": name, "password": PASSWORD}
                )
                tokens[name] = answer.json()["token"]
            return fuzz_hub(base, tokens, examples=examples, seconds=seconds)
    finally:
        assert v1
        db.close()


def main() -> int:
    import os
    import sys
    import tempfile
    from pathlib import Path

    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    pg = os.environ.get("AGENT_DESK_TEST_PG")
    for name, url in (("SQLite", None), ("PostgreSQL", pg)):
        if name == "PostgreSQL" and not url:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            figures = fuzz_live_hub(
                Path(tmp), _fresh_schema(url) if url else None, examples=examples, seconds=900
            )
        print(
            f"{name}: {figures.cases} requests in {figures.seconds:.0f} s, {len(figures.server_errors)} 5xx, "
            f"{len(figures.schema_violations)} outside the documented shapes"
        )
        for problem in (figures.server_errors + figures.schema_violations)[:10]:
            print("  problem:", problem)
    return 0


def _fresh_schema(url: str) -> str:
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"fuzz_{uuid.uuid4().hex[:10]}"
    with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


if __name__ == "__main__":
    raise SystemExit(main())
