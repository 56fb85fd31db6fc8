"""The hub's authorisation matrix and hostile JSON, as functions the tests and ``make soak`` share.

Every API route × every role (anonymous, agents of two villages and of another township, reviewers
of both townships, admin): no answer may carry the id of a record outside the caller's scope, nor
a device whose audit chain the caller may not read (an admin reads every chain, a reviewer those of
their township's agents and their own, an agent none), no request may write into a chain other
than the caller's own device's, and the anonymous caller gets 401 everywhere but health and login.
Needs the sync branch's hub.
"""

from __future__ import annotations

import importlib.util
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HUB_PRESENT = importlib.util.find_spec("agent_desk.server.app") is not None
SKIP_REASON = "the hub (agent_desk.server.app, branch sync) is not in this tree yet"
PASSWORD = "matrix-pass-123"
T1, T2 = "620524100", "620524101"
V1, V2, V3 = "620524100200", "620524100201", "620524101200"
ROLES = {
    "anonymous": None,
    "agent_v1": ("agent", (V1,), None),
    "agent_v2": ("agent", (V2,), None),
    "agent_v3": ("agent", (V3,), None),
    "reviewer_t1": ("reviewer", (), T1),
    "reviewer_t2": ("reviewer", (), T2),
    "admin": ("admin", (), None),
}
SCOPE = {
    "anonymous": set(),
    "agent_v1": {V1},
    "agent_v2": {V2},
    "agent_v3": {V3},
    "reviewer_t1": {V1, V2},
    "reviewer_t2": {V3},
    "admin": {V1, V2, V3},
}
OPEN_ROUTES = {"/health", "/auth/login"}
CHAIN_READERS = {
    "agent_v1": {"admin", "reviewer_t1"},
    "agent_v2": {"admin", "reviewer_t1"},
    "agent_v3": {"admin", "reviewer_t2"},
    "reviewer_t1": {"admin", "reviewer_t1"},
    "reviewer_t2": {"admin", "reviewer_t2"},
    "admin": {"admin"},
}


@dataclass
class HubContext:
    tokens: dict[str, str]  # role → bearer token
    village_ids: dict[str, str]  # village code → id
    db: Any
    devices: dict[str, str] = field(default_factory=dict)  # role → the device its token belongs to
    chains: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict
    )  # role → audit chain its device sent


@dataclass
class MatrixResult:
    pairs: int = 0
    leaks: list[str] = field(default_factory=list)
    hostile: int = 0
    hostile_failures: list[str] = field(default_factory=list)


def build_hub(folder: Path) -> tuple[Any, HubContext, dict[str, str]]:
    """A hardened hub on SQLite with three villages, one user per role, one client+case per village,
    and each agent's device's audit chain (its entries name that village's client and case)."""
    from fastapi.testclient import TestClient

    from agent_desk.server import admin
    from agent_desk.server.app import Hub, create_app
    from agent_desk.server.blobs import LocalBlobStore
    from agent_desk.server.db import HubDB

    db = HubDB.open(f"sqlite:///{folder / 'hub.db'}")
    hub = Hub(db, LocalBlobStore(folder / "blobs"))
    village_ids = {
        code: admin.create_village(
            db, code=code, name=f"村{code[-3:]}", township_code=code[:9], township_name="镇"
        )
        for code in (V1, V2, V3)
    }
    for name, spec in ROLES.items():
        if spec is not None:
            role, villages, township = spec
            admin.create_user(
                db,
                username=name,
                password=PASSWORD,
                role=role,
                villages=villages,
                township_code=township,
            )
    app = create_app(hub)
    client = TestClient(app, raise_server_exceptions=False)
    logins = {
        name: client.post(
            "/api/v1/auth/login", json={"username": name, "password": PASSWORD}
        ).json()
        for name, spec in ROLES.items()
        if spec is not None
    }
    tokens = {name: answer["token"] for name, answer in logins.items()}
    ctx = HubContext(
        tokens, village_ids, db, {name: answer["device_id"] for name, answer in logins.items()}
    )
    records: dict[str, str] = {}
    for code, agent in ((V1, "agent_v1"), (V2, "agent_v2"), (V3, "agent_v3")):
        cid, case_id = uuid.uuid4().hex, uuid.uuid4().hex
        ops = [
            _op(
                "client",
                cid,
                {"name": f"委托人{code[-3:]}", "kind": "person", "village_id": village_ids[code]},
            ),
            _op(
                "case",
                case_id,
                {
                    "case_no": f"C{code}",
                    "client_id": cid,
                    "item_code": "X",
                    "item_name": "事项",
                    "village_id": village_ids[code],
                    "entrusted_on": "2026-11-20",
                },
            ),
        ]
        answer = client.post(
            "/api/v1/sync/push", json={"ops": ops}, headers=_auth(tokens[agent])
        ).json()
        assert all(r["status"] == "applied" for r in answer["results"]), answer
        records[cid] = records[case_id] = village_ids[code]
        ctx.chains[agent] = audit_chain([("client", cid), ("case", case_id)])
        sent = client.post(
            "/api/v1/audit/append",
            json={"entries": ctx.chains[agent]},
            headers=_auth(tokens[agent]),
        )
        assert sent.status_code == 200 and sent.json()["stored"] == 2, sent.text
    return client, ctx, records


