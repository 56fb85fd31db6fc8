"""Working days on China's official calendar (法定节假日与调休).

Deadlines of cases (法定时限 / 承诺时限) count working days, not calendar days: the Spring Festival
week does not count, and an adjusted workday (调休, a Saturday or Sunday that is worked) does.

Sources, in order: a year override published by the hub (so a new year's State Council notice can be
installed without a software update), then the ``chinesecalendar`` package, then — for a year whose
schedule is not out yet — the statutory holidays computed from the law (``core.statutory``), with no
adjusted workdays. Dates counted through such a year are estimates (预计): ``is_estimated`` says so,
and the UI and printed forms show it; the first use of each estimated year is logged once.

Conventions (shared by every function here):

* ``add_working_days(start, n)`` starts counting the day *after* ``start``; ``n == 0`` gives ``start``.
* ``working_days_between(start, end)`` counts working days in the half-open range ``(start, end]``
  and is antisymmetric: ``between(a, b) == -between(b, a)``. Hence, for ``n >= 0``,
  ``between(start, add_working_days(start, n)) == n``.
* ``working_days_left(due, today)`` is ``between(today, due)``, except that a case past its due date
  is always negative (at least ``-1``), even on the weekend right after a Friday deadline.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import chinese_calendar

from agent_desk.core.errors import DomainError
from agent_desk.core.statutory import ESTIMATE_NOTE, statutory_holidays

__all__ = [
    "ESTIMATE_NOTE",
    "CalendarSource",
    "DeadlineStatus",
    "WorkCalendar",
    "YearOverride",
    "add_working_days",
    "deadline_status",
    "default_calendar",
    "parse_overrides",
    "set_default_overrides",
    "working_days_between",
    "working_days_left",
]

log = logging.getLogger(__name__)

_MIN_YEAR, _MAX_YEAR = date.min.year, date.max.year


class CalendarSource(StrEnum):
    """Where a year's working days come from (shown by ``agent-desk calendar show``)."""

    PUBLISHED = "published"
    PACKAGE = "package"
    ESTIMATED = "estimated"


class DeadlineStatus(StrEnum):
    """Traffic light of a deadline, as shown on the case board."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label_zh(self) -> str:
        """Chinese label for the UI."""
        return _DEADLINE_LABELS[self]


_DEADLINE_LABELS = {
    DeadlineStatus.ON_TRACK: "正常",
    DeadlineStatus.DUE_SOON: "即将到期",
    DeadlineStatus.OVERDUE: "已逾期",
}


@dataclass(frozen=True)
class YearOverride:
    """One year's official calendar as data: holidays (放假) and adjusted workdays (调休上班).

    A day is a working day when it is listed in ``workdays``, or is Monday–Friday and not listed in
    ``holidays``. Listing a weekend day as a holiday is harmless (notices often do so).
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def check(self, year: int) -> None:
        """Refuse dates outside ``year`` or listed as both holiday and workday."""
        for name, days in (("holidays", self.holidays), ("workdays", self.workdays)):
            for day in sorted(days):
                if day.year != year:
                    raise _bad_data(
                        f"{year} 年的日历数据中出现了其他年份的日期 {day.isoformat()}",
                        f"date {day.isoformat()} is listed under year {year}",
                        f"{year}.{name}",
                    )
        both = sorted(self.holidays & self.workdays)
        if both:
            raise _bad_data(
                f"{both[0].isoformat()} 同时被列为节假日和调休工作日",
                f"{both[0].isoformat()} is listed both as a holiday and as a workday",
                f"{year}",
            )

    def is_working_day(self, day: date) -> bool:
        """The rule of the official notice applied to one day."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _bad_data(message_zh: str, message_en: str, where: str) -> DomainError:
    """All malformed-calendar errors share one code so the hub can report them uniformly."""
    return DomainError(
        f"日历数据有误：{message_zh}",
        code="calendar.bad_data",
        message_en=f"Bad calendar data: {message_en}",
        field=where,
    )


def _parse_year(key: object) -> int:
    """JSON keys are strings; accept ``"2027"`` and ``2027`` but nothing fuzzy."""
    if isinstance(key, bool):
        key = None
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key.strip())
    if not isinstance(key, int) or not _MIN_YEAR <= key <= _MAX_YEAR:
        raise _bad_data(f"年份「{key}」无效", f"invalid year {key!r}", str(key))
    return key


def _parse_date(value: object, where: str) -> date:
    """ISO ``YYYY-MM-DD`` strings (JSON) or ``date`` objects (YAML); never a datetime."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _bad_data(f"日期「{value}」无效，应为 YYYY-MM-DD", f"invalid date {value!r}", where)


