"""`agent-desk find` and the roster import's grouped report, as a script or support person runs them."""

from __future__ import annotations

from datetime import date

from test_cli import _roster, run, script_password  # noqa: F401  (autouse: scripts give the password)

from agent_desk.core.identity import make_resident_id
from agent_desk.services.roster_ids import EXCEL_NUMBER, TRUNCATED

WANG = make_resident_id("620524", date(1970, 1, 1), 11)
MOQI = make_resident_id("620524", date(1981, 3, 4), 23)


def test_find_prints_what_the_search_box_shows_with_numbers_masked(
    capsys, data_home, tmp_path
) -> None:
    run(
        capsys,
        "import",
        "clients",
        str(
            _roster(
                tmp_path / "r.csv",
                [["王建国", WANG, "男", "13909381234"], ["万俟卨", MOQI, "男", "15109384321"]],
            )
        ),
    )
    code, out, _ = run(capsys, "find", "moqi")
    assert code == 0
    [line] = out.splitlines()
    assert line.split("\t") == ["万俟卨", MOQI[:6] + "********" + MOQI[-4:], "151****4321", ""]
    assert MOQI not in out
    assert run(capsys, "find", WANG[-4:])[1].startswith("王建国\t")


def test_find_with_no_match_says_so_and_exits_1(capsys, data_home) -> None:
    code, out, err = run(capsys, "find", "zzz")
    assert (code, out) == (1, "") and "没有找到" in err


def test_import_groups_rows_with_one_reason_and_holds_truncated_numbers(
    capsys, data_home, tmp_path
) -> None:
    rows = [
        ["王五", "6.20524E+17", "男", ""],
        ["王六", "6.20524E+17", "男", ""],
        ["王建国", WANG, "男", ""],
    ]
    path = _roster(tmp_path / "名单.csv", rows)
    code, out, _ = run(capsys, "import", "clients", str(path))
    assert code == 1
    assert out.splitlines()[0] == f"名单.csv:2,3: {EXCEL_NUMBER}（共 2 行）"
    assert "新增 1 人" in out


def test_held_rows_are_imported_with_confirm_truncated(capsys, data_home, tmp_path) -> None:
    rounded = sorted(
        {
            n
            for n in (
                make_resident_id("620524", date(1968, 5, d), s)[:15] + "000"
                for d in range(1, 29)
                for s in range(1, 999, 10)
            )
            if n[-1] == "0"
        }
    )
    rounded = [
        n
        for n in rounded
        if make_resident_id(n[:6], date(1968, 5, int(n[12:14])), int(n[14:17])) == n
    ][:2]
    path = _roster(
        tmp_path / "截断.csv", [["王五", rounded[0], "", ""], ["王六", rounded[1], "", ""]]
    )
    code, out, _ = run(capsys, "import", "clients", str(path))
    assert code == 1 and "新增 0 人" in out and TRUNCATED in out and "--confirm-truncated" in out
    code, out, _ = run(capsys, "import", "clients", str(path), "--confirm-truncated")
    assert code == 0 and "新增 2 人" in out
