"""Hub accounts have a life cycle: disable/enable, password reset, villages, idle expiry, devices —
driven by ``agent-desk server users|devices`` as the administrator runs it, checked over real HTTP."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from agent_desk.cli import main
from agent_desk.core.passwords import password_problem
from agent_desk.server import tables as t
from agent_desk.server.app import API_PREFIX
from agent_desk.server.auth import utcnow
from tests.sync.conftest import PASSWORD, V1, V2, HubFixture

NEW_PASSWORD = "洛门村-新密码-7"


def _server(capsys, hub_url: str, tmp_path: Path, *argv: str) -> tuple[int, str]:
    code = main(["server", "--db", hub_url, "--hub-dir", str(tmp_path / "hub-home"), *argv])
    out, err = capsys.readouterr()
    return code, out + err


def _login(
    hub: HubFixture, username: str, password: str = PASSWORD, **extra: str
) -> httpx.Response:
    with httpx.Client(base_url=hub.url + API_PREFIX, timeout=60) as client:
        return client.post(
            "/auth/login", json={"username": username, "password": password, **extra}
        )


def _pull(hub: HubFixture, token: str) -> int:
    with httpx.Client(base_url=hub.url + API_PREFIX, timeout=60) as client:
        return client.get("/sync/pull", headers={"Authorization": f"Bearer {token}"}).status_code


def test_disabling_a_user_kills_every_token_at_once(
    capsys, live_hub: HubFixture, hub_url, tmp_path
) -> None:
    live_hub.add_user("wang")
    tokens = [_login(live_hub, "wang").json()["token"] for _ in range(2)]  # two desks
    assert [_pull(live_hub, tok) for tok in tokens] == [200, 200]
    code, out = _server(capsys, hub_url, tmp_path, "users", "disable", "wang")
    assert code == 0 and "已停用用户 wang" in out and "注销 2 个登录" in out
    assert [_pull(live_hub, tok) for tok in tokens] == [401, 401]
    assert (
        _login(live_hub, "wang").status_code == 401
    )  # the departed agent does not log straight back in
    code, out = _server(capsys, hub_url, tmp_path, "users", "list")
    assert "wang\tagent\t停用 disabled\t" + V1 in out
    assert _server(capsys, hub_url, tmp_path, "users", "enable", "wang")[0] == 0
    assert _login(live_hub, "wang").status_code == 200


def test_a_reset_password_must_be_replaced_at_the_next_login(
    capsys, live_hub: HubFixture, hub_url, tmp_path, monkeypatch
) -> None:
    import io
    import sys

    live_hub.add_user("wang")
    old = _login(live_hub, "wang").json()["token"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("临时-密码-2026\n"))
    code, out = _server(
        capsys, hub_url, tmp_path, "users", "reset-password", "wang", "--password-stdin"
    )
    assert code == 0 and "下次登录须设置新密码" in out
    assert _pull(live_hub, old) == 401
    assert _login(live_hub, "wang").status_code == 401  # the old password is gone
    forced = _login(live_hub, "wang", "临时-密码-2026")
    assert (
        forced.status_code == 403 and forced.json()["detail"]["code"] == "password_change_required"
    )
    weak = _login(live_hub, "wang", "临时-密码-2026", new_password="12345678")
    assert weak.status_code == 400 and weak.json()["detail"]["code"] == "weak_password"
    assert _login(live_hub, "wang", "临时-密码-2026", new_password=NEW_PASSWORD).status_code == 200
    assert _login(live_hub, "wang", NEW_PASSWORD).status_code == 200
    assert _login(live_hub, "wang", "临时-密码-2026").status_code == 401


def test_tokens_expire_when_idle_and_are_refreshed_by_use(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")
    idle, busy = (_login(live_hub, "wang").json()["token"] for _ in range(2))
    from agent_desk.server.auth import token_hash

    c = t.token.c
    with live_hub.hub.db.writing() as conn:
        conn.execute(
            update(t.token)
            .where(c.token_hash == token_hash(idle))
            .values(created_at=utcnow() - timedelta(days=31))
        )
        conn.execute(
            update(t.token)
            .where(c.token_hash == token_hash(busy))
            .values(created_at=utcnow() - timedelta(days=29))
        )
    assert _pull(live_hub, idle) == 401
    assert _pull(live_hub, busy) == 200  # used on day 29: the idle clock starts again
    with live_hub.hub.db.reading() as conn:
        used = conn.execute(
            select(c.last_used_at).where(c.token_hash == token_hash(busy))
        ).scalar_one()
    assert used is not None


def test_a_revoked_device_stops_at_once_and_cannot_log_in_again(
    capsys, live_hub: HubFixture, hub_url, tmp_path
) -> None:
    live_hub.add_user("wang")
    first = _login(live_hub, "wang", device_name="村委会电脑").json()
    assert _pull(live_hub, first["token"]) == 200
    code, out = _server(capsys, hub_url, tmp_path, "devices")
    assert (
        code == 0 and first["device_id"] in out and "村委会电脑\twang" in out and "正常 ok" in out
    )
    code, out = _server(capsys, hub_url, tmp_path, "devices", "revoke", first["device_id"])
    assert code == 0 and "注销 1 个登录" in out
    assert _pull(live_hub, first["token"]) == 401
    again = _login(live_hub, "wang", device_id=first["device_id"])
    assert again.status_code == 403 and again.json()["detail"]["code"] == "device_revoked"
    assert "已停用 revoked" in _server(capsys, hub_url, tmp_path, "devices", "list")[1]


def test_set_villages_changes_an_agents_scope(
    capsys, live_hub: HubFixture, hub_url, tmp_path
) -> None:
    live_hub.add_user("wang")
    code, _ = _server(capsys, hub_url, tmp_path, "users", "set-villages", "wang", "--village", V2)
    assert code == 0
    assert _login(live_hub, "wang").json()["user"]["village_ids"] == [live_hub.villages[V2]]
    code, out = _server(
        capsys, hub_url, tmp_path, "users", "set-villages", "nobody", "--village", V2
    )
    assert code == 2 and "没有用户 nobody" in out


@pytest.mark.parametrize(
    "weak",
    ["12345678", "password", "qwertyuiop", "aaaaaaaa", "woaini1314", "87654321", "zhangsan123"],
)
def test_the_commonest_passwords_are_refused_with_a_chinese_reason(
    capsys, live_hub, hub_url, tmp_path, weak
) -> None:
    import io
    import sys

    assert password_problem(weak)
    sys_stdin, sys.stdin = sys.stdin, io.StringIO(weak + "\n")
    try:
        code, out = _server(
            capsys,
            hub_url,
            tmp_path,
            "create-user",
            "li",
            "--role",
            "agent",
            "--village",
            V1,
            "--password-stdin",
        )
    finally:
        sys.stdin = sys_stdin
    assert code == 2 and "密码" in out
    assert password_problem("洛门村-新密码-7") is None


def test_the_desk_sets_the_new_password_in_its_login_after_a_reset(
    capsys, live_hub: HubFixture, tmp_path, monkeypatch
) -> None:
    import io
    import sys

    from agent_desk.server import accounts

    live_hub.add_user("wang")
    accounts.reset_password(live_hub.hub.db, "wang", "临时-密码-2026")
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"临时-密码-2026\n{NEW_PASSWORD}\n"))
    code = main(
        [
            "--data-dir",
            str(tmp_path / "desk"),
            "sync",
            "--hub",
            live_hub.url,
            "--user",
            "wang",
            "--login",
            "--password-stdin",
            "--once",
        ]
    )
    _, err = capsys.readouterr()
    assert code == 0 and "管理员已重置您的密码" in err
    assert _login(live_hub, "wang", NEW_PASSWORD).status_code == 200
