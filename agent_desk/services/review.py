"""The township reviewer's steps: approve, return for correction, and what the review screen shows.

Both steps go through ``cases.apply_action``, so each is an event with an outbox entry in the
caller's transaction and reaches the agent's desk at the next sync. The client's ID number stays
masked on the review screen; revealing it is recorded (who, when, for which case). The caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from agent_desk.core.case_flow import CaseAction
from agent_desk.core.errors import DomainError
from agent_desk.core.identity import mask_id_number
from agent_desk.services.cases import apply_action
from agent_desk.services.library import document_file
from agent_desk.store import audit
from agent_desk.store.case_queries import case_documents, case_events, generated_documents
from agent_desk.store.models import (
    Case,
    CaseEvent,
    Client,
    ClientChange,
    ClientDocument,
    GeneratedDocument,
    Village,
)

REVEAL_SOURCE = "review:reveal_id_number"


def _case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.deleted:
        raise DomainError("找不到该办件，可能已被删除", code="case_missing")
    return case


def return_case(
    case_id: str, reasons: Sequence[str], *, session: Session, actor: str, today: date | None = None
) -> CaseEvent:
    """退回补正 with the reasons the agent will print on the 补正通知书."""
    return apply_action(
        _case(session, case_id),
        CaseAction.RETURN_FOR_CORRECTION,
        {"reasons": list(reasons)},
        session=session,
        actor=actor,
        today=today,
    )


def approve(
    case_id: str,
    *,
    session: Session,
    actor: str,
    comment: str | None = None,
    today: date | None = None,
) -> CaseEvent:
    """审核通过: recorded; the case stays 办理中 until the department concludes it."""
    payload = {"comment": comment} if comment else {}
    return apply_action(
        _case(session, case_id),
        CaseAction.APPROVE,
        payload,
        session=session,
        actor=actor,
        today=today,
    )


def reveal_id_number(
    client_id: str, *, session: Session, actor: str, case_id: str | None = None
) -> str:
    """The full ID number, the reading recorded in the audit chain and the client's change trail (PIPL)."""
    client = session.get(Client, client_id)
    if client is None:
        raise DomainError("找不到该委托人", code="client_missing")
    session.add(
        ClientChange(
            client_id=client_id,
            actor=actor,
            source=REVEAL_SOURCE,
            changes={"viewed": ["id_number"], "case_id": case_id},
        )
    )
    audit.record_view(
        session,
        "client",
        client_id,
        "id_number",
        actor=actor,
        reason=f"review:{case_id}" if case_id else "review",
    )
    return client.id_number or ""


@dataclass(frozen=True)
class ClientSummary:
    """What the review screen shows of the client: never the full ID number."""

    id: str
    name: str
    masked_id: str
    sex: str | None
    birth_date: date | None
    phone: str | None
    address: str | None
    village: str | None


@dataclass(frozen=True)
class ReviewDocument:
    name: str
    original: bool
    status: str
    promised_on: date | None
    file: Path | None  # the attached scan, when there is one on this desk
    mime: str | None


@dataclass(frozen=True)
class ReviewDetail:
    case: Case
    client: ClientSummary
    documents: list[ReviewDocument]
    events: list[CaseEvent]
    generated: list[GeneratedDocument]


def load_review(case_id: str, *, session: Session, attachments: Path) -> ReviewDetail:
    case = _case(session, case_id)
    client = session.get(Client, case.client_id)
    assert client is not None
    village = session.get(Village, client.village_id) if client.village_id else None
    summary = ClientSummary(
        client.id,
        client.name,
        mask_id_number(client.id_number) if client.id_number else "",
        client.sex,
        client.birth_date,
        client.phone,
        client.address,
        village.name if village else None,
    )
    docs = []
    for doc in case_documents(session, case_id):
        scan = (
            session.get(ClientDocument, doc.client_document_id) if doc.client_document_id else None
        )
        path = document_file(attachments, scan) if scan else None
        docs.append(
            ReviewDocument(
                doc.name,
                doc.original,
                doc.status,
                doc.promised_on,
                path if path and path.exists() else None,
                scan.mime if scan else None,
            )
        )
    return ReviewDetail(
        case, summary, docs, case_events(session, case_id), generated_documents(session, case_id)
    )
