"""PDF conversion: one soffice start per batch, a clear message without LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from agent_desk.fill import PdfConverter, PdfUnavailable, find_soffice


def test_without_libreoffice_the_message_is_clear(tmp_path: Path) -> None:
    converter = PdfConverter(soffice="/nonexistent/soffice")
    assert not converter.available
    with pytest.raises(PdfUnavailable, match="未找到 LibreOffice"):
        converter.convert([tmp_path / "a.docx"], tmp_path)


def fake_soffice(calls: list[list[str]]):
    """Stands in for subprocess.run: records the command and writes the PDFs soffice would."""

    def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
        calls.append(command)
        outdir = Path(command[command.index("--outdir") + 1])
        for arg in command[command.index("--outdir") + 2:]:
            (outdir / f"{Path(arg).stem}.pdf").write_bytes(b"%PDF-1.7 fake")
        return subprocess.CompletedProcess(command, 0)

    return run


def test_one_soffice_start_for_a_whole_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(subprocess, "run", fake_soffice(calls))
    docs = [tmp_path / f"form{n}.docx" for n in range(5)] + [tmp_path / "sub" / "form0.docx"]
    with PdfConverter(soffice=__file__) as converter:
        pdfs = converter.convert(docs, tmp_path / "pdf")
    assert len(calls) == 2  # the two form0.docx need separate calls, everything else shares one
    assert [p.name for p in pdfs] == [f"form{n}.pdf" for n in range(5)] + ["form0.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert all("-env:UserInstallation=file://" in call[1] for call in calls)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed: PDF test skipped")
def test_real_conversion(catalog, tmp_path: Path) -> None:
    from agent_desk.fill import build_context, render
    from agent_desk.fill.demo import DEMO_TODAY, demo_agent, demo_case, demo_client, demo_manual

    item = catalog.item("62052400MZ-JF-0003")
    docs = []
    for form in (item.forms[0], catalog.common_forms["receipt"]):
        context = build_context(item, form, demo_client(), demo_case(item), demo_agent(), demo_manual(form), DEMO_TODAY)
        docs.append(tmp_path / f"{form.id}.docx")
        render(catalog.template_path(form), context, docs[-1])
    with PdfConverter() as converter:
        pdfs = converter.convert(docs, tmp_path / "pdf")
    assert [p.name for p in pdfs] == ["application.pdf", "receipt.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") and p.stat().st_size > 5000 for p in pdfs)
