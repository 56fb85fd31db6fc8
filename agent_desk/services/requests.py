"""Requests (项目 / 一件事): one intake opens the request and every case of its bundle.

The documents are entered once, by kind: a paper the client brings counts for every member case
that asks for it. A member waiting for another (B after A is approved) is opened 委托 but not
accepted; once its predecessors are approved it is *startable* and shows in 今日待办. The request's
overall deadline is the longest chain of promised working days through the bundle's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from agent_desk.catalog import Catalog
from agent_desk.catalog.bundles import dependency_order
from agent_desk.catalog.schema import Bundle
from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import CaseAction
from agent_desk.core.errors import DomainError, bilingual
from agent_desk.core.profile import AgentInfo
from agent_desk.services.cases import apply_action, device_tag
from agent_desk.services.desk_setup import desk_agent_id
from agent_desk.store.case_queries import STATUS_UNINDEXED
from agent_desk.store.models import Case, CaseDocument, Client, Meta, Request, utcnow
from agent_desk.store.sealed import writer_for
from agent_desk.store.today_queries import TodayList, TodayRow

if TYPE_CHECKING:  # the intake and the docx stack load with the first request opened or printed:
    # 今日待办's startable list (add_startable) is read at start, before the desk needs them
    from agent_desk.services.intake import DocumentChoice
    from agent_desk.store.crypto import BlobCipher

STARTABLE = "startable"  # 今日待办's list of bundle members that can start now
CLOSED = ("concluded", "delivered", "archived", "withdrawn", "not_accepted")
APPROVED = "approved"


@dataclass
class BundleIntake:
    """What the agent entered once for the whole bundle: documents by kind, manual fields by name."""

    client_id: str
    bundle_code: str
    documents: dict[str, DocumentChoice] = field(default_factory=dict)  # doc kind → choice
    manual: dict[str, Any] = field(default_factory=dict)


def next_request_no(session: Session, today: date) -> str:
    key = f"request_seq:{today:%Y%m%d}"
    meta = session.get(Meta, key) or Meta(key=key, value="0")
    meta.value = str(int(meta.value) + 1)
    session.add(meta)
    return f"YJS{today:%Y%m%d}{device_tag(session)}{int(meta.value):03d}"


def bundle_days(bundle: Bundle, catalog: Catalog) -> int:
    """Working days of the longest chain of promised time limits (parallel members overlap)."""
    finish: dict[str, int] = {}
    for code in dependency_order(bundle):
        start = max((finish[b] for b in bundle.predecessors(code)), default=0)
        finish[code] = start + max(catalog.item(code).promised_days, 1)
    return max(finish.values(), default=0)


def start_request(
    intake: BundleIntake, catalog: Catalog, *, session: Session, actor: str, today: date
) -> Request:
    """委托 of the whole bundle: the request, then each member case, documents as entered once."""
    from agent_desk.services.intake import check_applicant

    bundle = catalog.bundle(intake.bundle_code)
    client = session.get(Client, intake.client_id)
    if client is None or client.deleted:
        raise DomainError("找不到该委托人，可能已被删除", code="client_missing")
    for code in bundle.item_codes:
        check_applicant(catalog.item(code), client)
    from agent_desk.services.request_forms import form_values

    typed = form_values(bundle, intake.manual)  # a bad entry refused before anything is written
    request = Request(
        request_no=next_request_no(session, today),
        bundle_code=bundle.code,
        bundle_name=bundle.name,
        client_id=client.id,
        village_id=client.village_id,
        agent_id=desk_agent_id(session, actor),
        opened_on=today,
        due_on=add_working_days(today, bundle_days(bundle, catalog)),
        trips_saved=max(len(bundle.members) - 1, 0),
        plan={
            "members": [
                {"item": m.item, "after": list(m.after), "produces": list(m.produces)}
                for m in bundle.members
            ],
            "form_fields": typed,  # the 一表申请's typed fields (services/request_forms.py)
        },
    )
    session.add(request)
    session.flush()
    for code in dependency_order(bundle):
        _open_member(request, code, intake, catalog, session=session, actor=actor, today=today)
    return request


def _open_member(
    request: Request,
    code: str,
    intake: BundleIntake,
    catalog: Catalog,
    *,
    session: Session,
    actor: str,
    today: date,
) -> Case:
    item = catalog.item(code)
    choices = {
        d.name: intake.documents[d.doc_kind]
        for d in item.documents
        if d.doc_kind in intake.documents
    }
    from agent_desk.services.intake import IntakeRequest, start_intake

    waits = bool(plan_of(request).get(code))
    one = IntakeRequest(intake.client_id, code, choices, intake.manual)
    case = start_intake(one, catalog, session=session, actor=actor, today=today, accept=not waits)
    case.request_id = request.id
    return case


@dataclass(frozen=True)
class MemberRow:
    """One case of a request as its page shows it."""

    case_id: str
    case_no: str
    item_code: str
    item_name: str
    status: str
    outcome: str | None
    review_state: str | None
    due_on: date | None
    blocked_by: tuple[str, ...]  # names of the items still to be approved first
    startable: bool  # its predecessors are approved and it has not been accepted yet


@dataclass(frozen=True)
class SharedDocument:
    """A paper collected once for the request: its state in each case that asks for it."""

    doc_kind: str
    name: str
    status: str  # received when every case has it, else the state still awaited
    used_by: tuple[str, ...]


@dataclass(frozen=True)
class RequestView:
    request: Request
    client_name: str
    members: tuple[MemberRow, ...]
    documents: tuple[SharedDocument, ...]

    @property
    def done(self) -> int:
        return sum(m.status in CLOSED for m in self.members)

    @property
    def progress(self) -> float:
        return self.done / len(self.members) if self.members else 0.0


def request_cases(session: Session, request_id: str) -> list[Case]:
    stmt = select(Case).where(col(Case.request_id) == request_id, col(Case.deleted).is_(False))
    return list(session.scalars(stmt))


def plan_of(request: Request) -> dict[str, list[str]]:
    """Item code → the codes it waits for, in the bundle's order (a JSON list keeps it on any hub)."""
    members = request.plan.get("members", []) if isinstance(request.plan, dict) else []
    return {str(m.get("item")): [str(a) for a in m.get("after", [])] for m in members}


