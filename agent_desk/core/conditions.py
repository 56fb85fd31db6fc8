"""Which of an item's conditions the client's profile already proves, and why.

Conditions are the catalog's own sentences (「年满80周岁」, 「具有本县户籍」). Two kinds can be read
from a profile: an age (from the birth date the ID number carries) and registration in the county
(the client's village lies in the catalog's county). Anything else stays for the agent to tick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

AGE = re.compile(r"年满\s*(\d+)\s*周岁")
LOCAL = re.compile(r"本县.*(户籍|户口)|(户籍|户口).*本县")


@dataclass(frozen=True)
class ProfileFacts:
    birth_date: date | None = None
    village_code: str | None = None  # 12-digit statistical code of the client's village
    village_name: str | None = None
    county_code: str = ""  # the catalog's county (CatalogMeta.region_code)
    county_name: str = ""


@dataclass(frozen=True)
class Verdict:
    met: bool | None  # None: the profile does not say; the agent decides
    why: str = ""


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def judge(condition: str, facts: ProfileFacts, today: date) -> Verdict:
    """What the profile says about one condition."""
    age = AGE.search(condition)
    if age and facts.birth_date:
        years, needed = age_on(facts.birth_date, today), int(age.group(1))
        why = f"据身份证号码，现年 {years} 周岁"
        return Verdict(years >= needed, why if years >= needed else f"{why}，未满 {needed} 周岁")
    if LOCAL.search(condition) and facts.village_code and facts.county_code:
        if facts.village_code.startswith(facts.county_code):
            return Verdict(
                True, f"户籍村：{facts.village_name}（{facts.county_name or facts.county_code}）"
            )
        return Verdict(
            False,
            f"所属村 {facts.village_name} 不在本县（{facts.county_name or facts.county_code}）",
        )
    return Verdict(None)
