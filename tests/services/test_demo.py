"""Demo data as an agent would see it: valid people, believable case histories, real deadlines."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import func, select

from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import CaseStatus, plan_transition
from agent_desk.core.identity import parse_resident_id
from agent_desk.services.demo import seed_demo
from agent_desk.services.demo_cases import DemoItem
from agent_desk.services.roster import export_clients, import_clients
from agent_desk.store.models import (
    Case,
    CaseDocument,
    CaseEvent,
    Client,
    ClientSearchKey,
    Household,
)
from agent_desk.store.queries import search_client_ids

TODAY = date(2026, 11, 20)
ITEMS = [
    DemoItem(
        "62052400MZ-JF-0001",
        "最低生活保障申请",
        20,
        (
            ("身份证", False, "id_card"),
            ("户口簿", False, "household_register"),
            ("家庭收入证明", True, None),
        ),
    ),
    DemoItem(
        "62052400RS-GG-0001", "城乡居民基本养老保险参保登记", 5, (("身份证", False, "id_card"),)
    ),
    DemoItem(
        "62052400CL-QR-0001",
        "残疾人证办理",
        15,
        (("身份证", False, "id_card"), ("二寸照片", True, None)),
    ),
]
HETERONYM_SURNAMES = "单曾解仇区朴乐"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One 300-client, 900-case demo desk shared by the read-only checks below."""
    from agent_desk.services.desk import open_desk

    desk = open_desk(tmp_path_factory.mktemp("demo"))
    with desk.db.session() as session:
        counts = seed_demo(session, ITEMS, clients=300, cases=900, seed=42, today=TODAY)
        session.commit()
    with desk.db.session() as session:
        yield session, counts
    desk.close()


def test_counts_reported_match_the_rows(seeded) -> None:
    session, counts = seeded
    assert counts["clients"] == 300 and counts["cases"] == 900
    assert session.scalar(select(func.count()).select_from(Client)) == 300
    assert session.scalar(select(func.count()).select_from(Case)) == 900
    assert session.scalar(select(func.count()).select_from(CaseEvent)) == counts["events"]


def test_every_id_number_parses_and_agrees_with_sex_and_birth_date(seeded) -> None:
    session, _ = seeded
    rows = session.execute(select(Client.id_number, Client.sex, Client.birth_date)).all()
    assert len({number for number, _, _ in rows}) == len(rows)
    for number, sex, born in rows:
        parsed = parse_resident_id(number, today=TODAY)
        assert (parsed.sex, parsed.birth_date) == (sex, born), number
        assert born <= TODAY


def test_households_have_a_head_and_live_in_one_village(seeded) -> None:
    session, _ = seeded
    members = defaultdict(list)
    for client in session.scalars(select(Client)):
        members[client.household_id].append(client)
    assert None not in members
    for household in session.scalars(select(Household)):
        people = members[household.id]
        assert [p.name for p in people if p.relation_to_head == "户主"] == [household.head_name]
        assert {p.village_id for p in people} == {household.village_id}


def _replay(events: list[CaseEvent]) -> CaseStatus:
    first, *rest = events
    assert (first.action, first.from_status, first.to_status) == ("entrust", None, "entrusted")
    status = CaseStatus.ENTRUSTED
    for event in rest:
        assert event.from_status == status, (event.action, event.from_status, status)
        payload = dict(event.payload) | ({"reason": event.reason} if event.reason else {})
        step = plan_transition(status, event.action, payload)
        assert step.to_status == event.to_status
        status = step.to_status
    return status


def test_every_case_history_replays_through_the_state_machine(seeded) -> None:
    session, _ = seeded
    history = defaultdict(list)
    for event in session.scalars(select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.at)):
        history[event.case_id].append(event)
    cases = list(session.scalars(select(Case)))
    assert len(history) == len(cases)
    for case in cases:
        assert _replay(history[case.id]) == case.status, case.case_no


