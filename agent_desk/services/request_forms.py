"""The 一件事's own papers: the combined application (一表申请) filled from the profile, and the
combined one-time notice, written at intake as a single case's forms are.

The application's typed fields (the newborn's name…) are checked before the request exists and
kept in the request's plan (``form_fields``), so it can be printed again later. A form the profile
cannot fill yet is reported field by field and not printed half empty. Each file is recorded on
every member case (one row per case and form), so each case's screen lists it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session

from agent_desk.catalog import Catalog
from agent_desk.catalog.schema import Bundle
from agent_desk.core.errors import DomainError
from agent_desk.core.profile import AgentInfo
from agent_desk.fill import MissingField, RenderJob, build_context, check_fill, render_batch
from agent_desk.fill.demo_mark import stamp_demo
from agent_desk.fill.manual import ManualInvalid, coerce, is_empty, manual_fields
from agent_desk.services.demo_marking import is_demo_desk
from agent_desk.services.intake import Generated, Progress, _remember, storable, unique_missing
from agent_desk.services.profiles import case_info, client_profile
from agent_desk.services.requests import (
    BUNDLE_NOTICE_TITLE,
    RequestView,
    bundle_notice_context,
    bundle_notice_path,
    load_request,
)
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.models import Case, Client
from agent_desk.store.sealed import writer_for

APPLICATION, NOTICE = "combined_application", "bundle_notice"


def form_values(bundle: Bundle, manual: Mapping[str, Any]) -> dict[str, Any]:
    """The application's typed fields, each checked as its form declares (a Chinese reason if not)."""
    if bundle.form is None:
        return {}
    values: dict[str, Any] = {}
    for name, spec in manual_fields(bundle.form).items():
        raw = manual.get(name)
        if is_empty(raw):
            continue
        try:
            coerce(spec, raw)
        except ManualInvalid as exc:
            raise DomainError(
                f"「{spec.label or name}」填写有误：{exc}", code="manual_invalid", field=name
            ) from None
        values[name] = storable(raw)
    return values


def _application(
    view: RequestView,
    bundle: Bundle,
    catalog: Catalog,
    agent: AgentInfo,
    session: Session,
    today: date,
) -> tuple[dict[str, Any] | None, list[MissingField]]:
    """The application's context, filled from the profile and the first case; or what it lacks."""
    assert bundle.form is not None
    first = session.get(Case, view.members[0].case_id)
    client = session.get(Client, view.request.client_id)
    assert first is not None and client is not None
    item = catalog.item(first.item_code)
    profile, info = client_profile(session, client), case_info(session, first, item)
    plan = view.request.plan if isinstance(view.request.plan, dict) else {}
    manual = dict(plan.get("form_fields") or {})
    missing = check_fill(item, bundle.form, profile, info, agent, manual, today)
    if missing:
        return None, unique_missing(missing)
    return build_context(item, bundle.form, profile, info, agent, manual, today), []


def fill_request_forms(
    request_id: str,
    catalog: Catalog,
    agent: AgentInfo,
    *,
    session: Session,
    documents_dir: Path,
    today: date,
    cipher: BlobCipher | None = None,
    progress: Progress | None = None,
) -> Generated:
    """一表申请 (when the bundle has one) and the combined notice under ``documents/<request no>/``."""
    from agent_desk.catalog.check import BUNDLE_NOTICE

    view = load_request(session, request_id)
    if not view.members:
        raise DomainError(
            "该一件事没有办件", code="request_empty", message_en="the request has no cases"
        )
    number, folder = view.request.request_no, documents_dir / view.request.request_no
    bundle = catalog.bundles.get(view.request.bundle_code)
    jobs: list[RenderJob] = []
    missing: list[MissingField] = []
    titles = {NOTICE: BUNDLE_NOTICE_TITLE}
    if bundle is not None and bundle.form is not None:
        context, missing = _application(view, bundle, catalog, agent, session, today)
        titles[APPLICATION] = bundle.form.name
        if context is not None:
            out = folder / f"{number}-{bundle.form.name}.docx"
            jobs.append(RenderJob(catalog.template_path(bundle.form), context, out, APPLICATION))
    notice = bundle_notice_context(view, catalog, agent, today)
    out = documents_dir / bundle_notice_path(view)
    jobs.append(RenderJob(catalog.templates_dir / BUNDLE_NOTICE, notice, out, NOTICE))
    result = render_batch(
        jobs,
        (lambda done, total: progress(done, total, "")) if progress else None,
        write=writer_for(documents_dir, cipher),
        mark=stamp_demo if is_demo_desk(session) else None,
    )
    rows = [
        _remember(session, m.case_id, r.job.key, titles[r.job.key], r.path, documents_dir, r.sha256)
        for r in result.done
        for m in view.members
    ]
    return Generated(rows, missing, [(job.key, why) for job, why in result.failed])
