"""`agent-desk fill`: a case's documents, or an item's forms for a client, written to a folder.

A case's documents are generated into the desk's documents folder (and recorded on the case with
their hashes, as the UI does), then copied out — as plain .docx even from an encrypted desk: the
folder is the one the user named for them. A client + item fill needs no case: it prints
the intake documents as a draft and records nothing. Either way every missing field is reported
before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import normalize_id_text
from agent_desk.core.profile import CaseInfo
from agent_desk.fill import (
    MissingField,
    RenderJob,
    build_context,
    build_context_with_blanks,
    check_fill,
    render_batch,
)
from agent_desk.services.intake import intake_forms, unique_missing
from agent_desk.services.profiles import client_profile
from agent_desk.services.work import Work
from agent_desk.services.work import fill_case as fill_case_documents
from agent_desk.store.case_queries import case_by_no
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.queries import client_by_id_number
from agent_desk.store.sealed import read_file, write_atomic

DRAFT_NO = "（草稿）"


@dataclass
class FillOutcome:
    written: list[Path] = field(default_factory=list)
    missing: list[MissingField] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def fill_case(work: Work, case_no: str, out: Path, *, allow_blank: bool = False) -> FillOutcome:
    """Every document of the case; with gaps nothing is written unless ``allow_blank`` (留空打印)."""
    case = case_by_no(work.session, case_no.strip().upper())
    if case is None:
        raise DomainError(
            f"找不到办件编号 {case_no}", code="case_missing", message_en=f"no case {case_no}"
        )
    generated = fill_case_documents(work, case.id, allow_blank=allow_blank)
    if generated.missing and not allow_blank:
        return FillOutcome(missing=generated.missing, failed=generated.failed)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        _copy_out(work.documents / row.path, out, work.cipher) for row in generated.documents
    ]
    return FillOutcome(written=written, missing=generated.missing, failed=generated.failed)


def _copy_out(stored: Path, out: Path, cipher: BlobCipher | None) -> Path:
    target = out / stored.name
    write_atomic(target, read_file(stored, cipher))
    return target


def fill_client_item(
    work: Work,
    id_number: str,
    item_code: str,
    out: Path,
    *,
    manual: dict[str, Any],
    allow_blank: bool = False,
) -> FillOutcome:
    """An item's intake forms for a client, as a draft with no case: nothing is recorded."""
    session, catalog, agent, today = (
        work.session,
        work.need_catalog(),
        work.need_agent(),
        work.today,
    )
    client = client_by_id_number(session, normalize_id_text(id_number))
    if client is None:
        raise DomainError(
            f"找不到身份证号码为 {id_number} 的委托人",
            code="client_missing",
            message_en="no such client",
        )
    item = catalog.item(item_code.strip())
    profile = client_profile(session, client)
    info = CaseInfo(
        case_no=DRAFT_NO,
        item_code=item.code,
        item_name=item.name,
        entrusted_on=today,
        department=item.department,
    )
    forms = intake_forms(catalog, item, accepted=False, kind=profile.kind)
    missing = unique_missing(
        [m for form in forms for m in check_fill(item, form, profile, info, agent, manual, today)]
    )
    if missing and not allow_blank:
        return FillOutcome(missing=missing)
    context = build_context_with_blanks if allow_blank else build_context
    jobs = [
        RenderJob(
            catalog.template_path(form),
            context(item, form, profile, info, agent, manual, today),
            out / f"{client.name}-{form.name}.docx",
            form.id,
        )
        for form in forms
    ]
    result = render_batch(jobs)
    failed = [(j.key, why) for j, why in result.failed]
    return FillOutcome(written=[r.path for r in result.done], missing=missing, failed=failed)


def to_pdf(paths: list[Path], out: Path) -> list[Path]:
    """All PDFs in one converter run (LibreOffice, else WPS/Word)."""
    from agent_desk.fill import ConverterChain

    with ConverterChain() as converter:
        return converter.convert(paths, out)
