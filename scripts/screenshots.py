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
from agent_desk.services.settings import Settings  # noqa: E402
from agent_desk.store.datadir import DataDir  # noqa: E402
from agent_desk.ui.app import install_translators, make_app  # noqa: E402
from agent_desk.ui.main_window import MainWindow  # noqa: E402
from agent_desk.ui.messages import RecordingDialogs  # noqa: E402


def settle(app, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


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
        window = MainWindow(data, Settings(), RecordingDialogs())
        window.resize(1280, 800)
        window.show()
        window.start()
        while "clients" not in window.pages:
            settle(app, 0.05)
        settle(app, 1.0)
        for row, key in enumerate(window.pages):
            window.nav.setCurrentRow(row)
            settle(app)
            window.grab().save(str(out / f"{key}.png"))
            print(out / f"{key}.png")
        clients = window.pages["clients"]
        clients.search.setText("shan")
        clients.apply_search()
        settle(app)
        window.nav.setCurrentRow(0)
        window.grab().save(str(out / "clients-search.png"))
        print(out / "clients-search.png")
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