def audit_chain(
    touched: list[tuple[str, str]], prev: str | None = None, first_seq: int = 1
) -> list[dict[str, Any]]:
    """Audit entries as a desk writes them (store/audit.py), one per (table, record id)."""
    from agent_desk.core.audit_chain import GENESIS, entry_hash

    chain, prev = [], prev or GENESIS
    for seq, (table, rid) in enumerate(touched, start=first_seq):
        entry = {
            "seq": seq,
            "at": f"2026-11-22T08:00:{seq % 60:02d}.000000+00:00",
            "actor": "wangjg",
            "action": "change",
            "entity": table,
            "entity_id": rid,
            "detail": {"rows": [{"table": table, "id": rid, "op": "insert"}]},
        }
        entry |= {"prev_hash": prev, "hash": entry_hash(prev, entry)}
        chain.append(entry)
        prev = entry["hash"]
    return chain


def _op(entity: str, entity_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {"op_id": uuid.uuid4().hex, "entity": entity, "entity_id": entity_id, "fields": fields}


def _auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def _requests(
    route: str, records: dict[str, str], ctx: HubContext
) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, kwargs) to exercise one route, including writes aimed at every village and device."""
    sha = "ab" * 32
    other = next(iter(records))
    devices = sorted(ctx.devices.values())
    named = [
        {"device_id": ctx.devices[agent], "entries": chain[:1]}
        for agent, chain in sorted(ctx.chains.items())
    ]
    table: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
        "/health": [("GET", "/health", {})],
        "/auth/login": [
            ("POST", "/auth/login", {"json": {"username": "agent_v1", "password": "wrong-one"}})
        ],
        "/auth/logout": [("POST", "/auth/logout", {})],
        "/sync/push": [
            ("POST", "/sync/push", {"json": {"ops": [_op("client", rid, {"note": "篡改"})]}})
            for rid in records
        ],
        "/sync/pull": [("GET", "/sync/pull?cursor=0&limit=5000", {})],
        "/sync/round": [
            (
                "POST",
                "/sync/round",
                {"json": {"limit": 5000, "ops": [_op("client", rid, {"note": "篡改"})]}},
            )
            for rid in records
        ]
        + [
            (
                "POST",
                "/sync/round",
                {"json": {"audit": body["entries"], "device_id": body["device_id"]}},
            )
            for body in named
        ],
        "/conflicts": [("GET", "/conflicts?open_only=false", {})],
        "/conflicts/resolve": [
            ("POST", "/conflicts/resolve", {"json": {"conflict_ids": [other], "resolution": "hub"}})
        ],
        "/attachments/{sha}/status": [("GET", f"/attachments/{sha}/status", {})],
        "/attachments/{sha}": [
            ("GET", f"/attachments/{sha}", {}),
            ("PUT", f"/attachments/{sha}?offset=0&total=4", {"content": b"\xff\xd8\xff\xe0"}),
        ],
        "/publications": [("GET", "/publications", {})],
        "/publications/{kind}": [("GET", "/publications/catalog", {})],
        "/publications/{kind}/{version}": [("GET", "/publications/catalog/1", {})],
        "/publications/{kind}/{version}/refusal": [
            ("POST", "/publications/calendar/1/refusal", {"json": {"reason": "第 1 版无法使用"}})
        ],
        "/audit/verify": [("POST", "/audit/verify", {"json": {"entries": []}})],
        "/audit/append": [("POST", "/audit/append", {"json": body}) for body in named],
        "/audit/chains": [("GET", "/audit/chains", {})],
        "/audit/chains/{device_id}/entries": [
            ("GET", f"/audit/chains/{d}/entries?limit=5000", {}) for d in devices
        ],
    }
    return [(m, "/api/v1" + url, kw) for m, url, kw in table[route]]


def api_paths(client: Any) -> dict[str, set[str]]:
    """Every API path with its methods, from the OpenAPI document (included routers are nested)."""
    paths = client.app.openapi()["paths"]
    return {p: {m.upper() for m in ops} for p, ops in paths.items() if p.startswith("/api/v1")}


def api_routes(client: Any) -> list[str]:
    return sorted(p.removeprefix("/api/v1") for p in api_paths(client))


def run_matrix(folder: Path) -> MatrixResult:
    client, ctx, records = build_hub(folder)
    result = MatrixResult()
    routes = api_routes(client)
    for route in routes:
        for role in ROLES:
            if route == "/auth/logout":
                continue  # exercised last: it revokes the token
            result.pairs += 1
            _check_pair(client, route, role, ctx, records, result)
    result.pairs += len(ROLES)
    for role in ROLES:
        _check_pair(client, "/auth/logout", role, ctx, records, result)
    result.leaks += _chains_changed(ctx)
    return result


def _check_pair(
    client: Any,
    route: str,
    role: str,
    ctx: HubContext,
    records: dict[str, str],
    result: MatrixResult,
) -> None:
    scope = {ctx.village_ids[c] for c in SCOPE[role]}
    token = ctx.tokens.get(role)
    for method, url, kwargs in _requests(route, records, ctx):
        answer = client.request(method, url, headers=_auth(token), **kwargs)
        where = f"{method} {route} as {role}"
        if answer.status_code >= 500:
            result.leaks.append(f"{where}: {answer.status_code}")
        if token is None and route not in OPEN_ROUTES and answer.status_code != 401:
            result.leaks.append(f"{where}: {answer.status_code} without a token")
        body, sent = answer.text, url + str(kwargs)
        result.leaks += [
            f"{where}: shows {rid} of another village"
            for rid, v in records.items()
            if v not in scope and rid in body and rid not in sent
        ]
        result.leaks += [
            f"{where}: shows the device of {owner}, whose audit chain it may not read"
            for owner, device in ctx.devices.items()
            if role not in CHAIN_READERS[owner] and device in body and device not in sent
        ]
        named = "device_id" in kwargs.get("json", {})
        if (route == "/audit/append" or named) and answer.status_code < 300:
            result.leaks.append(f"{where}: appended to a device's chain named in the request")
        if route in ("/sync/push", "/sync/round") and answer.status_code == 200 and not named:
            target = kwargs["json"]["ops"][0]["entity_id"]
            status = answer.json()["results"][0]["status"]
            if records[target] not in scope and status == "applied":
                result.leaks.append(f"{where}: wrote a record of another village")


HOSTILE_BODIES: list[Any] = [
    None,
    [],
    "text",
    0,
    1.5,
    True,
    {"ops": "x"},
    {"ops": [1, "2", None]},
    {"ops": {"a": 1}},
    {"username": ["x"], "password": {"a": 1}},
    {"username": "a" * 100_000, "password": "p"},
    {"conflict_ids": "x", "resolution": 5},
    {"entries": [{"seq": "x"}]},
    {"entries": [{"seq": 1, "hash": "zz"}]},
    {"ops": [{"op_id": "../../x", "entity": "client"}]},
    {
        "ops": [
            {
                "op_id": "a" * 32,
                "entity": "desk_user",
                "entity_id": "b" * 32,
                "fields": {"role": "admin"},
            }
        ]
    },
    {
        "ops": [
            {"op_id": "c" * 32, "entity": "client", "entity_id": "d" * 32, "fields": {"name": 5}}
        ]
    },
    {"a": {"b": {"c": {"d": {"e": [[[[[[[[[[[]]]]]]]]]]]}}}}},
]
# Audit slices: a NUL, a seq past 64 bits, a device named, out of order, a detail that is no object,
# more than a batch, a lone surrogate (valid JSON text that no database column can hold).
_ENTRY = {
    "seq": 1,
    "at": "2026-11-22T08:00:00",
    "action": "change",
    "prev_hash": "0" * 64,
    "hash": "1" * 64,
}
HOSTILE_BODIES += [
    {"entries": [_ENTRY | {"actor": "a\x00b"}]},
    {"entries": [_ENTRY | {"seq": 2**70}]},
    {"device_id": "e" * 32, "entries": []},
    {"entries": [_ENTRY | {"seq": 2}, _ENTRY]},
    {"entries": [_ENTRY | {"detail": "x"}]},
    {"entries": [_ENTRY] * 5001},
    json.dumps({"entries": [_ENTRY | {"detail": {"x": "\ud800"}}]}),
]


def _chains_changed(ctx: HubContext) -> list[str]:
    """After the matrix every agent's chain is as its device sent it: intact, nothing added."""
    from agent_desk.server.audit_store import chain_status

    held = {row["device_id"]: row for row in chain_status(ctx.db, None)}
    changed = []
    for agent, chain in ctx.chains.items():
        row = held.get(ctx.devices[agent])
        if not row or not row["intact"] or row["entries"] != len(chain):
            changed.append(f"the audit chain of {agent}'s device changed: {row}")
    return changed


