"""parse_resident_id and parse_credit_code against python-stdnum and an independent check digit.

Generated numbers in every category; where our answer differs from stdnum's, the difference is
one of DELIBERATE, named and explained, and every named difference is still real (it shows up).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from stdnum.cn import ric, uscc

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import parse_credit_code, parse_resident_id
from agent_desk.core.validation import to_halfwidth

TODAY = date(2026, 11, 22)
PER_CATEGORY = 300
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643's published table
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# (ours, stdnum) for each deliberate difference, and why.
DELIBERATE_ID = {
    "future birth date": (
        (False, True),
        "a person cannot be born after today; stdnum checks the date exists only",
    ),
    "region code newer than the birth": (
        (True, False),
        "codes are renamed and new ones issued to the living; a region is advice, never a refusal",
    ),
    "county not in the table, province is": (
        (True, False),
        "the packaged table lags the official one; the province is checked",
    ),
    "full-width X, spaces or dashes": (
        (True, False),
        "IMEs type a full-width Ｘ, people group digits; the desk folds them (stdnum folds full-width digits only)",
    ),
    "15-digit legacy number": (
        (True, False),
        "old numbers are still on papers; the 18-digit form is derived",
    ),
    "foreigner's permanent residence number": (
        (True, False),
        "the 2023 card: 9, issuing province, nationality, then as a resident ID",
    ),
}
DELIBERATE_USCC = {
    "department not in GB 32100": (
        (False, True),
        "the first character must name a registration department",
    ),
    "type not of its department": (
        (False, True),
        "the second character must be a type that department registers",
    ),
    "letter department (A, N, Y)": (
        (True, False),
        "GB 32100 departments include A, N and Y; stdnum wants digits there",
    ),
    "full-width input": (
        (True, False),
        "IMEs type full-width letters and digits; the desk folds them",
    ),
}


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def independent_check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def _with_check(first17: str) -> str:
    return first17 + independent_check(first17)


def _ours(text: str, parse: Callable[..., object], **kwargs: object) -> bool:
    try:
        parse(text, **kwargs)
    except DomainError:
        return False
    return True


def _stdnum_ric(number: str) -> bool:
    """stdnum's answer; a KeyError it raises for a few region codes (no county in its table) is a no."""
    try:
        return ric.is_valid(number)
    except KeyError:
        return False


def _born(rng: random.Random, start: int, end: int) -> date:
    return date(start, 1, 1) + timedelta(
        days=rng.randrange((date(end, 12, 31) - date(start, 1, 1)).days)
    )


def id_categories(rng: random.Random) -> Iterator[tuple[str, str]]:
    """(category, number) for every category, PER_CATEGORY each."""
    known = [("110105", 1900), ("620524", 1985), ("460108", 2002), ("511702", 1999)]
    for _ in range(PER_CATEGORY):
        code, since = rng.choice(known)
        born, seq = _born(rng, max(since, 1930), 2024), rng.randrange(1000)
        good = _with_check(f"{code}{born:%Y%m%d}{seq:03d}")
        yield "valid", good
        i = rng.randrange(17)
        yield (
            "one digit wrong",
            good[:i] + str((int(good[i]) + rng.randrange(1, 10)) % 10) + good[i + 1 :],
        )
        yield (
            "check digit wrong",
            good[:17] + rng.choice([c for c in "0123456789X" if c != good[17]]),
        )
        yield (
            "province not on the list",
            _with_check(
                f"{rng.choice(['00', '10', '19', '24', '49', '60'])}0101{born:%Y%m%d}{seq:03d}"
            ),
        )
        yield (
            "impossible date",
            _with_check(f"{code}{born:%Y}{rng.choice(['0230', '1301', '0431', '0000'])}{seq:03d}"),
        )
        yield (
            "future birth date",
            _with_check(f"110105{TODAY + timedelta(days=rng.randrange(1, 4000)):%Y%m%d}{seq:03d}"),
        )
        yield (
            "region code newer than the birth",
            _with_check(f"130110{_born(rng, 1950, 2010):%Y%m%d}{seq:03d}"),
        )
        yield (
            "county not in the table, province is",
            _with_check(f"6299{rng.randrange(70, 99)}{born:%Y%m%d}{seq:03d}"),
        )
        spaced = rng.choice(
            [f"{good[:6]} {good[6:14]} {good[14:]}", f"{good[:6]}-{good[6:14]}-{good[14:]}"]
        )
        x_number = next(
            n
            for n in (_with_check(f"{code}{born:%Y%m%d}{s:03d}") for s in range(1000))
            if n[-1] == "X"
        )
        yield "full-width X, spaces or dashes", rng.choice([spaced, x_number[:17] + "Ｘ"])
        yield "15-digit legacy number", f"110105{_born(rng, 1930, 1999):%y%m%d}{seq:03d}"
        yield (
            "foreigner's permanent residence number",
            _with_check(
                f"9{rng.choice(['11', '31', '44'])}{rng.randrange(100, 900)}{born:%Y%m%d}{seq:03d}"
            ),
        )