def produced_by(request: Request) -> dict[str, str]:
    """Document kind → the item whose approval produces it (requests opened before: none)."""
    members = request.plan.get("members", []) if isinstance(request.plan, dict) else []
    return {str(k): str(m.get("item")) for m in members for k in m.get("produces", ()) or ()}


HANDED_ON = "document_handed_on"  # the case event of a paper another member case produced


def hand_on_products(case: Case, *, session: Session, actor: str, today: date) -> int:
    """An approved member's result is a paper the later members need (出生医学证明 for 落户): it is
    received in every open case of the request that asks for it, with an event naming its source."""
    request = session.get(Request, case.request_id) if case.request_id else None
    if request is None or case.outcome != APPROVED:
        return 0
    kinds = [k for k, code in produced_by(request).items() if code == case.item_code]
    count = 0
    for other in request_cases(session, request.id) if kinds else []:
        if other.id == case.id or other.status in CLOSED:
            continue
        for doc in session.scalars(
            select(CaseDocument).where(
                col(CaseDocument.case_id) == other.id,
                col(CaseDocument.doc_kind).in_(kinds),
                col(CaseDocument.deleted).is_(False),
            )
        ):
            if doc.status == "received":
                continue
            doc.status, doc.received_on, doc.promised_on = "received", today, None
            _handed_on_event(session, other, doc, case, actor)
            count += 1
    return count


def _handed_on_event(
    session: Session, case: Case, doc: CaseDocument, source: Case, actor: str
) -> None:
    from agent_desk.services.cases import record_fact

    why = bilingual(  # shown in the window's language (ui.labels.event_reason)
        f"「{doc.name}」由本一件事的办件 {source.case_no}「{source.item_name}」办结产出，已自动收取",
        f"received from case {source.case_no} of this request, which produced it",
    )
    record_fact(
        session,
        case,
        HANDED_ON,
        actor,
        why,
        {"doc_kind": doc.doc_kind, "from_case": source.id, "from_case_no": source.case_no},
    )


def member_rows(request: Request, cases: list[Case]) -> list[MemberRow]:
    """Each case with what it waits for, in the bundle's order."""
    by_code = {c.item_code: c for c in cases}
    names = {c.item_code: c.item_name for c in cases}
    plan = plan_of(request)
    order = list(plan) or list(by_code)
    rows = []
    for code in order:
        case = by_code.get(code)
        if case is None:
            continue
        waiting = tuple(
            names.get(b, b)
            for b in plan.get(code, ())
            if getattr(by_code.get(b), "outcome", None) != APPROVED
        )
        startable = not waiting and case.status == "entrusted" and case.accepted_on is None
        rows.append(
            MemberRow(
                case.id,
                case.case_no,
                code,
                case.item_name,
                case.status,
                case.outcome,
                case.review_state,
                case.due_on,
                waiting,
                startable and bool(plan.get(code)),
            )
        )
    return rows


