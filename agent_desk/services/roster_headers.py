"""The column headers village rosters use, and finding the header row under a title."""

from __future__ import annotations

from typing import Any

from agent_desk.services.roster_read import RosterError

HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "委托人姓名", "户籍人姓名"),
    "id_number": ("公民身份号码", "身份证号码", "身份证号", "证件号码", "身份证"),
    "sex": ("性别",),
    "phone": ("联系电话", "手机号码", "手机号", "电话", "联系方式"),
    "address": ("家庭住址", "住址", "现住址", "地址"),
    "head_name": ("户主姓名", "户主"),
    "relation_to_head": ("与户主关系", "关系"),
    "village": ("所属村", "村组", "所属村组", "村", "村名"),
    "ethnicity": ("民族",),
    "village_code": ("村代码", "统计用区划代码", "区划代码", "村统计用区划代码"),
    "marital_status": ("婚姻状况", "婚姻状态", "婚姻"),
    "bank_name": ("开户银行", "开户行", "开户银行名称", "银行名称"),
    "bank_account": (
        "银行账号",
        "银行卡号",
        "社保卡号",
        "银行账号/社保卡号",
        "社保卡号/银行账号",
        "社保卡号（银行账号）",
        "一卡通账号",
        "银行账户",
        "账号",
        "卡号",
    ),
    "disability": ("残疾类别/等级", "残疾类别及等级", "残疾类别", "残疾类型", "残疾情况"),
    "disability_grade": ("残疾等级",),
    "poverty_status": ("低保/特困类别", "低保特困类别", "低保类别", "救助类别", "保障类别"),
    "extreme_poverty": ("特困类别", "特困供养类别"),
    "registration_type": ("户籍性质", "户口性质", "户籍类别", "户口类别"),
}
SEARCHED_ROWS = 20


def normalise_header(text: Any) -> str:
    return "".join(str(text or "").split()).replace("*", "").replace("：", "").replace(":", "")


def column_map(header: list[Any]) -> dict[str, int]:
    names = [normalise_header(h) for h in header]
    found: dict[str, int] = {}
    for key, aliases in HEADERS.items():
        for alias in aliases:
            if alias in names and names.index(alias) not in found.values():
                found[key] = names.index(alias)
                break
    return found


def locate_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """Rosters often open with a title row; the header is the first row naming 姓名 and an ID column.

    Returns the header's row number (1-based) and each field's column index.
    """
    for number, row in enumerate(rows[:SEARCHED_ROWS], start=1):
        columns = column_map(row)
        if "name" in columns and "id_number" in columns:
            return number, columns
    raise RosterError(
        "在前 20 行中没有找到表头：需要「姓名」和「公民身份号码」（或「身份证号码」）两列",
        code="roster_header",
    )


def joined(values: dict[str, Any], *keys: str) -> str | None:
    """Two columns that together make one profile field (残疾类别 + 残疾等级)."""
    parts = [str(values[k]).strip() for k in keys if values.get(k) not in (None, "")]
    return " ".join(p for p in parts if p) or None
