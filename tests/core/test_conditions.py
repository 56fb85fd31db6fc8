"""Conditions the profile proves: an age from the ID number, county registration from the village."""

from __future__ import annotations

from datetime import date

from agent_desk.core.conditions import ProfileFacts, judge

TODAY = date(2026, 11, 20)
FACTS = ProfileFacts(
    birth_date=date(1945, 3, 1),
    village_code="620524100200",
    village_name="洛门村",
    county_code="620524",
    county_name="武山县",
)


def test_an_81_year_old_meets_aged_80_and_says_why() -> None:
    verdict = judge("年满80周岁", FACTS, TODAY)
    assert verdict.met is True and "81" in verdict.why


def test_a_younger_client_fails_the_age_with_the_reason() -> None:
    verdict = judge("年满80周岁", ProfileFacts(birth_date=date(1960, 1, 1)), TODAY)
    assert verdict.met is False and "未满 80 周岁" in verdict.why


def test_county_registration_from_the_village() -> None:
    assert judge("具有本县户籍", FACTS, TODAY).met is True
    other = ProfileFacts(
        village_code="620523100200",
        village_name="甘谷村",
        county_code="620524",
        county_name="武山县",
    )
    assert judge("持有本县常住户口的居民", other, TODAY).met is False


def test_what_the_profile_cannot_say_is_left_to_the_agent() -> None:
    assert judge("家庭财产状况符合当地规定", FACTS, TODAY).met is None
    assert judge("具有本县户籍", ProfileFacts(), TODAY).met is None
