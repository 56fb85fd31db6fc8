"""The desk database as a user meets it: created, checked, refused when too new, corrupt or locked."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

import agent_desk.store.db as store_db
from agent_desk.services.desk import open_desk
from agent_desk.store.db import (
    backup_database,
    head_revision,
    integrity_check,
    open_database,
    schema_state,
)
from agent_desk.store.errors import DatabaseCorrupt, DatabaseLocked, DatabaseTooNew
from agent_desk.store.models import Case, Client
from agent_desk.store.queries import search_client_ids
from agent_desk.store.search_keys import client_keys

LATER_REVISION = '''
"""a later revision only a test knows"""
from alembic import op
import sqlalchemy as sa

revision = "ffff_test_later"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("later_table", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("later_table")
'''


def _desk_with_clients(data_home: Path, make_client, count: int = 3) -> Path:
    desk = open_desk(data_home)
    with desk.db.session() as session:
        for _ in range(count):
            make_client(session)
        session.commit()
    desk.close()
    return desk.data.database


def _snapshot(path: Path) -> dict[str, bytes]:
    """The database and its write-ahead log, byte for byte (-shm is only a shared-memory index)."""
    return {
        p.name: p.read_bytes() for p in path.parent.glob(path.name + "*") if p.suffix != ".db-shm"
    }


def _sql(path: Path, statement: str) -> object:
    """Run one statement in a connection of another program, closed afterwards."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            return conn.execute(statement).fetchone()
    finally:
        conn.close()


def _client_count(path: Path) -> int:
    return _sql(path, "SELECT count(*) FROM client")[0]  # type: ignore[index]


def test_migrations_from_empty_create_every_table_and_match_the_models(desk) -> None:
    with desk.db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        drift = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert set(SQLModel.metadata.tables) <= tables
    assert drift == []  # a model changed without a migration would show here
    state = schema_state(desk.db.engine, desk.data.database)
    assert state.current and state.revision == head_revision()
    assert integrity_check(desk.db.engine) == []


def test_pragmas_wal_foreign_keys_and_busy_timeout(desk) -> None:
    with desk.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store_db.BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(desk) -> None:
    with desk.db.session() as session:
        session.add(Client(name="王芳", village_id="0" * 32))
        with pytest.raises(IntegrityError):
            session.commit()


def test_too_new_database_is_refused_and_left_byte_for_byte(data_home, make_client) -> None:
    path = _desk_with_clients(data_home, make_client)
    _sql(path, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = _snapshot(path)
    with pytest.raises(DatabaseTooNew) as caught:
        open_database(path, data_home / "backups")
    assert "更新版本" in str(caught.value) and "9999_from_the_future" in str(caught.value)
    assert _snapshot(path) == before
    assert list((data_home / "backups").glob("*")) == []


@pytest.mark.parametrize("damage", ["random", "truncated"])
def test_corrupt_file_is_reported_and_never_overwritten(data_home, make_client, damage) -> None:
    path = _desk_with_clients(data_home, make_client, count=40)
    if damage == "random":
        path.write_bytes(os.urandom(64 * 1024))
    else:
        path.write_bytes(path.read_bytes()[: 3 * 4096])
    before = _snapshot(path)
    with pytest.raises(DatabaseCorrupt) as caught:
        open_database(path, data_home / "backups")
    assert "已损坏" in str(caught.value)
    assert _snapshot(path) == before


def test_a_text_file_in_place_of_the_database_is_not_ours(data_home) -> None:
    path = data_home / "agent_desk.db"
    data_home.mkdir(parents=True)
    path.write_text("这不是数据库\n" * 100, encoding="utf-8")
    before = _snapshot(path)
    with pytest.raises(DatabaseCorrupt):
        open_database(path, data_home / "backups")
    assert _snapshot(path) == before


def test_a_sqlite_file_of_another_program_is_refused(data_home) -> None:
    path = data_home / "agent_desk.db"
    data_home.mkdir(parents=True)
    _sql(path, "CREATE TABLE contacts (name TEXT)")
    before = _snapshot(path)
    with pytest.raises(DatabaseCorrupt):
        open_database(path, data_home / "backups")
    assert _snapshot(path) == before


@pytest.fixture
def locked_desk(data_home, make_client, monkeypatch):
    """A desk whose database another program holds with BEGIN EXCLUSIVE."""
    path = _desk_with_clients(data_home, make_client)
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield path
    other.rollback()
    other.close()


def test_writing_to_a_locked_database_gives_a_clear_error(
    locked_desk, data_home, make_client
) -> None:
    desk = open_desk(data_home)  # WAL lets it read, so opening works
    try:
        with pytest.raises(DatabaseLocked) as caught, desk.db.session() as session:
            make_client(session)
            session.commit()
        assert "占用" in str(caught.value)
    finally:
        desk.close()
    assert _client_count(locked_desk) == 3


def test_a_locked_database_that_needs_migrating_is_reported(data_home, monkeypatch) -> None:
    path = data_home / "agent_desk.db"
    data_home.mkdir(parents=True)
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLocked):
            open_database(path, data_home / "backups")
    finally:
        other.rollback()
        other.close()


