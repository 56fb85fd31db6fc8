"""One unit of work for the services the UI calls, instead of three to ten loose arguments.

``Work`` carries what a use case needs from the desk around it: the session (the caller commits),
the data folder, the cipher of an encrypted desk, the catalog, the agent, who acts and the day.
The window (``ui/context.py``) and the commands (``desk_work`` below, used by ``cli.py``) build it
the same way; the functions below are their entry points, each passing the unit's parts on to the
service beneath.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the fill stack loads with the first use case that needs it
    from sqlmodel import Session

    from agent_desk.catalog import Catalog
    from agent_desk.core.profile import AgentInfo
    from agent_desk.services.desk import Desk
    from agent_desk.services.handover import HandoverList
    from agent_desk.services.intake import Generated, IntakeRequest
    from agent_desk.services.requests import BundleIntake
    from agent_desk.store.crypto import BlobCipher
    from agent_desk.store.datadir import DataDir
    from agent_desk.store.models import Case, ClientDocument

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Work:
    session: Session
    data: DataDir
    cipher: BlobCipher | None = None
    catalog: Catalog | None = None
    agent: AgentInfo | None = None
    actor: str = ""
    today: date = field(default_factory=date.today)

    @property
    def documents(self) -> Path:
        return self.data.documents

    def need_catalog(self) -> Catalog:
        assert self.catalog is not None, "the catalog is not loaded yet"
        return self.catalog

    def need_agent(self) -> AgentInfo:
        assert self.agent is not None, "no agent for this unit of work"
        return self.agent


def desk_work(desk: Desk, session: Session, *, today: date | None = None) -> Work:
    """The unit of work for a command run on ``desk``: the agent from its settings (ID number from
    the encrypted database), the catalog in force (the county's published one, if any)."""
    from agent_desk.services.agent_identity import with_stored_agent_id
    from agent_desk.services.profiles import agent_info
    from agent_desk.services.publications import current_catalog
    from agent_desk.services.settings import load_settings

    settings = with_stored_agent_id(load_settings(desk.data.settings_file), session)
    return Work(
        session,
        desk.data,
        desk.cipher,
        current_catalog(desk.data.root, session),
        agent_info(settings),
        settings.actor_name("cli"),
        today or date.today(),
    )


def fill_case(
    work: Work,
    case_id: str,
    *,
    progress: Progress | None = None,
    allow_blank: bool = False,
    manual: dict[str, Any] | None = None,
) -> Generated:
    """The case's forms (留空打印 with ``allow_blank``), after any fields typed for them."""
    from agent_desk.services.intake import generate_case_documents, set_manual_fields

    if manual:
        set_manual_fields(case_id, manual, session=work.session)
    return generate_case_documents(
        case_id,
        work.need_catalog(),
        work.need_agent(),
        session=work.session,
        documents_dir=work.documents,
        today=work.today,
        progress=progress,
        cipher=work.cipher,
        allow_blank=allow_blank,
    )


def take_in(
    work: Work, request: IntakeRequest, *, progress: Progress | None = None
) -> tuple[str, Generated]:
    """受理: the case is recorded (committed, so it stands even if a form fails), then filled."""
    from agent_desk.services.intake import generate_case_documents, start_intake

    case = start_intake(request, work.need_catalog(), session=work.session, actor=work.actor)
    work.session.commit()
    result = generate_case_documents(
        case.id,
        work.need_catalog(),
        work.need_agent(),
        session=work.session,
        documents_dir=work.documents,
        progress=progress,
        cipher=work.cipher,
    )
    return case.id, result


def take_in_request(
    work: Work, intake: BundleIntake, *, progress: Progress | None = None
) -> tuple[str, Generated]:
    """一件事: the request and its cases recorded (committed), then its 一表申请 and notice filled."""
    from agent_desk.services.requests import start_request

    request = start_request(
        intake, work.need_catalog(), session=work.session, actor=work.actor, today=work.today
    )
    work.session.commit()
    return request.id, request_papers(work, request.id, progress=progress)


def request_papers(work: Work, request_id: str, *, progress: Progress | None = None) -> Generated:
    """The 一件事's 一表申请 and combined notice, filled again (after the profile was completed)."""
    from agent_desk.services.request_forms import fill_request_forms

    return fill_request_forms(
        request_id,
        work.need_catalog(),
        work.need_agent(),
        session=work.session,
        documents_dir=work.documents,
        today=work.today,
        cipher=work.cipher,
        progress=progress,
    )


def refuse(work: Work, request: IntakeRequest, reason: str) -> Case:
    """不予受理 with its notice printed."""
    from agent_desk.services.intake import refuse_intake

    return refuse_intake(
        request,
        reason,
        work.need_catalog(),
        work.need_agent(),
        session=work.session,
        actor=work.actor,
        documents_dir=work.documents,
        cipher=work.cipher,
    )


def missing_fields(work: Work, request: IntakeRequest) -> list[Any]:
    from agent_desk.services.intake import preview_missing

    return preview_missing(
        request, work.need_catalog(), work.need_agent(), session=work.session, today=work.today
    )


def make_batch(work: Work, case_ids: Sequence[str]) -> tuple[str, HandoverList]:
    """A hand-over batch and its 交接清单."""
    from agent_desk.services.handover import create_batch, print_handover_list

    batch = create_batch(case_ids, session=work.session, actor=work.actor, today=work.today)
    work.session.flush()
    listed = print_handover_list(
        batch.id,
        work.need_catalog(),
        work.need_agent(),
        session=work.session,
        documents_dir=work.documents,
        cipher=work.cipher,
    )
    return batch.id, listed


def attach_scan(work: Work, client_id: str, kind: str, title: str, source: Path) -> ClientDocument:
    from agent_desk.services.library import attach_document

    return attach_document(
        client_id,
        kind,
        title,
        source,
        session=work.session,
        attachments=work.data.attachments,
        cipher=work.cipher,
    )
