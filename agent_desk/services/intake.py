"""Intake (受理) and the case's printed documents: open the case, check what the forms still lack, fill.

The agent completes the profile once instead of writing on printed blanks, so every missing field
of every form is reported before anything prints (:func:`fill_report`); a form that cannot be
filled is skipped and reported, never printed half empty. Files land under the data folder's
``documents/<case no>/`` (sealed on an encrypted desk: store/sealed.py) with a ``GeneratedDocument``
row (path, sha256 of the plain .docx) queued for the hub.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from agent_desk.catalog import Catalog, FormSpec, ServiceItem
from agent_desk.core.case_flow import CaseAction, DeliveryMethod
from agent_desk.core.errors import DomainError
from agent_desk.core.profile import AgentInfo, CaseDocument, CaseInfo
from agent_desk.fill import (
    MissingField,
    RenderJob,
    build_context,
    build_context_with_blanks,
    check_fill,
    item_manual_fields,
    render_batch,
)
from agent_desk.fill.demo_mark import stamp_demo
from agent_desk.services.cases import (
    DocumentSpec,
    ItemSpec,
    apply_action,
    open_case,
    set_document_status,
)
from agent_desk.services.demo_marking import is_demo_desk
from agent_desk.services.desk_setup import desk_agent_id
from agent_desk.services.profiles import case_info, client_profile
from agent_desk.services.publications import catalog_for_case, record_case_versions
from agent_desk.store.case_queries import case_documents, generated_by_template, last_event
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.models import Case, Client, GeneratedDocument, utcnow
from agent_desk.store.sealed import writer_for

Progress = Callable[[int, int, str], None]
DELIVERY_MODES = {m.value: m.label_zh for m in DeliveryMethod}
PENDING_NO = "（待编号）"


def item_spec(item: ServiceItem) -> ItemSpec:
    """A document named as one of the item's forms is printed by this desk, so it is not "missing"."""
    printed = {form.name for form in item.forms}
    docs = tuple(
        DocumentSpec(
            d.name, d.doc_kind, d.original, d.copies, d.required, d.reusable, d.name in printed
        )
        for d in item.documents
    )
    return ItemSpec(item.code, item.name, item.promised_days, docs)


@dataclass(frozen=True)
class DocumentChoice:
    """What the agent ticked for one required document at intake."""

    status: str = "received"  # received | missing | deferred
    promised_on: date | None = None


@dataclass
class IntakeRequest:
    client_id: str
    item_code: str
    documents: dict[str, DocumentChoice] = field(default_factory=dict)
    manual: dict[str, Any] = field(default_factory=dict)


def storable(value: Any) -> Any:
    """Manual entries are kept as the agent typed them (JSON-safe); the fill layer coerces them."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value.isoformat() if isinstance(value, date) else str(value)


def _client(session: Session, client_id: str) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.deleted:
        raise DomainError("找不到该委托人，可能已被删除", code="client_missing")
    return client


# An organisation signs its own authorisation (法定代表人 and 公章) and gets a receipt without an ID number.
ORG_FORMS = {"proxy_authorisation": "org_proxy_authorisation", "receipt": "org_receipt"}


def _common(catalog: Catalog, form_id: str, kind: str) -> list[FormSpec]:
    if kind == "organisation" and ORG_FORMS.get(form_id) in catalog.common_forms:
        form_id = ORG_FORMS[form_id]
    return [catalog.common_forms[form_id]] if form_id in catalog.common_forms else []


def intake_forms(
    catalog: Catalog, item: ServiceItem, *, accepted: bool, kind: str = "person"
) -> list[FormSpec]:
    """What intake prints: the notice, the authorisation, the item's forms and, once accepted, the receipt."""
    common = _common(catalog, "notice", kind) + _common(catalog, "proxy_authorisation", kind)
    receipt = _common(catalog, "receipt", kind) if accepted else []
    return [*common, *item.forms, *receipt]


