"""The one search box: name, pinyin, initials, ID number (whole or its tail) and phone."""

from __future__ import annotations

from datetime import date

import pytest
from pypinyin import Style, lazy_pinyin

from agent_desk.core.identity import make_resident_id
from agent_desk.services.clients import ClientInput, update_client
from agent_desk.store.queries import search_client_ids

X_ID = next(
    make_resident_id("620524", date(1985, 3, 7), s)
    for s in range(1, 999, 2)
    if make_resident_id("620524", date(1985, 3, 7), s).endswith("X")
)


@pytest.fixture
def people(session, make_client):
    """A small village: the person we look for and neighbours who must not match."""
    found = {
        "target": make_client(session, name="王建国", id_number=X_ID, phone="13909381234"),
        "other": make_client(session, name="王丽", phone="15109384321"),
        "third": make_client(session, name="李建华", phone="18109385678"),
    }
    session.commit()
    return found


def _finds(session, query: str) -> set[str]:
    return set(search_client_ids(session, query))


@pytest.mark.parametrize(
    "query",
    ["王建国", "王建", "wangjianguo", "wangjian", "wjg", "WJG", " wang jian guo "],
    ids=["full name", "name prefix", "full pinyin", "pinyin prefix", "initials", "upper", "spaced"],
)
def test_finds_by_name_pinyin_and_initials(session, people, query) -> None:
    assert _finds(session, query) == {people["target"].id}


def test_name_prefix_finds_everyone_with_that_surname(session, people) -> None:
    assert _finds(session, "王") == {people["target"].id, people["other"].id}


@pytest.mark.parametrize(
    "query",
    [X_ID, X_ID[:-1] + "x", X_ID[-4:].lower(), X_ID[-6:].lower(), X_ID[-4:], X_ID[:6] + X_ID[6:10]],
    ids=["full id", "full id lower x", "last 4 lower x", "last 6 lower x", "last 4", "id prefix"],
)
def test_finds_by_id_number_and_its_tail(session, people, query) -> None:
    assert people["target"].id in _finds(session, query)
    assert people["other"].id not in _finds(session, query)


def test_full_width_digits_are_understood(session, people) -> None:
    tail = X_ID[-4:-1].translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}) + "ｘ"
    assert _finds(session, tail) == {people["target"].id}


@pytest.mark.parametrize("query", ["13909381234", "1390938", "1234", "381234"])
def test_finds_by_phone_and_phone_tail(session, people, query) -> None:
    assert people["target"].id in _finds(session, query)
    assert people["third"].id not in _finds(session, query)


def test_nothing_matches_gives_an_empty_list(session, people) -> None:
    assert _finds(session, "zzzz") == set()
    assert _finds(session, "赵") == set()


def test_empty_query_lists_everyone_in_pinyin_order(session, people) -> None:
    ids = search_client_ids(session, "  ")
    assert ids == [people["third"].id, people["target"].id, people["other"].id]  # li, wangj, wangl


HETERONYMS = {
    "单": ("shan", "dan"),
    "曾": ("zeng", "ceng"),
    "解": ("xie", "jie"),
    "仇": ("qiu", "chou"),
    "区": ("ou", "qu"),
    "朴": ("piao", "pu"),
    "乐": ("yue", "le"),
}
# Given names that form dictionary words with the surname hide its other reading from pypinyin's
# phrase lookup (单行, 曾经, 解放, 仇恨, 区别, 朴素, 乐观).
GIVEN = {
    "单": "行华",
    "曾": "经华",
    "解": "放华",
    "仇": "恨华",
    "区": "别华",
    "朴": "素华",
    "乐": "观华",
}


@pytest.mark.parametrize("surname", list(HETERONYMS))
def test_heteronym_surnames_are_found_by_either_reading(session, make_client, surname) -> None:
    person = make_client(session, name=surname + GIVEN[surname])
    given_initials = "".join(lazy_pinyin(GIVEN[surname], style=Style.FIRST_LETTER))
    make_client(session, name="邓小平")
    session.commit()
    for reading in HETERONYMS[surname]:
        assert _finds(session, reading) == {person.id}, reading
        assert _finds(session, reading[0] + given_initials) == {person.id}, reading


def test_heteronym_surname_with_a_heteronym_rich_given_name(session, make_client) -> None:
    person = make_client(session, name="单长行乐")  # many readings: the cap must keep "shan"
    session.commit()
    for query in ("shan", "dan", "shanchang", "danzhang"):
        assert _finds(session, query) == {person.id}, query


def test_keys_follow_a_changed_name_and_phone(session, people) -> None:
    target = people["target"]
    update_client(
        target,
        ClientInput(name="曾国强", id_number=target.id_number, phone="17709380000"),
        session=session,
    )
    session.commit()
    assert _finds(session, "9381234") == set()  # the old phone no longer finds
    assert _finds(session, "wjg") == set()
    assert _finds(session, "王建国") == set()
    assert _finds(session, "17709380000") == {target.id}
    assert _finds(session, "zgq") == {target.id}
    assert _finds(session, "ceng") == {target.id}
    assert target.id in _finds(session, X_ID[-4:].lower())  # the ID number still finds


def test_results_page_with_limit_and_offset(session, make_client) -> None:
    ids = {make_client(session, name=f"张{given}").id for given in "一二三四五六七"}
    session.commit()
    first = search_client_ids(session, "zhang", limit=4)
    rest = search_client_ids(session, "zhang", limit=4, offset=4)
    assert len(first) == 4 and len(rest) == 3
    assert set(first) | set(rest) == ids
