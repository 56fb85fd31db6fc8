"""Crash trials: start the worker desk, SIGKILL it at a random moment, then check the database.

After each kill: ``PRAGMA integrity_check`` is ok, every row the worker reported as saved is
there, the audit chain still verifies, and every document file is sealed and opens whole. Used by the short test in ``make test`` and by
``make soak`` (200 trials).
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from agent_desk.services.desk import Desk, open_desk
from agent_desk.services.vault import setup_password, unlock
from agent_desk.store.audit import verify
from agent_desk.store.crypto import KdfParams, is_sealed
from agent_desk.store.datadir import DataDir
from agent_desk.store.db import integrity_check
from agent_desk.store.sealed import SealedFileUnreadable, read_file

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "crash-test-口令-1"


@dataclass
class Trial:
    seed: int
    saved: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def survived(self) -> bool:
        return not self.problems


def prepare(folder: Path) -> DataDir:
    data = DataDir(folder / "desk").ensure()
    setup_password(data, PASSWORD, params=KdfParams.light())
    return data


def run_trial(data: DataDir, seed: int, python: str = sys.executable) -> Trial:
    """One worker run on ``data`` (reused across trials, so damage would accumulate), killed at random."""
    rng = random.Random(seed)
    env = dict(os.environ, AGENT_DESK_PASSWORD=PASSWORD, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([python, "-m", "tests.reliability.worker", str(data.root), str(seed)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    ready = proc.stdout.readline() if proc.stdout else ""
    if "READY" in ready:
        time.sleep(rng.uniform(0.05, 1.2))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    trial = Trial(seed)
    if "READY" not in ready:
        trial.problems.append(f"worker did not start: {err[-500:]}")
        return trial
    complete = out.split("\n")[:-1]  # a line cut by the kill was never reported
    saved = [line.split()[1:] for line in complete if line.startswith("SAVED ") and len(line.split()) == 3]
    trial.saved = len(saved)
    check(data, saved, trial)
    return trial


def check(data: DataDir, saved: list[list[str]], trial: Trial) -> None:
    desk = open_desk(data.root, key=unlock(data, PASSWORD))
    try:
        problems = integrity_check(desk.db.engine)
        trial.problems += [f"integrity: {p}" for p in problems]
        with desk.db.engine.connect() as conn:
            for table, ident in saved:
                column, table = ("id_number", "client") if table == "client_id_number" else ("id", table)
                found = conn.execute(text(f'SELECT 1 FROM "{table}" WHERE {column} = :v'), {"v": ident}).first()
                if found is None:
                    trial.problems.append(f"reported saved but missing: {table} {ident}")
            _count, broken = verify(conn)
            if broken is not None:
                trial.problems.append(broken.zh())
        trial.problems += _document_problems(data, desk)
    finally:
        desk.close()


def _document_problems(data: DataDir, desk: Desk) -> list[str]:
    """A kill mid-write leaves the old file or the new one, sealed, never half of one or a plain one."""
    problems = []
    for path in sorted(data.documents.rglob("*.docx")):
        try:
            whole = is_sealed(path) and zipfile.is_zipfile(io.BytesIO(read_file(path, desk.cipher)))
        except SealedFileUnreadable as exc:
            whole = False
            problems.append(str(exc))
        if not whole:
            problems.append(f"document not sealed or not whole: {path.name}")
    return problems


def run_trials(folder: Path, count: int, first_seed: int = 1) -> list[Trial]:
    data = prepare(folder)
    return [run_trial(data, seed) for seed in range(first_seed, first_seed + count)]
