"""`make screenshots`: render every main screen with demo data into docs/screenshots/ (offscreen)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agent_desk.services.demo import seed_demo  # noqa: E402
from agent_desk.services.demo_catalog import demo_items  # noqa: E402
from agent_desk.services.desk import open_desk  # noqa: E402
from agent_desk.store.datadir import DataDir  # noqa: E402
from agent_desk.ui.app import install_translators, make_app  # noqa: E402
from agent_desk.ui.main_window import MainWindow  # noqa: E402
from agent_desk.ui.messages import RecordingDialogs  # noqa: E402


def settle(app, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def shoot(widget, path: Path) -> None:
    widget.grab().save(str(path))
    print(path)


def extra_windows(app, window, data: DataDir, out: Path) -> None:
    """The case window, the profile editor and the intake wizard, each on a real demo record."""
    from sqlalchemy import select

    from agent_desk.store.models import Case, Client

    while window.catalog is None:
        settle(app, 0.05)
    with window.desk.db.session() as session:
        case = session.scalars(select(Case).where(Case.status == "needs_correction")).first()
        client = session.scalars(
            select(Client).where(
                Client.household_id.is_not(None), Client.relation_to_head == "户主"
            )
        ).first()
        case_id, client_id = case.id, client.id
    view = window.open_case(case_id)
    view.resize(1000, 760)
    settle(app, 1.0)
    shoot(view, out / "case-detail.png")
    view.close()
    profile = window.open_client(client_id)
    profile.resize(1000, 760)
    settle(app, 1.0)
    shoot(profile, out / "client-profile.png")
    profile.close()
    wizard = window.start_intake(client_id)
    wizard.resize(1000, 720)
    settle(app, 1.0)
    shoot(wizard, out / "intake-wizard.png")
    wizard.close()


def first_run_pages(app, out: Path) -> None:
    """The first-run wizard's offline pages: the agent's own details, then the desk's villages."""
    from agent_desk.ui.first_run import AGENT, HUB, VILLAGES, FirstRunWizard

    wizard = FirstRunWizard()
    wizard.resize(640, 560)
    wizard.show()
    while wizard.currentId() != HUB:
        wizard.next()
    wizard.hub_page.offline.setChecked(True)
    wizard.next()
    assert wizard.currentId() == AGENT
    wizard.agent_page.fill(
        {
            "name": "王建国",
            "phone": "13909381234",
            "id_number": "620524197803150017",
            "service_room": "石桥村便民服务室",
        }
    )
    settle(app)
    shoot(wizard, out / "first-run-agent.png")
    wizard.next()
    assert wizard.currentId() == VILLAGES
    wizard.villages_page.fill(
        "620524", ("620524100", "洛门镇"), "620524100201 石桥村\n620524100202 洛门村"
    )
    settle(app)
    shoot(wizard, out / "first-run-villages.png")
    wizard.close()


def attach_sample_scan(window, session, case_id: str) -> None:
    """A drawn stand-in for a scanned ID card on the case's first document, so the viewer shows a page."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter
    from sqlalchemy import select

    from agent_desk.services.library import attach_to_case_document
    from agent_desk.store.models import Case, CaseDocument

    image = QImage(860, 540, QImage.Format.Format_RGB32)
    image.fill(QColor("#eef3f8"))
    painter = QPainter(image)
    painter.setPen(QColor("#355c8a"))
    painter.drawRect(QRect(20, 20, 820, 500))
    painter.setFont(QFont(painter.font().family(), 28))
    painter.drawText(
        QRect(20, 20, 820, 500), Qt.AlignmentFlag.AlignCenter, "居民身份证（样例扫描件）\nSAMPLE"
    )
    painter.end()
    path = Path(tempfile.mkdtemp()) / "id-card.png"
    image.save(str(path))
    case = session.get(Case, case_id)
    doc = session.scalars(
        select(CaseDocument).where(CaseDocument.case_id == case_id).order_by(CaseDocument.position)
    ).first()
    attach_to_case_document(
        doc, case.client_id, path, session=session, attachments=window.desk.data.attachments
    )


def review_window(app, window, out: Path) -> None:
    """The review screen of the oldest case waiting for review."""
    from sqlalchemy import select

    from agent_desk.store.models import Case

    with window.desk.db.session() as session:
        stmt = select(Case.id).where(Case.review_state == "waiting").order_by(Case.entrusted_on)
        case_id = session.scalars(stmt).first()
        attach_sample_scan(window, session, case_id)
        session.commit()
    view = window.open_review(case_id)
    view.resize(1100, 820)
    settle(app, 1.0)
    view.documents.selectRow(0)
    settle(app, 0.5)
    shoot(view, out / "review-case.png")
    view.close()


def main(out: Path, size: tuple[int, int] = (1280, 800), *, pages_only: bool = False) -> None:
    """Every page at ``size``; the full set also has the first-run wizard and the other windows."""
    from PySide6.QtCore import Qt

    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    install_translators(app, "zh_CN")
    if not pages_only:
        first_run_pages(app, out)
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir(Path(tmp)).ensure()
        desk = open_desk(data.root)
        with desk.db.session() as session:
            seed_demo(session, demo_items(), clients=3000, cases=8000, seed=7)
            session.commit()
        from agent_desk.services.demo_first_run import ensure_demo_agent
        from agent_desk.services.settings import load_settings

        ensure_demo_agent(data.settings_file, desk)
        desk.close()
        settings = load_settings(data.settings_file)
        settings.role = (
            "reviewer"  # one desk shows every page: the agent's and the township reviewer's
        )
        window = MainWindow(data, settings, RecordingDialogs())
        window.setWindowState(
            Qt.WindowState.WindowNoState
        )  # not maximised on the 800×800 offscreen screen
        window.resize(*size)
        window.show()
        window.start()
        while "clients" not in window.pages:
            settle(app, 0.05)
        settle(app, 1.0)
        names = {"review": "review-queue", "supervision": "dashboard"}
        for row, key in enumerate(window.pages):
            window.nav.setCurrentRow(row)
            settle(app, 1.5 if key == "supervision" else 0.6)
            shoot(window, out / f"{names.get(key, key)}.png")
        clients = window.pages["clients"]
        clients.search.setText("shan")
        clients.apply_search()
        settle(app)
        window.show_page("clients")
        shoot(window, out / "clients-search.png")
        if not pages_only:
            extra_windows(app, window, data, out)
            review_window(app, window, out)
        window.close()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    main(target)
    main(
        target / "1366x768", (1366, 768 - 40 - 30), pages_only=True
    )  # less the taskbar and title bar
