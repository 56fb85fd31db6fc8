"""Cases (办件): opening one for a service item, and every step of its lifecycle as an event.

Each step is checked by ``core.case_flow``, recorded as an append-only ``CaseEvent`` with who,
when and why, and queued for the hub in the same transaction. The caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import CaseAction, CaseStatus, plan_transition
from agent_desk.core.errors import DomainError
from agent_desk.protocol.steps import REVIEW_STATES
from agent_desk.services.case_life import check_outstanding, paused_clock
from agent_desk.store.case_queries import case_documents, library_by_kind
from agent_desk.store.models import Case, CaseDocument, CaseEvent, Client, Meta, utcnow
from agent_desk.store.outbox import json_value


@dataclass(frozen=True)
class DocumentSpec:
    """A required document as the catalog declares it (decoupled from the catalog's pydantic model)."""

    name: str
    doc_kind: str | None = None
    original: bool = False
    copies: int = 1
    required: bool = True
    reusable: bool = True
    generated: bool = False  # a form this desk prints (申请表, 授权书): never "missing" at intake


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    promised_days: int
    documents: tuple[DocumentSpec, ...] = ()


def device_tag(session: Session) -> str:
    """A short random tag of this desk, so case numbers made offline on two desks never clash."""
    meta = session.get(Meta, "device_tag")
    if meta is None:
        meta = Meta(key="device_tag", value=secrets.token_hex(2).upper())
        session.add(meta)
    return meta.value


def next_case_no(session: Session, today: date) -> str:
    key = f"case_seq:{today:%Y%m%d}"
    meta = session.get(Meta, key) or Meta(key=key, value="0")
    meta.value = str(int(meta.value) + 1)
    session.add(meta)
    return f"DB{today:%Y%m%d}{device_tag(session)}{int(meta.value):03d}"


def open_case(
    client: Client,
    item: ItemSpec,
    *,
    session: Session,
    actor: str,
    agent_id: str | None = None,
    today: date | None = None,
    manual_fields: Mapping[str, Any] | None = None,
) -> Case:
    """委托: a new case for ``client``; documents already in the client's library count as received."""
    today = today or date.today()
    case = Case(
        case_no=next_case_no(session, today),
        client_id=client.id,
        item_code=item.code,
        item_name=item.name,
        village_id=client.village_id,
        agent_id=agent_id,
        entrusted_on=today,
        promised_days=item.promised_days,
        manual_fields={k: json_value(v) for k, v in (manual_fields or {}).items()},
    )
    session.add(case)
    library = library_by_kind(session, client.id)
    for position, spec in enumerate(item.documents):
        found = library.get(spec.doc_kind or "") if spec.reusable else None
        here = bool(found) or spec.generated
        doc = CaseDocument(
            case_id=case.id,
            name=spec.name,
            doc_kind=spec.doc_kind,
            original=spec.original,
            copies=spec.copies,
            required=spec.required,
            position=position,
            status="received" if here else "missing",
            received_on=today if here else None,
            client_document_id=found.id if found else None,
        )
        session.add(doc)
    _event(session, case, "entrust", None, CaseStatus.ENTRUSTED, actor, None, {})
    return case


def _complete_request(session: Session, request_id: str, today: date) -> None:
    """The last case of a 一件事 to close completes the request (services/requests.py). The flush
    queues the step's new event before the case's change, as the hub wants them."""
    from agent_desk.services.requests import refresh_request

    session.flush()
    refresh_request(session, request_id, today)


def set_document_status(
    doc: CaseDocument,
    status: str,
    *,
    session: Session,
    promised_on: date | None = None,
    client_document_id: str | None = None,
) -> None:
    """Mark a required document received, missing or deferred (容缺, with the promised date)."""
    if status not in ("received", "missing", "deferred"):
        raise DomainError(f"未知的材料状态「{status}」", code="doc_status")
    if status == "deferred" and promised_on is None:
        raise DomainError(
            f"容缺材料「{doc.name}」须填写承诺补交日期",
            code="deferred_needs_date",
            field="promised_on",
        )
    changes: dict[str, Any] = {
        "status": status,
        "promised_on": promised_on if status == "deferred" else None,
        "received_on": date.today() if status == "received" else None,
    }
    if client_document_id is not None:
        changes["client_document_id"] = client_document_id
    for key, value in changes.items():
        setattr(doc, key, value)


def apply_action(
    case: Case,
    action: CaseAction | str,
    payload: Mapping[str, Any] | None = None,
    *,
    session: Session,
    actor: str,
    today: date | None = None,
    pauses_clock: bool = True,
) -> CaseEvent:
    """Move ``case`` one step; refused steps raise a DomainError and change nothing.

    ``pauses_clock`` is the item's correction_pauses_clock: going back after 补正 moves the due date.
    """
    today = today or date.today()
    step = plan_transition(CaseStatus(case.status), CaseAction(action), payload)
    if step.action is CaseAction.ACCEPT:
        _check_documents_before_accept(case, session, step.payload)
    if step.action in (CaseAction.CONCLUDE, CaseAction.ARCHIVE):
        check_outstanding(case, step.payload, session)
    changed = _effects(case, step.action, step.payload, today, session) | _review_effects(
        case, step.action
    )
    if step.action is CaseAction.RESUBMIT:
        changed |= paused_clock(case, session, today, pauses_clock)
    changed["status"] = step.to_status.value
    reason = step.payload.get("reason") or "；".join(step.payload.get("reasons", ())) or None
    # The event is queued before the case's change: on the hub the event is what moves the status.
    event = _event(
        session,
        case,
        step.action.value,
        step.from_status,
        step.to_status,
        actor,
        reason,
        dict(step.payload),
    )
    for key, value in changed.items():
        setattr(case, key, value)
    case.updated_at = utcnow()
    if case.request_id and step.action is CaseAction.CONCLUDE:
        _hand_on(case, session, actor, today)
    if case.request_id and case.status in ("concluded", "withdrawn", "not_accepted"):
        _complete_request(session, case.request_id, today)
    return event


def _hand_on(case: Case, session: Session, actor: str, today: date) -> None:
    """An approved member of a 一件事 hands its result to the members that need it (services/requests.py)."""
    from agent_desk.services.requests import hand_on_products

    session.flush()
    hand_on_products(case, session=session, actor=actor, today=today)


def record_fact(
    session: Session, case: Case, action: str, actor: str, reason: str, payload: dict[str, Any]
) -> CaseEvent:
    """An event that records a fact and moves nothing (protocol.values.RECORDED_ACTIONS)."""
    status = CaseStatus(case.status)
    return _event(session, case, action, status, status, actor, reason, payload)


def _check_documents_before_accept(
    case: Case, session: Session, payload: Mapping[str, Any]
) -> None:
    deferred = {d["name"] for d in payload.get("deferred_documents", ())}
    docs = case_documents(session, case.id)
    missing = [
        d.name for d in docs if d.required and d.status == "missing" and d.name not in deferred
    ]
    if missing:
        raise DomainError(
            "以下必需材料尚未收齐，不能受理（可选择容缺受理并填写承诺补交日期）："
            + "、".join(missing),
            code="documents_missing",
            message_en="required documents missing: " + ", ".join(missing),
        )
    by_name = {d.name: d for d in docs}
    for entry in payload.get("deferred_documents", ()):
        doc = by_name.get(entry["name"])
        if doc is None:
            raise DomainError(f"本办件没有材料「{entry['name']}」", code="unknown_document")
        set_document_status(doc, "deferred", session=session, promised_on=entry["promised_on"])


def _effects(
    case: Case, action: CaseAction, payload: Mapping[str, Any], today: date, session: Session
) -> dict[str, Any]:
    if action is CaseAction.ACCEPT:
        return {
            "accepted_on": today,
            "due_on": add_working_days(today, case.promised_days),
            "deferred": bool(payload.get("deferred_documents")),
        }
    if action is CaseAction.CONCLUDE:
        certificate = (
            f"证照编号：{payload['certificate_no']}" if payload.get("certificate_no") else None
        )
        result = "；".join(t for t in (payload.get("result"), certificate) if t) or None
        return {"outcome": str(payload["outcome"]), "concluded_on": today, "result": result}
    if action is CaseAction.DELIVER:
        return {"delivered_on": today}
    if action is CaseAction.FOLLOW_UP:
        return {
            "satisfaction": payload["satisfaction"],
            "follow_up_comment": payload.get("comment"),
        }
    if action in (CaseAction.SUBMIT, CaseAction.RESUBMIT) and payload.get("batch_id"):
        return {"batch_id": payload["batch_id"]}
    return {}


def _review_effects(case: Case, action: CaseAction) -> dict[str, Any]:
    """The township's review state (the reviewer's queue) and how often the case went back for correction."""
    if action not in REVIEW_STATES:
        return {}
    changed: dict[str, Any] = {"review_state": REVIEW_STATES[action]}
    if action is CaseAction.RETURN_FOR_CORRECTION:
        changed["returned_count"] = (case.returned_count or 0) + 1
    return changed


def _event(
    session: Session,
    case: Case,
    action: str,
    before: CaseStatus | None,
    after: CaseStatus,
    actor: str,
    reason: str | None,
    payload: dict[str, Any],
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        action=action,
        from_status=before.value if before else None,
        to_status=after.value,
        actor=actor,
        at=datetime.now().astimezone(),
        reason=reason,
        payload={k: _jsonable(v) for k, v in payload.items()},
    )
    session.add(event)
    return event


def _jsonable(value: Any) -> Any:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    return json_value(value.value if hasattr(value, "value") else value)


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case screen shows, loaded in one go off the UI thread."""

    case: Case
    client: Client
    documents: list[CaseDocument]
    events: list[CaseEvent]
    generated: list[Any]
    names: dict[str, str] = field(default_factory=dict)  # logins and the agent's id → names
    facts: list[Any] = field(
        default_factory=list
    )  # case_record.RecordedFact: what the steps recorded


def load_case_detail(case_id: str, *, session: Session) -> CaseDetail:
    from agent_desk.services.case_record import people_names, recorded_facts
    from agent_desk.store.case_queries import case_events, generated_documents

    case = session.get(Case, case_id)
    if case is None:
        raise DomainError("找不到该办件，可能已被删除", code="case_missing")
    client = session.get(Client, case.client_id)
    assert client is not None
    events = case_events(session, case_id)
    names = people_names(session, (e.actor for e in events), case.agent_id)
    return CaseDetail(
        case,
        client,
        case_documents(session, case_id),
        events,
        generated_documents(session, case_id),
        names,
        recorded_facts(events, names),
    )


def act_on_case(
    case_id: str,
    action: str,
    payload: Mapping[str, Any],
    *,
    session: Session,
    actor: str,
    pauses_clock: bool = True,
) -> CaseEvent:
    """Load, step and return the event; the caller commits."""
    case = session.get(Case, case_id)
    if case is None:
        raise DomainError("找不到该办件，可能已被删除", code="case_missing")
    return apply_action(
        case, action, payload, session=session, actor=actor, pauses_clock=pauses_clock
    )
