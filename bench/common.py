"""Shared pieces of `make bench`: result rows, timing, the benchmark dataset."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


@dataclass
class Row:
    figure: str
    value: float
    unit: str
    target: str
    ok: bool
    baseline: float | None = None  # the raw baseline measured in the same run, same unit

    @property
    def ratio(self) -> str:
        if not self.baseline:
            return "-"
        return f"{self.value / self.baseline:.2f}×"


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def table(rows: list[Row]) -> str:
    lines = ["| figure | value | target | baseline | ratio | ok |", "|---|---|---|---|---|---|"]
    for r in rows:
        base = "-" if r.baseline is None else f"{r.baseline:.3g} {r.unit}"
        lines.append(
            f"| {r.figure} | {r.value:.3g} {r.unit} | {r.target} | {base} | {r.ratio} | {'✔' if r.ok else '✘'} |"
        )
    return "\n".join(lines)
