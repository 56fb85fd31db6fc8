"""Statutory public holidays computed from the law, for years whose official schedule is not out yet.

The State Council publishes next year's holiday schedule (放假安排) each autumn, and the
``chinesecalendar`` package learns it only with a new release. Until then a deadline that runs into
that year must still skip 元旦 and 春节, so the holidays are derived from
《全国年节及纪念日放假办法》 (as revised in 2024):

* 元旦 January 1 (1 day); 春节 除夕 to 正月初三 (4 days); 清明 the day of the 清明 solar term (1 day);
  劳动节 May 1–2 (2 days); 端午 五月初五 (1 day); 中秋 八月十五 (1 day); 国庆 October 1–3 (3 days).

Lunar dates and solar terms come from ``lunar_python`` (a maintained lunar calendar library), not
from hand-written tables. No adjusted workdays (调休) are guessed: they are the State Council's
choice each year, so every such date is only an estimate (预计) until the notice is installed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar

__all__ = ["ESTIMATE_NOTE", "statutory_holidays"]

ESTIMATE_NOTE = "预计，以国务院公布的放假安排为准"
"""The note shown and printed beside every date derived from an estimated year."""

# lunar_python covers these years; outside them there is no lunar data to derive from
_LUNAR_YEARS = range(1901, 2100)


def _lunar_day(year: int, month: int, day: int) -> date:
    """The Gregorian date of lunar ``month``/``day`` in the lunar year that starts in ``year``."""
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    """The day of the 清明 solar term in ``year`` (April 4, 5 or 6)."""
    for day in range(3, 8):
        if Solar.fromYmd(year, 4, day).getLunar().getJieQi() == "清明":
            return date(year, 4, day)
    raise ValueError(f"no 清明 solar term found in April {year}")  # never: 清明 is April 4–6


@lru_cache(maxsize=32)
def statutory_holidays(year: int) -> dict[date, str]:
    """Holiday dates of ``year`` by the law, each with its festival's name.

    A holiday day that falls on a Saturday or Sunday, or on another festival's day (中秋 on
    October 1–3), is made up on the next weekday after its festival (补假, article 6 of the law).
    Only dates inside ``year`` are returned: 除夕 of a late-January 春节 may be in December before.
    """
    days: dict[date, str] = {}
    for name, block in _festivals(year):
        owed = sum(day.weekday() >= 5 or day in days for day in block)
        for day in block:
            days.setdefault(day, name)
        day = block[-1]
        while owed:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in days:
                days[day], owed = f"{name}（补假）", owed - 1
    return {day: name for day, name in sorted(days.items()) if day.year == year}


def _festivals(year: int) -> list[tuple[str, list[date]]]:
    """Each festival of ``year`` with its days, in calendar order."""
    blocks = [
        ("元旦", [date(year, 1, 1)]),
        ("劳动节", [date(year, 5, 1), date(year, 5, 2)]),
        ("国庆节", [date(year, 10, d) for d in (1, 2, 3)]),
    ]
    if year in _LUNAR_YEARS:
        new_year = _lunar_day(year, 1, 1)
        blocks += [
            (
                "春节",
                [new_year + timedelta(days=offset) for offset in range(-1, 3)],
            ),  # 除夕 .. 初三
            ("清明节", [_qingming(year)]),
            ("端午节", [_lunar_day(year, 5, 5)]),
            ("中秋节", [_lunar_day(year, 8, 15)]),
        ]
    return sorted(blocks, key=lambda block: block[1][0])
