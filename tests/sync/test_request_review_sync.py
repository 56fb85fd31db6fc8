"""A 一件事 as a whole over a real hub: the paper one case hands on, the whole-request withdrawal and
the reviewer's decisions on one screen all reach the hub as single-case ops, checked per role there.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.case_flow import CaseAction
from agent_desk.core.identity import make_resident_id
from agent_desk.server import tables as t
from agent_desk.services.cases import apply_action
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.intake import DocumentChoice
from agent_desk.services.request_actions import decide, withdraw_request
from agent_desk.services.requests import BundleIntake, shared_kinds, start_request
from agent_desk.store.models import Case
from tests.sync.conftest import V1, HubFixture, make_desk
from tests.sync.test_hostile_desk import _event, _hub_fields, _op, _push, _refused
from tests.sync.test_hub_rules import login

CATALOG = load_catalog(default_catalog_dir())
NEWBORN = "620524-YJS-0001"
TODAY = date(2026, 12, 1)
BIRTH_CERT, VACCINATION, HUKOU = "62052400WJ-GG-0002", "62052400WJ-GG-0003", "62052400GA-QR-0001"


def _newborn(desk, village_id: str) -> tuple[str, dict[str, str]]:
    """A newborn request with 出生医学证明 still to come (it is produced by the first case)."""
    with desk.db.session() as session:
        parent = create_client(
            ClientInput(
                name="李秀英",
                id_number=make_resident_id("620524", date(1995, 4, 2), 22),
                extra={"village_id": village_id},
            ),
            session=session,
        )
        kinds = shared_kinds(CATALOG.bundle(NEWBORN), CATALOG)
        docs = {k: DocumentChoice("received") for k in kinds if k != "birth_certificate"}
        request = start_request(
            BundleIntake(parent.id, NEWBORN, docs),
            CATALOG,
            session=session,
            actor="wang",
            today=TODAY,
        )
        session.flush()
        cases = {
            c.item_code: c
            for c in session.scalars(select(Case).where(Case.request_id == request.id))
        }
        for code in (BIRTH_CERT, VACCINATION):
            apply_action(
                cases[code], CaseAction.SUBMIT, {}, session=session, actor="wang", today=TODAY
            )
        session.commit()
        return request.id, {code: c.id for code, c in cases.items()}


def _hub_events(hub: HubFixture, case_id: str) -> list[dict[str, Any]]:
    with hub.hub.db.reading() as conn:
        rows = conn.execute(select(t.record.c.fields).where(t.record.c.entity == "case_event"))
        return [dict(f) for (f,) in rows if f.get("case_id") == case_id]


def _hub_documents(hub: HubFixture, case_id: str) -> dict[str, str]:
    with hub.hub.db.reading() as conn:
        rows = conn.execute(select(t.record.c.fields).where(t.record.c.entity == "case_document"))
        return {f["doc_kind"]: f["status"] for (f,) in rows if f.get("case_id") == case_id}


def test_a_handed_on_paper_and_a_whole_request_withdrawal_reach_the_hub(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")  # the village agent of V1
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    desk, engine = make_desk(tmp_path, "agent", live_hub, "wang")
    engine.sync_once()
    request_id, cases = _newborn(desk, live_hub.villages[V1])
    with desk.db.session() as session:
        first = session.get(Case, cases[BIRTH_CERT])
        apply_action(
            first,
            CaseAction.CONCLUDE,
            {"outcome": "approved"},
            session=session,
            actor="wang",
            today=TODAY,
        )
        session.commit()
    engine.sync_once()
    assert not engine.quarantined_ops(), engine.quarantined_ops()
    assert _hub_documents(live_hub, cases[HUKOU])["birth_certificate"] == "received"
    [handed] = [
        e for e in _hub_events(live_hub, cases[HUKOU]) if e["action"] == "document_handed_on"
    ]
    assert handed["payload"]["from_case"] == cases[BIRTH_CERT] and handed["actor"]  # stamped
    # a reviewer may not withdraw for the applicant: the hub refuses it, whatever its desk sent
    reviewer = login(live_hub, "li")
    _refused(
        _push(reviewer, _event(cases[HUKOU], "withdraw", "entrusted", "withdrawn", reason="x"))[0],
        "审核人员不能",
    )
    _refused(
        _push(reviewer, _op("request", {"status": "withdrawn"}, request_id, 1))[0],
        "审核人员不能修改",
    )
    with desk.db.session() as session:
        withdrawn = withdraw_request(
            request_id, "全家迁往外省", session=session, actor="wang", role="agent", today=TODAY
        )
        session.commit()
    assert len(withdrawn) == 4
    engine.sync_once()
    assert not engine.quarantined_ops(), engine.quarantined_ops()
    assert _hub_fields(live_hub, "request", request_id)["status"] == "withdrawn"
    assert _hub_fields(live_hub, "case", cases[BIRTH_CERT])["status"] == "concluded"
    for code in (VACCINATION, HUKOU):
        assert _hub_fields(live_hub, "case", cases[code])["status"] == "withdrawn"
        [event] = [e for e in _hub_events(live_hub, cases[code]) if e["action"] == "withdraw"]
        assert event["reason"] == "全家迁往外省"
    desk.close()


def test_the_reviewers_decisions_on_the_whole_request_pass_the_hubs_rules(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    desk, engine = make_desk(tmp_path, "agent", live_hub, "wang")
    reviewer_desk, reviewer = make_desk(tmp_path, "review", live_hub, "li")
    engine.sync_once()
    request_id, cases = _newborn(desk, live_hub.villages[V1])
    engine.sync_once()
    # the agent cannot decide its own cases, on the desk or by pushing the step itself
    _refused(
        _push(
            login(live_hub, "wang"),
            _event(cases[BIRTH_CERT], "approve", "in_progress", "in_progress"),
        )[0],
        "代办员不能",
    )
    reviewer.sync_once()
    with reviewer_desk.db.session() as session:
        decide(
            request_id,
            cases[BIRTH_CERT],
            "approve",
            {},
            session=session,
            actor="li",
            role="reviewer",
        )
        decide(
            request_id,
            cases[VACCINATION],
            "return_for_correction",
            {"reasons": ["接种信息与出生记录不一致"]},
            session=session,
            actor="li",
            role="reviewer",
        )
        session.commit()
    reviewer.sync_once()
    assert not reviewer.quarantined_ops(), reviewer.quarantined_ops()
    assert _hub_fields(live_hub, "case", cases[BIRTH_CERT])["review_state"] == "approved"
    assert _hub_fields(live_hub, "case", cases[VACCINATION])["status"] == "needs_correction"
    engine.sync_once()
    with desk.db.session() as session:
        assert session.get(Case, cases[BIRTH_CERT]).review_state == "approved"
        returned = session.get(Case, cases[VACCINATION])
        assert (returned.status, returned.review_state) == ("needs_correction", "returned")
    desk.close()
    reviewer_desk.close()
