"""Getting a generated .docx ready to preview and print: PDF through LibreOffice, pages as images.

Qt cannot draw a .docx, so print preview shows the PDF's pages rendered to images (pdftoppm).
Without LibreOffice the agent opens the .docx in the system's editor and prints from there;
without a rasteriser the PDF is opened instead. Everything here runs off the UI thread.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from agent_desk.fill import PdfConverter, PdfUnavailable

PAGE_DPI = 110


@dataclass(frozen=True)
class Printable:
    """What can be done with one document: always the .docx, a PDF and page images when possible."""

    docx: Path
    pdf: Path | None = None
    pages: list[Path] = field(default_factory=list)
    note: str = ""


def generated_path(documents_dir: Path, relative: str) -> Path:
    return documents_dir / relative


def _fresh(target: Path, source: Path) -> bool:
    return target.exists() and target.stat().st_mtime_ns >= source.stat().st_mtime_ns


def pdf_for(docx: Path, converter: PdfConverter) -> Path:
    """The PDF next to the .docx, converted again only when the .docx is newer."""
    pdf = docx.with_suffix(".pdf")
    if _fresh(pdf, docx):
        return pdf
    return converter.convert_one(docx, docx.parent)


def find_rasteriser() -> str | None:
    return shutil.which("pdftoppm")


def page_images(pdf: Path, rasteriser: str | None = None) -> list[Path]:
    """PNG pages of the PDF in a folder beside it; [] when no rasteriser is installed."""
    tool = rasteriser or find_rasteriser()
    if tool is None:
        return []
    folder = pdf.with_suffix(".pages")
    pages = sorted(folder.glob("page-*.png")) if folder.exists() and _fresh(folder, pdf) else []
    if pages:
        return pages
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    subprocess.run([tool, "-r", str(PAGE_DPI), "-png", str(pdf), str(folder / "page")],
                   capture_output=True, check=False, timeout=120)  # fmt: skip
    return sorted(folder.glob("page-*.png"))


def prepare_print(docx: Path, converter: PdfConverter | None) -> Printable:
    """PDF and page images where the tools exist; otherwise just the .docx with a note why."""
    if converter is None or not converter.available:
        return Printable(docx, note=str(PdfUnavailable()))
    pdf = pdf_for(docx, converter)
    return Printable(docx, pdf, page_images(pdf))
