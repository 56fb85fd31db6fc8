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
        client = session.scalars(select(Client).where(Client.household_id.is_not(None), Client.relation_to_head == "户主")).first()
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


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    install_translators(app, "zh_CN")
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir(Path(tmp)).ensure()
        desk = open_desk(data.root)
        with desk.db.session() as session:
            seed_demo(session, demo_items(), clients=3000, cases=8000, seed=7)
            session.commit()
        desk.close()
        from agent_desk.services.demo_first_run import ensure_demo_agent
        from agent_desk.services.settings import load_settings

        ensure_demo_agent(data.settings_file)
        window = MainWindow(data, load_settings(data.settings_file), RecordingDialogs())
        window.resize(1280, 800)
        window.show()
        window.start()
        while "clients" not in window.pages:
            settle(app, 0.05)
        settle(app, 1.0)
        for row, key in enumerate(window.pages):
            window.nav.setCurrentRow(row)
            settle(app)
            shoot(window, out / f"{key}.png")
        clients = window.pages["clients"]
        clients.search.setText("shan")
        clients.apply_search()
        settle(app)
        window.nav.setCurrentRow(0)
        shoot(window, out / "clients-search.png")
        extra_windows(app, window, data, out)
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
