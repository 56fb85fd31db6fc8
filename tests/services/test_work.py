"""Services take one unit of work (session, data folder, cipher, catalog, agent, actor, today)."""

from __future__ import annotations

from sqlmodel import select

from agent_desk.services.handover import HandoverList
from agent_desk.services.work import Work, fill_case, make_batch
from agent_desk.store.models import GeneratedDocument
from tests.security.casefiles import AGENT, CATALOG, accepted_case


def test_one_unit_of_work_fills_a_case_and_makes_its_batch(desk) -> None:
    case_id, _number = accepted_case(desk)
    with desk.db.session() as session:
        work = Work(session, desk.data, desk.cipher, CATALOG, AGENT, actor="张红梅")
        filled = fill_case(work, case_id)
        batch_id, listed = make_batch(work, [case_id])
        session.commit()
    assert filled.documents and not filled.failed
    assert isinstance(listed, HandoverList) and listed.document is not None and batch_id
    with desk.db.session() as session:
        paths = [g.path for g in session.scalars(select(GeneratedDocument))]
    assert all((desk.data.documents / p).exists() for p in paths) and len(paths) >= 2
