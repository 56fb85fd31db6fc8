"""``agent-desk setup`` and ``import clients --add-villages``: a desk set up with no hub."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from agent_desk.cli import main
from agent_desk.core.identity import make_resident_id

AGENT = [
    "--agent-name",
    "王建国",
    "--agent-phone",
    "13909381234",
    "--agent-id-number",
    "620524197803150017",
    "--service-room",
    "石桥村便民服务室",
]
VILLAGE = ["--village", "620524100201=石桥村", "--township", "620524100=洛门镇"]


@pytest.fixture(autouse=True)
def script_password(monkeypatch):
    """`setup` writes the agent's own ID number: a new desk asks for its password first (issue 17);
    scripts give it by AGENT_DESK_PASSWORD, and a light KDF keeps the tests quick."""
    import agent_desk.services.vault as vault
    from agent_desk.store.crypto import KdfParams

    monkeypatch.setenv("AGENT_DESK_PASSWORD", "correct-horse-9")
    monkeypatch.setattr(vault, "KdfParams", KdfParams.light)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _rows(home: Path, sql: str) -> list[tuple]:
    """Read the desk as the app does (it is encrypted once the agent's details are in it)."""
    from sqlalchemy import text

    from agent_desk.cli_security import cli_key
    from agent_desk.services.desk import open_desk

    if not (home / "agent_desk.db").exists():
        return [(0,)] if "count(*)" in sql else []
    desk = open_desk(home, key=cli_key(str(home)))
    try:
        with desk.db.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql)).all()]
    finally:
        desk.close()


def _agent(home: Path) -> dict:
    values = json.loads((home / "settings.json").read_text(encoding="utf-8"))["values"]
    return {k: v for k, v in values.get("agent", {}).items() if v}


def test_setup_records_the_agent_and_villages_and_is_idempotent(capsys, data_home: Path) -> None:
    code, out, err = run(capsys, "setup", *AGENT, *VILLAGE)
    assert code == 0, err
    assert "新增村 1 个" in out
    assert _agent(data_home) == {
        "name": "王建国",
        "phone": "13909381234",
        "service_room": "石桥村便民服务室",
        "village": "石桥村",
    }  # the ID number is in the encrypted database, not in settings.json
    assert "620524197803150017" not in (data_home / "settings.json").read_text(encoding="utf-8")
    assert _rows(data_home, "SELECT value FROM meta WHERE key = 'agent.id_number'") == [
        ("620524197803150017",)
    ]
    villages = "SELECT code, name, township_code, township_name, county_name FROM village"
    assert _rows(data_home, villages) == [
        ("620524100201", "石桥村", "620524100", "洛门镇", "甘肃省天水市武山县")
    ]
    code, out, _ = run(capsys, "setup", *AGENT, *VILLAGE)
    assert code == 0 and "新增村 0 个" in out
    assert len(_rows(data_home, villages)) == 1
    assert _rows(data_home, "SELECT display_name, phone FROM desk_user") == [
        ("王建国", "13909381234")
    ]
    code, _, _ = run(
        capsys, "setup", "--village", "620524100202=洛门村"
    )  # the township is known now
    assert code == 0 and len(_rows(data_home, villages)) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--village", "620599100201=石头村", "--township", "620599100=某镇"],
            "不是已知的县级区划代码",
        ),
        (
            [
                "--county",
                "620524",
                "--village",
                "620523100201=石头村",
                "--township",
                "620523100=甘谷镇",
            ],
            "不在所选的县",
        ),
        (["--village", "62052410020=石头村", "--township", "620524100=洛门镇"], "应为 12 位数字"),
        (["--village", "620524200201=石头村"], "尚未设置"),
        (
            [
                "--village",
                "620524100201=石桥村",
                "--village",
                "620524100201=石头村",
                "--township",
                "620524100=洛门镇",
            ],
            "出现两次",
        ),
        (["--village", "620524100201", "--township", "620524100=洛门镇"], "代码=名称"),
        ([*AGENT[:4], "--agent-id-number", "620524197803150018", *AGENT[6:], *VILLAGE], "校验码"),
        ([*AGENT[:2], *VILLAGE], "代办员信息不全"),
    ],
)
def test_bad_setup_is_refused_in_chinese_and_saves_nothing(
    capsys, data_home: Path, argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "setup", *argv)
    assert code == 2 and message in err, err
    assert "Traceback" not in err
    assert _rows(data_home, "SELECT count(*) FROM village") == [(0,)]
    assert _rows(data_home, "SELECT count(*) FROM desk_user") == [(0,)]
    assert not _agent(data_home) if (data_home / "settings.json").exists() else True


def test_a_second_village_with_the_same_code_is_refused(capsys, data_home: Path) -> None:
    assert run(capsys, "setup", *VILLAGE)[0] == 0
    code, _, err = run(capsys, "setup", "--village", "620524100201=石头村")
    assert code == 2 and "已用于「石桥村」" in err
    assert _rows(data_home, "SELECT name FROM village") == [("石桥村",)]


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "花名册.csv"
    rows = [
        "姓名,公民身份号码,所属村",
        f"张三,{make_resident_id('620524', date(1950, 1, 1), 3)},洛门村",
        f"李四,{make_resident_id('620524', date(1980, 1, 1), 5)},石桥村",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_roster_naming_an_unknown_village_says_how_to_add_it(
    capsys, data_home: Path, tmp_path: Path
) -> None:
    assert run(capsys, "setup", *AGENT, *VILLAGE)[0] == 0
    roster = _roster(tmp_path)
    code, out, _ = run(capsys, "import", "clients", str(roster))
    assert code == 1
    assert "未知的村「洛门村」" in out and "--add-villages" in out
    assert _rows(data_home, "SELECT count(*) FROM client") == [(1,)]
    code, out, _ = run(capsys, "import", "clients", str(roster), "--add-villages")
    assert code == 0 and "新增村 洛门村" in out
    village = _rows(
        data_home,
        "SELECT v.name, v.township_name FROM client c JOIN village v ON v.id = c.village_id "
        "WHERE c.name = '张三'",
    )
    assert village == [("洛门村", "洛门镇")]
    code, out, _ = run(capsys, "import", "clients", str(roster), "--add-villages")
    assert code == 0 and _rows(data_home, "SELECT count(*) FROM village") == [(2,)]


def test_add_villages_without_a_township_tells_to_set_one_up(
    capsys, data_home: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "import", "clients", str(_roster(tmp_path)), "--add-villages")
    assert code == 1 and "本机尚未设置乡镇" in out and "agent-desk setup" in out
    assert _rows(data_home, "SELECT count(*) FROM village") == [(0,)]


def test_a_township_set_up_alone_takes_the_roster_villages(
    capsys, data_home: Path, tmp_path: Path
) -> None:
    """The first day as the message above advises: the township only, then the roster's villages."""
    code, out, _ = run(capsys, "setup", "--township", "620524100=洛门镇")
    assert code == 0 and "乡镇 洛门镇" in out
    code, out, _ = run(capsys, "import", "clients", str(_roster(tmp_path)), "--add-villages")
    assert code == 0 and "新增村" in out and "洛门村" in out and "石桥村" in out, out
    rows = _rows(
        data_home,
        "SELECT c.name, v.township_name FROM client c JOIN village v ON v.id = c.village_id",
    )
    assert sorted(rows) == [("张三", "洛门镇"), ("李四", "洛门镇")]