def check_applicant(item: ServiceItem, client: Client) -> None:
    """An item names who may apply; a person's item refuses an enterprise and the other way round."""
    if item.applicant == "both" or item.applicant == client.kind:
        return
    who = "个人" if item.applicant == "person" else "企业或其他组织"
    raise DomainError(
        f"「{item.name}」只受理{who}的申请，「{client.name}」不能申请此事项",
        code="wrong_applicant",
        message_en=f"{item.code} accepts {item.applicant} applicants only",
    )


def case_forms(
    catalog: Catalog, item: ServiceItem, case: Case, kind: str = "person"
) -> list[FormSpec]:
    """Every form this case can print at its current step (a case not accepted: its 不予受理告知书)."""
    if case.status == "not_accepted":
        return (
            [catalog.common_forms["refusal_notice"]]
            if "refusal_notice" in catalog.common_forms
            else []
        )
    forms = intake_forms(catalog, item, accepted=case.accepted_on is not None, kind=kind)
    extra = {
        "needs_correction": "correction_notice",
        "concluded": "delivery_receipt",
        "delivered": "delivery_receipt",
        "archived": "delivery_receipt",
    }.get(case.status)
    if extra and extra in catalog.common_forms:
        forms.append(catalog.common_forms[extra])
    return forms


def preview_missing(
    request: IntakeRequest, catalog: Catalog, agent: AgentInfo, *, session: Session, today: date
) -> list[MissingField]:
    """Before the case exists: every field the intake forms still lack (profile, agent, manual)."""
    item = catalog.item(request.item_code)
    profile = client_profile(session, _client(session, request.client_id))
    docs = tuple(
        CaseDocument(
            d.name,
            d.original,
            d.copies,
            d.required,
            request.documents.get(d.name, DocumentChoice("missing")).status,  # type: ignore[arg-type]
        )
        for d in item.documents
    )
    accepted = _acceptable(item, request)
    check_applicant(item, _client(session, request.client_id))
    info = CaseInfo(
        PENDING_NO,
        item.code,
        item.name,
        entrusted_on=today,
        documents=docs,
        accepted_on=today if accepted else None,
        due_on=today if accepted else None,
    )
    missing: list[MissingField] = []
    for form in intake_forms(catalog, item, accepted=accepted, kind=profile.kind):
        missing += check_fill(item, form, profile, info, agent, request.manual, today)
    return unique_missing(missing)


def _acceptable(item: ServiceItem, request: IntakeRequest) -> bool:
    """Accept now when every required document is received or deferred (容缺)."""
    return all(
        request.documents.get(d.name, DocumentChoice("missing")).status != "missing"
        for d in item.documents
        if d.required
    )


def unique_missing(missing: list[MissingField]) -> list[MissingField]:
    seen: dict[str, MissingField] = {}
    for entry in missing:
        seen.setdefault(entry.path, entry)
    return list(seen.values())


def start_intake(
    request: IntakeRequest,
    catalog: Catalog,
    *,
    session: Session,
    actor: str,
    today: date | None = None,
    accept: bool = True,
) -> Case:
    """委托, the documents as ticked, then 受理 when nothing required is missing (容缺 allowed).

    ``accept`` False leaves it 委托: a bundle's member waiting for another item's approval."""
    today = today or date.today()
    item = catalog.item(request.item_code)
    manual = {k: storable(v) for k, v in request.manual.items() if k in item_manual_fields(item)}
    client = _client(session, request.client_id)
    check_applicant(item, client)
    case = open_case(
        client,
        item_spec(item),
        session=session,
        actor=actor,
        today=today,
        manual_fields=manual,
        agent_id=desk_agent_id(session, actor),
    )
    record_case_versions(session, case.id, catalog)
    session.flush()
    for doc in case_documents(session, case.id):
        choice = request.documents.get(doc.name)
        if choice is not None and choice.status != doc.status:
            set_document_status(doc, choice.status, session=session, promised_on=choice.promised_on)
    if accept and _acceptable(item, request):
        session.flush()
        deferred = [
            {"name": name, "promised_on": c.promised_on}
            for name, c in request.documents.items()
            if c.status == "deferred"
        ]
        apply_action(
            case,
            CaseAction.ACCEPT,
            {"deferred_documents": deferred} if deferred else {},
            session=session,
            actor=actor,
            today=today,
        )
    return case