def _parse_dates(values: object, where: str) -> frozenset[date]:
    """A list of dates; a bare string is refused rather than read character by character."""
    if values is None:
        return frozenset()
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise _bad_data("日期列表格式不正确", "expected a list of dates", where)
    return frozenset(_parse_date(v, f"{where}[{i}]") for i, v in enumerate(values))


def _parse_year_override(year: int, data: object) -> YearOverride:
    """One ``{"holidays": [...], "workdays": [...]}`` entry, with unknown keys refused (typos)."""
    if not isinstance(data, Mapping):
        raise _bad_data(f"{year} 年的数据格式不正确", f"year {year} is not a mapping", str(year))
    unknown = sorted(str(k) for k in data if k not in ("holidays", "workdays"))
    if unknown:
        raise _bad_data(
            f"{year} 年的数据中有未知字段「{unknown[0]}」",
            f"unknown key {unknown[0]!r} in year {year}",
            f"{year}.{unknown[0]}",
        )
    override = YearOverride(
        holidays=_parse_dates(data.get("holidays"), f"{year}.holidays"),
        workdays=_parse_dates(data.get("workdays"), f"{year}.workdays"),
    )
    override.check(year)
    return override


def parse_overrides(data: Mapping[Any, Any]) -> dict[int, YearOverride]:
    """Turn hub-published JSON-like calendar data into checked year overrides."""
    if not isinstance(data, Mapping):
        raise _bad_data("顶层应为按年份组织的字典", "top level must map years to data", "")
    return {(year := _parse_year(k)): _parse_year_override(year, v) for k, v in data.items()}


@dataclass(frozen=True)
class _YearDays:
    """Cached working days of one year: a set for lookups, a sorted tuple for counting."""

    ordinals: tuple[int, ...]
    lookup: frozenset[int]


def _as_date(value: date) -> date:
    """Accept a datetime where a date is meant; comparing the two would raise TypeError."""
    return value.date() if isinstance(value, datetime) else value


class WorkCalendar:
    """Answers working-day questions; caches each year's working days on first use.

    Thread-safe: the cache is filled under a lock, and the per-year data is immutable.
    """

    def __init__(
        self, overrides: Mapping[int, YearOverride] | None = None, *, version: int | None = None
    ) -> None:
        self._overrides: dict[int, YearOverride] = dict(overrides or {})
        self.version = version  # the hub publication the overrides came from, if any
        for year, override in self._overrides.items():
            override.check(year)
        self._years: dict[int, _YearDays] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_data(cls, data: Mapping[Any, Any]) -> WorkCalendar:
        """Build from JSON-like ``{"2027": {"holidays": [...], "workdays": [...]}}``."""
        return cls(parse_overrides(data))

    @property
    def overrides(self) -> Mapping[int, YearOverride]:
        """The installed year overrides (read-only view)."""
        return dict(self._overrides)

    def has_data_for(self, year: int) -> bool:
        """True when the year's official holidays are known (override or package data)."""
        return year in self._overrides or _package_knows(year)

    def source(self, year: int) -> CalendarSource:
        """Which source decides ``year``: a hub publication, the package, or the law (estimate)."""
        if year in self._overrides:
            return CalendarSource.PUBLISHED
        return CalendarSource.PACKAGE if _package_knows(year) else CalendarSource.ESTIMATED

    def is_estimated(self, day: date) -> bool:
        """True when ``day`` lies in a year whose official schedule is unknown (show it as 预计)."""
        return not self.has_data_for(_as_date(day).year)

    def estimated_years(self, start: date, end: date) -> list[int]:
        """The years from ``start`` to ``end`` (inclusive) counted from the law, not official data."""
        first, last = sorted((_as_date(start).year, _as_date(end).year))
        return [year for year in range(first, last + 1) if not self.has_data_for(year)]

    def holiday_name(self, day: date) -> str | None:
        """The festival a non-working weekday belongs to, when the law names it (for display)."""
        day = _as_date(day)
        return statutory_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        """Whether offices are open on ``day`` by the official calendar."""
        day = _as_date(day)
        return day.toordinal() in self._year(day.year).lookup

    def add_working_days(self, start: date, days: int) -> date:
        """The day ``days`` working days after ``start`` (counting from the next day)."""
        start = _as_date(start)
        _check_days(days)
        if days == 0:
            return start
        year, remaining = start.year, days
        pos = bisect_right(self._year(year).ordinals, start.toordinal())
        while True:
            ordinals = self._year(year).ordinals
            if remaining <= len(ordinals) - pos:
                return date.fromordinal(ordinals[pos + remaining - 1])
            remaining -= len(ordinals) - pos
            year, pos = year + 1, 0
            if year > _MAX_YEAR:
                raise DomainError(
                    "工作日数过大，超出日期范围",
                    code="calendar.out_of_range",
                    message_en="too many working days: beyond the last representable date",
                    field="days",
                )

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; negative (antisymmetric) when ``end < start``."""
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        lo, hi = start.toordinal(), end.toordinal()
        total = 0
        for year in range(start.year, end.year + 1):
            ordinals = self._year(year).ordinals
            total += bisect_right(ordinals, hi) - bisect_right(ordinals, lo)
        return total

    def working_days_left(self, due: date, today: date) -> int:
        """Working days from today to the due date; always negative once the date has passed."""
        due, today = _as_date(due), _as_date(today)
        left = self.working_days_between(today, due)
        return min(left, -1) if today > due else left

    def deadline_status(self, due: date, today: date, *, soon_days: int = 2) -> DeadlineStatus:
        """Overdue after the due date; due soon when at most ``soon_days`` working days remain."""
        if soon_days < 0:
            raise DomainError(
                "预警天数不能为负数",
                code="calendar.negative_days",
                message_en="soon_days must not be negative",
                field="soon_days",
            )
        if _as_date(today) > _as_date(due):
            return DeadlineStatus.OVERDUE
        if self.working_days_left(due, today) <= soon_days:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.ON_TRACK

    def _year(self, year: int) -> _YearDays:
        """Cached working days of ``year``, computed once (and logged once if estimated)."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._years.get(year)
            if cached is None:
                cached = self._years[year] = self._compute_year(year)
        return cached

    def _compute_year(self, year: int) -> _YearDays:
        """Pick the best source for the year and list its working days."""
        override = self._overrides.get(year)
        rule: Callable[[date], bool]
        if override is not None:
            rule = override.is_working_day
        elif _package_knows(year):
            rule = chinese_calendar.is_workday
        else:
            _log_estimated(year)
            rule = _estimated_rule(year)
        ordinals = tuple(d.toordinal() for d in _days_of(year) if rule(d))
        return _YearDays(ordinals=ordinals, lookup=frozenset(ordinals))


