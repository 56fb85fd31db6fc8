"""The State Council's holiday schedule as the administrator types it, and a year shown back.

The notice is entered as a short table, one festival a line, in the notice's own wording::

    2027年
    元旦 1月1日至3日 放假
    春节 2月5日至12日 放假，2月14日（星期日）上班
    国庆节、中秋节 10月1日至7日放假调休，共7天。9月26日（星期日）、10月9日（星期六）上班。

A year line (``2027年``) sets the year of the lines after it. On each line, the sentence parts
naming 放假/休 list holidays (single days or ranges ``M月D日至[M月]D日``), the parts naming 上班
list adjusted workdays; text in brackets (星期日, 农历除夕) is ignored. The result is the same
``{"2027": {"holidays": [...], "workdays": [...]}}`` JSON the hub publishes, checked by
``parse_overrides``; every problem names its line.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from agent_desk.core.calendar import CalendarSource, WorkCalendar, parse_overrides
from agent_desk.core.errors import DomainError
from agent_desk.core.statutory import statutory_holidays

__all__ = ["check_year_window", "parse_notice", "year_lines"]

_YEAR_LINE = re.compile(r"^\s*(\d{4})\s*年?\s*[:：]?\s*$")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_DAY = r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日"
_SPAN = re.compile(_DAY + r"(?:\s*(?:至|到|—|－|-|~|～)\s*" + _DAY + r")?")
WEEKDAYS = "一二三四五六日"


def _bad(line: int, message: str) -> DomainError:
    return DomainError(message, code="calendar.bad_notice", field=str(line))


def _clauses(text: str) -> list[str]:
    """Sentence parts; a part runs until the next 放假/上班 keyword's clause ends."""
    parts, current = [], ""
    for piece in re.split(r"([，,。；;])", text):
        current += piece
        if re.search("放假|休|上班", current):
            parts.append(current)
            current = ""
    if current.strip(" ，,。；;"):
        parts.append(current)
    return parts


def _days(clause: str, year: int, line: int) -> list[date]:
    days: list[date] = []
    month: int | None = None
    for m1, d1, m2, d2 in _SPAN.findall(clause):
        month = int(m1) if m1 else month
        if month is None:
            raise _bad(line, f"「{clause.strip()}」中的日期缺少月份")
        first = _date(year, month, int(d1), line)
        last = first
        if d2:
            month = int(m2) if m2 else month
            last = _date(year, month, int(d2), line)
        if last < first:
            raise _bad(line, f"「{clause.strip()}」的结束日期早于开始日期")
        days += [first + timedelta(days=k) for k in range((last - first).days + 1)]
    return days


def _date(year: int, month: int, day: int, line: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _bad(line, f"{year} 年没有 {month} 月 {day} 日") from None


def parse_notice(text: str, *, year: int | None = None) -> dict[str, dict[str, list[str]]]:
    """The table typed from the notice → publishable JSON data.

    Raises DomainError whose ``field`` is the number of the offending line."""
    data: dict[str, dict[str, list[str]]] = {}
    seen: dict[tuple[str, str], int] = {}  # (date, kind) → the line that listed it
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _BRACKETS.sub("", raw.split("#", 1)[0]).strip()
        if not line:
            continue
        if found := _YEAR_LINE.match(line):
            year = int(found.group(1))
            continue
        if year is None:
            raise _bad(number, "请先写年份一行（如「2027年」）")
        entry = data.setdefault(str(year), {"holidays": [], "workdays": []})
        clauses = [c for c in _clauses(line) if _SPAN.search(c)]
        if not clauses:
            raise _bad(number, f"没有找到日期：「{raw.strip()}」")
        for clause in clauses:
            kind = (
                "workdays"
                if "上班" in clause
                else "holidays"
                if re.search("放假|休", clause)
                else None
            )
            if kind is None:
                raise _bad(number, f"看不出「{clause.strip()}」是放假还是上班")
            for day in _days(clause, year, number):
                other = seen.get(
                    (day.isoformat(), "holidays" if kind == "workdays" else "workdays")
                )
                if other is not None:
                    raise _bad(
                        number, f"{day.isoformat()} 既列为放假又列为上班（另见第 {other} 行）"
                    )
                seen.setdefault((day.isoformat(), kind), number)
                entry[kind].append(day.isoformat())
    if not data:
        raise DomainError("放假安排是空的", code="calendar.bad_notice")
    for entry in data.values():
        entry["holidays"], entry["workdays"] = (
            sorted(set(entry["holidays"])),
            sorted(set(entry["workdays"])),
        )
    parse_overrides(data)
    return data


def check_year_window(data: dict[Any, Any], today: date, *, window: int = 2) -> None:
    """Refuse a year more than ``window`` years from today (a typo like 2072 or 2017)."""
    for key in data:
        year = int(key)
        if abs(year - today.year) > window:
            raise DomainError(
                f"{year} 年超出可发布的范围（{today.year - window}–{today.year + window} 年）",
                code="calendar.year_out_of_range",
                field=str(key),
            )


def source_text(calendar: WorkCalendar, year: int) -> str:
    """Where ``year`` comes from, as ``calendar show`` prints it."""
    source = calendar.source(year)
    if source is CalendarSource.PUBLISHED and calendar.version is None:
        return "文件中的放假安排，尚未发布 (from the file, not published)"
    if source is CalendarSource.PUBLISHED:
        return f"乡镇服务器发布的放假安排第 {calendar.version} 版 (published version {calendar.version})"
    if source is CalendarSource.PACKAGE:
        return "软件自带的国务院放假安排 (package)"
    return "按《全国年节及纪念日放假办法》推算，预计 (estimated from the law)"


def year_lines(calendar: WorkCalendar, year: int) -> list[str]:
    """The year's weekday holidays and working weekend days, one a line, with their source."""
    lines = [f"{year} 年：{source_text(calendar, year)}"]
    day, holidays, workdays = date(year, 1, 1), 0, 0
    while day.year == year:
        working, weekend = calendar.is_working_day(day), day.weekday() >= 5
        if working == weekend:
            what = "上班（调休）" if working else f"放假 {_festival(calendar, day)}".rstrip()
            lines.append(f"  {day.isoformat()} 星期{WEEKDAYS[day.weekday()]} {what}")
            holidays, workdays = holidays + (not working), workdays + working
        day += timedelta(days=1)
    lines.append(f"  共 {holidays} 个工作日放假，{workdays} 个周末上班")
    return lines


def _festival(calendar: WorkCalendar, day: date) -> str:
    """The festival a day off belongs to: the law's own name for an estimated year, else the
    festival whose statutory days are nearest (an official notice adds days around them)."""
    if calendar.is_estimated(day):
        return calendar.holiday_name(day) or ""
    named = statutory_holidays(day.year)
    near = [
        (abs((other - day).days), name)
        for other, name in named.items()
        if abs((other - day).days) <= 7
    ]
    return min(near)[1].removesuffix("（补假）") if near else ""
