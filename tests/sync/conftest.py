"""A real hub over real HTTP on 127.0.0.1 (uvicorn in a thread), desks in temp folders, a memory keyring.

Hub tests run on SQLite always and on PostgreSQL too when AGENT_DESK_TEST_PG holds a URL; each
PostgreSQL test gets a fresh schema that is dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import keyring
import pytest
import uvicorn
from sqlalchemy import create_engine, text

from agent_desk.server import admin
from agent_desk.server.app import Hub, create_app
from agent_desk.server.blobs import LocalBlobStore
from agent_desk.server.db import HubDB
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.desk import Desk, open_desk
from agent_desk.store.models import Case, Client
from agent_desk.store.outbox import record_change
from agent_desk.sync.engine import SyncEngine
from tests.sync.keyring_backend import MemoryKeyring

PG_ENV = "AGENT_DESK_TEST_PG"
PASSWORD = "correct-horse-9"
TOWNSHIP, OTHER_TOWNSHIP = "620524100", "620524101"
V1, V2, V3 = "620524100200", "620524100201", "620524101200"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class ServerThread:
    """uvicorn serving an app on a free loopback port until stopped."""

    def __init__(self, app: Any) -> None:
        self.sock = _free_socket()
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="off"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "hub did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def hub_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    yield from _pg_schema()


@pytest.fixture(params=[pytest.param("pg", marks=pytest.mark.pg)])
def pg_hub_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """For what only a PostgreSQL hub does (several workers): no SQLite leg that could only skip."""
    yield from _pg_schema()


def _pg_schema() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:  # tests/conftest.py deselects the pg leg without it: a fixture used unmarked
        pytest.fail(f"this test needs PostgreSQL: mark it pg (it runs where {PG_ENV} is set)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin_engine.connect() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin_engine.dispose()


@dataclass
class HubFixture:
    hub: Hub
    url: str
    villages: dict[str, str]  # code → id

    def add_user(
        self,
        username: str,
        role: str = "agent",
        villages: tuple[str, ...] = (V1,),
        township: str | None = None,
    ) -> str:
        return admin.create_user(
            self.hub.db,
            username=username,
            password=PASSWORD,
            role=role,
            villages=villages if role == "agent" else (),
            township_code=township,
        )


@pytest.fixture
def live_hub(hub_url: str, tmp_path: Path) -> Iterator[HubFixture]:
    db = HubDB.open(hub_url)
    hub = Hub(db, LocalBlobStore(tmp_path / "hub-blobs"))
    villages = {
        code: admin.create_village(
            db, code=code, name=name, township_code=code[:9], township_name=tn
        )
        for code, name, tn in (
            (V1, "洛门村", "洛门镇"),
            (V2, "蓼阳村", "洛门镇"),
            (V3, "城关村", "城关镇"),
        )
    }
    with ServerThread(create_app(hub)) as server:
        yield HubFixture(hub, f"http://127.0.0.1:{server.port}", villages)
    db.close()


def make_desk(
    tmp_path: Path,
    name: str,
    hub: HubFixture,
    username: str,
    *,
    login: bool = True,
    transport: Any = None,
    batch_size: int = 200,
) -> tuple[Desk, SyncEngine]:
    desk = open_desk(tmp_path / name)
    engine = SyncEngine(
        desk.db, desk.data, transport=transport, batch_size=batch_size, sleep=lambda _s: None
    )
    engine.configure(hub.url, username, device_name=name)
    if login:
        engine.login(PASSWORD)
    return desk, engine


def add_client(desk: Desk, name: str, village_id: str, **extra: Any) -> str:
    with desk.db.session() as session:
        client = create_client(
            ClientInput(name=name, extra={"village_id": village_id, **extra}), session=session
        )
        session.commit()
        return client.id


def edit_client(desk: Desk, client_id: str, **fields: Any) -> None:
    with desk.db.session() as session:
        client = session.get(Client, client_id)
        assert client is not None
        for key, value in fields.items():
            setattr(client, key, value)
        session.add(client)
        record_change(session, client, fields)
        session.commit()


def add_case(desk: Desk, client_id: str, village_id: str, number: str) -> str:
    with desk.db.session() as session:
        case = Case(
            case_no=number,
            client_id=client_id,
            item_code="62052400MZ-JF-0001",
            item_name="最低生活保障申请",
            village_id=village_id,
            entrusted_on=date(2026, 11, 20),
        )
        session.add(case)
        session.flush()
        record_change(session, case)
        session.commit()
        return case.id


def client_fields(desk: Desk) -> dict[str, dict[str, Any]]:
    with desk.db.session() as session:
        from sqlmodel import select

        return {
            c.id: {"name": c.name, "phone": c.phone, "address": c.address, "deleted": c.deleted}
            for c in session.scalars(select(Client))
        }