def test_event_times_never_run_backwards_or_into_the_future(seeded) -> None:
    session, _ = seeded
    for case in session.scalars(select(Case)):
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
        days = [e.at.date() for e in events]
        assert min(days) == case.entrusted_on and max(days) <= TODAY


def test_due_dates_count_working_days_from_acceptance(seeded) -> None:
    session, _ = seeded
    accepted = 0
    for case in session.scalars(select(Case)):
        if case.accepted_on is None:
            assert case.due_on is None
            continue
        accepted += 1
        assert case.due_on == add_working_days(case.accepted_on, case.promised_days), case.case_no
    assert accepted > 500


def test_deferred_cases_say_which_document_comes_later(seeded) -> None:
    session, _ = seeded
    deferred = list(session.scalars(select(Case).where(Case.deferred == True)))
    assert deferred
    for case in deferred:
        docs = session.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)).all()
        late = [d for d in docs if d.status == "deferred"]
        assert len(late) == 1 and late[0].promised_on is not None
        accept = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "accept")
        ).first()
        if accept is not None:
            promised = accept.payload["deferred_documents"]
            assert [d["name"] for d in promised] == [late[0].name]


def test_cases_exist_in_every_status(seeded) -> None:
    session, _ = seeded
    found = set(session.scalars(select(Case.status).distinct()))
    assert found == {s.value for s in CaseStatus}


def test_the_heteronym_surnames_occur_and_are_searchable(seeded) -> None:
    session, _ = seeded
    for surname in HETERONYM_SURNAMES:
        holders = session.scalars(select(Client.id).where(Client.name.startswith(surname))).all()
        assert holders, surname
        assert set(holders) <= set(search_client_ids(session, surname, limit=1000))


def test_every_client_has_search_keys_for_id_tail_and_phone(seeded) -> None:
    session, _ = seeded
    client = session.scalars(select(Client).where(Client.phone.is_not(None))).first()
    assert client.id in search_client_ids(session, client.id_number[-6:].lower())
    assert client.id in search_client_ids(session, client.phone[-4:], limit=1000)
    keyless = (
        select(func.count())
        .select_from(Client)
        .where(~Client.id.in_(select(ClientSearchKey.client_id)))
    )
    assert session.scalar(keyless) == 0


def test_same_seed_gives_the_same_people(data_home, tmp_path) -> None:
    from agent_desk.services.desk import open_desk

    names = []
    for run in ("a", "b"):
        desk = open_desk(tmp_path / run)
        with desk.db.session() as session:
            seed_demo(session, ITEMS, clients=40, cases=50, seed=7, today=TODAY)
            names.append(session.scalars(select(Client.id_number).order_by(Client.id_number)).all())
        desk.close()
    assert names[0] == names[1]


def test_demo_roster_export_and_reimport_changes_nothing(session, tmp_path) -> None:
    seed_demo(session, ITEMS, clients=120, cases=10, seed=3, today=TODAY)
    session.commit()
    households = session.scalar(select(func.count()).select_from(Household))
    out = tmp_path / "demo.xlsx"
    assert export_clients(out, session=session, full=True) == 120
    report = import_clients(out, session=session)
    session.commit()
    assert (report.created, report.updated, report.unchanged, report.refused) == (0, 0, 120, [])
    assert session.scalar(select(func.count()).select_from(Household)) == households


def test_every_demo_case_names_its_agent_and_the_warnings_credit_him(seeded) -> None:
    from agent_desk.services.supervision import deadline_warnings
    from agent_desk.store.models import User

    session, _counts = seeded
    agent = session.scalars(select(User).where(User.username == "agent")).one()
    assert (
        session.scalar(select(func.count()).select_from(Case).where(Case.agent_id.is_(None))) == 0
    )
    assert set(session.scalars(select(Case.agent_id).distinct())) == {agent.id}
    warnings = deadline_warnings(session, today=TODAY)
    assert warnings.overdue and {w.label for w in warnings.by_agent} == {"王建国"}
