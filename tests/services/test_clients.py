"""Registering and editing a client: refused input says why in Chinese; every change is queued for sync."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import InvalidIdNumber, make_resident_id
from agent_desk.services.clients import ClientInput, DuplicateClient, create_client, update_client
from agent_desk.store.models import Client, ClientChange, OutboxEntry

GOOD_ID = make_resident_id("620524", date(1972, 8, 15), 123)  # 3rd-from-last digit odd: male


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _outbox(session, client) -> list[OutboxEntry]:
    stmt = select(OutboxEntry).where(OutboxEntry.entity_id == client.id).order_by(OutboxEntry.seq)
    return list(session.scalars(stmt))


def test_create_stores_sex_and_birth_date_read_from_the_id(session) -> None:
    client = create_client(ClientInput(name="王建国", id_number=GOOD_ID), session=session)
    session.commit()
    stored = session.get(Client, client.id)
    assert (stored.sex, stored.birth_date) == ("male", date(1972, 8, 15))


def test_id_number_typed_with_spaces_and_lower_x_is_stored_normalised(session) -> None:
    number = next(
        make_resident_id("620524", date(1990, 1, 1), s)
        for s in range(999)
        if make_resident_id("620524", date(1990, 1, 1), s).endswith("X")
    )
    typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    client = create_client(ClientInput(name="李芳", id_number=typed), session=session)
    assert client.id_number == number


def test_create_writes_an_outbox_entry_with_the_profile(session) -> None:
    client = create_client(
        ClientInput(name="王建国", id_number=GOOD_ID, phone="139 0938 1234"), session=session
    )
    session.commit()
    [entry] = _outbox(session, client)
    assert entry.entity == "client" and entry.op == "upsert"
    assert entry.fields["name"] == "王建国"
    assert entry.fields["phone"] == "13909381234"
    assert entry.fields["birth_date"] == "1972-08-15"


def test_rollback_leaves_neither_client_nor_outbox_entry(session) -> None:
    create_client(ClientInput(name="王建国", id_number=GOOD_ID), session=session)
    session.flush()
    session.rollback()
    assert _count(session, Client) == 0
    assert _count(session, OutboxEntry) == 0


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1"), "校验"),
        (GOOD_ID[:-2], "位"),
        (GOOD_ID[:10] + "1399" + GOOD_ID[14:], "出生日期"),
    ],
    ids=["check digit", "length", "impossible date"],
)
def test_bad_id_number_is_refused_in_chinese(session, number, words) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        create_client(ClientInput(name="王建国", id_number=number), session=session)
    assert words in str(caught.value)
    assert _count(session, Client) == 0


def test_duplicate_id_number_is_refused_naming_the_holder(session, make_client) -> None:
    make_client(session, name="王建国", id_number=GOOD_ID)
    with pytest.raises(DuplicateClient) as caught:
        create_client(ClientInput(name="王建华", id_number=GOOD_ID.lower()), session=session)
    assert "王建国" in str(caught.value) and "重复" in str(caught.value)
    assert _count(session, Client) == 1


@pytest.mark.parametrize(
    "name",
    ["王建国😀", "Robert'); DROP TABLE client;--", "王' OR '1'='1", "", "王" * 31, "王<b>"],
    ids=["emoji", "sql drop", "sql or", "empty", "too long", "markup"],
)
def test_names_that_are_not_names_are_refused(session, name) -> None:
    with pytest.raises(DomainError) as caught:
        create_client(ClientInput(name=name, id_number=GOOD_ID), session=session)
    assert "姓名" in str(caught.value)
    assert _count(session, Client) == 0


def test_ethnic_name_with_middle_dot_is_accepted(session) -> None:
    client = create_client(ClientInput(name="阿依古丽・买买提", id_number=GOOD_ID), session=session)
    assert client.name == "阿依古丽·买买提"


def test_bad_phone_is_refused(session) -> None:
    with pytest.raises(DomainError) as caught:
        create_client(
            ClientInput(name="王建国", id_number=GOOD_ID, phone="1390938"), session=session
        )
    assert "号码" in str(caught.value) or "电话" in str(caught.value)


def test_update_records_old_and_new_values_and_queues_only_changed_fields(
    session, make_client
) -> None:
    client = make_client(
        session, name="王建国", id_number=GOOD_ID, phone="13909381234", address="洛门村3组12号"
    )
    session.commit()
    changes = update_client(
        client,
        ClientInput(
            name="王建国",
            id_number=GOOD_ID,
            phone="13800001111",
            extra={"address": "洛门村3组12号"},
        ),
        session=session,
        actor="agent",
    )
    session.commit()
    assert changes == {"phone": ["13909381234", "13800001111"]}
    [change] = session.scalars(select(ClientChange).where(ClientChange.client_id == client.id))
    assert change.changes == {"phone": ["13909381234", "13800001111"]}
    assert (change.actor, change.source) == ("agent", "edit")
    create_entry, update_entry = _outbox(session, client)
    assert update_entry.fields == {"phone": "13800001111"}
    assert session.get(Client, client.id).phone == "13800001111"


def test_a_new_name_goes_to_the_hub_with_its_sort_key(session, make_client) -> None:
    """The hub holds the row's sort key since its creation; a rename must not leave the old one there."""
    client = make_client(session, name="杨英珍", id_number=GOOD_ID)
    session.commit()
    update_client(
        client, ClientInput(name="黄兰玉", id_number=GOOD_ID), session=session, actor="agent"
    )
    session.commit()
    _create_entry, update_entry = _outbox(session, client)
    assert update_entry.fields == {"name": "黄兰玉", "sort_key": "huanglanyu"}


def test_update_with_nothing_changed_records_nothing(session, make_client) -> None:
    client = make_client(session, name="王建国", id_number=GOOD_ID, phone="13909381234")
    session.commit()
    assert (
        update_client(
            client,
            ClientInput(name="王建国", id_number=GOOD_ID, phone="13909381234"),
            session=session,
        )
        == {}
    )
    session.commit()
    assert _count(session, ClientChange) == 0
    assert len(_outbox(session, client)) == 1


def test_update_to_another_clients_id_number_is_refused(session, make_client) -> None:
    first = make_client(session, name="王建国", id_number=GOOD_ID)
    second = make_client(session, name="李芳")
    with pytest.raises(DuplicateClient):
        update_client(second, ClientInput(name="李芳", id_number=GOOD_ID), session=session)
    assert second.id_number != first.id_number
    assert _count(session, ClientChange) == 0


def test_an_unknown_profile_field_is_refused(session) -> None:
    with pytest.raises(DomainError):
        create_client(
            ClientInput(name="王建国", id_number=GOOD_ID, extra={"is_admin": True}), session=session
        )
