"""Store rows mapped onto ``core.profile`` value types, which is all the fill layer reads."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from agent_desk.catalog.schema import ServiceItem
from agent_desk.core.conditions import ProfileFacts
from agent_desk.core.profile import (
    AgentInfo,
    CaseDocument,
    CaseInfo,
    ClientProfile,
    Household,
    Member,
)
from agent_desk.services.settings import Settings
from agent_desk.store.case_queries import case_documents, household_members
from agent_desk.store.models import Case, Client, Village
from agent_desk.store.models import Household as HouseholdRow

AGENT_KEYS = ("name", "phone", "id_number", "village", "service_room")


def agent_info(settings: Settings) -> AgentInfo:
    """The agent doing the errand, as recorded in Settings (name falls back to the login name)."""
    raw: dict[str, Any] = settings.agent.values()
    values = {key: (str(raw.get(key) or "").strip() or None) for key in AGENT_KEYS}
    values["name"] = values["name"] or settings.username or ""
    return AgentInfo(**values)  # type: ignore[arg-type]


def profile_facts(session: Session, client: Client, catalog: Any) -> ProfileFacts:
    """What the intake's conditions page can read: the birth date and the village against the catalog's county."""
    village = session.get(Village, client.village_id) if client.village_id else None
    meta = getattr(catalog, "meta", None)
    return ProfileFacts(
        birth_date=client.birth_date,
        village_code=village.code if village else None,
        village_name=village.name if village else None,
        county_code=meta.region_code if meta else "",
        county_name=meta.region_name if meta else "",
    )


def client_profile(session: Session, client: Client) -> ClientProfile:
    village = session.get(Village, client.village_id) if client.village_id else None
    return ClientProfile(
        name=client.name,
        kind=client.kind,  # type: ignore[arg-type]
        id_number=client.id_number,
        phone=client.phone,
        address=client.address,
        village=village.name if village else None,
        township=village.township_name if village else None,
        county=(village.county_name or None) if village else None,
        ethnicity=client.ethnicity,
        marital_status=client.marital_status,
        education=client.education,
        bank_name=client.bank_name,
        bank_account=client.bank_account,
        bank_account_holder=client.name if client.bank_account else None,
        relation_to_head=client.relation_to_head,
        disability=client.disability,
        poverty_status=client.poverty_status,
        household=_household(session, client),
        **_organisation(session, client),
    )


def _organisation(session: Session, client: Client) -> dict[str, str | None]:
    """An organisation's people: the legal representative's own profile when linked, else as typed."""
    if client.kind != "organisation":
        return {}
    rep = session.get(Client, client.legal_rep_client_id) if client.legal_rep_client_id else None
    return {
        "legal_rep_name": rep.name if rep else client.legal_rep_name,
        "legal_rep_id_number": rep.id_number if rep else client.legal_rep_id_number,
        "legal_rep_phone": rep.phone if rep else None,
        "contact_name": client.contact_name,
        "contact_phone": client.contact_phone,
        "business_scope": client.business_scope,
    }


def _household(session: Session, client: Client) -> Household:
    if not client.household_id:
        return Household(address=client.address, members=(_member(client),))
    row = session.get(HouseholdRow, client.household_id)
    members = tuple(_member(m) for m in household_members(session, client.household_id)) or (
        _member(client),
    )
    if row is None:
        return Household(address=client.address, members=members)
    return Household(
        address=row.address,
        head_name=row.head_name,
        registration_type=row.registration_type,
        members=members,
    )


def _member(client: Client) -> Member:
    return Member(
        name=client.name,
        relation=client.relation_to_head or "户主",
        id_number=client.id_number,
        sex=client.sex,
        birth_date=client.birth_date,
        disability=client.disability,
        phone=client.phone,
    )


def case_info(
    session: Session,
    case: Case,
    item: ServiceItem | None = None,
    correction_reasons: tuple[str, ...] = (),
) -> CaseInfo:
    documents = tuple(
        CaseDocument(d.name, d.original, d.copies, d.required, d.status, d.promised_on)  # type: ignore[arg-type]
        for d in case_documents(session, case.id)
    )
    return CaseInfo(
        case_no=case.case_no,
        item_code=case.item_code,
        item_name=case.item_name,
        status=case.status,
        entrusted_on=case.entrusted_on,
        accepted_on=case.accepted_on,
        due_on=case.due_on,
        concluded_on=case.concluded_on,
        delivered_on=case.delivered_on,
        outcome=case.outcome,
        result=case.result,
        correction_reasons=correction_reasons,
        documents=documents,
        department=item.department if item else None,
        note="容缺受理" if case.deferred else None,
    )