def _check_days(days: int) -> None:
    """A count of working days is a non-negative int (a bool is a mistake, not 0 or 1)."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, not {type(days).__name__}")
    if days < 0:
        raise DomainError(
            "工作日数不能为负数",
            code="calendar.negative_days",
            message_en="the number of working days must not be negative",
            field="days",
        )


def _days_of(year: int) -> Iterable[date]:
    """Every calendar day of ``year``."""
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        if day == date.max:
            return
        day += timedelta(days=1)


def _estimated_rule(year: int) -> Callable[[date], bool]:
    """The law's holidays (with 补假) and no adjusted workdays, for a year not yet published."""
    return YearOverride(holidays=frozenset(statutory_holidays(year))).is_working_day


def _package_knows(year: int) -> bool:
    """``chinesecalendar`` raises NotImplementedError for years it has no data for."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _log_estimated(year: int) -> None:
    """Logged once per year and calendar (the UI and the prints show 预计 themselves)."""
    log.info(
        "%s 年的法定节假日数据缺失，暂按《全国年节及纪念日放假办法》推算（%s）"
        " (no official holiday data for %s; statutory holidays estimated from the law)",
        year,
        ESTIMATE_NOTE,
        year,
    )


_default_calendar = WorkCalendar()


def default_calendar() -> WorkCalendar:
    """The calendar the module-level functions use."""
    return _default_calendar


def set_default_overrides(
    overrides: Mapping[int, YearOverride] | None, *, version: int | None = None
) -> WorkCalendar:
    """Install hub-published overrides (see ``parse_overrides``); returns the new default."""
    global _default_calendar
    _default_calendar = WorkCalendar(overrides, version=version)
    return _default_calendar


def _pick(calendar: WorkCalendar | None) -> WorkCalendar:
    """The explicit calendar if given, else the installed default (read at call time)."""
    return _default_calendar if calendar is None else calendar


def add_working_days(start: date, days: int, *, calendar: WorkCalendar | None = None) -> date:
    """``WorkCalendar.add_working_days`` on the given or default calendar."""
    return _pick(calendar).add_working_days(start, days)


def working_days_between(start: date, end: date, *, calendar: WorkCalendar | None = None) -> int:
    """``WorkCalendar.working_days_between`` on the given or default calendar."""
    return _pick(calendar).working_days_between(start, end)


def working_days_left(due: date, today: date, *, calendar: WorkCalendar | None = None) -> int:
    """``WorkCalendar.working_days_left`` on the given or default calendar."""
    return _pick(calendar).working_days_left(due, today)


def deadline_status(
    due: date, today: date, *, soon_days: int = 2, calendar: WorkCalendar | None = None
) -> DeadlineStatus:
    """``WorkCalendar.deadline_status`` on the given or default calendar."""
    return _pick(calendar).deadline_status(due, today, soon_days=soon_days)
