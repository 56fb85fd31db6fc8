"""At least 100 hostile inputs: each a clear Chinese error, nothing changed."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.hostile import corpus, run_corpus


def test_hostile_corpus_gets_clear_errors_and_changes_nothing(desk, tmp_path: Path) -> None:
    assert len(corpus(tmp_path)) >= 100
    tried, failures = run_corpus(desk, tmp_path)
    assert tried >= 100 and failures == []