def load_request(session: Session, request_id: str) -> RequestView:
    """The request page: its cases by key (ix_case_request), their documents, the client's name."""
    request = session.get(Request, request_id)
    if request is None or request.deleted:
        raise DomainError("找不到该一件事，可能已被删除", code="request_missing")
    cases = request_cases(session, request.id)
    client_name = session.scalar(
        select(col(Client.name)).where(col(Client.id) == request.client_id)
    )
    return RequestView(
        request,
        client_name or "",
        tuple(member_rows(request, cases)),
        tuple(_shared(session, cases)),
    )


def _shared(session: Session, cases: list[Case]) -> list[SharedDocument]:
    names = {c.id: c.item_name for c in cases}
    docs = session.scalars(
        select(CaseDocument)
        .where(col(CaseDocument.case_id).in_(names), col(CaseDocument.deleted).is_(False))
        .order_by(col(CaseDocument.position))
    )
    grouped: dict[str, list[CaseDocument]] = {}
    for doc in docs:
        grouped.setdefault(doc.doc_kind or doc.name, []).append(doc)
    out = []
    for kind, group in grouped.items():
        states = {d.status for d in group}
        status = (
            "received"
            if states == {"received"}
            else ("deferred" if "deferred" in states else "missing")
        )
        used = tuple(dict.fromkeys(names[d.case_id] for d in group))
        out.append(SharedDocument(kind, group[0].name, status, used))
    return out


def receive_shared_document(
    request_id: str, doc_kind: str, *, session: Session, today: date
) -> int:
    """补交 once: the paper of this kind arrives for every case of the request that still waits for it."""
    cases = request_cases(session, request_id)
    count = 0
    for case in cases:
        for doc in session.scalars(
            select(CaseDocument).where(
                col(CaseDocument.case_id) == case.id, col(CaseDocument.doc_kind) == doc_kind
            )
        ):
            if doc.status != "received":
                doc.status, doc.received_on, doc.promised_on = "received", today, None
                count += 1
    return count


def start_member(
    case_id: str, catalog: Catalog, *, session: Session, actor: str, today: date
) -> Case:
    """受理 a member whose predecessors are now approved (it was opened 委托 while it waited)."""
    case = session.get(Case, case_id)
    if case is None or case.request_id is None:
        raise DomainError("该办件不属于一件事", code="not_in_request")
    request = session.get(Request, case.request_id)
    assert request is not None
    row = next(
        r for r in member_rows(request, request_cases(session, request.id)) if r.case_id == case_id
    )
    if row.blocked_by:
        raise DomainError(
            f"「{case.item_name}」须等「{'、'.join(row.blocked_by)}」办结批准后才能办理",
            code="blocked_by_predecessor",
        )
    apply_action(case, CaseAction.ACCEPT, {}, session=session, actor=actor, today=today)
    return case


def refresh_request(session: Session, request_id: str, today: date) -> Request:
    """Completed once every case is closed; opened again if a case is (a correction reopens nothing,
    but a desk's view must follow the cases that the hub moved)."""
    request = session.get(Request, request_id)
    assert request is not None
    cases = request_cases(session, request_id)
    complete = bool(cases) and all(c.status in CLOSED for c in cases)
    if complete and request.status == "open":
        ends = [c.concluded_on for c in cases if c.concluded_on]
        request.status, request.completed_on = "completed", max(ends, default=today)
        request.updated_at = utcnow()
    return request


def startable_cases(session: Session, *, limit: int = 30) -> tuple[int, list[tuple[Any, ...]]]:
    """今日待办's "can start now": members waiting 委托 whose predecessors are approved.

    Two reads by key: the open requests (ix_request_status_due), then their 委托 cases
    (ix_case_request). Joined in one statement, SQLite walks every 委托 case of the township."""
    open_ids = list(
        session.scalars(
            select(col(Request.id)).where(
                col(Request.status) == "open", col(Request.deleted).is_(False)
            )
        )
    )
    waiting = [
        row
        for chunk in range(0, len(open_ids), 500)
        for row in session.execute(
            select(col(Case.id), col(Case.request_id), col(Case.item_code)).where(
                col(Case.request_id).in_(open_ids[chunk : chunk + 500]),
                col(Case.deleted).is_(False),
                STATUS_UNINDEXED == "entrusted",  # never a seek of every 委托 case
                col(Case.accepted_on).is_(None),
            )
        )
    ]
    ready: list[str] = []
    for request_id in {r[1] for r in waiting}:
        request = session.get(Request, request_id)
        if request is None or request.deleted:
            continue
        rows = member_rows(request, request_cases(session, request_id))
        ready += [r.case_id for r in rows if r.startable]
    rows_out = (
        list(
            session.execute(
                select(
                    col(Case.id),
                    col(Case.case_no),
                    col(Case.client_id),
                    col(Case.item_name),
                    col(Case.entrusted_on),
                )
                .where(col(Case.id).in_(ready))
                .order_by(col(Case.entrusted_on), col(Case.case_no))
                .limit(limit)
            )
        )
        if ready
        else []
    )
    return len(ready), [tuple(r) for r in rows_out]


