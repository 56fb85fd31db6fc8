"""The case board's text search (complete, counted exactly) and keyset paging of every lazy list."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from agent_desk.store.case_queries import COMMON_KEYS, OPEN, CaseFilter, case_page, count_cases
from agent_desk.store.db import interruptible
from agent_desk.store.models import Case, Client
from agent_desk.store.queries import search_client_ids, search_client_page, set_search_keys
from agent_desk.store.review_queries import ReviewFilter, review_page
from agent_desk.ui.case_board import CaseBoardPage
from agent_desk.ui.lazy_model import Page
from agent_desk.ui.ops import OpRunner

TODAY = date(2026, 11, 20)
STATUSES = (*OPEN, "concluded", "archived")
_serial = itertools.count(1)


def add_clients(session: Session, names: list[str]) -> list[Client]:
    """Clients written as the roster import writes them: the row and its search keys."""
    clients = []
    for name in names:
        client = Client(name=name)
        session.add(client)
        set_search_keys(session, client)
        clients.append(client)
    session.flush()
    return clients


def add_cases(
    session: Session, clients: list[Client], per_client: int, rng: random.Random
) -> list[Case]:
    cases = []
    for client in clients:
        for _ in range(per_client):
            status = rng.choice(STATUSES)
            due = None if status == "entrusted" else TODAY + timedelta(days=rng.randrange(-20, 40))
            case = Case(
                case_no=f"T{next(_serial):08d}",
                client_id=client.id,
                item_code="X-1",
                item_name="低保",
                status=status,
                entrusted_on=TODAY - timedelta(days=rng.randrange(60)),
                due_on=due,
            )
            session.add(case)
            cases.append(case)
    session.flush()
    return cases


def populate(session: Session, wangs: int, others: int) -> dict[str, list[Client]]:
    rng = random.Random(7)
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
    found = {
        "wang": add_clients(
            session, [f"王{rng.choice(given)}{rng.choice(given)}" for _ in range(wangs)]
        ),
        "other": add_clients(
            session, [f"{rng.choice('李张刘陈杨')}{rng.choice(given)}" for _ in range(others)]
        ),
    }
    add_cases(session, found["wang"] + found["other"], 2, rng)
    session.commit()
    return found


@pytest.fixture
def township(session: Session) -> dict[str, list[Client]]:
    """620 clients named 王 (more than the 500 the old search capped) and 30 neighbours, two cases each."""
    return populate(session, 620, 30)


@pytest.fixture
def small_township(session: Session) -> dict[str, list[Client]]:
    return populate(session, 60, 60)


def every_page(session: Session, f: CaseFilter, size: int = 37) -> list[str]:
    """The board scrolled to the end, page by page."""
    ids: list[str] = []
    after = None
    while True:
        page = case_page(session, f, after=after, limit=size)
        ids += [case_id for case_id, _ in page]
        if len(page) < size:
            return ids
        after = page[-1][1]


def offset_order(session: Session, f: CaseFilter) -> list[str]:
    """Board order spelled out as one plain query: deadline (none last), then id; by entrusted
    date, then rowid; newest first reversed."""
    desc = f.sort == "newest"
    column, tie = ("entrusted_on", "rowid") if f.sort in ("newest", "oldest") else ("due_on", "id")
    where = ["deleted = 0"]
    if f.statuses:
        listed = ", ".join(f"'{s}'" for s in f.statuses)
        where.append(f"status IN ({listed})")
    direction = "DESC" if desc else "ASC"
    sql = (
        f'SELECT id FROM "case" WHERE {" AND ".join(where)} '
        f"ORDER BY coalesce({column}, '9999-12-31') {direction}, {tie} {direction}"
    )
    return list(session.scalars(text(sql)))


@pytest.mark.parametrize("common_keys", [COMMON_KEYS, 40])
def test_keyset_pages_are_the_offset_pages_in_order(
    session, small_township, monkeypatch, common_keys
) -> None:
    """Also with "wang" taken as a common name (40 keys): the board's deadline order is walked."""
    monkeypatch.setattr("agent_desk.store.case_queries.COMMON_KEYS", common_keys)
    for sort in ("due", "newest", "oldest"):
        for statuses in (OPEN, (), ("accepted",)):
            f = CaseFilter(statuses=statuses, sort=sort)
            assert every_page(session, f) == offset_order(session, f)
            ranks = {case_id: n for n, case_id in enumerate(offset_order(session, f))}
            found = every_page(
                session, CaseFilter(statuses=statuses, sort=sort, text="wang"), size=11
            )
            assert found == sorted(found, key=ranks.__getitem__) and len(found) == len(set(found))


def test_an_edit_between_pages_neither_repeats_nor_skips_a_row(session, small_township) -> None:
    """The agent scrolls, a case changes underneath, the agent scrolls on: the next page starts
    right after the last row shown, where OFFSET paging would repeat or skip rows."""
    f = CaseFilter(statuses=OPEN)
    first = case_page(session, f, limit=40)
    shown = [case_id for case_id, _ in first]
    # An earlier deadline for a case not yet shown, and a new case due before anything on screen.
    later = session.get(Case, offset_order(session, f)[60])
    later.due_on = TODAY - timedelta(days=90)  # type: ignore[union-attr]
    add_cases(session, small_township["other"][:1], 1, random.Random(3))[0].due_on = (
        TODAY - timedelta(days=99)
    )
    session.commit()
    rest = every_page_after(session, f, first[-1][1])
    fresh = offset_order(session, f)
    assert not set(rest) & set(shown)
    assert rest == fresh[fresh.index(shown[-1]) + 1 :]
    offset_page = fresh[40:80]
    assert set(offset_page) & set(shown)  # what OFFSET paging would have shown: a row twice


