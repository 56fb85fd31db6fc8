"""Working days on China's official calendar: 2026 holidays, hub overrides, missing-year fallback."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

import pytest

from agent_desk.core import calendar as cal_mod
from agent_desk.core.calendar import (
    CalendarSource,
    DeadlineStatus,
    WorkCalendar,
    YearOverride,
    add_working_days,
    deadline_status,
    default_calendar,
    parse_overrides,
    set_default_overrides,
    working_days_between,
    working_days_left,
)
from agent_desk.core.errors import DomainError
from agent_desk.core.statutory import statutory_holidays

# 2027 as the hub might publish it (illustrative, not the real notice).
DATA_2027 = {
    "2027": {
        "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"],
        "workdays": ["2027-02-07", "2027-02-20"],
    }
}


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def cal_2027() -> WorkCalendar:
    return WorkCalendar.from_data(DATA_2027)


# --- 2026 from the chinesecalendar package ------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 1), False),  # New Year's Day
        (date(2026, 1, 4), True),  # Sunday, adjusted workday
        (date(2026, 2, 13), True),  # Friday before Spring Festival
        (date(2026, 2, 14), True),  # Saturday, adjusted workday
        (date(2026, 2, 15), False),
        (date(2026, 2, 16), False),  # Monday in the holiday
        (date(2026, 2, 23), False),  # Monday, last holiday day
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, adjusted workday
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 9, 20), True),  # Sunday, adjusted workday
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, adjusted workday
        (date(2026, 10, 11), False),
    ],
)
def test_is_working_day_2026(cal: WorkCalendar, day: date, working: bool) -> None:
    assert cal.is_working_day(day) is working


def test_spring_festival_2026_holidays_are_all_off(cal: WorkCalendar) -> None:
    days = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert not any(cal.is_working_day(d) for d in days)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 2, 13), 0, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Saturday 调休
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # jumps the whole festival
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 15), 1, date(2026, 2, 24)),  # start on a holiday
        (date(2026, 2, 27), 1, date(2026, 2, 28)),  # Saturday 调休
        (date(2026, 2, 28), 1, date(2026, 3, 2)),
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sunday 调休
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 10, 9), 1, date(2026, 10, 10)),  # Saturday 调休
        (date(2026, 10, 10), 1, date(2026, 10, 12)),
        (date(2026, 1, 3), 1, date(2026, 1, 4)),  # Sunday 调休
    ],
)
def test_add_working_days_2026(cal: WorkCalendar, start: date, days: int, expected: date) -> None:
    assert cal.add_working_days(start, days) == expected


def test_add_working_days_negative_refused(cal: WorkCalendar) -> None:
    with pytest.raises(DomainError) as err:
        cal.add_working_days(date(2026, 3, 2), -1)
    assert err.value.code == "calendar.negative_days"
    assert "负数" in str(err.value)


def test_add_working_days_rejects_non_int(cal: WorkCalendar) -> None:
    with pytest.raises(TypeError):
        cal.add_working_days(date(2026, 3, 2), True)
    with pytest.raises(TypeError):
        cal.add_working_days(date(2026, 3, 2), 1.5)  # type: ignore[arg-type]


def test_add_working_days_matches_day_by_day_walk(cal: WorkCalendar) -> None:
    start = date(2025, 12, 20)
    day, count = start, 0
    while day < date(2026, 12, 31):
        day += timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
            assert cal.add_working_days(start, count) == day


def test_add_working_days_across_years(cal: WorkCalendar) -> None:
    # 2025-12-31 is a Wednesday; 2026-01-01..03 off; Sunday 2026-01-04 worked.
    assert cal.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert cal.working_days_between(date(2025, 12, 31), date(2026, 1, 4)) == 1


def test_accepts_datetime(cal: WorkCalendar) -> None:
    assert cal.add_working_days(datetime(2026, 9, 30, 17, 30), 1) == date(2026, 10, 8)
    assert cal.is_working_day(datetime(2026, 10, 10, 9, 0))


# --- working_days_between ------------------------------------------------------------------------


def test_working_days_between_basics(cal: WorkCalendar) -> None:
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 9, 30)) == 0
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert cal.working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3


def test_working_days_between_is_antisymmetric(cal: WorkCalendar) -> None:
    base = date(2026, 2, 1)
    for i in range(0, 60, 3):
        for j in range(0, 60, 7):
            a, b = base + timedelta(days=i), base + timedelta(days=j)
            assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)


def test_between_and_add_agree_for_many_starts(cal: WorkCalendar) -> None:
    start = date(2025, 12, 1)
    for offset in range(0, 300, 2):  # results stay within 2026
        s = start + timedelta(days=offset)
        for n in (0, 1, 2, 5, 7, 15, 20, 60):
            end = cal.add_working_days(s, n)
            assert cal.working_days_between(s, end) == n
            assert n == 0 or cal.is_working_day(end)
            # the day before the result is still short of n
            assert n == 0 or cal.working_days_between(s, end - timedelta(days=1)) == n - 1


def test_between_counts_match_brute_force(cal: WorkCalendar) -> None:
    start = date(2026, 1, 1)
    for length in range(0, 370, 11):
        end = start + timedelta(days=length)
        brute = sum(cal.is_working_day(start + timedelta(days=k)) for k in range(1, length + 1))
        assert cal.working_days_between(start, end) == brute


# --- overrides -----------------------------------------------------------------------------------


def test_override_2027_is_used(cal_2027: WorkCalendar) -> None:
    assert cal_2027.has_data_for(2027)
    assert not cal_2027.is_working_day(date(2027, 1, 1))  # Friday, holiday
    assert cal_2027.is_working_day(date(2027, 2, 7))  # Sunday, adjusted
    assert not cal_2027.is_working_day(date(2027, 2, 8))  # Monday, holiday
    assert cal_2027.is_working_day(date(2027, 2, 11))  # Thursday, ordinary
    assert not cal_2027.is_working_day(date(2027, 2, 13))  # Saturday, ordinary
    assert cal_2027.add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 7)
    assert cal_2027.add_working_days(date(2027, 2, 7), 1) == date(2027, 2, 11)


def test_override_year_is_not_estimated(
    cal_2027: WorkCalendar, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="agent_desk.core.calendar"):
        cal_2027.add_working_days(date(2026, 12, 30), 40)
    assert not caplog.records


def test_override_takes_precedence_over_package() -> None:
    # the hub may correct a year the package knows: make 2026-02-24 a holiday too
    c = WorkCalendar({2026: YearOverride(holidays=frozenset({date(2026, 2, 24)}))})
    assert not c.is_working_day(date(2026, 2, 24))
    assert not c.is_working_day(date(2026, 2, 14))  # overrides replace the whole year


def test_from_data_accepts_int_keys_and_date_objects() -> None:
    c = WorkCalendar.from_data({2027: {"holidays": [date(2027, 1, 1)]}})
    assert not c.is_working_day(date(2027, 1, 1))
    assert c.overrides[2027].workdays == frozenset()


@pytest.mark.parametrize(
    "data",
    [
        {"2027": {"holidays": ["2027-02-30"]}},  # no such day
        {"2027": {"holidays": ["27-01-01"]}},
        {"2027": {"holidays": [20270101]}},
        {"2027": {"holidays": "2027-01-01"}},  # a string, not a list
        {"2027": {"holidays": ["2026-12-31"]}},  # wrong year
        {"2027": {"workdays": ["2028-01-02"]}},  # wrong year
        {"2027": {"holidays": ["2027-02-07"], "workdays": ["2027-02-07"]}},  # in both lists
        {"2027": {"holiday": ["2027-01-01"]}},  # typo in key
        {"2027": ["2027-01-01"]},
        {"twenty": {"holidays": []}},
        {"2027": {"holidays": [datetime(2027, 1, 1, 8, 0)]}},
        ["2027"],
    ],
)
def test_malformed_override_data_refused(data: object) -> None:
    with pytest.raises(DomainError) as err:
        WorkCalendar.from_data(data)  # type: ignore[arg-type]
    assert err.value.code == "calendar.bad_data"
    assert str(err.value).startswith("日历数据有误")


def test_direct_override_checked_too() -> None:
    with pytest.raises(DomainError, match="其他年份"):
        WorkCalendar({2027: YearOverride(holidays=frozenset({date(2026, 1, 1)}))})


def test_parse_overrides_names_the_field() -> None:
    with pytest.raises(DomainError) as err:
        parse_overrides({"2027": {"workdays": ["2027-01-01", "oops"]}})
    assert err.value.field == "2027.workdays[1]"


# --- missing years -------------------------------------------------------------------------------


def test_has_data_for() -> None:
    c = WorkCalendar()
    assert c.has_data_for(2026)
    assert c.has_data_for(2004)
    assert not c.has_data_for(2027)
    assert not c.has_data_for(2028)


def test_missing_year_is_estimated_from_the_law_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    c = WorkCalendar()
    with caplog.at_level(logging.INFO, logger="agent_desk.core.calendar"):
        assert not c.is_working_day(date(2028, 1, 3))  # Monday: 元旦 fell on a Saturday (补假)
        assert c.is_working_day(date(2028, 1, 4))
        assert not c.is_working_day(date(2028, 1, 8))  # Saturday: no adjusted workdays are guessed
        assert c.add_working_days(date(2028, 1, 1), 1) == date(2028, 1, 4)
        assert (
            c.working_days_between(date(2028, 1, 1), date(2028, 1, 31)) == 16
        )  # 21 − 元旦 − 春节 4
        c.deadline_status(date(2028, 3, 1), date(2028, 2, 1))
    logged = [r for r in caplog.records if "2028" in r.getMessage()]
    assert (
        len(logged) == 1
        and "预计" in logged[0].getMessage()
        and "estimated" in logged[0].getMessage()
    )


def test_each_missing_year_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    c = WorkCalendar()
    with caplog.at_level(logging.INFO, logger="agent_desk.core.calendar"):
        c.add_working_days(date(2027, 12, 1), 200)  # runs through 2027 and into 2028
        c.is_working_day(date(2027, 5, 5))
        c.is_working_day(date(2028, 5, 5))
    assert sorted(r.getMessage()[:4] for r in caplog.records) == ["2027", "2028"]


@pytest.mark.parametrize(
    ("day", "festival"),
    [
        (date(2027, 1, 1), "元旦"),
        (date(2027, 2, 5), "春节"),  # 除夕 (春节 2027 is February 6)
        (date(2027, 2, 8), "春节"),  # 正月初三
        (date(2027, 4, 5), "清明节"),  # the solar term
        (date(2027, 6, 9), "端午节"),  # 五月初五
        (date(2027, 9, 15), "中秋节"),  # 八月十五
        (date(2027, 10, 1), "国庆节"),
    ],
)
def test_2027_weekday_holidays_are_not_working_days_and_are_estimated(
    day: date, festival: str
) -> None:
    """No 2027 schedule is installed (the package knows none): the law decides, marked 预计."""
    c = WorkCalendar()
    assert c.source(2027) is CalendarSource.ESTIMATED
    assert not c.is_working_day(day)
    assert c.is_estimated(day)
    assert c.holiday_name(day) == festival


def test_deadline_opened_this_month_no_longer_lands_on_new_years_day() -> None:
    due = WorkCalendar().add_working_days(date(2026, 12, 4), 20)
    assert due == date(2027, 1, 4)  # 2027-01-01 (元旦) is skipped
    assert WorkCalendar().is_estimated(due)
    assert WorkCalendar().estimated_years(date(2026, 12, 4), due) == [2027]


def test_spring_festival_is_four_days_from_new_years_eve_with_make_up_days() -> None:
    holidays = statutory_holidays(2027)
    assert [d for d, name in holidays.items() if name == "春节"] == [
        date(2027, 2, d) for d in (5, 6, 7, 8)
    ]
    # the Saturday and Sunday inside the festival are made up on the next weekdays (补假)
    assert holidays[date(2027, 2, 9)] == holidays[date(2027, 2, 10)] == "春节（补假）"
    assert date(2027, 2, 11) not in holidays


def test_estimate_keeps_the_year_s_working_day_count_of_an_official_year() -> None:
    """The law with 补假 loses as many working days as the official notice with 调休 does."""
    official = WorkCalendar()
    for year in (2025, 2026):
        estimate = WorkCalendar({year: YearOverride(holidays=frozenset(statutory_holidays(year)))})
        span = (date(year - 1, 12, 31), date(year, 12, 31))
        assert estimate.working_days_between(*span) == official.working_days_between(*span)


def test_official_years_are_not_estimated(cal: WorkCalendar, cal_2027: WorkCalendar) -> None:
    assert not cal.is_estimated(date(2026, 12, 31))
    assert cal.source(2026) is CalendarSource.PACKAGE
    assert cal_2027.source(2027) is CalendarSource.PUBLISHED and not cal_2027.is_estimated(
        date(2027, 3, 1)
    )
    assert cal_2027.is_working_day(date(2027, 2, 7))  # the published 调休 wins over the estimate


# --- deadlines -----------------------------------------------------------------------------------


def test_working_days_left(cal: WorkCalendar) -> None:
    due = date(2026, 10, 9)  # Friday
    assert cal.working_days_left(due, date(2026, 9, 30)) == 2  # 10-08, 10-09
    assert cal.working_days_left(due, due) == 0
    assert cal.working_days_left(due, date(2026, 10, 10)) == -1  # Saturday 调休
    assert cal.working_days_left(due, date(2026, 10, 12)) == -2


def test_working_days_left_negative_on_weekend_after_due(cal: WorkCalendar) -> None:
    due = date(2026, 3, 6)  # Friday
    assert cal.working_days_left(due, date(2026, 3, 7)) == -1  # Saturday: late, though 0 days
    assert cal.working_days_left(due, date(2026, 3, 8)) == -1
    assert cal.working_days_left(due, date(2026, 3, 9)) == -1
    assert cal.working_days_left(due, date(2026, 3, 10)) == -2


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 9, 25), DeadlineStatus.ON_TRACK),  # 09-28, 09-29, 09-30, 10-08 left → 4
        (date(2026, 9, 28), DeadlineStatus.ON_TRACK),  # 3 left
        (date(2026, 9, 29), DeadlineStatus.DUE_SOON),  # 2 left (boundary)
        (date(2026, 9, 30), DeadlineStatus.DUE_SOON),  # 1 left, across the holiday
        (date(2026, 10, 3), DeadlineStatus.DUE_SOON),
        (date(2026, 10, 8), DeadlineStatus.DUE_SOON),  # due today
        (date(2026, 10, 9), DeadlineStatus.OVERDUE),
    ],
)
def test_deadline_status_boundaries(
    cal: WorkCalendar, today: date, expected: DeadlineStatus
) -> None:
    assert cal.deadline_status(date(2026, 10, 8), today) is expected


def test_deadline_status_soon_days(cal: WorkCalendar) -> None:
    due = date(2026, 3, 13)  # Friday
    assert cal.deadline_status(due, date(2026, 3, 12), soon_days=0) is DeadlineStatus.ON_TRACK
    assert cal.deadline_status(due, due, soon_days=0) is DeadlineStatus.DUE_SOON
    assert cal.deadline_status(due, date(2026, 3, 6), soon_days=5) is DeadlineStatus.DUE_SOON
    assert cal.deadline_status(due, date(2026, 3, 5), soon_days=5) is DeadlineStatus.ON_TRACK
    with pytest.raises(DomainError):
        cal.deadline_status(due, due, soon_days=-1)


def test_deadline_status_labels() -> None:
    assert DeadlineStatus.OVERDUE == "overdue"
    assert DeadlineStatus.OVERDUE.label_zh == "已逾期"
    assert {s.label_zh for s in DeadlineStatus} == {"正常", "即将到期", "已逾期"}


# --- module-level functions and default calendar -------------------------------------------------


@pytest.fixture
def restore_default():
    previous = cal_mod._default_calendar
    yield
    cal_mod._default_calendar = previous


def test_module_functions_use_default(restore_default: None) -> None:
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert working_days_left(date(2026, 10, 8), date(2026, 9, 30)) == 1
    assert deadline_status(date(2026, 10, 8), date(2026, 9, 30)) is DeadlineStatus.DUE_SOON
    assert deadline_status(date(2026, 10, 8), date(2026, 9, 30), soon_days=0) == "on_track"


def test_set_default_overrides(restore_default: None) -> None:
    installed = set_default_overrides(parse_overrides(DATA_2027))
    assert default_calendar() is installed
    assert default_calendar().has_data_for(2027)
    assert add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 7)
    set_default_overrides(None)
    assert not default_calendar().has_data_for(2027)


def test_explicit_calendar_argument(cal_2027: WorkCalendar) -> None:
    assert add_working_days(date(2027, 2, 4), 1, calendar=cal_2027) == date(2027, 2, 7)
    assert working_days_between(date(2027, 2, 4), date(2027, 2, 7), calendar=cal_2027) == 1
    assert working_days_left(date(2027, 2, 7), date(2027, 2, 4), calendar=cal_2027) == 1
    status = deadline_status(date(2027, 2, 7), date(2027, 2, 4), calendar=cal_2027)
    assert status is DeadlineStatus.DUE_SOON


def test_case_board_is_fast(cal: WorkCalendar) -> None:
    import time

    today = date(2026, 6, 15)
    cal.deadline_status(today, today)  # warm the cache
    began = time.perf_counter()
    for i in range(5000):
        cal.deadline_status(today + timedelta(days=i % 300 - 100), today)
    assert time.perf_counter() - began < 1.0
