"""The window half of ``agent-desk selftest``: the main window opens the seeded desk offscreen."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from agent_desk.services.selftest import Check
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
from agent_desk.ui.app import install_translators, make_app
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs

TIMEOUT_MS = 60_000


def window_opens(root: Path) -> Check:
    """Show the main window on ``root`` and wait for its database and catalog (or a failure)."""
    app = make_app()
    install_translators(app, "zh_CN")
    started = time.perf_counter()
    dialogs = RecordingDialogs()
    window = MainWindow(DataDir(root), Settings(), dialogs)
    loop = QEventLoop()
    outcome: list[str] = []
    window.catalog_ready.connect(lambda: (outcome.append("ready"), loop.quit()))
    window.open_refused.connect(lambda exc: (outcome.append(f"refused: {exc}"), loop.quit()))
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    window.show()
    window.start()
    loop.exec()
    elapsed = (time.perf_counter() - started) * 1000
    clients = window.pages["clients"].model.rowCount() if "clients" in window.pages else 0  # type: ignore[attr-defined]
    window.close()
    if outcome != ["ready"] or dialogs.shown:
        return Check("window", False, f"{outcome or 'timed out'}; dialogs {dialogs.shown}")
    return Check(
        "window",
        True,
        f"{app.platformName()}: desk and catalog ready in {elapsed:.0f} ms, {clients} clients listed",
    )