def every_page_after(session: Session, f: CaseFilter, after: tuple) -> list[str]:
    ids: list[str] = []
    while True:
        page = case_page(session, f, after=after, limit=50)
        ids += [case_id for case_id, _ in page]
        if len(page) < 50:
            return ids
        after = page[-1][1]


def test_client_list_keyset_pages_match_the_whole_list(session, small_township) -> None:
    everyone = list(
        session.scalars(text("SELECT id FROM client WHERE deleted = 0 ORDER BY sort_key, id"))
    )
    for query, expected in (
        ("", everyone),
        ("wang", search_client_ids(session, "wang", limit=10_000)),
    ):
        listed: list[str] = []
        after = None
        while True:
            page = search_client_page(session, query, after=after, limit=13)
            listed += [client_id for client_id, _ in page if client_id not in listed]
            if len(page) < 13:
                break
            after = page[-1][1]
        assert listed == expected


def test_review_queue_keyset_pages_match_one_query(session, small_township) -> None:
    f = ReviewFilter(statuses=())
    whole = [case_id for case_id, _ in review_page(session, f, limit=10_000)]
    listed: list[str] = []
    after = None
    while True:
        page = review_page(session, f, after=after, limit=17)
        listed += [case_id for case_id, _ in page]
        if len(page) < 17:
            break
        after = page[-1][1]
    assert listed == whole and len(whole) == 240


def scroll_to_end(qtbot, board: CaseBoardPage) -> None:
    while True:
        qtbot.waitUntil(lambda: not board.model.loading, timeout=10000)
        if not board.model.canFetchMore():
            return
        board.model.fetchMore()


def test_the_board_lists_and_counts_every_case_of_a_common_surname(
    qtbot, desk, session, township, monkeypatch
) -> None:
    """What the agent sees typing "wang": 1,240 cases listed and "1,240" in the count (not 147)."""
    board = CaseBoardPage(OpRunner(), desk, today=TODAY)
    qtbot.addWidget(board)
    with qtbot.waitSignal(board.model.loaded, timeout=10000):
        board.status.setCurrentIndex(
            1
        )  # all statuses (its own load first: the search's comes after)
    with qtbot.waitSignal(board.model.loaded, timeout=10000):
        board.search.setText("wang")
    scroll_to_end(qtbot, board)
    assert board.model.rowCount() == 1240
    qtbot.waitUntil(lambda: "1,240" in board.count.text(), timeout=10000)
    board.ops.wait()
    wangs = text(
        'SELECT "case".id, status FROM "case" JOIN client ON client.id = client_id WHERE client.name LIKE \'王%\''
    )
    expected = dict(session.execute(wangs).all())
    for query in ("wang", "王", "Wang "):
        f = CaseFilter(statuses=(), text=query)
        listed = every_page(session, f)
        assert len(listed) == len(set(listed)) == len(expected) == 1240
        assert set(listed) == set(expected)
        assert count_cases(session, f) == 1240
    assert len(search_client_ids(session, "wang", limit=10_000)) == 620
    open_ones = {case_id for case_id, status in expected.items() if status in OPEN}
    f = CaseFilter(statuses=OPEN, text="wang")
    assert set(every_page(session, f)) == open_ones and count_cases(session, f) == len(open_ones)
    # "wang" as a common name: the board's deadline order is walked
    monkeypatch.setattr("agent_desk.store.case_queries.COMMON_KEYS", 100)
    assert every_page(session, f) == [i for i in offset_order(session, f) if i in open_ones]
    assert count_cases(session, f) == len(open_ones)


def test_typing_runs_one_query_and_a_superseded_one_is_dropped(
    qtbot, desk, session, small_township
) -> None:
    board = CaseBoardPage(OpRunner(), desk, today=TODAY)
    qtbot.addWidget(board)
    ran: list[str] = []
    load = board.model.load_page

    def recording(f: CaseFilter, after: Any, limit: int, superseded: Callable[[], bool]) -> Page:
        page = load(f, after, limit, superseded)
        ran.append(f.text)
        return page

    board.model.load_page = recording
    with qtbot.waitSignal(board.model.loaded, timeout=10000):
        for typed in ("w", "wa", "wan", "wang"):
            board.search.setText(typed)
    assert ran == ["wang"]  # the pause after typing, not every keystroke
    ran.clear()
    board.model.set_query(CaseFilter(text="li"))
    with qtbot.waitSignal(board.model.loaded, timeout=10000):
        board.model.set_query(CaseFilter(text="zhang"))
    board.ops.wait()
    # "li" may still finish after "zhang" on a busy machine (two worker threads); what the agent
    # sees is zhang's query and only its rows
    assert "zhang" in ran and board.model.query.text == "zhang"
    assert {board.model.row_data(r).client_name[0] for r in range(board.model.rowCount())} == {"张"}


def test_a_cancelled_query_stops_where_it_runs(desk) -> None:
    """A search superseded by the next keystroke stops inside SQLite instead of holding a thread."""
    endless = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
    )
    calls = itertools.count()
    with (
        desk.db.session() as session,
        pytest.raises(OperationalError, match="interrupted"),
        interruptible(session, lambda: next(calls) > 3),
    ):
        session.execute(text(endless))
    with desk.db.session() as session:  # the connection works normally afterwards
        assert session.execute(text("SELECT 1")).scalar() == 1
