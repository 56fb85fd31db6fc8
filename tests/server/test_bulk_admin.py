"""``server import-villages`` / ``import-users``: idempotent, every bad row named, --dry-run, no half import."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from agent_desk.cli import main
from agent_desk.server import tables as t
from agent_desk.server.db import HubDB

VILLAGES = [
    ["县", "乡镇", "村", "统计用区划代码"],
    ["武山县", "洛门镇", "洛门村", "620524100200"],
    ["武山县", "洛门镇", "蓼阳村", "620524100201"],
    ["武山县", "城关镇", "城关村", "620524101200"],
]


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _count(hub: Path, table: t.Table) -> int:
    db = HubDB.open(f"sqlite:///{hub / 'hub.db'}", migrate=False)
    with db.reading() as conn:
        n = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    db.close()
    return n


def test_villages_import_names_bad_rows_changes_nothing_then_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = tmp_path / "hub"
    bad = _csv(
        tmp_path / "bad.csv",
        [*VILLAGES, ["武山县", "洛门镇", "", "62052410020"], VILLAGES[1]],
        "gbk",
    )
    assert main(["server", "--hub-dir", str(hub), "import-villages", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "第 5 行" in out and "12 位数字" in out and "第 6 行" in out and "重复" in out
    assert _count(hub, t.village) == 0  # a file with a bad row changes nothing
    good = _csv(tmp_path / "good.csv", VILLAGES)
    assert main(["server", "--hub-dir", str(hub), "import-villages", str(good), "--dry-run"]) == 0
    assert "将新建 3 个村" in capsys.readouterr().out and _count(hub, t.village) == 0
    assert main(["server", "--hub-dir", str(hub), "import-villages", str(good)]) == 0
    assert "已新建 3 个村" in capsys.readouterr().out and _count(hub, t.village) == 3
    assert (
        main(["server", "--hub-dir", str(hub), "import-villages", str(good)]) == 0
    )  # again: nothing new
    assert "已新建 0 个村，3 个已存在" in capsys.readouterr().out and _count(hub, t.village) == 3


def test_users_from_xlsx_get_first_passwords_in_a_private_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = tmp_path / "hub"
    assert (
        main(
            [
                "server",
                "--hub-dir",
                str(hub),
                "import-villages",
                str(_csv(tmp_path / "v.csv", VILLAGES)),
            ]
        )
        == 0
    )
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["用户名", "姓名", "角色", "村", "乡镇"],
        ["wang", "王芳", "代办员", "620524100200、620524100201", ""],
        ["li", "李审核", "审核员", "", "620524100"],
        ["zhao", "赵", "村长", "620524100200", ""],
        ["sun", "孙", "代办员", "620524199999", ""],
    ):
        sheet.append(row)
    users = tmp_path / "users.xlsx"
    book.save(users)
    passwords = tmp_path / "passwords.csv"
    command = [
        "server",
        "--hub-dir",
        str(hub),
        "import-users",
        str(users),
        "--passwords-out",
        str(passwords),
    ]
    assert main(command) == 1
    out = capsys.readouterr().out
    assert "第 4 行：角色「村长」" in out and "第 5 行：服务器上没有这些村：620524199999" in out
    assert _count(hub, t.user) == 0 and not passwords.exists()
    sheet.delete_rows(4, 2)
    book.save(users)
    assert main(command) == 0
    assert "已新建 2 个用户" in capsys.readouterr().out and _count(hub, t.user_village) == 2
    assert oct(passwords.stat().st_mode & 0o777) == "0o600"
    written = list(csv.reader(passwords.open(encoding="utf-8-sig")))
    assert [r[0] for r in written[1:]] == ["wang", "li"] and all(
        len(r[2]) >= 12 for r in written[1:]
    )
    assert main([*command[:-1], str(tmp_path / "again.csv")]) == 0  # idempotent
    assert (
        "已新建 0 个用户，2 个已存在" in capsys.readouterr().out
        and not (tmp_path / "again.csv").exists()
    )
