"""Login throttling over real HTTP, on SQLite and PostgreSQL: parallel guesses get no more checks
than the limit, spraying user names is slowed, and the right password is delayed, never locked out."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import httpx
import pytest

from agent_desk.server import auth, throttle
from agent_desk.server.app import API_PREFIX
from agent_desk.server.errors import HubError
from tests.sync.conftest import PASSWORD, HubFixture

LIMIT = throttle.RULES[0].free


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the hub really checked a password (argon2), counted across threads."""
    counted, lock, real = [0], threading.Lock(), auth._verify

    def verify(stored: str, password: str) -> bool:
        with lock:
            counted[0] += 1
        return real(stored, password)

    monkeypatch.setattr(auth, "_verify", verify)
    return counted


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1_800_000_000.0]
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def _login(hub: HubFixture, username: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=hub.url + API_PREFIX, timeout=60) as client:
        return client.post("/auth/login", json={"username": username, "password": password})


def test_thirty_parallel_wrong_passwords_get_at_most_the_limit_of_checks(
    live_hub: HubFixture, checks
) -> None:
    live_hub.add_user("wang")
    with ThreadPoolExecutor(max_workers=30) as pool:
        codes = list(
            pool.map(lambda n: _login(live_hub, "wang", f"guess-{n}").status_code, range(30))
        )
    assert checks[0] <= LIMIT
    assert codes.count(401) == checks[0] and codes.count(429) == 30 - checks[0]


def test_the_right_password_is_delayed_then_let_in_not_locked_out(
    live_hub: HubFixture, checks, clock
) -> None:
    live_hub.add_user("wang")
    for n in range(LIMIT):
        assert _login(live_hub, "wang", f"guess-{n}").status_code == 401
    early = _login(live_hub, "wang", PASSWORD)
    assert early.status_code == 429 and "分钟" in early.json()["detail"]["message"]
    assert 0 < int(early.headers["Retry-After"]) <= 60
    clock[0] += int(early.headers["Retry-After"])
    assert _login(live_hub, "wang", PASSWORD).status_code == 200
    assert _login(live_hub, "wang", "guess-again").status_code == 401  # the counters started over


def test_the_delays_grow_with_each_further_wrong_password(live_hub: HubFixture, clock) -> None:
    live_hub.add_user("wang")
    waits = []
    for n in range(LIMIT + 3):
        answer = _login(live_hub, "wang", f"guess-{n}")
        if answer.status_code == 429:
            waits.append(int(answer.headers["Retry-After"]))
            clock[0] += waits[-1]
            assert _login(live_hub, "wang", f"guess-{n}").status_code == 401
    assert waits == sorted(waits) and waits[0] < waits[-1]


def test_spraying_user_names_from_one_address_is_slowed(live_hub: HubFixture, checks) -> None:
    codes = [_login(live_hub, f"user{n}", "123456").status_code for n in range(20)]
    assert 429 in codes
    assert checks[0] == throttle.RULES[1].free


def test_someone_elses_guesses_from_another_address_do_not_lock_the_user_out(
    live_hub: HubFixture,
) -> None:
    live_hub.add_user("wang")
    for _ in range(LIMIT):
        throttle.admit(live_hub.hub.db.writing, "wang", "10.0.0.66")  # an attacker's address
    with pytest.raises(HubError):
        throttle.admit(live_hub.hub.db.writing, "wang", "10.0.0.66")
    assert _login(live_hub, "wang", PASSWORD).status_code == 200  # from the user's own address


def test_migration_0013_drops_the_unused_login_failure_table_and_back(hub_url: str) -> None:
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from agent_desk.server.db import MIGRATIONS, make_hub_engine, upgrade_hub

    engine = make_hub_engine(hub_url)
    try:
        upgrade_hub(engine)
        assert "hub_login_failure" not in sa.inspect(engine).get_table_names()
        assert "hub_login_throttle" in sa.inspect(engine).get_table_names()
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["engine"] = engine
        command.downgrade(cfg, "0016")  # the revision before 0013
        assert "hub_login_failure" in sa.inspect(engine).get_table_names()
        command.upgrade(cfg, "head")
        assert "hub_login_failure" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
