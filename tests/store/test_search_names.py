"""Names as villagers have them: compound and heteronym surnames, ethnic-minority names with any
dot, compatibility ideographs; and 15-digit numbers found by their 18-digit form."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from agent_desk.core.identity import make_resident_id
from agent_desk.services.desk import open_desk
from agent_desk.store.key_rebuild import META_KEY, rebuild_search_keys
from agent_desk.store.models import Client, ClientSearchKey, Meta
from agent_desk.store.queries import search_client_ids
from agent_desk.store.search_keys import client_keys, sort_key


def _finds(session, query: str) -> set[str]:
    return set(search_client_ids(session, query))


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("万俟卨", ["moqixie", "mqx", "moqi", "wanqi"]),
        ("单于丹", ["chanyudan", "cyd", "chanyu"]),
        ("澹台明", ["tantaiming", "ttm"]),
        ("尉迟恭", ["yuchigong", "ycg"]),
        ("都兰芳", ["dulanfang", "dlf"]),
        ("长孙无忌", ["zhangsunwuji", "zswj"]),
    ],
)
def test_compound_and_heteronym_surnames_are_found_by_their_surname_reading(
    session, make_client, name, queries
) -> None:
    person = make_client(session, name=name)
    make_client(session, name="王建国")
    session.commit()
    for query in queries:
        assert _finds(session, query) == {person.id}, query


def test_surname_reading_orders_the_list() -> None:
    assert sort_key("万俟卨") == "moqixie" and sort_key("单于丹") == "chanyudan"


@pytest.mark.parametrize(
    "typed",
    [
        "阿依古丽·买买提",
        "阿依古丽•买买提",
        "阿依古丽・买买提",
        "阿依古丽．买买提",
        "阿依古丽.买买提",
        "阿依古丽买买提",
    ],
)
def test_an_ethnic_name_is_found_whatever_dot_is_typed(session, make_client, typed) -> None:
    person = make_client(session, name="阿依古丽·买买提")
    session.commit()
    assert _finds(session, typed) == {person.id}


def test_an_ethnic_name_is_found_by_the_part_after_the_dot(session, make_client) -> None:
    person = make_client(session, name="阿依古丽·买买提")
    make_client(session, name="买卖")
    session.commit()
    for query in ("买买提", "maimaiti", "mmt"):
        assert _finds(session, query) == {person.id}, query


def test_a_name_stored_with_another_dot_is_found_with_the_middle_dot(session, make_client) -> None:
    person = make_client(session, name="热依拉•吐尔逊")
    session.commit()
    assert _finds(session, "热依拉·吐尔逊") == {person.id}


def test_a_compatibility_ideograph_is_found_by_the_ordinary_character(session, make_client) -> None:
    person = make_client(session, name="\uf9e1建国")  # 李 U+F9E1, as some old systems export it
    session.commit()
    for query in ("李建国", "李", "lijianguo", "ljg", "\uf9e1建国"):
        assert _finds(session, query) == {person.id}, query


def test_a_15_digit_number_is_found_by_either_form(session, make_client) -> None:
    current = make_resident_id("620524", date(1962, 8, 9), 123)
    legacy = current[:6] + current[8:17]
    person = make_client(session, name="王建国", id_number=legacy)
    session.commit()
    assert _finds(session, current) == {person.id}
    assert _finds(session, legacy) == {person.id}


def test_an_18_digit_client_is_found_by_the_old_15_digit_number(session, make_client) -> None:
    current = make_resident_id("620524", date(1962, 8, 9), 123)
    person = make_client(session, name="王建国", id_number=current)
    session.commit()
    assert _finds(session, current[:6] + current[8:17]) == {person.id}


def test_a_desk_with_keys_from_before_is_rebuilt_once_at_open(tmp_path) -> None:
    desk = open_desk(tmp_path / "desk")
    with desk.db.session() as session:
        old = Client(name="万俟卨", sort_key="wanqixie")
        plain = Client(name="王建国", sort_key="wangjianguo")
        session.add_all([old, plain])
        session.flush()
        session.add_all(
            [ClientSearchKey(key=k, client_id=old.id) for k in ("n万俟卨", "pwanqixie", "iwqx")]
        )
        session.add_all(
            [ClientSearchKey(key=k, client_id=plain.id) for k in client_keys("王建国", None, None)]
        )
        session.execute(
            delete(Meta).where(Meta.key == META_KEY)
        )  # as a desk made before this version
        session.commit()
        assert _finds(session, "moqi") == set()
    desk.close()
    desk = open_desk(tmp_path / "desk")
    with desk.db.session() as session:
        assert _finds(session, "moqi") == {old.id}
        assert session.scalar(select(Client.sort_key).where(Client.id == old.id)) == "moqixie"
        assert _finds(session, "wjg") == {plain.id}
        assert rebuild_search_keys(session) == 0  # once only
    desk.close()
