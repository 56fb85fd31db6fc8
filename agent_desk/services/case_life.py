"""A case's documents over its life, and its clock while it waits for a correction.

In a village a document often arrives days after intake (补交); a 容缺 document was promised for a
date and closes when it comes. A case is not concluded or archived with a required document still
outstanding unless the agent records why. Time spent in 补正 is not counted against the deadline
(the correction notice says the time limit restarts): the working days waited are added to the
due date when the case goes back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from agent_desk.core.calendar import add_working_days, working_days_between
from agent_desk.core.errors import DomainError
from agent_desk.store.case_queries import case_documents, last_event
from agent_desk.store.models import Case, CaseDocument, ClientDocument

OPEN_FOR_DOCUMENTS = ("entrusted", "accepted", "in_progress", "needs_correction", "concluded")
OUTSTANDING = ("missing", "deferred")


def receive_document(
    doc: CaseDocument, on: date, *, session: Session, client_document_id: str | None = None
) -> None:
    """补交: the document arrived on ``on`` (a 容缺 item closes: its promise is kept with it)."""
    changes: dict[str, Any] = {"status": "received", "received_on": on}
    if client_document_id is not None:
        changes["client_document_id"] = client_document_id
    for key, value in changes.items():
        setattr(doc, key, value)
    _close_deferral(session, doc.case_id)


def _close_deferral(session: Session, case_id: str) -> None:
    """The case stops being 容缺 once nothing promised is still awaited."""
    case = session.get(Case, case_id)
    if case is None or not case.deferred:
        return
    session.flush()
    if not any(d.status == "deferred" for d in case_documents(session, case_id)):
        case.deferred = False


def receive_document_by_id(doc_id: str, on: date, *, session: Session) -> CaseDocument:
    doc = session.get(CaseDocument, doc_id)
    if doc is None or doc.deleted:
        raise DomainError("找不到该材料，可能已被删除", code="document_missing")
    if doc.status == "received":
        raise DomainError(f"材料「{doc.name}」已收取", code="document_received")
    receive_document(doc, on, session=session)
    return doc


def outstanding_required(session: Session, case_id: str) -> list[str]:
    return [
        d.name for d in case_documents(session, case_id) if d.required and d.status in OUTSTANDING
    ]


def check_outstanding(case: Case, payload: Mapping[str, Any], session: Session) -> None:
    """办结 or 归档 with a required document outstanding needs the reason recorded in the step."""
    names = outstanding_required(session, case.id)
    reason = str(payload.get("outstanding_reason") or "").strip()
    if names and not reason:
        raise DomainError(
            "以下必需材料尚未收到："
            + "、".join(names)
            + "。如仍要继续，请填写原因（记入办件过程）",
            code="documents_outstanding",
            field="outstanding_reason",
            message_en="required documents outstanding: " + ", ".join(names),
        )


def library_scan_received(
    scan: ClientDocument, on: date, *, session: Session
) -> list[CaseDocument]:
    """A scan put in the client's library marks the same kind of document received in open cases."""
    stmt = (
        select(CaseDocument)
        .join(Case, col(Case.id) == col(CaseDocument.case_id))
        .where(
            col(Case.client_id) == scan.client_id,
            col(Case.status).in_(OPEN_FOR_DOCUMENTS),
            col(Case.deleted).is_(False),
            col(CaseDocument.doc_kind) == scan.doc_kind,
            col(CaseDocument.status).in_(OUTSTANDING),
            col(CaseDocument.deleted).is_(False),
        )
    )
    docs = list(session.scalars(stmt))
    for doc in docs:
        receive_document(doc, on, session=session, client_document_id=scan.id)
    return docs


def correction_pause(returned_on: date, resumed_on: date) -> int:
    """Working days a case waited in 补正: from the day after it was returned up to the day it went back."""
    return max(0, working_days_between(returned_on, resumed_on))


def paused_clock(
    case: Case, session: Session, today: date, pauses_clock: bool = True
) -> dict[str, Any]:
    """The due date moved by the working days just spent in 补正 (per item: correction_pauses_clock)."""
    returned = last_event(session, case.id, "return_for_correction")
    if not pauses_clock or returned is None or case.due_on is None:
        return {}
    days = correction_pause(returned.at.date(), today)
    if not days:
        return {}
    return {
        "due_on": add_working_days(case.due_on, days),
        "paused_days": (case.paused_days or 0) + days,
    }
