"""The shared fixtures keep their promises, so other tests can lean on them."""

from __future__ import annotations

import keyring
import pytest
from sqlalchemy import select

from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import CaseStatus, plan_transition
from agent_desk.core.identity import parse_resident_id
from agent_desk.store.datadir import resolve_data_dir
from agent_desk.store.models import CaseEvent, OutboxEntry
from agent_desk.store.queries import search_client_ids


def test_data_folder_and_keyring_are_private_to_the_test(
    tmp_path, data_home, memory_keyring
) -> None:
    assert resolve_data_dir().root == data_home and data_home.is_relative_to(tmp_path)
    assert keyring.get_keyring() is memory_keyring and memory_keyring.passwords == {}
    keyring.set_password("agent-desk", "agent", "s3cret")
    assert keyring.get_password("agent-desk", "agent") == "s3cret"
    keyring.delete_password("agent-desk", "agent")
    with pytest.raises(keyring.errors.PasswordDeleteError):
        keyring.delete_password("agent-desk", "agent")


def test_make_client_builds_distinct_valid_searchable_people(session, make_client) -> None:
    people = [make_client(session) for _ in range(30)]
    woman = make_client(session, name="李芳", sex="female", phone=None, address="洛门村1组")
    assert len({p.id_number for p in people}) == 30
    for person in [*people, woman]:
        parsed = parse_resident_id(person.id_number)
        assert (parsed.sex, parsed.birth_date) == (person.sex, person.birth_date)
    assert (woman.sex, woman.phone, woman.address) == ("female", None, "洛门村1组")
    assert search_client_ids(session, "lf") == [woman.id]
    assert session.scalars(select(OutboxEntry.entity_id)).all().count(woman.id) == 1


@pytest.mark.parametrize("status", list(CaseStatus))
def test_make_case_walks_the_state_machine_to_the_status(
    session, make_client, make_case, status
) -> None:
    case = make_case(session, make_client(session), status=status)
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at)
    ).all()
    assert case.status == status and events[0].action == "entrust"
    current = CaseStatus.ENTRUSTED
    for event in events[1:]:
        current = plan_transition(current, event.action, event.payload).to_status
    assert current == status
    if case.accepted_on:
        assert case.due_on == add_working_days(case.accepted_on, case.promised_days)
