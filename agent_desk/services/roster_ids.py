"""Telling a typed ID number from one Excel has turned into a number and rounded.

Excel keeps 15 significant digits of a number, so an ID column stored as numbers loses its last
three digits (…121000) and shows them as 6.20524E+17. A few of the rounded numbers still pass the
check digit; imported, they would be another person's number, with the wrong sex. So a number
that came from a numeric cell, or from CSV text in scientific notation, is never an ID number, and
an 18-digit value ending in 000 in a column where other rows show the same loss is held back for
the agent to confirm against the original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from agent_desk.core.identity import normalize_id_text

EXCEL_NUMBER = "Excel 把身份证号存成了数字，后几位已经丢失；请把该列设为文本后重新录入原号码"
TRUNCATED = "疑似被 Excel 截断：号码末三位是 000，同一列还有号码也这样；请对照原件核对，确认无误后选择“确认导入”"
ACCOUNT_NUMBER = "Excel 把银行账号存成了数字，后几位已经丢失；请把该列设为文本后重新录入原账号"
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]*)?E[+]?[0-9]+")
_DECIMAL = re.compile(r"[0-9]{6,}\.[0-9]*")


def from_numeric_cell(value: Any) -> bool:
    """True for a value Excel kept as a number: a numeric cell, or its text in scientific notation."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if not isinstance(value, str):
        return False
    text = normalize_id_text(value)
    return bool(_SCIENTIFIC.fullmatch(text) or _DECIMAL.fullmatch(text))


def _ends_in_zeros(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = normalize_id_text(value)
    return len(text) == 18 and text.isdigit() and text.endswith("000")


def screen_id_column(values: Sequence[Any]) -> list[str | None]:
    """Per row, why its ID cell must not be imported as it stands (EXCEL_NUMBER, TRUNCATED) or None."""
    problems: list[str | None] = [EXCEL_NUMBER if from_numeric_cell(v) else None for v in values]
    suspects = [i for i, v in enumerate(values) if problems[i] is None and _ends_in_zeros(v)]
    losses = len(suspects) + sum(p is not None for p in problems)
    filled = sum(1 for v in values if v not in (None, ""))
    # A real number ends in 000 about one time in 1,100; in a column Excel rounded, nearly all do.
    if losses >= 2 and losses * 100 > filled:
        for index in suspects:
            problems[index] = TRUNCATED
    return problems
