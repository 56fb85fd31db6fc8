"""UI fixtures: an offscreen main window over a seeded temp desk, dialogs recorded instead of shown."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from agent_desk.services.demo import seed_demo  # noqa: E402
from agent_desk.services.demo_catalog import demo_items  # noqa: E402
from agent_desk.services.desk import open_desk  # noqa: E402
from agent_desk.services.settings import Settings  # noqa: E402
from agent_desk.store.datadir import DataDir  # noqa: E402
from agent_desk.ui.main_window import MainWindow  # noqa: E402
from agent_desk.ui.messages import RecordingDialogs  # noqa: E402


@pytest.fixture
def seeded_dir(tmp_path: Path) -> DataDir:
    data = DataDir(tmp_path / "desk").ensure()
    desk = open_desk(data.root)
    with desk.db.session() as session:
        seed_demo(session, demo_items(), clients=400, cases=600, seed=5)
        session.commit()
    desk.close()
    return data


@pytest.fixture
def dialogs() -> RecordingDialogs:
    return RecordingDialogs()


@pytest.fixture
def window(qtbot, seeded_dir: DataDir, dialogs: RecordingDialogs) -> Iterator[MainWindow]:
    win = MainWindow(seeded_dir, Settings(), dialogs)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.desk_ready, timeout=10000):
        win.start()
    page = win.pages["clients"]
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    yield win
    win.ops.wait()
