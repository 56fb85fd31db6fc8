"""Crash trials: start the worker desk, SIGKILL it at a random moment, check the database, sync it.

Each trial runs one workload (writes, form fills, roster imports, or changes and syncs with the hub)
on the same desk folder, so damage would accumulate. After each kill: ``PRAGMA integrity_check`` is
ok, every row and edit the worker reported as saved is there, the audit chain still verifies, every
document file is sealed and opens whole, and the next sync converges (see ``convergence.py``). Used by the short test in ``make test`` and by
``make soak`` (200 trials, a quarter of them killed while syncing).
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
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
from tests.reliability.convergence import (
    KEYRING_ENV,
    Colleague,
    SoakHub,
    connect,
    memory_keyring,
    running_hub,
    sync_and_compare,
)
from tests.reliability.worker import WORKLOADS

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "crash-test-口令-1"


@dataclass
class Trial:
    seed: int
    workload: str
    saved: int = 0
    edited: int = 0
    syncs: int = 0  # syncs the worker finished before the kill
    killed_in: str | None = None  # the sync phase the kill landed in, None when not syncing
    problems: list[str] = field(default_factory=list)  # the database after the kill
    sync_problems: list[str] | None = None  # the next sync; None when it did not run

    @property
    def survived(self) -> bool:
        return not self.problems

    @property
    def converged(self) -> bool:
        return self.sync_problems == []

    @property
    def all_problems(self) -> list[str]:
        return self.problems + (self.sync_problems or [])


@dataclass
class Run:
    """One desk, one hub and a colleague's desk, shared by every trial of a run."""

    data: DataDir
    hub: SoakHub
    token: str
    colleague: Colleague


def workload_of(seed: int) -> str:
    return WORKLOADS[seed % len(WORKLOADS)]


def prepare(folder: Path, hub: SoakHub) -> Run:
    data = DataDir(folder / "desk").ensure()
    setup_password(data, PASSWORD, params=KdfParams.light())
    desk = open_desk_of(data)
    try:
        return Run(data, hub, connect(desk, hub), Colleague(folder / "colleague", hub))
    finally:
        desk.close()


def run_trial(
    run: Run, seed: int, workload: str | None = None, python: str = sys.executable
) -> Trial:
    """One worker run on the shared desk, killed at random, then checked and synced."""
    trial = Trial(seed, workload or workload_of(seed))
    if trial.workload == "sync":  # something for the desk to pull while it is killed
        run.colleague.work(random.Random(-seed))
    lines, err, exited = _kill_at_random(run, trial, python)
    if not lines or lines[0] != "READY" or exited is not None:
        trial.problems.append(
            f"worker {'did not start' if not lines else f'exited by itself ({exited})'}: {err[-500:]}"
        )
        return trial
    saved, edited = _parse(lines, trial)
    desk = open_desk_of(run.data)
    try:
        check(desk, saved, edited, trial)
        trial.sync_problems = sync_and_compare(desk, run.hub)
    finally:
        desk.close()
    return trial


def _kill_at_random(run: Run, trial: Trial, python: str) -> tuple[list[str], str, int | None]:
    """Kill after a random delay; in a sync trial a short one after the k-th batch pushed or page
    pulled (k random, counted over the worker's syncs), so most kills land inside a sync."""
    rng = random.Random(trial.seed)
    env = dict(
        os.environ,
        AGENT_DESK_PASSWORD=PASSWORD,
        PYTHONPATH=str(ROOT),
        AGENT_DESK_TEST_TOKEN=run.token,
        **KEYRING_ENV,
    )
    cmd = [
        python,
        "-m",
        "tests.reliability.worker",
        str(run.data.root),
        str(trial.seed),
        trial.workload,
    ]
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True
        )
        output = _Output(proc, sync_lines=rng.randint(1, 40))
        started = output.ready.wait(60)
        if started and trial.workload == "sync":
            output.syncing.wait(30)
        if started:
            time.sleep(rng.uniform(0, 0.05) if trial.workload == "sync" else rng.uniform(0.05, 1.2))
        exited = (
            proc.poll()
        )  # a worker that stopped before the kill crashed: a finding, not a trial
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        output.thread.join(timeout=30)
        err.seek(0)
        return output.complete(), err.read(), exited


