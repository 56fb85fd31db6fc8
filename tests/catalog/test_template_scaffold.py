"""templates/_build creates a new template once and never overwrites a clerk's edit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BUILD = Path(__file__).resolve().parents[2] / "templates" / "_build"


@pytest.fixture
def scaffold():
    sys.path.insert(0, str(BUILD))
    try:
        import make_templates

        yield make_templates
    finally:
        sys.path.remove(str(BUILD))


def test_the_scaffold_creates_missing_templates_and_keeps_edited_ones(
    scaffold, tmp_path: Path, capsys
) -> None:
    edited = tmp_path / "common" / "receipt.docx"
    edited.parent.mkdir(parents=True)
    edited.write_bytes(b"the clerk's own receipt")
    assert scaffold.main(["common/receipt.docx"], root=tmp_path) == 1
    assert "未覆盖" in capsys.readouterr().err
    assert edited.read_bytes() == b"the clerk's own receipt"
    assert scaffold.main(["common/notice.docx"], root=tmp_path) == 0
    assert (tmp_path / "common" / "notice.docx").stat().st_size > 1000
    assert scaffold.main([], root=tmp_path) == 0  # every other missing one; the edited ones stay
    assert edited.read_bytes() == b"the clerk's own receipt"
    assert (tmp_path / "common" / "handover_list.docx").exists()
    assert scaffold.main(["common/nonsense.docx"], root=tmp_path) == 1
