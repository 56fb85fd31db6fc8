"""一件事 through the window (issue 21): one intake, documents entered once, cases in their order.

A resident's 新生儿出生一件事 from one intake until every case is concluded; an enterprise's project
through three dependent items, with the organisation's 代办委托书 printed.
"""

from __future__ import annotations

from datetime import date

from docx import Document
from sqlalchemy import select

from agent_desk.core.case_flow import CaseAction
from agent_desk.fill.demo import DEMO_CREDIT_CODE, demo_agent, demo_manual, demo_organisation
from agent_desk.services.cases import apply_action
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.intake import generate_case_documents
from agent_desk.services.requests import start_member
from agent_desk.services.settings import AgentSettings, Settings
from agent_desk.store.models import (
    Case,
    CaseDocument,
    CaseEvent,
    Client,
    GeneratedDocument,
    Request,
    Village,
)
from agent_desk.ui.request_page import RequestsPage
from tests.fill.conftest import docx_text

NEWBORN, PROJECT = "620524-YJS-0001", "620524-YJS-0003"


def _person(window) -> str:
    with window.desk.db.session() as session:
        return session.scalars(
            select(Client.id).where(Client.kind == "person", Client.village_id.is_not(None))
        ).first()


def _open_request(qtbot, window, client_id: str, bundle: str) -> tuple[RequestsPage, str]:
    qtbot.waitUntil(lambda: window.catalog is not None, timeout=10000)
    dialog = window.start_bundle(client_id)
    qtbot.waitUntil(lambda: dialog.bundles.count() > 0, timeout=10000)
    dialog.choose(bundle)
    kinds = [dialog.documents.item(r).data(256) for r in range(dialog.documents.count())]
    assert len(kinds) == len(set(kinds))  # each document asked for once
    dialog.receive_all()
    form = window.catalog.bundle(bundle).form
    if form is not None:  # the 一表申请's typed fields, valid
        dialog.fields.set_values(
            {k: v for k, v in demo_manual(form).items() if k in dialog.fields.specs}
        )
    with qtbot.waitSignal(dialog.request_created, timeout=10000) as created:
        dialog.ok.click()
    page = window.pages["requests"]
    assert isinstance(page, RequestsPage)
    qtbot.waitUntil(
        lambda: page.detail.view is not None and page.detail.view.request.id == created.args[0],
        timeout=10000,
    )
    return page, created.args[0]


def _conclude(window, case_id: str) -> None:
    with window.desk.db.session() as session:
        case = session.get(Case, case_id)
        for action, payload in (
            (CaseAction.SUBMIT, {}),
            (CaseAction.CONCLUDE, {"outcome": "approved"}),
        ):
            apply_action(case, action, payload, session=session, actor="t", today=date.today())
        session.commit()
    window.bus.notify("case")


def _start_in_page(qtbot, page: RequestsPage, case_id: str) -> None:
    detail = page.detail
    qtbot.waitUntil(
        lambda: any(m.case_id == case_id and m.startable for m in detail.view.members),
        timeout=10000,
    )
    row = next(i for i, m in enumerate(detail.view.members) if m.case_id == case_id)
    detail.members.selectRow(row)
    with qtbot.waitSignal(detail.changed, timeout=10000):
        detail.start_button.click()


def _member(page: RequestsPage, code: str):
    return next(m for m in page.detail.view.members if m.item_code == code)


def test_a_newborn_bundle_from_one_intake_to_every_case_concluded(qtbot, window) -> None:
    page, request_id = _open_request(qtbot, window, _person(window), NEWBORN)
    view = page.detail.view
    assert len(view.members) == 5 and page.detail.members.rowCount() == 5
    assert _member(page, "62052400GA-QR-0001").blocked_by == ("出生医学证明签发",)
    with window.desk.db.session() as session:
        states = session.scalars(
            select(CaseDocument.status)
            .join(Case, Case.id == CaseDocument.case_id)
            .where(Case.request_id == request_id, CaseDocument.doc_kind == "id_card")
        ).all()
    assert len(states) == 4 and set(states) == {"received"}  # entered once, in four cases
    today = window.pages["today"]
    _conclude(window, _member(page, "62052400WJ-GG-0002").case_id)
    hukou = _member(page, "62052400GA-QR-0001").case_id
    qtbot.waitUntil(
        lambda: hukou in {r.case_id for r in today.state.rows.get("startable", [])}, timeout=10000
    )
    _start_in_page(qtbot, page, hukou)
    _conclude(window, hukou)
    for code in ("62052400YB-GG-0001", "62052400RS-GG-0002"):
        case_id = _member(page, code).case_id
        _start_in_page(qtbot, page, case_id)
        _conclude(window, case_id)
    _conclude(window, _member(page, "62052400WJ-GG-0003").case_id)
    page.detail.load(request_id)
    qtbot.waitUntil(lambda: page.detail.view.done == 5, timeout=10000)
    assert page.detail.progress.value() == 5
    with window.desk.db.session() as session:
        assert session.get(Request, request_id).status == "completed"


