"""The pull judges a page a column at a time (protocol.values.page_clean) and only looks closer when
a column has a doubt: so for every rule, any value ``field_problem`` refuses must make the whole
page doubtful, or a value no desk can store would reach the desk's tables unjudged."""

from __future__ import annotations

from typing import Any

import pytest

from agent_desk.protocol.values import FIELDS, MAX_INT, field_problem, page_clean

AWKWARD: list[Any] = [
    None,
    "",
    "x",
    "x" * 41,
    "x" * 201,
    "x" * 2001,
    "a\x00b",
    "a\x0bb",
    "\ud800",
    "\ufffe",
    "line\nbreak",
    0,
    -1,
    1,
    5,
    6,
    100,
    3651,
    10_001,
    MAX_INT,
    MAX_INT + 1,
    1.0,
    True,
    False,
    "person",
    "organisation",
    "in_progress",
    "waiting",
    "received",
    "entrust",
    "image/jpeg",
    "2026-11-02",
    "2026-13-02",
    "1879-12-31",
    "2026-11-02T08:00:00+00:00",
    "2026-11-02T08:00:00",
    "2026-11-02T08:00:00+08:00",
    "2201-01-01T00:00:00+00:00",
    "a" * 32,
    "0" * 32,
    "0" * 64,
    "62052400MZ-JF-0001",
    "id_card",
    "13912345678",
    "12345",
    "110101199003074477",
    "110101199003074478",
    {},
    {"a": 1},
    {"a": MAX_INT},
    {"a": float(MAX_INT)},
    {"a": "\x00"},
    {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": 1}}}}}}}}},
    {"a": "x" * 70_000},
    [1, 2],
    [[]],
]


@pytest.mark.parametrize("entity", sorted(FIELDS))
def test_a_page_is_clean_exactly_when_every_value_is(entity: str) -> None:
    for name in FIELDS[entity]:
        for value in AWKWARD:
            refused = field_problem(entity, name, value) is not None
            page = [{}, {name: value}, {"unknown_field": "\x00"}]  # unknown fields are dropped
            assert page_clean(entity, page) is not refused, (entity, name, value)


def test_one_bad_value_among_many_good_ones_is_noticed() -> None:
    good = {"name": "张伟", "kind": "person", "phone": "13912345678", "created_at": None}
    page = [dict(good) for _ in range(500)]
    assert page_clean("client", page)
    page[317] = good | {"phone": "12345"}
    assert not page_clean("client", page)
    events = [{"payload": {"method": "agent"}, "actor": "王"} for _ in range(500)]
    assert page_clean("case_event", events)
    events[42] = {"payload": {"method": "\x00"}, "actor": "王"}
    assert not page_clean("case_event", events)