def refuse_intake(
    request: IntakeRequest,
    reason: str,
    catalog: Catalog,
    agent: AgentInfo,
    *,
    session: Session,
    actor: str,
    documents_dir: Path,
    cipher: BlobCipher | None = None,
) -> Case:
    """不予受理 at intake (a condition not met): the case is recorded with why, and its notice printed."""
    case = start_intake(
        IntakeRequest(request.client_id, request.item_code), catalog, session=session, actor=actor
    )
    apply_action(
        case, CaseAction.REFUSE_ACCEPTANCE, {"reason": reason}, session=session, actor=actor
    )
    session.flush()
    generate_case_documents(
        case.id,
        catalog,
        agent,
        session=session,
        documents_dir=documents_dir,
        form_ids=["refusal_notice"],
        cipher=cipher,
        allow_blank=True,
    )
    return case


# -- filling a case's documents -------------------------------------------------------------------
@dataclass
class FillPlan:
    """For one case: the forms, the context of each fillable one, and every field still missing."""

    case: Case
    item: ServiceItem
    ready: list[tuple[FormSpec, dict[str, Any]]] = field(default_factory=list)
    missing: list[MissingField] = field(default_factory=list)


def _case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise DomainError("找不到该办件，可能已被删除", code="case_missing")
    return case