def run_hostile_json(folder: Path) -> MatrixResult:
    """Wrongly typed JSON to every POST/PUT route, as admin and as an agent: a 4xx, never a change."""
    client, ctx, _records = build_hub(folder)
    tokens, db = ctx.tokens, ctx.db
    result = MatrixResult()
    writes = sorted(
        p
        for p, methods in api_paths(client).items()
        if {"POST", "PUT"} & methods and not p.endswith("/logout")
    )
    before = _hub_state(db)
    for path in writes:
        url = path.replace("{sha}", "ab" * 32) + ("?offset=0&total=4" if "{sha}" in path else "")
        for role in ("agent_v1", "admin"):
            for body in HOSTILE_BODIES + ["{not json", b"\x00\xff\xfe", "[" * 10_000]:
                result.hostile += 1
                kwargs = {"content": body} if isinstance(body, str | bytes) else {"json": body}
                answer = client.request(
                    "PUT" if "{sha}" in path else "POST", url, headers=_auth(tokens[role]), **kwargs
                )
                ok = 400 <= answer.status_code < 500 or (
                    answer.status_code == 200 and _all_refused(answer)
                )
                if not ok:
                    result.hostile_failures.append(
                        f"{path} as {role}: {answer.status_code} {answer.text[:80]}"
                    )
    if _hub_state(db) != before:
        result.hostile_failures.append("hostile JSON changed the hub's data")
    return result


def _all_refused(answer: Any) -> bool:
    data = answer.json()
    if isinstance(data, dict) and "results" in data:
        return all(r.get("status") == "refused" for r in data["results"])
    return isinstance(data, dict) and (data.get("resolved") == 0 or data.get("ok") is not None)


def _hub_state(db: Any) -> tuple[Any, ...]:
    """The feed's head and the audit chains' rows: what a write that got through would move."""
    from sqlalchemy import func, select

    from agent_desk.server import tables as t

    with db.reading() as conn:
        head = int(
            conn.execute(select(t.counter.c.value).where(t.counter.c.name == "seq")).scalar_one()
        )
        entries = int(conn.execute(select(func.count()).select_from(t.audit_entry)).scalar_one())
        chains = sorted(
            tuple(r)
            for r in conn.execute(
                select(
                    t.audit_chain.c.device_id, t.audit_chain.c.last_seq, t.audit_chain.c.refusals
                )
            )
        )
    return head, entries, chains
