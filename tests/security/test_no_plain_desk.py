"""Desks made from the command line: real data is never written into a plain database."""

from __future__ import annotations

import io
import os
import shutil
import stat
import sys
import types
from datetime import date
from pathlib import Path

import pytest

import agent_desk.services.vault as vault
from agent_desk.cli import main
from agent_desk.core.identity import make_resident_id
from agent_desk.services.demo_cases import DemoItem
from agent_desk.store.crypto import KdfParams
from agent_desk.store.encrypt import is_plaintext

PASSWORD = "村务-correct-horse-9"
SQLITE = b"SQLite format 3\x00"
ITEMS = [
    DemoItem(
        "62052400RS-GG-0001", "城乡居民基本养老保险参保登记", 5, (("身份证", False, "id_card"),)
    )
]


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    """A light KDF and a two-item demo catalog keep these tests quick."""
    monkeypatch.setattr(vault, "KdfParams", KdfParams.light)
    module = types.ModuleType("agent_desk.services.demo_catalog")
    module.demo_items = lambda directory=None: list(ITEMS)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agent_desk.services.demo_catalog", module)
    monkeypatch.delenv("AGENT_DESK_PASSWORD", raising=False)


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "花名册.csv"
    path.write_text(
        f"姓名,公民身份号码,性别,联系电话\n王建国,{make_resident_id('620524', date(1958, 3, 12), 1)},男,13909381234\n",
        encoding="utf-8-sig",
    )
    return path


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _head(path: Path) -> bytes:
    return path.read_bytes()[:16]


def test_import_into_a_new_folder_without_a_password_writes_nothing(
    capsys, data_home, tmp_path
) -> None:
    code, _, err = _run(capsys, "import", "clients", str(_roster(tmp_path)))
    assert code == 2 and "密码" in err and "Traceback" not in err
    assert not (data_home / "agent_desk.db").exists()


def test_import_with_the_password_from_the_environment_creates_an_encrypted_desk(
    capsys, data_home, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("AGENT_DESK_PASSWORD", PASSWORD)
    code, out, _ = _run(capsys, "import", "clients", str(_roster(tmp_path)))
    assert code == 0 and "新增 1 人" in out
    assert (data_home / "key.json").exists()
    assert _head(data_home / "agent_desk.db") != SQLITE
    assert not [p for p in data_home.rglob("*.db") if is_plaintext(p)]


def test_import_with_password_stdin_then_a_second_import_unlocks(
    capsys, data_home, tmp_path, monkeypatch
) -> None:
    roster = _roster(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert _run(capsys, "import", "clients", str(roster), "--password-stdin")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code, out, _ = _run(capsys, "import", "clients", str(roster), "--password-stdin")
    assert code == 0 and "未变 1 人" in out
    assert _head(data_home / "agent_desk.db") != SQLITE


@pytest.mark.parametrize("weak", ["1111111", "qq5201314"])
def test_a_weak_password_is_refused_and_nothing_is_created(
    capsys, data_home, tmp_path, monkeypatch, weak
) -> None:
    monkeypatch.setenv("AGENT_DESK_PASSWORD", weak)
    code, _, err = _run(capsys, "import", "clients", str(_roster(tmp_path)))
    assert code == 2 and "密码" in err
    assert not (data_home / "key.json").exists() and not (data_home / "agent_desk.db").exists()


def test_a_demo_desk_refuses_a_real_roster(capsys, data_home, tmp_path, monkeypatch) -> None:
    assert (
        _run(capsys, "seed-demo", "--clients", "5", "--cases", "2")[0] == 0
    )  # demo data may stay plain
    monkeypatch.setenv("AGENT_DESK_PASSWORD", PASSWORD)
    code, _, err = _run(capsys, "import", "clients", str(_roster(tmp_path)))
    assert code == 2 and "演示数据" in err
    assert not (data_home / "key.json").exists()


def test_password_set_encrypts_older_backups_and_db_check_finds_no_plain_file(
    capsys, data_home, monkeypatch
) -> None:
    assert _run(capsys, "seed-demo", "--clients", "5", "--cases", "2")[0] == 0
    assert _run(capsys, "backup")[0] == 0
    old = next((data_home / "backups").glob("*-manual-*.db"))
    assert _head(old) == SQLITE
    code, out, _ = _run(capsys, "db", "check")
    assert code == 0 and "数据未加密" in out
    monkeypatch.setenv("AGENT_DESK_PASSWORD", PASSWORD)
    assert _run(capsys, "password", "set")[0] == 0
    assert _head(old) != SQLITE
    assert not [p for p in data_home.rglob("*") if p.is_file() and _head(p) == SQLITE]
    code, out, _ = _run(capsys, "db", "check")
    assert code == 0 and "未加密" not in out
    restored = _run(capsys, "restore", str(old))
    assert restored[0] == 0, restored


@pytest.mark.skipif(os.name != "posix", reason="reads a deleted file through an open handle")
def test_password_set_can_overwrite_and_delete_older_plain_backups(
    capsys, data_home, monkeypatch
) -> None:
    assert _run(capsys, "seed-demo", "--clients", "5", "--cases", "2")[0] == 0
    assert _run(capsys, "backup")[0] == 0
    old = next((data_home / "backups").glob("*-manual-*.db"))
    size = old.stat().st_size
    with old.open("rb") as handle:  # still reaches the file's blocks after it is deleted
        monkeypatch.setenv("AGENT_DESK_PASSWORD", PASSWORD)
        code, out, _ = _run(capsys, "password", "set", "--remove-old-backups")
        assert code == 0 and "覆盖并删除" in out
        assert not old.exists()
        assert handle.read() == bytes(size)  # overwritten with zeros before the delete
    assert not [p for p in data_home.rglob("*") if p.is_file() and _head(p) == SQLITE]


def test_db_check_names_a_plain_file_left_in_an_encrypted_desk(
    capsys, data_home, monkeypatch
) -> None:
    assert _run(capsys, "seed-demo", "--clients", "5", "--cases", "2")[0] == 0
    stray = data_home / "copy-of-agent_desk.db"
    shutil.copyfile(data_home / "agent_desk.db", stray)
    monkeypatch.setenv("AGENT_DESK_PASSWORD", PASSWORD)
    assert _run(capsys, "password", "set")[0] == 0
    code, out, _ = _run(capsys, "db", "check")
    assert code == 1 and f"未加密文件 (plaintext file): {stray}" in out


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_desk_and_hub_folders_are_their_users_only(
    capsys, data_home, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("AGENT_DESK_PASSWORD", PASSWORD)
    os.umask(0o022)  # a usual login shell
    assert _run(capsys, "import", "clients", str(_roster(tmp_path)))[0] == 0
    assert _run(capsys, "backup")[0] == 0
    hub = tmp_path / "hub"
    code = main(
        [
            "server",
            "--hub-dir",
            str(hub),
            "create-village",
            "620524100200",
            "洛门村",
            "--township",
            "620524100",
            "--township-name",
            "洛门镇",
        ]
    )
    assert code == 0
    for root in (data_home, hub):
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        files = [p for p in root.rglob("*") if p.is_file()]
        assert files and all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in files), [
            (p.name, oct(p.stat().st_mode)) for p in files if p.stat().st_mode & 0o077
        ]
