"""Requests (一件事) and chief service officers over a real hub (issue 21).

A request syncs as cases do, under the hub's rules: a desk cannot push one outside its scope, hang a
case on another village's request, or send values no desk can store. A chief service officer's scope
is a township or a whole county, enforced by the hub on push and pull.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.case_flow import CaseAction
from agent_desk.core.identity import make_resident_id
from agent_desk.fill.demo import DEMO_CREDIT_CODE
from agent_desk.services.cases import apply_action
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.intake import DocumentChoice
from agent_desk.services.requests import (
    BundleIntake,
    load_request,
    shared_kinds,
    start_member,
    start_request,
)
from agent_desk.services.review import approve
from agent_desk.store.models import Case, Request
from tests.sync.conftest import V1, V2, V3, HubFixture, make_desk
from tests.sync.test_hostile_desk import _event, _hub_fields, _new_case, _op, _push, _refused
from tests.sync.test_hub_rules import client_op, login

CATALOG = load_catalog(default_catalog_dir())
PROJECT = "620524-YJS-0003"
TODAY = date(2026, 12, 1)


def _request_op(village: str, client_id: str, **extra: Any) -> dict[str, Any]:
    fields = {
        "request_no": "YJS20261201AB12001",
        "bundle_code": PROJECT,
        "bundle_name": "企业投资工程建设项目审批一件事",
        "client_id": client_id,
        "village_id": village,
        "opened_on": "2026-12-01",
        "status": "open",
        "plan": {"members": [{"item": "62052400ZR-XK-0001", "after": ["62052400FG-QT-0001"]}]},
    }
    return _op("request", fields | extra)


def test_a_desk_cannot_push_a_request_outside_its_scope_or_with_bad_fields(
    live_hub: HubFixture,
) -> None:
    live_hub.add_user("wang")  # an agent of V1
    http = login(live_hub, "wang")
    v1, v3 = live_hub.villages[V1], live_hub.villages[V3]
    client, case = _new_case(http, v1)
    good = _request_op(v1, client)
    assert _push(http, good)[0]["status"] == "applied"
    _refused(_push(http, _request_op(v3, client))[0], "无权")
    _refused(_push(http, _request_op(v1, client, status="bogus"))[0], "不是可选的值")
    _refused(_push(http, _request_op(v1, client, trips_saved=10**9))[0], "之间")
    _refused(_push(http, _request_op(v1, client, opened_on="someday"))[0])
    _refused(_push(http, _request_op(v1, "f" * 32))[0], "委托人", "尚未上报")
    assert (
        _push(http, _op("case", {"request_id": good["entity_id"]}, case, 1))[0]["status"]
        == "applied"
    )
    assert _hub_fields(live_hub, "case", case)["request_id"] == good["entity_id"]


def test_a_case_cannot_hang_on_another_villages_request(live_hub: HubFixture) -> None:
    live_hub.add_user("wang")  # V1
    live_hub.add_user("zhao", villages=(V3,))
    wang, zhao = login(live_hub, "wang"), login(live_hub, "zhao")
    v1, v3 = live_hub.villages[V1], live_hub.villages[V3]
    other_client, _ = _new_case(zhao, v3)
    theirs = _request_op(v3, other_client)
    assert _push(zhao, theirs)[0]["status"] == "applied"
    _client, case = _new_case(wang, v1)
    _refused(
        _push(wang, _op("case", {"request_id": theirs["entity_id"]}, case, 1))[0], "其他村的一件事"
    )


def test_the_hub_enforces_a_chief_service_officers_township_or_county(
    live_hub: HubFixture,
) -> None:
    live_hub.add_user("zhou", role="chief_officer", township=V1[:9])  # 洛门镇
    live_hub.add_user("sun", role="chief_officer", township=V1[:6])  # 武山县
    zhou, sun = login(live_hub, "zhou"), login(live_hub, "sun")
    v1, v2, v3 = (live_hub.villages[v] for v in (V1, V2, V3))
    org = {"kind": "organisation", "id_number": DEMO_CREDIT_CODE}
    assert (
        _push(zhou, client_op(v2, name="武山县宏达建筑工程有限公司", **org))[0]["status"]
        == "applied"
    )
    _refused(_push(zhou, client_op(v3, name="城关村张三"))[0], "无权")
    assert _push(sun, client_op(v3, name="城关村李四"))[0]["status"] == "applied"
    # the case steps an agent may take, a chief service officer may take; a reviewer's he may not
    _client, case = _new_case(zhou, v1)
    accept = _event(case, "accept", "entrusted", "accepted")
    result = _push(zhou, accept)[0]
    assert result["status"] == "applied", result
    approve_op = _event(case, "approve", "accepted", "accepted")
    _refused(_push(zhou, approve_op)[0], "首席服务官不能")
    pulled = zhou.get("/sync/pull", params={"since": 0}).json()
    villages = {c["fields"].get("village_id") for c in pulled["changes"] if c["entity"] == "client"}
    assert v3 not in villages and v2 in villages
    county = sun.get("/sync/pull", params={"since": 0}).json()
    assert v3 in {c["fields"].get("village_id") for c in county["changes"]}


def _org(desk, village_id: str) -> str:
    with desk.db.session() as session:
        org = create_client(
            ClientInput(
                name="武山县宏达建筑工程有限公司",
                id_number=DEMO_CREDIT_CODE,
                kind="organisation",
                extra={"village_id": village_id, "legal_rep_name": "李建国"},
            ),
            session=session,
        )
        session.commit()
        return org.id


def test_an_enterprise_project_syncs_and_is_reviewed_on_the_hub(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    """A chief service officer opens the project; the township reviewer sees the whole request."""
    live_hub.add_user("zhou", role="chief_officer", township=V1[:9])
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    desk, engine = make_desk(tmp_path, "cso", live_hub, "zhou")
    reviewer_desk, reviewer = make_desk(tmp_path, "review", live_hub, "li")
    engine.sync_once()  # the villages arrive
    org = _org(desk, live_hub.villages[V2])
    kinds = shared_kinds(CATALOG.bundle(PROJECT), CATALOG)
    with desk.db.session() as session:
        request = start_request(
            BundleIntake(org, PROJECT, {k: DocumentChoice("received") for k in kinds}),
            CATALOG,
            session=session,
            actor="zhou",
            today=TODAY,
        )
        session.commit()
        request_id = request.id
        first = session.scalars(
            select(Case).where(
                Case.request_id == request_id, Case.item_code == "62052400FG-QT-0001"
            )
        ).one()
        apply_action(first, CaseAction.SUBMIT, {}, session=session, actor="zhou", today=TODAY)
        session.commit()
        first_id = first.id
    report = engine.sync_once()
    assert not engine.quarantined_ops(), engine.quarantined_ops()
    assert report is not None
    reviewer.sync_once()
    with reviewer_desk.db.session() as session:
        view = load_request(session, request_id)
        assert [m.item_code for m in view.members] == [
            "62052400FG-QT-0001",
            "62052400ZR-XK-0001",
            "62052400ZJ-XK-0001",
        ]
        assert view.members[1].blocked_by == ("企业投资项目备案",)
        approve(first_id, session=session, actor="li", today=TODAY)
        session.commit()
    reviewer.sync_once()
    assert not reviewer.quarantined_ops(), reviewer.quarantined_ops()
    engine.sync_once()
    with desk.db.session() as session:
        assert session.get(Case, first_id).review_state == "approved"
        first = session.get(Case, first_id)
        apply_action(
            first,
            CaseAction.CONCLUDE,
            {"outcome": "approved"},
            session=session,
            actor="zhou",
            today=TODAY,
        )
        second = session.scalars(
            select(Case).where(
                Case.request_id == request_id, Case.item_code == "62052400ZR-XK-0001"
            )
        ).one()
        start_member(second.id, CATALOG, session=session, actor="zhou", today=TODAY)
        session.commit()
    engine.sync_once()
    assert not engine.quarantined_ops(), engine.quarantined_ops()
    assert _hub_fields(live_hub, "request", request_id)["bundle_code"] == PROJECT
    assert _hub_fields(live_hub, "request", request_id)["agent_id"]  # stamped by the hub
    with desk.db.session() as session:
        assert session.get(Request, request_id).version > 0
    desk.close()
    reviewer_desk.close()


def test_a_residents_newborn_bundle_syncs_and_is_reviewed_as_a_whole(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")  # the village agent of V1
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    desk, engine = make_desk(tmp_path, "agent", live_hub, "wang")
    reviewer_desk, reviewer = make_desk(tmp_path, "review", live_hub, "li")
    engine.sync_once()
    newborn = "620524-YJS-0001"
    with desk.db.session() as session:
        parent = create_client(
            ClientInput(
                name="李秀英",
                id_number=make_resident_id("620524", date(1995, 4, 2), 22),
                extra={"village_id": live_hub.villages[V1]},
            ),
            session=session,
        )
        kinds = shared_kinds(CATALOG.bundle(newborn), CATALOG)
        request = start_request(
            BundleIntake(parent.id, newborn, {k: DocumentChoice("received") for k in kinds}),
            CATALOG,
            session=session,
            actor="wang",
            today=TODAY,
        )
        session.flush()
        for case in session.scalars(select(Case).where(Case.status == "accepted")):
            apply_action(case, CaseAction.SUBMIT, {}, session=session, actor="wang", today=TODAY)
        session.commit()
        request_id = request.id
    engine.sync_once()
    assert not engine.quarantined_ops(), engine.quarantined_ops()
    reviewer.sync_once()
    with reviewer_desk.db.session() as session:
        view = load_request(session, request_id)
        assert len(view.members) == 5 and view.client_name == "李秀英"
        assert {d.doc_kind for d in view.documents} >= {"id_card", "household_register"}
        for member in view.members[:2]:  # the two that could start at once, carried in
            approve(member.case_id, session=session, actor="li", today=TODAY)
        session.commit()
    reviewer.sync_once()
    assert not reviewer.quarantined_ops(), reviewer.quarantined_ops()
    engine.sync_once()
    with desk.db.session() as session:
        approved = session.scalars(
            select(Case.review_state).where(Case.request_id == request_id)
        ).all()
        assert sorted(approved, key=lambda s: s or "") == [None, None, None, "approved", "approved"]
    desk.close()
    reviewer_desk.close()
