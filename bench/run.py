"""`make bench`: every speed and memory figure, its target, and its ratio to a raw baseline measured in the same run.

Usage: python bench/run.py [--quick] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from common import OUT, Row, table  # noqa: E402

SUITES = [
    "bench_foundation",
    "bench_desk",
    "bench_fill",
    "bench_print",
    "bench_ui",
    "bench_review",
    "bench_today",
    "bench_requests",
    "bench_publications",
    "bench_sync",
    "bench_hub",
    "bench_pull",
    "bench_dist",
    "bench_roster",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="smaller datasets (10k clients / 30k cases)"
    )
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    rows: list[Row] = []
    for name in SUITES:
        if args.only and name not in args.only and name.removeprefix("bench_") not in args.only:
            continue
        if not (HERE / f"{name}.py").exists():
            continue
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            rows += importlib.import_module(name).run(args.quick)
        except Exception:
            traceback.print_exc()
            rows.append(Row(f"{name} FAILED (see above)", 0, "", "-", False))
    text = table(rows)
    print(text)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
