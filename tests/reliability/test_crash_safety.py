"""kill -9 in the middle of writes, form fills and roster imports: nothing reported saved is lost.

A short bounded run here (``make test``); ``make soak`` runs 200 trials.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.harness import run_trials

TRIALS = 8


@pytest.mark.timeout(120)
def test_kill_9_at_random_points_loses_nothing_reported_saved(tmp_path: Path) -> None:
    trials = run_trials(tmp_path, TRIALS)
    failed = [(t.seed, t.problems[:3]) for t in trials if not t.survived]
    assert not failed
    assert sum(t.saved for t in trials) > TRIALS  # the kills did land mid-work