class _Output:
    """The worker's stdout, read as it comes, with events for READY and its n-th batch or page synced."""

    def __init__(self, proc: subprocess.Popen[str], sync_lines: int) -> None:
        self.lines: list[str] = []
        self.ready, self.syncing = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._read, args=(proc, sync_lines), daemon=True)
        self.thread.start()

    def _read(self, proc: subprocess.Popen[str], sync_lines: int) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.append(line)
            if line.startswith("READY"):
                self.ready.set()
            sync_lines -= line.startswith("SYNC ") and line.split()[1] not in (
                "begin",
                "done",
                "end",
            )
            if sync_lines <= 0:
                self.syncing.set()
        self.ready.set()  # a worker that died early: nobody waits for it

    def complete(self) -> list[str]:
        """The lines the worker finished writing; one cut by the kill was never reported."""
        return [line.rstrip("\n") for line in self.lines if line.endswith("\n")]


def _parse(
    lines: list[str], trial: Trial
) -> tuple[list[list[str]], dict[tuple[str, str, str], str]]:
    saved: list[list[str]] = []
    edited: dict[tuple[str, str, str], str] = {}  # (table, id, field) → the last value reported
    for line in lines:
        words = line.split()
        if words[:1] == ["SAVED"] and len(words) == 3:
            saved.append(words[1:])
        elif words[:1] == ["EDITED"] and len(words) == 5:
            edited[(words[1], words[2], words[3])] = words[4]
        elif words[:1] == ["SYNC"] and len(words) == 2:
            trial.syncs += words[1] == "end"
            trial.killed_in = None if words[1] == "end" else words[1]
    trial.saved, trial.edited = len(saved), len(edited)
    return saved, edited


def check(
    desk: Desk, saved: list[list[str]], edited: dict[tuple[str, str, str], str], trial: Trial
) -> None:
    trial.problems += [f"integrity: {p}" for p in integrity_check(desk.db.engine)]
    with desk.db.engine.connect() as conn:
        for table, ident in saved:
            column, table = (
                ("id_number", "client") if table == "client_id_number" else ("id", table)
            )
            found = conn.execute(
                text(f'SELECT 1 FROM "{table}" WHERE {column} = :v'), {"v": ident}
            ).first()
            if found is None:
                trial.problems.append(f"reported saved but missing: {table} {ident}")
        for (table, ident, column), value in edited.items():
            now = conn.execute(
                text(f'SELECT "{column}" FROM "{table}" WHERE id = :v'), {"v": ident}
            ).scalar()
            if now != value:
                trial.problems.append(
                    f"reported edit lost: {table} {ident} {column}={value!r}, found {now!r}"
                )
        _count, broken = verify(conn)
        if broken is not None:
            trial.problems.append(broken.zh())
    trial.problems += _document_problems(desk)


def _document_problems(desk: Desk) -> list[str]:
    """A kill mid-write leaves the old file or the new one, sealed, never half of one or a plain one."""
    problems = []
    for path in sorted(desk.data.documents.rglob("*.docx")):
        try:
            whole = is_sealed(path) and zipfile.is_zipfile(io.BytesIO(read_file(path, desk.cipher)))
        except SealedFileUnreadable as exc:
            whole = False
            problems.append(str(exc))
        if not whole:
            problems.append(f"document not sealed or not whole: {path.name}")
    return problems


def open_desk_of(data: DataDir) -> Desk:
    return open_desk(data.root, key=unlock(data, PASSWORD))


def run_trials(folder: Path, count: int, first_seed: int = 1) -> list[Trial]:
    with memory_keyring(), running_hub(folder / "hub") as hub:
        run = prepare(folder, hub)
        try:
            return [run_trial(run, seed) for seed in range(first_seed, first_seed + count)]
        finally:
            run.colleague.close()