def add_startable(state: TodayList, session: Session, *, limit: int = 30) -> TodayList:
    """今日待办 gains the bundle members that can start now (their predecessor was approved)."""
    count, rows = startable_cases(session, limit=limit)
    names: dict[str, str] = dict(
        session.execute(
            select(col(Client.id), col(Client.name)).where(col(Client.id).in_({r[2] for r in rows}))
        ).all()
    )
    state.counts[STARTABLE] = count
    state.rows[STARTABLE] = [
        TodayRow(r[0], r[1], names.get(r[2], ""), r[3], r[4], "前置事项已办结，可以受理")
        for r in rows
    ]
    return state


def requests_count(session: Session, status: str | None = None) -> int:
    stmt = select(func.count()).select_from(Request).where(col(Request.deleted).is_(False))
    if status:
        stmt = stmt.where(col(Request.status) == status)
    return int(session.scalar(stmt) or 0)


def client_requests(session: Session, client_id: str) -> list[Request]:
    stmt = select(Request).where(
        col(Request.client_id) == client_id, col(Request.deleted).is_(False)
    )
    return list(session.scalars(stmt.order_by(col(Request.opened_on).desc())))


def shared_kinds(bundle: Bundle, catalog: Catalog) -> Mapping[str, str]:
    """Every document kind the bundle's items ask for, once, with the name the first item uses."""
    kinds: dict[str, str] = {}
    for code in bundle.item_codes:
        for doc in catalog.item(code).documents:
            kinds.setdefault(doc.doc_kind, doc.name)
    return kinds


def bundle_notice_context(
    view: RequestView, catalog: Catalog, agent: AgentInfo, today: date
) -> dict[str, Any]:
    """The combined one-time notice (一次性告知书) of a request: its items in order, each paper once."""
    request = view.request
    names = {m.item_code: m.item_name for m in view.members}
    items = []
    for number, member in enumerate(view.members, start=1):
        item = catalog.items.get(member.item_code)
        after = plan_of(request).get(member.item_code, [])
        items.append(
            {
                "no": number,
                "name": member.item_name,
                "department": item.department if item else "",
                "after": "、".join(names.get(a, a) for a in after) or "无（可同时办理）",
                "promised_days": item.promised_days if item else "",
            }
        )
    documents = [
        {
            "no": number,
            "name": doc.name,
            "original": "原件" if _original(catalog, view, doc.doc_kind) else "复印件",
            "used_by": "、".join(doc.used_by),
        }
        for number, doc in enumerate(view.documents, start=1)
    ]
    return {
        "bundle_name": request.bundle_name,
        "request_no": request.request_no,
        "client_name": view.client_name,
        "items": items,
        "documents": documents,
        "due_on": f"{request.due_on:%Y年%m月%d日}" if request.due_on else "",
        "agent_name": agent.name,
        "agent_phone": agent.phone or "",
        "service_room": agent.service_room or "",
        "today": f"{today:%Y年%m月%d日}",
    }


def _original(catalog: Catalog, view: RequestView, kind: str) -> bool:
    return any(
        d.original
        for m in view.members
        if m.item_code in catalog.items
        for d in catalog.items[m.item_code].documents
        if d.doc_kind == kind
    )


BUNDLE_NOTICE_TITLE = "一次性告知书"


def print_bundle_notice(
    request_id: str,
    catalog: Catalog,
    agent: AgentInfo,
    *,
    session: Session,
    documents_dir: Path,
    today: date,
    cipher: BlobCipher | None = None,
) -> Path:
    """Render the combined notice under ``documents/<request no>/``; returns the file's path."""
    from agent_desk.catalog.check import BUNDLE_NOTICE
    from agent_desk.fill import render
    from agent_desk.fill.demo_mark import stamp_demo
    from agent_desk.services.demo_marking import is_demo_desk

    view = load_request(session, request_id)
    context = bundle_notice_context(view, catalog, agent, today)
    path = documents_dir / bundle_notice_path(view)
    render(
        catalog.templates_dir / BUNDLE_NOTICE,
        context,
        path,
        write=writer_for(documents_dir, cipher),
        mark=stamp_demo if is_demo_desk(session) else None,  # as every paper a demo desk prints
    )
    return path


def bundle_notice_path(view: RequestView) -> Path:
    """Where a request's combined notice is kept under documents/, printed alone or with its 一表申请."""
    number = view.request.request_no
    return Path(number) / f"{number}-{BUNDLE_NOTICE_TITLE}.docx"
