"""Households (户): the family unit many forms list, made from the head's profile."""

from __future__ import annotations

from sqlmodel import Session

from agent_desk.services.clients import ClientInput, update_client
from agent_desk.store.models import Client, Household

HEAD = "户主"
REGISTRATION_TYPES = ("农业", "非农业", "居民")
RELATIONS = (
    "户主",
    "配偶",
    "子",
    "女",
    "父亲",
    "母亲",
    "儿媳",
    "女婿",
    "孙子",
    "孙女",
    "兄弟",
    "姐妹",
    "其他",
)


def start_household(
    head: Client, *, session: Session, actor: str = "", registration_type: str | None = None
) -> Household:
    """A household headed by ``head``; its address starts as the head's."""
    household = Household(
        village_id=head.village_id,
        address=head.address,
        head_name=head.name,
        registration_type=registration_type,
    )
    session.add(household)
    session.flush()
    update_client(
        head,
        _same(head, household_id=household.id, relation_to_head=HEAD),
        session=session,
        actor=actor,
    )
    return household


def _same(client: Client, **extra: str) -> ClientInput:
    """An input that changes only ``extra`` (the identity fields are passed through unchanged)."""
    return ClientInput(
        name=client.name,
        id_number=client.id_number,
        kind=client.kind,
        phone=client.phone,
        extra=extra,
    )


def member_input(head: Client, data: ClientInput, relation: str) -> ClientInput:
    """A new member's input, placed in the head's household and village."""
    extra = dict(data.extra) | {"household_id": head.household_id, "relation_to_head": relation}
    if head.village_id and not extra.get("village_id"):
        extra["village_id"] = head.village_id
    return ClientInput(
        name=data.name, id_number=data.id_number, kind=data.kind, phone=data.phone, extra=extra
    )


def update_household(
    household_id: str,
    *,
    session: Session,
    address: str | None = None,
    registration_type: str | None = None,
) -> dict[str, str | None]:
    """Change the household's own facts (household-register address, 户口性质); returns what changed."""
    household = session.get(Household, household_id)
    if household is None:
        return {}
    wanted = {
        "address": (address or "").strip() or None,
        "registration_type": (registration_type or "").strip() or None,
    }
    changes: dict[str, str | None] = {
        k: v for k, v in wanted.items() if v is not None and getattr(household, k) != v
    }
    for key, value in changes.items():
        setattr(household, key, value)
    return changes