@pytest.fixture
def later_migrations(tmp_path, monkeypatch) -> Path:
    """The shipped migrations plus one more revision, as the next release would carry."""
    scripts = tmp_path / "migrations"
    (scripts / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        (scripts / name).write_bytes((store_db.MIGRATIONS / name).read_bytes())
    for script in (store_db.MIGRATIONS / "versions").glob("*.py"):
        (scripts / "versions" / script.name).write_bytes(script.read_bytes())
    (scripts / "versions" / "ffff_test_later.py").write_text(
        LATER_REVISION.format(head=head_revision())
    )
    monkeypatch.setattr(store_db, "MIGRATIONS", scripts)
    return scripts


def test_upgrade_backs_up_a_database_with_data_first(data_home, make_client, request) -> None:
    path = _desk_with_clients(data_home, make_client)
    head_revision_before = head_revision()
    request.getfixturevalue("later_migrations")  # then the next release arrives
    database = open_database(path, data_home / "backups")
    try:
        with database.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                == "ffff_test_later"
            )
            assert "later_table" in inspect(conn).get_table_names()
    finally:
        database.close()
    [backup] = (data_home / "backups").glob("*.db")
    assert _client_count(backup) == 3
    assert _sql(backup, "SELECT version_num FROM alembic_version") == (head_revision_before,)
    assert _client_count(path) == 3


def test_a_new_empty_database_gets_no_backup(data_home, later_migrations) -> None:
    database = open_database(data_home / "agent_desk.db", data_home / "backups")
    database.close()
    assert list((data_home / "backups").glob("*")) == []


def test_backup_is_a_consistent_copy_even_with_uncheckpointed_wal(desk, make_client) -> None:
    with desk.db.session() as session:
        for _ in range(5):
            make_client(session)
        session.commit()
    target = backup_database(desk.db.engine, desk.data.database, desk.data.backups, "manual")
    assert target is not None and target.parent == desk.data.backups
    assert _client_count(target) == 5
    assert _sql(target, "PRAGMA integrity_check") == ("ok",)


def test_backup_of_a_missing_database_is_skipped(tmp_path, desk) -> None:
    assert backup_database(desk.db.engine, tmp_path / "absent.db", tmp_path / "b", "x") is None


def test_a_first_release_database_with_data_upgrades_to_head(
    data_home, make_client, make_case
) -> None:
    """The real migration chain, run over a database written by the first release."""
    path = data_home / "agent_desk.db"
    data_home.mkdir(parents=True)
    engine = store_db.make_engine(path)
    command.upgrade(store_db.alembic_config(engine), "0001")
    client_id = "a" * 32
    with engine.begin() as conn:  # the first release's tables, written as that release wrote them
        conn.exec_driver_sql(
            "INSERT INTO client (id, version, deleted, updated_at, kind, name, sort_key, created_at)"
            " VALUES (?, 0, 0, '2026-11-01 09:00:00', 'person', '单行建', '', '2026-11-01 09:00:00')",
            (client_id,),
        )
        for key in client_keys("单行建", None, None):
            conn.exec_driver_sql(
                "INSERT INTO client_search_key (key, client_id) VALUES (?, ?)", (key, client_id)
            )
        conn.exec_driver_sql(
            'INSERT INTO "case" (id, version, deleted, updated_at, case_no, client_id, item_code, item_name, status,'
            " entrusted_on, promised_days, deferred, manual_fields, created_at) VALUES"
            " ('c1', 0, 0, '2026-11-01 09:00:00', 'DB2026110100001', ?, '62052400MZ-JF-0001', '最低生活保障申请',"
            " 'in_progress', '2026-11-01', 20, 0, '{}', '2026-11-01 09:00:00')",
            (client_id,),
        )
    engine.dispose()
    database = open_database(path, data_home / "backups")
    try:
        assert schema_state(database.engine, path).current
        with database.session() as session:
            assert search_client_ids(session, "shan") == [client_id]
            assert session.scalars(select(Case.status)).all() == ["in_progress"]
        assert integrity_check(database.engine) == []
    finally:
        database.close()
    [backup] = (data_home / "backups").glob("*.db")
    assert _sql(backup, "SELECT version_num FROM alembic_version") == ("0001",)
    assert _client_count(backup) == 1
