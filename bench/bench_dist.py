"""The installable app: the one-folder bundle's size and the frozen app's start to a shown window.

Baselines measured on this machine: a bare PySide6 QtWidgets hello-world bundled the same way
(one folder, windowed; built once into build/bench-hello/ and reused; in --quick runs without it,
the size of the installed PySide6 package), and the unfrozen app's start. Needs `make dist` first;
without dist/ it reports a skip row instead of failing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Row

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "agent-desk"
APP = BUNDLE / ("agent-desk.exe" if os.name == "nt" else "agent-desk")
HELLO = ROOT / "build" / "bench-hello"
SIZE_TARGET_MB, START_TARGET_S = 250, 3.0
HELLO_SOURCE = "from PySide6.QtWidgets import QApplication, QLabel\napp = QApplication([])\nQLabel('hello').show()\n"


def folder_mb(folder: Path) -> float:
    return (
        sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    )


def hello_bundle_mb(quick: bool) -> tuple[float, str]:
    """The bare hello-world bundle's size, building it once when allowed; else PySide6's own size."""
    bundle = HELLO / "dist" / "hello"
    if not bundle.exists() and not quick:
        HELLO.mkdir(parents=True, exist_ok=True)
        (HELLO / "hello.py").write_text(HELLO_SOURCE, encoding="utf-8")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--log-level",
                "ERROR",
                "--onedir",
                "--windowed",
                "--distpath",
                str(HELLO / "dist"),
                "--workpath",
                str(HELLO / "work"),
                "--specpath",
                str(HELLO),
                str(HELLO / "hello.py"),
            ],
            check=True,
            cwd=HELLO,
        )
    if bundle.exists():
        return folder_mb(bundle), "bare PySide6 hello-world bundle"
    import PySide6

    return folder_mb(Path(PySide6.__file__).parent), "installed PySide6 package"


def start_times(command: list[str], runs: int) -> tuple[float, float]:
    """Median seconds from launch to the window shown, and to the desk ready, over ``runs`` starts."""
    shown, ready = [], []
    for attempt in range(runs + 1):  # the first start only warms the disk cache
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "desk"
            data.mkdir()
            (data / "settings.json").write_text(
                json.dumps({"version": 2, "values": {}}), encoding="utf-8"
            )
            env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "AGENT_DESK_HOME": str(data)}
            marks = _launch(command, env)
        if attempt:
            shown.append(marks["shown"])
            ready.append(marks["ready"])
    return statistics.median(shown), statistics.median(ready)


def _launch(command: list[str], env: dict[str, str]) -> dict[str, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "gui", "--quit-when-ready"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
        text=True,
    )
    marks: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word = line.split(" ", 1)[0]
        if word in ("shown", "ready"):
            marks[word] = time.perf_counter() - started
    if proc.wait(timeout=120) != 0 or len(marks) != 2:
        raise RuntimeError(f"{command[0]} did not start cleanly: {marks}, exit {proc.returncode}")
    return marks


def run(quick: bool) -> list[Row]:
    if not APP.exists():
        return [
            Row(
                "bundle size / frozen start: skipped, dist/ not built (run make dist)",
                0,
                "",
                "-",
                True,
            )
        ]
    size = folder_mb(BUNDLE)
    base_size, base_what = hello_bundle_mb(quick)
    runs = 2 if quick else 5
    frozen_shown, frozen_ready = start_times([str(APP)], runs)
    source_shown, source_ready = start_times([sys.executable, "-m", "agent_desk"], runs)
    return [
        Row(
            f"one-folder bundle size (baseline: {base_what})",
            size,
            "MB",
            f"≤ {SIZE_TARGET_MB} MB",
            size <= SIZE_TARGET_MB,
            base_size,
        ),
        Row(
            "frozen app: launch to window shown (baseline: unfrozen)",
            frozen_shown,
            "s",
            f"≤ {START_TARGET_S:g} s",
            frozen_shown <= START_TARGET_S,
            source_shown,
        ),
        Row(
            "frozen app: launch to desk open (baseline: unfrozen)",
            frozen_ready,
            "s",
            f"≤ {START_TARGET_S:g} s",
            frozen_ready <= START_TARGET_S,
            source_ready,
        ),
    ]
