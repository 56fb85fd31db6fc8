"""Publishing from the command line: checked like the desks check, summarised, withdrawable;
``calendar show`` prints what a desk counts and where each year comes from."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from agent_desk.catalog import default_catalog_dir
from agent_desk.cli import main

ITEM = "62052400MZ-JF-0003"
NOTICE = """2027年
元旦 1月1日至3日 放假
春节 2月5日至12日 放假，2月14日（星期日）上班
"""


@pytest.fixture
def hub(tmp_path: Path) -> list[str]:
    return ["server", "--hub-dir", str(tmp_path / "hub")]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_calendar_show_names_the_source_of_each_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = ["--data-dir", str(tmp_path / "desk")]
    assert main([*desk, "calendar", "show", "2027"]) == 0
    out = capsys.readouterr().out
    assert "estimated from the law" in out and "预计" in out.splitlines()[0]
    for day in (
        "2027-01-01",
        "2027-02-05",
        "2027-02-08",
        "2027-04-05",
        "2027-06-09",
        "2027-09-15",
        "2027-10-01",
    ):
        assert f"{day} " in out and "放假" in out.split(day)[1].splitlines()[0]
    assert main([*desk, "calendar", "show", "2026"]) == 0
    out = capsys.readouterr().out
    assert "(package)" in out and "2026-01-04 星期日 上班（调休）" in out
    notice = _write(tmp_path / "2027.txt", NOTICE)
    assert main([*desk, "calendar", "show", "2027", "--file", str(notice)]) == 0
    assert "2027-02-14 星期日 上班（调休）" in capsys.readouterr().out


def test_the_notice_is_shown_back_and_published_as_json(
    hub: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notice = _write(tmp_path / "2027.txt", NOTICE)
    assert main([*hub, "publish-calendar", str(notice), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "2027-02-12 星期五 放假 春节" in out and "2027-02-14 星期日 上班（调休）" in out
    assert "0 个在办办件" in out and "未发布" in out
    assert main([*hub, "publish-calendar", str(notice)]) == 0
    assert "已发布放假安排第 1 版" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        (
            "both.txt",
            "2027年\n元旦 1月1日 放假\n春节 2月5日至8日 放假，1月1日 上班\n",
            "both.txt:3: 2027-01-01 既列为放假又列为上班",
        ),
        ("far.txt", "2031年\n元旦 1月1日 放假\n", "2031 年超出可发布的范围"),
        (
            "nomonth.txt",
            "2027年\n元旦 1日 放假\n",
            "nomonth.txt:2: 「元旦 1日 放假」中的日期缺少月份",
        ),
        (
            "bad.json",
            '{"2027": {"holidays": ["2027-01-01",\n  "2027-02-30"]}}',
            "bad.json:2: 日历数据有误：日期「2027-02-30」无效",
        ),
        ("broken.json", '{"2027": {"holidays": [\n ]]}', "broken.json:2: JSON 格式错误"),
        (
            "both.json",
            '{"2027": {"holidays": ["2027-02-07"], "workdays": ["2027-02-07"]}}',
            "同时被列为节假日和调休工作日",
        ),
    ],
)
def test_a_bad_calendar_is_refused_with_file_and_line(
    hub: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str,
    reason: str,
) -> None:
    if "2031" in text:
        text = text.replace("2031", str(date.today().year + 3))
        reason = reason.replace("2031", str(date.today().year + 3))
    assert main([*hub, "publish-calendar", str(_write(tmp_path / name, text))]) == 2
    err = capsys.readouterr().err
    assert reason in err and "Traceback" not in err
    assert main([*hub, "publish-calendar", "--withdraw", "1"]) == 2  # nothing was published
    assert "没有第 1 版" in capsys.readouterr().err


def test_a_broken_catalog_is_refused_and_a_good_one_summarised(
    hub: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county = tmp_path / "county"
    shutil.copytree(default_catalog_dir(), county / "forms")
    shutil.copytree(default_catalog_dir().parent / "templates", county / "templates")
    item = county / "forms" / "items" / f"{ITEM}.yaml"
    good = item.read_text(encoding="utf-8")
    item.write_text(good.replace("promised_days: 10", "promised_days: ten"), encoding="utf-8")
    assert main([*hub, "publish-catalog", str(county / "forms")]) == 2
    err = capsys.readouterr().err
    line = next(
        n for n, text in enumerate(good.splitlines(), start=1) if text.startswith("promised_days")
    )
    assert f"{ITEM}.yaml:{line}:" in err and "promised_days" in err
    item.write_text(good.replace("promised_days: 10", "promised_days: 5"), encoding="utf-8")
    assert main([*hub, "publish-catalog", str(county / "forms"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        f"修改事项 (changed): {ITEM} 高龄老人津贴发放：promised_days" in out
        and "新增 0，删除 0，修改 1" in out
    )
    assert main([*hub, "publish-catalog", str(county / "forms")]) == 0
    assert (
        main([*hub, "publish-catalog", "--withdraw", "1"]) == 2
    )  # nothing before it but the shipped one
    assert "之前没有已发布的版本" in capsys.readouterr().err


def test_withdrawing_publishes_the_previous_content_again(
    hub: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _write(tmp_path / "a.json", json.dumps({"2027": {"holidays": ["2027-01-01"]}}))
    second = _write(
        tmp_path / "b.json", json.dumps({"2027": {"holidays": ["2027-01-01", "2027-01-04"]}})
    )
    assert main([*hub, "publish-calendar", str(first)]) == 0
    assert main([*hub, "publish-calendar", str(second)]) == 0
    assert main([*hub, "publish-calendar", "--withdraw", "2"]) == 0
    assert "以第 3 版重新发布" in capsys.readouterr().out
    from agent_desk.server.app import Hub
    from agent_desk.server.db import default_url
    from agent_desk.server.publications import content_key, latest

    opened = Hub.open(default_url(tmp_path / "hub"), tmp_path / "hub")
    try:
        current, first_key = latest(opened.db, "calendar"), content_key(opened.db, "calendar", 1)
        assert current is not None and current.version == 3 and first_key is not None
        assert first_key.endswith(current.sha256)  # version 3 is version 1's content, byte for byte
    finally:
        opened.db.close()
