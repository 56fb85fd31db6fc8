"""Hand-over batches (交接清单): the cases an agent carries to the township in one trip.

A batch is made from accepted cases, its list is printed, and when the township takes the
papers the batch is marked submitted: each case steps to 办理 through ``apply_action`` with the
batch id, so the timeline says which trip carried it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from agent_desk.catalog import Catalog
from agent_desk.core.errors import DomainError
from agent_desk.core.profile import AgentInfo
from agent_desk.fill import build_batch_context, check_batch_fill, render
from agent_desk.fill.demo_mark import stamp_demo
from agent_desk.services.cases import apply_action, device_tag
from agent_desk.services.demo_marking import is_demo_desk
from agent_desk.services.intake import _remember
from agent_desk.services.profiles import case_info, client_profile
from agent_desk.store.case_queries import batch_case_ids
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.models import Case, Client, GeneratedDocument, HandoverBatch, Meta
from agent_desk.store.sealed import writer_for

FORM_ID = "handover_list"


def next_batch_no(session: Session, today: date) -> str:
    key = f"batch_seq:{today:%Y%m%d}"
    meta = session.get(Meta, key) or Meta(key=key, value="0")
    meta.value = str(int(meta.value) + 1)
    session.add(meta)
    return f"JJ{today:%Y%m%d}{device_tag(session)}{int(meta.value):02d}"


def create_batch(
    case_ids: Sequence[str],
    *,
    session: Session,
    actor: str,
    today: date | None = None,
    village_id: str | None = None,
    agent_id: str | None = None,
) -> HandoverBatch:
    """A new batch of accepted cases not yet carried in another batch."""
    if not case_ids:
        raise DomainError("请至少选择一个办件", code="batch_empty")
    cases = [_case(session, case_id) for case_id in case_ids]
    for case in cases:
        if case.status != "accepted" or case.batch_id:
            raise DomainError(
                f"办件 {case.case_no} 不是待报送状态，不能加入交接清单", code="batch_case_state"
            )
    batch = HandoverBatch(
        batch_no=next_batch_no(session, today or date.today()),
        note=actor or None,
        village_id=village_id or cases[0].village_id,
        agent_id=agent_id,
    )
    session.add(batch)
    for case in cases:
        case.batch_id = batch.id
    return batch


def _case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.deleted:
        raise DomainError("找不到该办件，可能已被删除", code="case_missing")
    return case


def _batch(session: Session, batch_id: str) -> HandoverBatch:
    batch = session.get(HandoverBatch, batch_id)
    if batch is None or batch.deleted:
        raise DomainError("找不到该交接批次", code="batch_missing")
    return batch


@dataclass(frozen=True)
class HandoverList:
    document: GeneratedDocument | None
    missing: list[str]


def print_handover_list(
    batch_id: str,
    catalog: Catalog,
    agent: AgentInfo,
    *,
    session: Session,
    documents_dir: Path,
    today: date | None = None,
    cipher: BlobCipher | None = None,
) -> HandoverList:
    """Fill the 交接清单 into ``documents/handover/`` (sealed on an encrypted desk); lists what is
    missing instead of printing blanks."""
    today = today or date.today()
    write = writer_for(documents_dir, cipher)
    batch = _batch(session, batch_id)
    form = catalog.common_forms[FORM_ID]
    entries = []
    for case in (_case(session, cid) for cid in batch_case_ids(session, batch.id)):
        client = session.get(Client, case.client_id)
        assert client is not None
        entries.append((client_profile(session, client), case_info(session, case)))
    manual = {"batch_no": batch.batch_no}
    missing = check_batch_fill(form, entries, agent, manual, today)
    if missing:
        return HandoverList(None, [m.message for m in missing])
    context = build_batch_context(form, entries, agent, manual, today)
    out = documents_dir / "handover" / f"{batch.batch_no}-{form.name}.docx"
    mark = stamp_demo if is_demo_desk(session) else None
    digest = render(catalog.template_path(form), context, out, write=write, mark=mark)
    return HandoverList(
        _remember(session, None, f"{FORM_ID}:{batch.id}", form.name, out, documents_dir, digest), []
    )


def mark_submitted(
    batch_id: str,
    *,
    session: Session,
    actor: str,
    received_by: str | None = None,
    today: date | None = None,
) -> list[str]:
    """The township took the papers: every case of the batch steps to 办理. Returns the case numbers."""
    batch = _batch(session, batch_id)
    if batch.submitted_at is not None:
        raise DomainError(f"交接批次 {batch.batch_no} 已经报送过了", code="batch_submitted")
    done = []
    for case in (_case(session, cid) for cid in batch_case_ids(session, batch.id)):
        apply_action(
            case, "submit", {"batch_id": batch.id}, session=session, actor=actor, today=today
        )
        done.append(case.case_no)
    batch.submitted_at = datetime.now().astimezone()
    batch.received_by = received_by
    return done
