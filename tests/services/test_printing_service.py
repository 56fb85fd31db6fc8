"""A generated .docx made printable: PDF through LibreOffice and page images, or the .docx alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent_desk.fill import PdfConverter, render
from agent_desk.services.printing import prepare_print
from agent_desk.store.datadir import DataDir

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _docx(folder: Path) -> Path:
    context = {"case_no": "DB20261120AB12001", "client_name": "李建国", "item_name": "最低生活保障", "reasons": ["缺签字"],
               "accepted_on": "2026年11月20日", "correct_by": "2026年12月1日", "department": "武山县民政局",
               "agent_name": "张红梅", "agent_phone": "13893812345", "today": "2026年11月20日"}  # fmt: skip
    out = folder / "补正通知书.docx"
    render(TEMPLATES / "common" / "correction_notice.docx", context, out)
    return out


def test_without_libreoffice_only_the_docx_is_offered(tmp_path: Path) -> None:
    printable = prepare_print(_docx(tmp_path), PdfConverter(soffice=str(tmp_path / "no-soffice")))
    assert printable.pdf is None and printable.pages == [] and "LibreOffice" in printable.note


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="LibreOffice/pdftoppm missing")
def test_with_libreoffice_a_pdf_and_its_pages_are_made_once(tmp_path: Path) -> None:
    docx = _docx(DataDir(tmp_path).ensure().documents)
    with PdfConverter() as converter:
        printable = prepare_print(docx, converter)
        assert printable.pdf is not None and printable.pdf.read_bytes().startswith(b"%PDF")
        assert printable.pages and all(p.suffix == ".png" for p in printable.pages)
        stamp = printable.pdf.stat().st_mtime_ns
        assert prepare_print(docx, converter).pdf.stat().st_mtime_ns == stamp  # reused, not converted again
