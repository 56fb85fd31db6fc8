"""`make screenshots` (一件事 part): a request page, the reviewer's whole-request screen, and an
organisation's 代办委托书 in print preview.

A small demo desk with a resident's 新生儿出生一件事 (its first item concluded, so 出生医学证明 is
handed on and one case can start while two still wait; 预防接种证 submitted for review) and an
enterprise's project; offscreen, into docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "scripts"))

from PySide6.QtCore import Qt  # noqa: E402
from screenshots import settle, shoot  # noqa: E402
from sqlalchemy import select  # noqa: E402

from agent_desk.catalog import default_catalog_dir, load_catalog  # noqa: E402
from agent_desk.core.case_flow import CaseAction  # noqa: E402
from agent_desk.fill import ConverterChain  # noqa: E402
from agent_desk.fill.demo import DEMO_CREDIT_CODE, demo_organisation  # noqa: E402
from agent_desk.services.agent_identity import with_stored_agent_id  # noqa: E402
from agent_desk.services.cases import apply_action  # noqa: E402
from agent_desk.services.clients import ClientInput, create_client  # noqa: E402
from agent_desk.services.demo import seed_demo  # noqa: E402
from agent_desk.services.demo_catalog import demo_items  # noqa: E402
from agent_desk.services.demo_first_run import ensure_demo_agent  # noqa: E402
from agent_desk.services.desk import open_desk  # noqa: E402
from agent_desk.services.intake import DocumentChoice, generate_case_documents  # noqa: E402
from agent_desk.services.printing import prepare_set  # noqa: E402
from agent_desk.services.profiles import agent_info  # noqa: E402
from agent_desk.services.requests import BundleIntake, shared_kinds, start_request  # noqa: E402
from agent_desk.services.settings import load_settings  # noqa: E402
from agent_desk.store.datadir import DataDir  # noqa: E402
from agent_desk.store.models import Case, Client, Village  # noqa: E402
from agent_desk.ui.app import install_translators, make_app  # noqa: E402
from agent_desk.ui.main_window import MainWindow  # noqa: E402
from agent_desk.ui.messages import RecordingDialogs  # noqa: E402
from agent_desk.ui.printing import MAX_PREVIEW_DPI, prepare_job, preview_dialog, summary  # noqa: E402

CATALOG = load_catalog(default_catalog_dir())


def _requests(desk, agent) -> tuple[str, str]:
    """The newborn request's id and the enterprise's first case's id (its authorisation printed)."""
    today = date.today()
    with desk.db.session() as session:
        parent = session.scalars(
            select(Client).where(Client.kind == "person", Client.relation_to_head == "户主")
        ).first()
        newborn = _open(session, parent.id, "620524-YJS-0001", today)
        first = session.scalars(
            select(Case).where(Case.request_id == newborn, Case.item_code == "62052400WJ-GG-0002")
        ).one()
        for action, payload in (
            (CaseAction.SUBMIT, {}),
            (CaseAction.CONCLUDE, {"outcome": "approved"}),
        ):
            apply_action(first, action, payload, session=session, actor="张红梅", today=today)
        vaccination = session.scalars(
            select(Case).where(Case.request_id == newborn, Case.item_code == "62052400WJ-GG-0003")
        ).one()
        apply_action(
            vaccination, CaseAction.SUBMIT, {}, session=session, actor="张红梅", today=today
        )
        org = demo_organisation()
        village = session.scalars(select(Village.id)).first()
        enterprise = create_client(
            ClientInput(
                name=org.name,
                id_number=DEMO_CREDIT_CODE,
                kind="organisation",
                phone=org.phone,
                extra={
                    "village_id": village,
                    "address": org.address,
                    "legal_rep_name": org.legal_rep_name,
                    "legal_rep_id_number": org.legal_rep_id_number,
                    "contact_name": org.contact_name,
                    "contact_phone": org.contact_phone,
                    "business_scope": org.business_scope,
                },
            ),
            session=session,
        )
        session.flush()
        project = _open(session, enterprise.id, "620524-YJS-0003", today)
        filing = session.scalars(
            select(Case).where(Case.request_id == project, Case.item_code == "62052400FG-QT-0001")
        ).one()
        session.commit()
        generate_case_documents(
            filing.id,
            CATALOG,
            agent,
            session=session,
            documents_dir=desk.data.documents,
            form_ids=["org_proxy_authorisation"],
        )
        session.commit()
        return newborn, filing.id


def _open(session, client_id: str, bundle: str, today: date) -> str:
    kinds = shared_kinds(CATALOG.bundle(bundle), CATALOG)
    choices = {k: DocumentChoice("received") for k in kinds}
    for later in ("photo", "birth_certificate"):  # the certificate comes from the first item
        if later in choices:
            choices[later] = DocumentChoice("missing")
    request = start_request(
        BundleIntake(client_id, bundle, choices),
        CATALOG,
        session=session,
        actor="张红梅",
        today=today,
    )
    session.flush()
    return request.id


def _review_shot(app, window: MainWindow, request_id: str, out: Path) -> None:
    """The township reviewer's screen of the same request (the desk's role switched for the shot)."""
    agent_settings = window.settings
    window.settings = replace(agent_settings, role="reviewer")
    review = window.open_request_review(request_id)
    review.resize(1100, 660)
    settle(app, 1.0)
    members = review.review.view.members
    review.select_case(next(m.case_id for m in members if review.review.steps(m.case_id)))
    settle(app, 0.5)
    shoot(review, out / "request-review.png")
    review.close()
    window.settings = agent_settings


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    install_translators(app, "zh_CN")
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir(Path(tmp)).ensure()
        desk = open_desk(data.root)
        with desk.db.session() as session:
            seed_demo(session, demo_items(), clients=300, cases=600, seed=7)
            session.commit()
        ensure_demo_agent(data.settings_file, desk)
        with desk.db.session() as session:  # the agent's ID number is kept in the database
            settings = with_stored_agent_id(load_settings(data.settings_file), session)
        newborn, filing = _requests(desk, agent_info(settings))
        desk.close()
        window = MainWindow(data, settings, RecordingDialogs())
        window.setWindowState(Qt.WindowState.WindowNoState)  # not maximised offscreen
        window.resize(1280, 800)
        window.show()
        window.start()
        while "requests" not in window.pages or window.catalog is None:
            settle(app, 0.05)
        window.show_page("requests")
        page = window.pages["requests"]
        settle(app, 1.0)
        page.show_request(newborn)
        settle(app, 1.0)
        shoot(window, out / "request-page.png")
        _review_shot(app, window, newborn, out)
        desk = window.desk
        with desk.db.session() as session, ConverterChain() as converter:
            from agent_desk.services.printing import case_set

            papers = case_set(session, filing, desk.data.documents)
            job = prepare_job(prepare_set("代办委托书", papers, converter), MAX_PREVIEW_DPI)
        dialog = preview_dialog(None, job, f"{job.title} — {summary(job)}")
        dialog.resize(900, 1000)
        dialog.show()
        settle(app, 0.5)
        from PySide6.QtPrintSupport import QPrintPreviewWidget

        for preview in dialog.findChildren(QPrintPreviewWidget):
            preview.fitInView()  # the whole page: the representative's signature and the seal
        settle(app, 1.0)
        shoot(dialog, out / "org-proxy-authorisation.png")
        dialog.close()
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
