"""Issue 6's flow over a real hub: an agent desk and a reviewer desk, each syncing through its 同步 page.

The agent submits; the reviewer returns it with reasons; the agent sees them, corrects and
resubmits; the reviewer approves; the agent sees the approval.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.identity import make_resident_id
from agent_desk.services.cases import apply_action, open_case, set_document_status
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.intake import item_spec
from agent_desk.services.settings import Settings
from agent_desk.store.case_queries import case_documents
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import Case, CaseEvent
from agent_desk.sync.settings import SyncSettings
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from tests.sync.conftest import PASSWORD, V1, HubFixture

REASONS = ["申请表缺少申请人签字", "银行卡号与户名不一致"]
ITEM = "62052400MZ-JF-0001"


def _desk_window(
    qtbot, tmp_path: Path, name: str, role: str, user: str, hub: HubFixture
) -> tuple[MainWindow, RecordingDialogs]:
    dialogs = RecordingDialogs()
    window = MainWindow(
        DataDir(tmp_path / name).ensure(),
        Settings(role=role, sync=SyncSettings(username=user)),
        dialogs,
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.desk_ready, timeout=10000):
        window.start()
    page = window.pages["sync"]
    page.engine.configure(hub.url, user, device_name=name)
    page.engine.login(PASSWORD)
    _sync(qtbot, window)
    return window, dialogs


def _sync(qtbot, window: MainWindow) -> None:
    page = window.pages["sync"]
    qtbot.waitUntil(lambda: not page.running, timeout=20000)
    with qtbot.waitSignal(page.synced, timeout=20000):
        page.sync_now()


def _case(window: MainWindow, case_id: str) -> Case | None:
    with window.desk.db.session() as session:
        return session.get(Case, case_id)


def _agent_case(window: MainWindow, village_id: str) -> str:
    """A 低保 case with every document received, accepted: ready to carry to the township."""
    item = load_catalog(default_catalog_dir()).item(ITEM)
    with window.desk.db.session() as session:
        client = create_client(
            ClientInput(
                "单雄信",
                make_resident_id("620524", date(1980, 1, 1), 123),
                extra={"village_id": village_id},
            ),
            session=session,
        )
        case = open_case(client, item_spec(item), session=session, actor="王建国")
        for doc in case_documents(session, case.id):
            set_document_status(doc, "received", session=session)
        apply_action(case, "accept", {}, session=session, actor="王建国")
        session.commit()
        return case.id


def _step(qtbot, view, button: str, dialogs: RecordingDialogs, payload: dict) -> None:
    qtbot.waitUntil(lambda: view.findChild(QPushButton, button) is not None, timeout=5000)
    dialogs.next_payloads.append(payload)
    with qtbot.waitSignal(view.acted, timeout=5000):
        view.findChild(QPushButton, button).click()


def test_agent_and_reviewer_desks_through_the_hub(
    qtbot, live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    agent, agent_dialogs = _desk_window(qtbot, tmp_path, "agent", "agent", "wang", live_hub)
    reviewer, reviewer_dialogs = _desk_window(
        qtbot, tmp_path, "reviewer", "reviewer", "li", live_hub
    )
    assert "review" in reviewer.pages and "review" not in agent.pages

    case_id = _agent_case(agent, live_hub.villages[V1])
    _step(qtbot, agent.open_case(case_id), "action_submit", agent_dialogs, {})
    _sync(qtbot, agent)
    _sync(qtbot, reviewer)
    assert (_case(reviewer, case_id).status, _case(reviewer, case_id).review_state) == (
        "in_progress",
        "waiting",
    )

    review = reviewer.open_review(case_id)
    qtbot.waitUntil(lambda: review.detail is not None, timeout=5000)
    _step(qtbot, review, "review_return_for_correction", reviewer_dialogs, {"reasons": REASONS})
    _sync(qtbot, reviewer)
    _sync(qtbot, agent)
    returned = _case(agent, case_id)
    assert (returned.status, returned.review_state) == ("needs_correction", "returned")
    with agent.desk.db.session() as session:
        event = session.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == case_id, CaseEvent.action == "return_for_correction"
            )
        ).one()
        assert event.payload["reasons"] == REASONS and event.actor == "li"

    view = agent.open_case(case_id)
    view.reload()
    qtbot.waitUntil(
        lambda: view.detail is not None and view.detail.case.status == "needs_correction",
        timeout=5000,
    )
    _step(qtbot, view, "action_resubmit", agent_dialogs, {})
    _sync(qtbot, agent)
    _sync(qtbot, reviewer)
    review.reload()
    qtbot.waitUntil(
        lambda: review.detail is not None and review.detail.case.review_state == "waiting",
        timeout=5000,
    )
    _step(qtbot, review, "review_approve", reviewer_dialogs, {})
    _sync(qtbot, reviewer)
    _sync(qtbot, agent)
    approved = _case(agent, case_id)
    assert (approved.status, approved.review_state, approved.returned_count) == (
        "in_progress",
        "approved",
        1,
    )
    for window in (agent, reviewer):
        assert window.pages["sync"].engine.status().open_conflicts == 0
        window.close()