def test_an_enterprise_project_through_three_dependent_items(qtbot, window) -> None:
    with window.desk.db.session() as session:
        village = session.scalars(select(Village.id)).first()
        org = create_client(
            ClientInput(
                name="武山县宏达建筑工程有限公司",
                id_number=DEMO_CREDIT_CODE,
                kind="organisation",
                extra={
                    "village_id": village,
                    "legal_rep_name": "李建国",
                    "legal_rep_id_number": demo_organisation().legal_rep_id_number,
                    "contact_name": "王小明",
                    "contact_phone": "13919385678",
                    "address": "武山县城关镇北顺路18号",
                },
            ),
            session=session,
        )
        session.commit()
        org_id = org.id
    page, request_id = _open_request(qtbot, window, org_id, PROJECT)
    codes = [m.item_code for m in page.detail.view.members]
    assert codes == ["62052400FG-QT-0001", "62052400ZR-XK-0001", "62052400ZJ-XK-0001"]
    first = _member(page, codes[0]).case_id
    with window.desk.db.session() as session:
        generated = generate_case_documents(
            first,
            window.catalog,
            demo_agent(),
            session=session,
            documents_dir=window.desk.data.documents,
            form_ids=["org_proxy_authorisation"],
        )
        session.commit()
    assert generated.documents, generated
    [authorisation] = generated.documents
    doc = Document(window.desk.data.documents / authorisation.path)
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "法定代表人签字" in text and "单位公章" in text and DEMO_CREDIT_CODE in text
    _conclude(window, first)
    for code in codes[1:]:
        case_id = _member(page, code).case_id
        _start_in_page(qtbot, page, case_id)
        _conclude(window, case_id)
    page.detail.load(request_id)
    qtbot.waitUntil(lambda: page.detail.view.request.status == "completed", timeout=10000)


def test_the_dashboard_counts_requests_per_bundle(qtbot, window) -> None:
    from agent_desk.ui.dashboard import DashboardPage

    page, request_id = _open_request(qtbot, window, _person(window), NEWBORN)
    for member in page.detail.view.members:
        if member.startable or member.blocked_by:
            with window.desk.db.session() as session:
                start_member(
                    member.case_id, window.catalog, session=session, actor="t", today=date.today()
                )
                session.commit()
        _conclude(window, member.case_id)
    dashboard = DashboardPage(window.ctx, window)
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.requests_box.shown, timeout=10000) as shown:
        dashboard.refresh()
    figures = shown.args[0]
    assert figures.completed == 1 and figures.trips_per_request == 4.0
    assert dashboard.requests_box.table.item(0, 0).text() == "新生儿出生一件事"
    assert dashboard.requests_box.table.item(0, 2).text() == "100%"
    assert "4.0" in dashboard.requests_box.summary.text()


def test_an_organisation_is_registered_in_the_profile_with_its_people(qtbot, window) -> None:
    from agent_desk.core.identity import credit_check_char

    view = window.new_client()
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    view.org.is_org.setChecked(True)
    view.edits["name"].setText("武山县宏达建筑工程有限公司")
    wrong = DEMO_CREDIT_CODE[:-1] + ("0" if DEMO_CREDIT_CODE[-1] != "0" else "1")
    assert credit_check_char(DEMO_CREDIT_CODE[:17]) != wrong[-1]
    view.edits["id_number"].setText(wrong)
    assert "校验" in view.errors["id_number"].text() and not view.save_button.isEnabled()
    view.edits["id_number"].setText(DEMO_CREDIT_CODE)
    view.edits["legal_rep_name"].setText("李建国")
    view.edits["legal_rep_id_number"].setText("620524")
    assert view.errors["legal_rep_id_number"].text() and not view.save_button.isEnabled()
    view.edits["legal_rep_id_number"].setText(demo_organisation().legal_rep_id_number)
    view.edits["contact_name"].setText("王小明")
    view.edits["contact_phone"].setText("13919385678")
    view.edits["business_scope"].setText("房屋建筑工程施工")
    view.village.setCurrentIndex(1)
    assert view.save_button.isEnabled(), {k: e.text() for k, e in view.errors.items() if e.text()}
    with qtbot.waitSignal(view.saved, timeout=5000) as saved:
        view.save_button.click()
    with window.desk.db.session() as session:
        org = session.get(Client, saved.args[0])
        assert (org.kind, org.id_number, org.legal_rep_name, org.contact_phone) == (
            "organisation",
            DEMO_CREDIT_CODE,
            "李建国",
            "13919385678",
        )


