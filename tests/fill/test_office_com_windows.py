"""WPS/Word through COM: runs for real only on Windows (the Windows installer workflow); skipped elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent_desk.fill import OfficeComConverter, PdfUnavailable, find_soffice

pytestmark = pytest.mark.skipif(
    sys.platform != "win32", reason="COM automation exists only on Windows"
)


def test_libreoffice_installed_by_the_workflow_is_found_without_path() -> None:
    assert find_soffice() is not None


def test_wps_or_word_converts_a_form_or_says_what_to_install(catalog, tmp_path: Path) -> None:
    from agent_desk.fill import build_context, render
    from agent_desk.fill.demo import DEMO_TODAY, demo_agent, demo_case, demo_client, demo_manual

    item = catalog.item("62052400MZ-JF-0003")
    form = item.forms[0]
    context = build_context(
        item, form, demo_client(), demo_case(item), demo_agent(), demo_manual(form), DEMO_TODAY
    )
    render(catalog.template_path(form), context, tmp_path / "application.docx")
    converter = OfficeComConverter()
    if not converter.available:
        with pytest.raises(PdfUnavailable, match="WPS"):
            converter.convert([tmp_path / "application.docx"], tmp_path / "pdf")
        return
    [pdf] = converter.convert([tmp_path / "application.docx"], tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