def case_manual(
    session: Session, case: Case, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The case's manual entries plus what later steps recorded (how it was delivered)."""
    manual = dict(case.manual_fields or {})
    delivered = last_event(session, case.id, "deliver")
    if delivered is not None and "delivery_mode" not in manual:
        manual["delivery_mode"] = DELIVERY_MODES.get(
            str(delivered.payload.get("method")), DeliveryMethod.AGENT.label_zh
        )
    refused = last_event(session, case.id, "refuse_acceptance")
    if refused is not None and refused.reason:
        manual.setdefault("refusal_reason", refused.reason)
    if delivered is not None and delivered.payload.get("tracking_no"):
        manual.setdefault("tracking_no", str(delivered.payload["tracking_no"]))
    return manual | {k: storable(v) for k, v in (extra or {}).items()}


def plan_fill(
    case_id: str,
    catalog: Catalog,
    agent: AgentInfo,
    *,
    session: Session,
    today: date,
    form_ids: list[str] | None = None,
    extra_manual: Mapping[str, Any] | None = None,
    allow_blank: bool = False,
) -> FillPlan:
    """The forms to print; with ``allow_blank`` (留空打印) incomplete ones print too, their gaps blank."""
    case = _case(session, case_id)
    catalog = catalog_for_case(catalog, case_id, session)  # the catalog the case was opened under
    item = catalog.item(case.item_code)
    returned = last_event(session, case.id, "return_for_correction")
    reasons = (
        tuple(returned.payload.get("reasons", ()))
        if returned and case.status == "needs_correction"
        else ()
    )
    profile = client_profile(session, _client(session, case.client_id))
    info, manual = case_info(session, case, item, reasons), case_manual(session, case, extra_manual)
    plan = FillPlan(case, item)
    for form in case_forms(catalog, item, case, profile.kind):
        if form_ids is not None and form.id not in form_ids:
            continue
        missing = check_fill(item, form, profile, info, agent, manual, today)
        plan.missing += missing
        if missing and allow_blank:
            plan.ready.append(
                (form, build_context_with_blanks(item, form, profile, info, agent, manual, today))
            )
        elif not missing:
            plan.ready.append(
                (form, build_context(item, form, profile, info, agent, manual, today))
            )
    plan.missing = unique_missing(plan.missing)
    return plan


def fill_report(
    case_id: str, catalog: Catalog, agent: AgentInfo, *, session: Session, today: date
) -> list[MissingField]:
    return plan_fill(case_id, catalog, agent, session=session, today=today).missing


@dataclass
class Generated:
    documents: list[GeneratedDocument]
    missing: list[MissingField]
    failed: list[tuple[str, str]]


def generate_case_documents(
    case_id: str,
    catalog: Catalog,
    agent: AgentInfo,
    *,
    session: Session,
    documents_dir: Path,
    today: date | None = None,
    form_ids: list[str] | None = None,
    extra_manual: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    cipher: BlobCipher | None = None,
    allow_blank: bool = False,
) -> Generated:
    """Fill every ready form of the case into ``documents/<case no>/``, sealed on an encrypted desk
    (``cipher``); the caller commits."""
    today = today or date.today()
    write = writer_for(documents_dir, cipher)
    catalog = catalog_for_case(catalog, case_id, session)  # its templates too
    plan = plan_fill(
        case_id,
        catalog,
        agent,
        session=session,
        today=today,
        form_ids=form_ids,
        extra_manual=extra_manual,
        allow_blank=allow_blank,
    )
    folder = documents_dir / plan.case.case_no
    jobs = [
        RenderJob(
            catalog.template_path(form),
            context,
            folder / f"{plan.case.case_no}-{form.name}.docx",
            form.id,
        )
        for form, context in plan.ready
    ]
    names = {form.id: form.name for form, _ in plan.ready}
    result = render_batch(
        jobs,
        (lambda done, total: progress(done, total, "")) if progress else None,
        write=write,
        mark=stamp_demo if is_demo_desk(session) else None,
    )
    rows = [
        _remember(
            session, plan.case.id, r.job.key, names[r.job.key], r.path, documents_dir, r.sha256
        )
        for r in result.done
    ]
    return Generated(rows, plan.missing, [(job.key, why) for job, why in result.failed])


def _remember(
    session: Session,
    case_id: str | None,
    template: str,
    title: str,
    path: Path,
    root: Path,
    digest: str,
) -> GeneratedDocument:
    """One row per case and form: generating again replaces the file and updates the row."""
    relative = path.relative_to(root).as_posix()
    row = generated_by_template(session, case_id, template)
    if row is None:
        row = GeneratedDocument(
            case_id=case_id, template=template, title=title, path=relative, sha256=digest
        )
        session.add(row)
        return row
    row.path, row.sha256, row.title, row.created_at = relative, digest, title, utcnow()
    return row


def set_manual_fields(case_id: str, values: Mapping[str, Any], *, session: Session) -> None:
    """Keep entries typed after intake (e.g. 补正截止日期) with the case, queued for the hub."""
    case = _case(session, case_id)
    merged = dict(case.manual_fields or {}) | {k: storable(v) for k, v in values.items()}
    case.manual_fields = merged


def manual_specs(
    catalog: Catalog, case_id: str, names: list[str], *, session: Session
) -> dict[str, Any]:
    """The FieldSpecs of the manual fields ``names`` among the case's forms."""
    case = _case(session, case_id)
    catalog = catalog_for_case(catalog, case_id, session)
    specs: dict[str, Any] = {}
    kind = _client(session, case.client_id).kind
    for form in case_forms(catalog, catalog.item(case.item_code), case, kind):
        for name, spec in form.fields.items():
            if spec.manual is not None and name in names:
                specs.setdefault(name, spec)
    return specs


def item_haystack(item: ServiceItem) -> str:
    """What the intake search box matches: code, names, keywords, and their pinyin and initials."""
    from pypinyin import Style, lazy_pinyin

    words = [item.name, item.short_name or "", *item.keywords]
    spelled = ["".join(lazy_pinyin(w)) for w in words] + [
        "".join(lazy_pinyin(w, style=Style.FIRST_LETTER)) for w in words
    ]
    return " ".join([item.code, item.category, *words, *spelled]).lower()
