"""``server backup`` → ``server restore`` into an empty hub → a desk syncs with nothing to change; the
schema is checked at start (older: ``server upgrade``; newer: refused) and ``upgrade`` backs up first."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from agent_desk.cli import main
from agent_desk.server import admin
from agent_desk.server.app import Hub, create_app
from agent_desk.server.backup import backup, restore
from agent_desk.server.config import load_settings
from agent_desk.server.db import MIGRATIONS, make_hub_engine
from agent_desk.server.schema import schema_state
from agent_desk.store.models import ClientDocument
from agent_desk.store.outbox import record_change
from agent_desk.sync.attachments import store_scan
from tests.sync.conftest import V1, HubFixture, ServerThread, add_client, make_desk


def _serve_on(app: object, port: int) -> ServerThread:
    """The restored hub on the old hub's port: to the desk it is the same county server."""
    server = ServerThread(app)
    server.sock.close()
    server.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.sock.bind(("127.0.0.1", port))
    server.port = port
    server.thread = threading.Thread(
        target=server.server.run, kwargs={"sockets": [server.sock]}, daemon=True
    )
    return server


def _empty_again(url: str) -> None:
    """A fresh hub: the SQLite file removed, or the PostgreSQL schema dropped and created empty."""
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("select current_schema()").scalar_one()
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()


@pytest.fixture
def hub_home(tmp_path: Path) -> Path:
    return tmp_path / "hub"


def _open(url: str, home: Path) -> Hub:
    hub = Hub.open(url, home)
    return hub


def _scan_on_desk(desk: object, village: str) -> str:
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)
    sha = store_scan(desk.data.attachments, png)  # type: ignore[attr-defined]
    client_id = add_client(desk, "吴敏", village)  # type: ignore[arg-type]
    with desk.db.session() as session:  # type: ignore[attr-defined]
        doc = ClientDocument(
            client_id=client_id,
            doc_kind="id_card",
            title="身份证",
            sha256=sha,
            filename="id.png",
            mime="image/png",
            size=len(png),
        )
        session.add(doc)
        session.flush()
        record_change(session, doc)
        session.commit()
    return sha


def test_backup_restore_into_an_empty_hub_then_a_desk_has_nothing_to_sync(
    hub_url: str, hub_home: Path, tmp_path: Path
) -> None:
    settings = load_settings(overrides={"db": hub_url, "home": str(hub_home)})
    hub = _open(hub_url, hub_home)
    villages = {
        V1: admin.create_village(
            hub.db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
        )
    }
    with ServerThread(create_app(hub)) as server:
        fixture = HubFixture(hub, f"http://127.0.0.1:{server.port}", villages)
        fixture.add_user("wang")
        desk, sync = make_desk(tmp_path, "desk", fixture, "wang")
        sync.sync_once()  # the villages first
        sha = _scan_on_desk(desk, villages[V1])
        first = sync.sync_once()
        assert first.pushed == 2 and first.uploaded == 1
        archive = backup(settings, tmp_path / "backups")
    hub.db.close()
    assert archive.name.startswith("agent-desk-hub-") and Path(f"{archive}.sha256").is_file()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    _empty_again(hub_url)
    fresh_home = tmp_path / "restored"
    restored_settings = load_settings(overrides={"db": hub_url, "home": str(fresh_home)})
    restore(archive, restored_settings)
    restored = Hub.open(hub_url, fresh_home, migrate=False)
    assert schema_state(restored.db.engine).state == "current"
    assert restored.blobs.exists(sha)
    with _serve_on(create_app(restored), server.port):
        again = sync.sync_once()  # the same token, the same cursor: the hub is as it was
        assert (again.pushed, again.pulled, again.conflicts, again.uploaded) == (0, 0, 0, 0)
    restored.db.close()
    desk.close()


def test_restore_refuses_a_hub_that_is_not_empty_and_a_damaged_archive(tmp_path: Path) -> None:
    home = tmp_path / "hub"
    assert (
        main(
            [
                "server",
                "--hub-dir",
                str(home),
                "create-village",
                V1,
                "洛门村",
                "--township",
                V1[:9],
                "--township-name",
                "洛门镇",
            ]
        )
        == 0
    )
    assert main(["server", "--hub-dir", str(home), "backup", "--out", str(tmp_path / "b")]) == 0
    archive = next((tmp_path / "b").glob("*.tar"))
    assert main(["server", "--hub-dir", str(home), "restore", str(archive)]) == 2  # not empty
    data = bytearray(archive.read_bytes())
    data[-20000] ^= 0xFF
    archive.write_bytes(bytes(data))
    assert main(["server", "--hub-dir", str(tmp_path / "other"), "restore", str(archive)]) == 2
    assert (
        not (tmp_path / "other" / "hub.db").exists()
        or schema_state(make_hub_engine(f"sqlite:///{tmp_path / 'other' / 'hub.db'}")).state
        == "empty"
    )


def test_backup_of_postgresql_without_client_tools_says_what_to_install(
    pg_hub_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hub_url = pg_hub_url  # pg_dump is for PostgreSQL hubs: no SQLite leg that could only skip
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump anywhere
    assert main(["server", "--db", hub_url, "--hub-dir", str(tmp_path / "hub"), "backup"]) == 2
    assert "postgresql-client" in capsys.readouterr().err


def _migrate_to(url: str, revision: str) -> None:
    """A hub as an earlier release left it: the schema migrated up to ``revision`` only."""
    engine = make_hub_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, revision)
    engine.dispose()


@pytest.fixture
def stamped_hub(tmp_path: Path) -> Iterator[tuple[str, str]]:
    home = tmp_path / "hub"
    home.mkdir()
    yield str(home), f"sqlite:///{home / 'hub.db'}"


def test_server_refuses_an_older_schema_and_names_server_upgrade(
    stamped_hub: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home, url = stamped_hub
    _migrate_to(url, "0004")
    assert main(["server", "--hub-dir", home, "--port", "1"]) == 2  # refused before it listens
    assert "agent-desk server upgrade" in capsys.readouterr().err
    assert main(["server", "--hub-dir", home, "upgrade"]) == 0
    out = capsys.readouterr().out
    assert "备份" in out and list((Path(home) / "backups").glob("agent-desk-hub-*.tar"))
    engine = make_hub_engine(url)
    assert schema_state(engine).state == "current"
    engine.dispose()


def test_server_refuses_a_schema_newer_than_the_code(
    stamped_hub: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, url = stamped_hub
    _migrate_to(url, "head")
    engine = make_hub_engine(url)
    with engine.begin() as conn:
        conn.execute(text("update hub_alembic_version set version_num = '9999'"))
    engine.dispose()
    assert main(["server", "--hub-dir", home, "--port", "1"]) == 2
    assert "新于程序" in capsys.readouterr().err
    assert main(["server", "--hub-dir", home, "upgrade"]) == 2
