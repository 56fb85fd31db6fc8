"""Hub security: headers, size limits, TLS options, audit-chain verification, the authorisation matrix
and hostile JSON. Skipped (with the reason) until the sync branch's hub is in the tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.security_matrix import (
    HUB_PRESENT,
    SKIP_REASON,
    build_hub,
    run_hostile_json,
    run_matrix,
)

pytestmark = pytest.mark.skipif(not HUB_PRESENT, reason=SKIP_REASON)


def test_security_headers_and_size_limit(tmp_path: Path) -> None:
    client, _ctx, _records = build_hub(tmp_path)
    answer = client.get("/api/v1/health")
    assert (
        answer.headers["x-content-type-options"] == "nosniff"
        and answer.headers["x-frame-options"] == "DENY"
    )
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert "strict-transport-security" not in answer.headers
    assert "strict-transport-security" in client.get("https://testserver/api/v1/health").headers
    huge = client.post(
        "/api/v1/auth/login",
        content=b"x" * (6 * 1024 * 1024),
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["detail"]["code"] == "too_large"

    def chunks():
        for _ in range(7):
            yield b"y" * (1024 * 1024)

    assert client.post("/api/v1/auth/login", content=chunks()).status_code == 413


def test_hub_verifies_the_chains_desks_send(tmp_path: Path, desk) -> None:
    from agent_desk.store.audit import entries
    from tests.conftest import build_client

    with desk.db.session() as session:
        for name in ("张三", "李四", "王五"):
            build_client(session, name=name)
            session.commit()
    with desk.db.engine.connect() as conn:
        chain = list(entries(conn))
    client, ctx, _r = build_hub(tmp_path)
    auth = {"Authorization": f"Bearer {ctx.tokens['agent_v1']}"}
    good = client.post("/api/v1/audit/verify", json={"entries": chain}, headers=auth).json()
    assert good["ok"] and good["checked"] == len(chain)
    chain[1]["actor"] = "someone else"
    bad = client.post("/api/v1/audit/verify", json={"entries": chain}, headers=auth).json()
    assert not bad["ok"] and bad["broken_seq"] == chain[1]["seq"]
    assert client.post("/api/v1/audit/verify", json={"entries": chain}).status_code == 401


def test_tls_options() -> None:
    from agent_desk.server.security import serve_options

    assert serve_options(certfile="c.pem", keyfile="k.pem")["ssl_certfile"] == "c.pem"
    assert serve_options(behind_proxy=True)["proxy_headers"] is True
    with pytest.raises(ValueError):
        serve_options(certfile="c.pem")


def test_authorisation_matrix_no_leak(tmp_path: Path) -> None:
    result = run_matrix(tmp_path)
    assert result.pairs >= 13 * 7 and result.leaks == []


def test_wrongly_typed_json_to_every_write_endpoint(tmp_path: Path) -> None:
    result = run_hostile_json(tmp_path)
    assert result.hostile >= 100 and result.hostile_failures == []
