"""The ``agent-desk`` command as a script or an administrator runs it."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import types
from datetime import date
from pathlib import Path

import pytest
import sqlcipher3

import agent_desk.store.db as store_db
from agent_desk.cli import main
from agent_desk.core.identity import make_resident_id
from agent_desk.services.demo_cases import DemoItem

ITEMS = [
    DemoItem(
        "62052400MZ-JF-0001",
        "最低生活保障申请",
        20,
        (("身份证", False, "id_card"), ("户口簿", False, "household_register")),
    ),
    DemoItem(
        "62052400RS-GG-0001", "城乡居民基本养老保险参保登记", 5, (("身份证", False, "id_card"),)
    ),
]


@pytest.fixture(autouse=True)
def demo_catalog(monkeypatch):
    """seed-demo reads its items from the catalog; tests give it two fixed items instead."""
    module = types.ModuleType("agent_desk.services.demo_catalog")
    module.demo_items = lambda directory=None: list(ITEMS)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agent_desk.services.demo_catalog", module)


PASSWORD = "desk-pass-2026"


@pytest.fixture(autouse=True)
def script_password(monkeypatch):
    """Scripts give the desk password by AGENT_DESK_PASSWORD; a light KDF keeps the tests quick."""
    import agent_desk.services.vault as vault
    from agent_desk.store.crypto import KdfParams

    monkeypatch.setenv("AGENT_DESK_PASSWORD", PASSWORD)
    monkeypatch.setattr(vault, "KdfParams", KdfParams.light)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _sql(path: Path, statement: str) -> object:
    conn = sqlite3.connect(path)
    try:
        with conn:
            return conn.execute(statement).fetchone()
    finally:
        conn.close()


def _files(db: Path) -> dict[str, bytes]:
    """The database and its write-ahead log, byte for byte."""
    return {p.name: p.read_bytes() for p in db.parent.glob(db.name + "*") if p.suffix != ".db-shm"}


def _clients(data_home: Path) -> int:
    """Clients in the desk, through the key when the desk is encrypted."""
    from agent_desk.services.desk import open_desk
    from agent_desk.services.vault import is_protected, unlock
    from agent_desk.store.datadir import DataDir
    from agent_desk.store.queries import count_clients

    data = DataDir(data_home)
    desk = open_desk(data_home, key=unlock(data, PASSWORD) if is_protected(data) else None)
    try:
        with desk.db.session() as session:
            return count_clients(session)
    finally:
        desk.close()


def _roster(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "公民身份号码", "性别", "联系电话"])
        writer.writerows(rows)
    return path


GOOD = make_resident_id("620524", date(1970, 1, 1), 11)
GOOD2 = make_resident_id("620524", date(1980, 6, 1), 22)


def test_seed_demo_then_refuses_a_second_time(capsys, data_home) -> None:
    code, out, _ = run(capsys, "seed-demo", "--clients", "60", "--cases", "80", "--seed", "3")
    assert code == 0 and "clients 60" in out
    code, _, err = run(capsys, "seed-demo", "--clients", "60", "--cases", "80")
    assert code == 2 and "已有委托人" in err
    assert _clients(data_home) == 60


def test_data_dir_option_wins_over_the_environment(capsys, tmp_path, data_home) -> None:
    elsewhere = tmp_path / "elsewhere"
    code, _, _ = run(capsys, "--data-dir", str(elsewhere), "db", "upgrade")
    assert code == 0
    assert (elsewhere / "agent_desk.db").exists() and not (data_home / "agent_desk.db").exists()


def test_db_upgrade_then_check(capsys, data_home) -> None:
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "最新" in out
    code, out, _ = run(capsys, "db", "check")
    assert code == 0 and "正常" in out and store_db.head_revision() in out


def test_db_check_reports_a_damaged_index_with_exit_1(capsys, data_home) -> None:
    run(capsys, "seed-demo", "--clients", "20", "--cases", "5")
    db = data_home / "agent_desk.db"
    name_root = _sql(db, "SELECT rootpage FROM sqlite_master WHERE name = 'ix_client_name'")[0]
    sort_root = _sql(db, "SELECT rootpage FROM sqlite_master WHERE name = 'ix_client_sort_key'")[0]
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(f"UPDATE sqlite_master SET rootpage = {sort_root} WHERE name = 'ix_client_name'")
    conn.execute(
        f"UPDATE sqlite_master SET rootpage = {name_root} WHERE name = 'ix_client_sort_key'"
    )
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "db", "check")
    assert code == 1 and "ix_client_name" in out and "FAILED" in out


def test_import_reports_each_refused_row_and_exits_1(capsys, data_home, tmp_path) -> None:
    bad_check = GOOD2[:-1] + ("0" if GOOD2[-1] != "0" else "1")
    path = _roster(
        tmp_path / "名单.csv",
        [
            ["王建国", GOOD, "男", "13909381234"],
            ["李芳", bad_check, "女", "13909385678"],
            ["😀", GOOD2, "女", ""],
        ],
    )
    code, out, _ = run(capsys, "import", "clients", str(path))
    lines = out.splitlines()
    assert code == 1
    assert [line.split(":")[:2] for line in lines[:2]] == [["名单.csv", "3"], ["名单.csv", "4"]]
    assert "校验" in lines[0] and "姓名" in lines[1]
    assert "新增 1 人" in lines[2] and len(lines) == 3
    assert _clients(data_home) == 1


def test_import_of_a_clean_file_exits_0_and_twice_changes_nothing(
    capsys, data_home, tmp_path
) -> None:
    path = _roster(tmp_path / "ok.csv", [["王建国", GOOD, "男", "13909381234"]])
    assert run(capsys, "import", "clients", str(path))[0] == 0
    code, out, _ = run(capsys, "import", "clients", str(path))
    assert code == 0 and "未变 1 人" in out
    assert _clients(data_home) == 1


def test_import_of_a_missing_file_is_a_user_error(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "import", "clients", str(tmp_path / "nope.xlsx"))
    assert code == 2 and "找不到文件" in err and "Traceback" not in err


def test_export_writes_the_roster(capsys, data_home, tmp_path) -> None:
    run(capsys, "seed-demo", "--clients", "30", "--cases", "10")
    out_file = tmp_path / "导出.csv"
    code, out, _ = run(capsys, "export", "clients", "--out", str(out_file))
    assert code == 0 and "30" in out
    with out_file.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["姓名", "公民身份号码"] and len(rows) == 31


@pytest.fixture
def too_new_db(capsys, data_home) -> Path:
    run(capsys, "db", "upgrade")
    db = data_home / "agent_desk.db"
    _sql(db, "UPDATE alembic_version SET version_num = 'zz_from_a_newer_release'")
    return db


@pytest.mark.parametrize(
    "argv",
    [["db", "check"], ["db", "upgrade"], ["seed-demo"], ["export", "clients", "--out", "x.csv"]],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_too_new_database_is_a_chinese_message_and_exit_2(capsys, too_new_db, argv) -> None:
    before = _files(too_new_db)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert "更新版本" in err and "Traceback" not in err + out
    assert _files(too_new_db) == before


def test_a_corrupt_database_is_a_chinese_message_and_exit_2(capsys, data_home) -> None:
    data_home.mkdir(parents=True)
    db = data_home / "agent_desk.db"
    db.write_bytes(b"\x00garbage" * 4000)
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 2 and "已损坏" in err and "Traceback" not in err
    assert db.read_bytes() == b"\x00garbage" * 4000


def test_import_into_a_locked_database_is_a_chinese_message(
    capsys, data_home, tmp_path, monkeypatch
) -> None:
    run(capsys, "db", "upgrade")
    run(capsys, "password", "set")
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 50)
    from agent_desk.services.vault import unlock
    from agent_desk.store.crypto import sqlcipher_key
    from agent_desk.store.datadir import DataDir

    key = unlock(DataDir(data_home), PASSWORD)
    other = sqlcipher3.connect(str(data_home / "agent_desk.db"), isolation_level=None)
    other.execute(f'PRAGMA key = "{sqlcipher_key(key)}"')
    other.execute("BEGIN EXCLUSIVE")
    try:
        path = _roster(tmp_path / "ok.csv", [["王建国", GOOD, "男", "13909381234"]])
        code, _, err = run(capsys, "import", "clients", str(path))
    finally:
        other.rollback()
        other.close()
    assert code == 2 and "占用" in err and "Traceback" not in err
    assert _clients(data_home) == 0


def test_python_dash_m_db_check_in_a_real_process(capsys, data_home) -> None:
    run(capsys, "db", "upgrade")
    env = {k: v for k, v in os.environ.items() if k != "AGENT_DESK_HOME"}
    done = subprocess.run(
        [sys.executable, "-m", "agent_desk", "--data-dir", str(data_home), "db", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "正常" in done.stdout and done.stderr == ""


@pytest.mark.parametrize(
    "argv", [["db", "upgrade"], ["db", "check"], ["seed-demo", "--clients", "5"]]
)
def test_commands_close_the_database_when_done(capsys, data_home, argv) -> None:
    """An in-process caller (the GUI, a script) must not inherit open connections or a live WAL."""
    run(capsys, "db", "upgrade")
    assert run(capsys, *argv)[0] == 0
    assert not (data_home / "agent_desk.db-wal").exists()