def test_resident_ids_agree_with_stdnum_except_the_deliberate_differences() -> None:
    seen: dict[str, set[tuple[bool, bool]]] = {}
    for category, number in id_categories(random.Random(11643)):
        ours, theirs = _ours(number, parse_resident_id, today=TODAY), _stdnum_ric(number)
        seen.setdefault(category, set()).add((ours, theirs))
        if category in DELIBERATE_ID:
            assert (ours, theirs) == DELIBERATE_ID[category][0], (category, number)
        else:
            assert ours == theirs, (category, number, ours, theirs)
        compact = to_halfwidth(number)
        if len(compact) == 18 and compact[:17].isdigit() and ours:
            assert compact[17] == independent_check(compact[:17]), number
    assert seen["valid"] == {(True, True)}
    assert seen.keys() >= DELIBERATE_ID.keys()


def _uscc(first2: str, region: str, rng: random.Random) -> str:
    body = first2 + region + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body + "0")


def uscc_categories(rng: random.Random) -> Iterator[tuple[str, str]]:
    regions = ["620524", "110000", "350100", "440305"]
    for _ in range(PER_CATEGORY):
        region = rng.choice(regions)
        good = _uscc(
            rng.choice(["11", "12", "13", "19", "51", "52", "53", "91", "92", "93", "31", "81"]),
            region,
            rng,
        )
        yield "valid", good
        i = rng.randrange(8, 17)
        yield (
            "one character wrong",
            good[:i] + rng.choice([c for c in USCC_ALPHABET if c != good[i]]) + good[i + 1 :],
        )
        yield "department not in GB 32100", _uscc(rng.choice(["01", "02", "09"]), region, rng)
        yield "type not of its department", _uscc(rng.choice(["94", "54", "15", "99"]), region, rng)
        yield (
            "letter department (A, N, Y)",
            _uscc(rng.choice(["A1", "N2", "N3", "Y1"]), region, rng),
        )
        yield "full-width input", to_fullwidth(good)


def test_credit_codes_agree_with_stdnum_except_the_deliberate_differences() -> None:
    seen: dict[str, set[tuple[bool, bool]]] = {}
    for category, number in uscc_categories(random.Random(32100)):
        ours, theirs = _ours(number, parse_credit_code), uscc.is_valid(number)
        seen.setdefault(category, set()).add((ours, theirs))
        expected = DELIBERATE_USCC[category][0] if category in DELIBERATE_USCC else (theirs, theirs)
        assert (ours, theirs) == expected, (category, number)
    assert seen["valid"] == {(True, True)} and seen["one character wrong"] == {(False, False)}
    assert seen.keys() >= DELIBERATE_USCC.keys()


@pytest.mark.parametrize("table", [DELIBERATE_ID, DELIBERATE_USCC])
def test_every_deliberate_difference_says_why(table) -> None:
    assert all(len(why) > 20 for _, why in table.values())
