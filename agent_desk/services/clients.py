"""Client profiles: validated once at the edge, stored with search keys and an outbox entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import id_match_key, parse_credit_code, parse_resident_id
from agent_desk.core.validation import normalize_org_name, normalize_person_name, normalize_phone
from agent_desk.store.models import Client, ClientChange, utcnow
from agent_desk.store.outbox import json_value
from agent_desk.store.queries import (
    client_by_id_number,
    insert_search_keys,
    search_key_rows,
    set_search_keys,
)

# An organisation's own profile (issue 21): its representative, contact and business scope.
ORG_FIELDS = (
    "legal_rep_name",
    "legal_rep_id_number",
    "legal_rep_client_id",
    "contact_name",
    "contact_phone",
    "business_scope",
)
EDITABLE = (
    "name",
    "id_number",
    "phone",
    "address",
    "village_id",
    "household_id",
    "relation_to_head",
    "ethnicity",
    "marital_status",
    "education",
    "bank_name",
    "bank_account",
    "disability",
    "poverty_status",
    "note",
    *ORG_FIELDS,
)
MAX_TEXT = 200
# Fields an agent may empty again; name and ID number are the client's identity and stay.
CLEARABLE = frozenset(EDITABLE) - {"name", "id_number"}


class DuplicateClient(DomainError):
    def __init__(self, id_number: str, name: str) -> None:
        super().__init__(
            f"身份证号码 {id_number} 已登记在「{name}」名下，不能重复登记。",
            code="duplicate_client",
            message_en=f"ID number {id_number} already belongs to {name}",
            field="id_number",
        )


@dataclass
class ClientInput:
    """What an agent types or a roster row carries; ``validated()`` turns it into clean fields."""

    name: str
    id_number: str | None = None
    kind: str = "person"
    phone: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Fields to empty on update. An empty value alone means "not given" (a roster column left
    # blank must not wipe a profile), so a field the agent cleared is named here explicitly.
    clear: frozenset[str] = frozenset()

    def validated(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "organisation":
            out["name"] = normalize_org_name(self.name)
            out["id_number"] = parse_credit_code(self.id_number).number if self.id_number else None
        else:
            out["name"] = normalize_person_name(self.name)
            out.update(_person_identity(self.id_number))
        out["phone"] = normalize_phone(self.phone) if self.phone and self.phone.strip() else None
        for key, value in self.extra.items():
            out[key] = _clean_text(key, value)
        _check_org_people(out, self.kind)
        if unknown := sorted(self.clear - CLEARABLE):
            raise DomainError(f"「{unknown[0]}」不能清空", code="not_clearable", field=unknown[0])
        return out


def _check_org_people(out: dict[str, Any], kind: str) -> None:
    """An organisation's representative is checked like any resident; a person has none."""
    given = [key for key in ORG_FIELDS if out.get(key)]
    if given and kind != "organisation":
        raise DomainError(
            "个人委托人没有法定代表人、联系人和经营范围", code="org_only_field", field=given[0]
        )
    if number := out.get("legal_rep_id_number"):
        try:
            out["legal_rep_id_number"] = parse_resident_id(number).number
        except DomainError as exc:
            raise DomainError(
                f"法定代表人身份证号码有误：{exc}", code="legal_rep_id", field="legal_rep_id_number"
            ) from None
    if phone := out.get("contact_phone"):
        out["contact_phone"] = normalize_phone(phone)


def _person_identity(raw: str | None) -> dict[str, Any]:
    if not raw or not raw.strip():
        return {"id_number": None}
    rid = parse_resident_id(raw)
    return {"id_number": rid.number, "sex": rid.sex, "birth_date": rid.birth_date}


def _clean_text(key: str, value: Any) -> Any:
    if key not in EDITABLE:
        raise DomainError(f"未知的档案字段「{key}」", code="unknown_field", field=key)
    if value is None or key.endswith("_id"):
        return value
    text = " ".join(str(value).split())
    if len(text) > MAX_TEXT:
        raise DomainError(
            f"「{key}」太长（{len(text)} 字），最多 {MAX_TEXT} 字", code="too_long", field=key
        )
    if any(ord(ch) < 32 for ch in text):
        raise DomainError(f"「{key}」含有控制字符", code="control_char", field=key)
    return text or None


def create_client(data: ClientInput, *, session: Session, actor: str = "") -> Client:
    """Register a new client; an ID number already on file is refused."""
    fields = data.validated()
    if fields.get("id_number") and (existing := client_by_id_number(session, fields["id_number"])):
        raise DuplicateClient(fields["id_number"], existing.name)
    return add_client(fields, session=session)


def add_client(
    fields: dict[str, Any], *, session: Session, batch: ClientBatch | None = None
) -> Client:
    """Store validated fields the caller has checked for duplicates, queued for the hub.

    With a ``batch`` the client and its search keys are written when the batch is (a roster of
    thousands). The sort key is set before the outbox entry, which carries it to the hub.
    """
    client = Client(**fields)
    if batch is None:
        session.add(client)
        set_search_keys(session, client)
    else:
        batch.clients.append(client)
        batch.key_rows += search_key_rows(client)
    return client


@dataclass
class ClientBatch:
    """New clients written together: after the households they refer to, keys in one insert."""

    clients: list[Client] = field(default_factory=list)
    key_rows: list[dict[str, str]] = field(default_factory=list)

    def write(self, session: Session) -> None:
        session.flush()  # households first: the unit of work does not order by foreign keys
        session.add_all(self.clients)
        insert_search_keys(session, self.key_rows)
        self.clients.clear()
        self.key_rows.clear()


def update_client(
    client: Client,
    data: ClientInput,
    *,
    session: Session,
    actor: str = "",
    source: str = "edit",
    fields: dict[str, Any] | None = None,
) -> dict[str, list[Any]]:
    """Apply changed fields only; record old and new values. Returns {field: [old, new]}.

    ``fields`` are ``data.validated()`` when the caller has them already. A 15-digit number for a
    client on file with its 18-digit form leaves the 18-digit number in place.
    """
    fields = dict(fields if fields is not None else data.validated())
    new_number = fields.get("id_number")
    if new_number and len(new_number) == 15 and id_match_key(new_number) == client.id_number:
        fields.pop("id_number")
        new_number = None
    if new_number and new_number != client.id_number:
        other = client_by_id_number(session, new_number)
        if other is not None and other.id != client.id:
            raise DuplicateClient(new_number, other.name)
    fields |= {key: None for key in data.clear if fields.get(key) is None}
    changes = {
        key: [json_value(getattr(client, key)), json_value(value)]
        for key, value in fields.items()
        if (value is not None or key in data.clear) and getattr(client, key) != value
    }
    if not changes:
        return {}
    for key in changes:
        setattr(client, key, fields[key])
    client.updated_at = utcnow()
    if changes.keys() & {"name", "id_number", "phone"}:
        set_search_keys(session, client)
    session.add(ClientChange(client_id=client.id, actor=actor, source=source, changes=changes))
    return changes


def age_on(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def find_lines(session: Session, query: str, *, limit: int = 50) -> list[str]:
    """The clients the search box shows for ``query``, one tab-separated line each, numbers masked."""
    from agent_desk.core.masking import mask_id, mask_phone
    from agent_desk.store.listing import client_rows
    from agent_desk.store.queries import search_client_ids

    ids = search_client_ids(session, query, limit=limit)
    rows = client_rows(session, ids)
    return [
        "\t".join((row.name, mask_id(row.id_number), mask_phone(row.phone), row.village or ""))
        for row in (rows[i] for i in ids if i in rows)
    ]
