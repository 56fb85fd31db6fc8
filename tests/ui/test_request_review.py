"""The reviewer sees a 一件事 as a whole: its cases, the papers collected once, the decisions per case.

One store stands in for the agent's and the reviewer's desks (as in test_review_flow.py); the hub's
own check of the same decisions is in tests/sync/test_request_review_sync.py.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.case_flow import CaseAction
from agent_desk.services.cases import apply_action
from agent_desk.services.intake import DocumentChoice
from agent_desk.services.requests import BundleIntake, shared_kinds, start_request
from agent_desk.store.models import Case, CaseEvent, Client
from agent_desk.ui.request_review import RequestReviewView

CATALOG = load_catalog(default_catalog_dir())
NEWBORN = "620524-YJS-0001"
BIRTH_CERT, VACCINATION, HUKOU = "62052400WJ-GG-0002", "62052400WJ-GG-0003", "62052400GA-QR-0001"


def _submitted_request(win) -> tuple[str, dict[str, str]]:
    """A newborn request whose two first cases went to the township for review."""
    with win.desk.db.session() as session:
        client_id = session.scalars(
            select(Client.id).where(Client.kind == "person", Client.village_id.is_not(None))
        ).first()
        kinds = shared_kinds(CATALOG.bundle(NEWBORN), CATALOG)
        intake = BundleIntake(client_id, NEWBORN, {k: DocumentChoice("received") for k in kinds})
        request = start_request(
            intake, CATALOG, session=session, actor="王建国", today=date.today()
        )
        session.flush()
        cases = {
            c.item_code: c
            for c in session.scalars(select(Case).where(Case.request_id == request.id))
        }
        for code in (BIRTH_CERT, VACCINATION):
            apply_action(cases[code], CaseAction.SUBMIT, {}, session=session, actor="王建国")
        session.commit()
        return request.id, {code: c.id for code, c in cases.items()}


def _row(view: RequestReviewView, case_id: str) -> int:
    return next(r for r, m in enumerate(view.review.view.members) if m.case_id == case_id)


def _review_state(win, case_id: str) -> tuple[str, str | None]:
    with win.desk.db.session() as session:
        case = session.get(Case, case_id)
        return case.status, case.review_state


def test_a_reviewer_decides_each_case_of_a_request_on_one_screen(qtbot, reviewer, dialogs) -> None:
    request_id, cases = _submitted_request(reviewer)
    queue = reviewer.pages["review"]
    queue.status.setCurrentIndex(1)  # waiting for review
    qtbot.waitUntil(lambda: cases[BIRTH_CERT] in queue.model.ids, timeout=5000)
    queue.table.selectRow(queue.model.ids.index(cases[BIRTH_CERT]))
    assert queue.request_button.isEnabled()
    with qtbot.waitSignal(queue.open_request, timeout=5000) as opened:
        queue.request_button.click()
    assert opened.args == [request_id]
    view = reviewer.open_request_review(request_id)
    qtbot.waitUntil(lambda: view.review is not None, timeout=5000)
    assert view.members.rowCount() == 5 and view.documents.rowCount() >= 4
    row = _row(view, cases[BIRTH_CERT])
    assert view.members.item(row, 3).text() == "Waiting for review"
    assert view.members.item(row, 5).text() == "Approve、Return for correction"
    view.members.selectRow(_row(view, cases[HUKOU]))  # 委托, waiting for 出生医学证明: no decision
    assert view.members.item(_row(view, cases[HUKOU]), 4).text() == "出生医学证明签发"
    assert not any(b.isEnabled() for b in view.buttons.values())
    view.members.selectRow(row)
    dialogs.next_payloads.append({"comment": "材料齐全"})
    with qtbot.waitSignal(view.acted, timeout=5000):
        view.findChild(QPushButton, "requestReview_approve").click()
    assert _review_state(reviewer, cases[BIRTH_CERT]) == ("in_progress", "approved")
    qtbot.waitUntil(
        lambda: view.members.item(_row(view, cases[BIRTH_CERT]), 3).text() == "Approved",
        timeout=5000,
    )
    view.members.selectRow(_row(view, cases[VACCINATION]))
    dialogs.next_payloads.append({"reasons": ["接种信息与出生记录不一致"]})
    with qtbot.waitSignal(view.acted, timeout=5000):
        view.findChild(QPushButton, "requestReview_return_for_correction").click()
    assert _review_state(reviewer, cases[VACCINATION]) == ("needs_correction", "returned")
    with reviewer.desk.db.session() as session:
        reasons = session.scalars(
            select(CaseEvent.reason).where(
                CaseEvent.case_id == cases[VACCINATION],
                CaseEvent.action == "return_for_correction",
            )
        ).all()
    assert reasons == ["接种信息与出生记录不一致"]


def test_a_return_without_reasons_is_refused_and_changes_nothing(qtbot, reviewer, dialogs) -> None:
    request_id, cases = _submitted_request(reviewer)
    view = reviewer.open_request_review(request_id)
    qtbot.waitUntil(lambda: view.review is not None, timeout=5000)
    view.members.selectRow(_row(view, cases[VACCINATION]))
    dialogs.next_payloads.append({"reasons": ["  "]})
    view.findChild(QPushButton, "requestReview_return_for_correction").click()
    qtbot.waitUntil(lambda: any(s[0] == "error" for s in dialogs.shown), timeout=5000)
    [error] = [s for s in dialogs.shown if s[0] == "error"]
    assert "退回补正须填写至少一条原因" in error[2]
    assert _review_state(reviewer, cases[VACCINATION]) == ("in_progress", "waiting")


def test_a_cases_review_opens_its_whole_request(qtbot, reviewer) -> None:
    request_id, cases = _submitted_request(reviewer)
    single = reviewer.open_review(cases[BIRTH_CERT])
    qtbot.waitUntil(lambda: single.detail is not None, timeout=5000)
    assert single.request_button.isVisible()
    single.request_button.click()
    view = reviewer.review_views[f"request:{request_id}"]
    qtbot.waitUntil(lambda: view.review is not None, timeout=5000)
    assert view.isVisible() and view.review.view.request.id == request_id


def test_an_agents_desk_offers_no_review_decision(qtbot, window) -> None:
    request_id, cases = _submitted_request(window)
    view = RequestReviewView(window.ctx, request_id)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.review is not None, timeout=5000)
    view.members.selectRow(_row(view, cases[BIRTH_CERT]))
    assert view.members.item(_row(view, cases[BIRTH_CERT]), 5).text() == "—"
    assert not any(b.isEnabled() for b in view.buttons.values())