def test_the_bundle_intake_fills_the_combined_application_from_the_profile(qtbot, window) -> None:
    """一表申请: typed once in the intake, the rest from the profile, written with the notice."""
    window.settings = Settings(agent=AgentSettings(name="王建国", phone="13909381234"))
    client_id = _person(window)
    with window.desk.db.session() as session:
        client = session.get(Client, client_id)
        name, number = client.name, client.id_number
    page, request_id = _open_request(qtbot, window, client_id, NEWBORN)
    with window.desk.db.session() as session:
        request = session.get(Request, request_id)
        rows = session.scalars(
            select(GeneratedDocument)
            .join(Case, Case.id == GeneratedDocument.case_id)
            .where(Case.request_id == request_id)
        ).all()
        assert request.plan["form_fields"]["child_name"] == "示例新生儿姓名"
    by_template = {r.template: r for r in rows}
    assert set(by_template) == {"combined_application", "bundle_notice"}, window.dialogs.shown
    text = docx_text(window.desk.data.documents / by_template["combined_application"].path)
    assert name in text and number in text and "示例新生儿姓名" in text
    assert "新生儿出生“一件事”联办申请表" in text


def test_a_profile_gap_is_named_and_the_request_still_opens(qtbot, window) -> None:
    """Without the agent's own details the 一表申请 cannot be filled: said so, not printed blank."""
    page, request_id = _open_request(qtbot, window, _person(window), NEWBORN)
    [(kind, _title, text)] = window.dialogs.shown
    assert kind == "info" and "代办员姓名" in text
    with window.desk.db.session() as session:
        templates = session.scalars(
            select(GeneratedDocument.template)
            .join(Case, Case.id == GeneratedDocument.case_id)
            .where(Case.request_id == request_id)
        ).all()
    assert set(templates) == {"bundle_notice"}


def test_the_applicant_withdraws_the_whole_request_in_one_step(qtbot, window) -> None:
    page, request_id = _open_request(qtbot, window, _person(window), NEWBORN)
    first = _member(page, "62052400WJ-GG-0002").case_id
    _conclude(window, first)
    detail = page.detail
    qtbot.waitUntil(lambda: detail.withdraw_button.isEnabled(), timeout=10000)
    window.dialogs.next_payloads.append({"reason": "全家迁往外省，在新住地办理"})
    with qtbot.waitSignal(detail.changed, timeout=10000):
        detail.withdraw_button.click()
    with window.desk.db.session() as session:
        statuses = dict(
            session.execute(select(Case.id, Case.status).where(Case.request_id == request_id)).all()
        )
        reasons = session.scalars(
            select(CaseEvent.reason).where(
                CaseEvent.action == "withdraw", CaseEvent.case_id.in_(list(statuses))
            )
        ).all()
        assert session.get(Request, request_id).status == "withdrawn"
    assert statuses.pop(first) == "concluded"  # concluded cases are left as they are
    assert set(statuses.values()) == {"withdrawn"}
    assert reasons == ["全家迁往外省，在新住地办理"] * 4
    qtbot.waitUntil(lambda: detail.view.request.status == "withdrawn", timeout=10000)
    assert not detail.withdraw_button.isEnabled()
    assert "withdrawn" in detail.title.text()


def test_a_withdrawal_without_a_reason_is_refused_and_changes_nothing(qtbot, window) -> None:
    page, request_id = _open_request(qtbot, window, _person(window), NEWBORN)
    window.dialogs.next_payloads.append({"reason": "   "})
    page.detail.withdraw_button.click()
    qtbot.waitUntil(lambda: any(s[0] == "error" for s in window.dialogs.shown), timeout=10000)
    [error] = [s for s in window.dialogs.shown if s[0] == "error"]
    assert "请填写撤回原因" in error[2]
    with window.desk.db.session() as session:
        assert session.get(Request, request_id).status == "open"
        assert (
            "withdrawn"
            not in session.scalars(select(Case.status).where(Case.request_id == request_id)).all()
        )


def test_a_reviewers_desk_cannot_withdraw_a_request(qtbot, window) -> None:
    page, _request_id = _open_request(qtbot, window, _person(window), NEWBORN)
    window.settings = Settings(role="reviewer")
    page.detail.load(page.detail.view.request.id)
    qtbot.waitUntil(lambda: page.detail.withdraw_button.toolTip() != "", timeout=10000)
    assert not page.detail.withdraw_button.isEnabled()
