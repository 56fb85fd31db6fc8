"""``make soak``: the long runs, with figures printed and written into docs/RELIABILITY.md.

200 kill -9 trials (writes, fills, imports and syncs, a quarter each; after each, the next sync
must converge), the hostile-input corpus, the no-plaintext scan, and (when the hub is in the
tree) the authorisation matrix and hostile JSON to every hub endpoint.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from tests.reliability.harness import Trial, run_trials
from tests.reliability.worker import WORKLOADS

ROOT = Path(__file__).resolve().parents[2]
BEGIN, END = "<!-- soak:begin -->", "<!-- soak:end -->"


def main(trials: int = 200) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="agentdesk-soak-") as tmp:
        folder = Path(tmp)
        results = run_trials(folder / "crash", trials)
        tried, failures = _corpus(folder / "hostile")
        leaks = _secrets(folder / "secrets")
        matrix = _hub(folder / "hub")
        fuzz = _fuzz(folder / "fuzz")
    crash = crash_figures(results)
    figures = [
        *crash,
        (
            "Hostile desk inputs tried",
            f"{tried} ({len(failures)} without a clear error or with a change)",
        ),
        ("Hostile JSON bodies sent to hub endpoints", matrix[2]),
        ("Endpoint × role pairs checked", matrix[0]),
        ("Leaks found", f"{len(leaks)} plaintext secrets; {matrix[1]} authorisation leaks"),
        (
            "Hub fuzz (every endpoint × role, hypothesis)",
            f"{fuzz.cases} requests, {len(fuzz.server_errors)} 5xx, "
            f"{len(fuzz.schema_violations)} outside the documented shapes",
        ),
    ]
    for label, value in figures:
        print(f"{label}: {value}")
    for problem in (
        [f"trial {t.seed} ({t.workload}): {p}" for t in results for p in t.all_problems][:10]
        + failures[:10]
        + leaks[:10]
    ):
        print("  problem:", problem)
    _write_doc(figures, time.perf_counter() - started)
    crashed_ok = all(t.survived and t.converged for t in results)
    ok = crashed_ok and not failures and not leaks and matrix[1] in (0, "n/a")
    ok = ok and not fuzz.server_errors and not fuzz.schema_violations
    return 0 if ok else 1


def crash_figures(results: list[Trial]) -> list[tuple[str, str]]:
    """The kill -9 figures: survived per workload, where the sync kills landed, next sync converged."""
    trials, survived = len(results), sum(t.survived for t in results)
    saved, edited = sum(t.saved for t in results), sum(t.edited for t in results)
    per = {w: [t for t in results if t.workload == w] for w in WORKLOADS}
    syncing = [t for t in per["sync"] if t.killed_in]
    phases = Counter(t.killed_in for t in syncing)
    return [
        (
            "Crash trials survived (kill -9)",
            f"{survived} / {trials} ({saved} saves and {edited} edits reported, all found)"
            if survived == trials
            else f"{survived} / {trials}",
        ),
        (
            "Survived per workload",
            ", ".join(f"{w} {sum(t.survived for t in ts)} / {len(ts)}" for w, ts in per.items()),
        ),
        (
            "Sync trials killed while syncing",
            f"{len(syncing)} / {len(per['sync'])}"
            + (f" (in {', '.join(f'{p} {n}' for p, n in phases.most_common())})" if phases else ""),
        ),
        ("Next sync converged", f"{sum(t.converged for t in results)} / {trials}"),
    ]


def _corpus(folder: Path) -> tuple[int, list[str]]:
    import os

    from agent_desk.services.desk import open_desk
    from tests.reliability.hostile import run_corpus

    os.environ["AGENT_DESK_HOME"] = str(folder / "desk")
    desk = open_desk(folder / "desk")
    try:
        return run_corpus(desk, folder)
    finally:
        desk.close()


def _secrets(folder: Path) -> list[str]:
    import keyring

    from tests.conftest import MemoryKeyring
    from tests.reliability.secrets_scan import full_scan

    keyring.set_keyring(MemoryKeyring())
    return full_scan(
        folder
    )  # the desk, its older backups, a crash report, the hub's folder and logs


def _hub(folder: Path) -> tuple[int | str, int | str, int | str]:
    from tests.server.security_matrix import HUB_PRESENT, SKIP_REASON, run_hostile_json, run_matrix

    if not HUB_PRESENT:
        print(f"hub checks skipped: {SKIP_REASON}")
        return "n/a (hub not in tree)", "n/a", "n/a (hub not in tree)"
    for part in ("m", "h"):
        (folder / part).mkdir(parents=True)
    matrix = run_matrix(folder / "m")
    hostile = run_hostile_json(folder / "h")
    for problem in matrix.leaks[:10] + hostile.hostile_failures[:10]:
        print("  hub problem:", problem)
    return matrix.pairs, len(matrix.leaks) + len(hostile.hostile_failures), hostile.hostile


def _fuzz(folder: Path) -> Any:
    from tests.reliability.hub_fuzz import fuzz_live_hub

    folder.mkdir(parents=True)
    figures = fuzz_live_hub(folder, examples=400, seconds=600)
    for problem in (figures.server_errors + figures.schema_violations)[:10]:
        print("  hub fuzz problem:", problem)
    return figures


def _write_doc(figures: list[tuple[str, object]], seconds: float) -> None:
    doc = ROOT / "docs" / "RELIABILITY.md"
    table = "\n".join(["| Figure | Value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in figures])
    block = f"{BEGIN}\nLast `make soak`: {date.today()}, {seconds:.0f} s.\n\n{table}\n{END}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Reliability\n\n{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    doc.write_text(head + block + tail, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
