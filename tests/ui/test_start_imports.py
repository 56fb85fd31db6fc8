"""Cold start: the window shows before the database layer, the region tables, cryptography or the
docx stack are imported, and the desk opens without the docx stack (pages needing it are built on
their first visit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY_AT_SHOW = ["sqlalchemy", "sqlmodel", "docx", "docxtpl", "agent_desk.store.models"]
HEAVY_AT_READY = ["docx", "docxtpl", "agent_desk.fill", "agent_desk.ui.handover"]

SCRIPT = r"""
import json, sys
from agent_desk.ui.app import make_app
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from agent_desk.services.settings import Settings
from agent_desk.store.datadir import DataDir
app = make_app()
shown = set(sys.modules)
from pathlib import Path
w = MainWindow(DataDir(Path(sys.argv[1])).ensure(), Settings(), RecordingDialogs())
w.show(); w.start()
done = []
w.desk_ready.connect(lambda: done.append(set(sys.modules)))
while not done:
    app.processEvents()
print(json.dumps({"shown": sorted(shown), "ready": sorted(done[0])}))
w.pages["handover"]  # built on demand
w.close()
"""


def test_the_window_shows_before_the_heavy_modules_load(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path.cwd())}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "desk")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    modules = json.loads(out.stdout.splitlines()[-1])
    assert [m for m in HEAVY_AT_SHOW if m in modules["shown"]] == []
    assert [m for m in HEAVY_AT_READY if m in modules["ready"]] == []
