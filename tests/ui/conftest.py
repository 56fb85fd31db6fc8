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
from agent_desk.sync.settings import SyncSettings  # noqa: E402
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


def open_window(qtbot, data: DataDir, settings: Settings, dialogs: RecordingDialogs) -> MainWindow:
    """The main window shown and started, once its desk is ready."""
    win = MainWindow(data, settings, dialogs)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.desk_ready, timeout=10000):
        win.start()
    return win


@pytest.fixture
def window(qtbot, seeded_dir: DataDir, dialogs: RecordingDialogs) -> Iterator[MainWindow]:
    win = open_window(qtbot, seeded_dir, Settings(), dialogs)
    page = win.pages["clients"]
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    yield win
    win.ops.wait()


@pytest.fixture
def reviewer(qtbot, seeded_dir: DataDir, dialogs: RecordingDialogs) -> Iterator[MainWindow]:
    """The same desk opened by a township reviewer."""
    settings = Settings(role="reviewer", sync=SyncSettings(username="李慧敏"))
    win = open_window(qtbot, seeded_dir, settings, dialogs)
    yield win
    win.ops.wait()
