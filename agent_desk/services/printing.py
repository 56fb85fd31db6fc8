"""Getting a generated .docx ready to preview and print: PDF through LibreOffice, pages as images.

Qt cannot draw a .docx, so print preview shows the PDF's pages rendered to images (pdftoppm).
Without LibreOffice the agent opens the .docx in the system's editor and prints from there;
without a rasteriser the PDF is opened instead. Everything here runs off the UI thread.

A plain desk keeps the PDF and the pages beside the .docx and reuses them. An encrypted desk keeps
no plaintext in its data folder: the .docx is decrypted into a scratch folder, converted and
rasterised there, the pages are read into memory and the folder is removed before ``prepare_print``
returns, error or not (store/sealed.py).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from agent_desk.fill import PdfConverter, PdfUnavailable
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.sealed import plain_copy, scratch

PAGE_DPI = 110


@dataclass(frozen=True)
class Printable:
    """What can be done with one document: always the .docx, a PDF and page images when possible.

    Page images are files (``pages``) on a plain desk, PNG bytes in memory (``images``) on an
    encrypted one.
    """

    docx: Path
    pdf: Path | None = None
    pages: list[Path] = field(default_factory=list)
    note: str = ""
    images: list[bytes] = field(default_factory=list)

    @property
    def sheets(self) -> list[Path] | list[bytes]:
        """What the print preview shows, one per sheet; empty when it cannot show anything."""
        return self.pages or self.images

    @property
    def to_open(self) -> Path:
        """What the system's own program opens when there is nothing to preview."""
        return self.pdf or self.docx


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


def prepare_print(docx: Path, converter: PdfConverter | None, *, cipher: BlobCipher | None = None,
                  open_folder: Path | None = None) -> Printable:  # fmt: skip
    """PDF and page images where the tools exist; otherwise just the .docx with a note why.

    On an encrypted desk (``cipher``) a file the system must open instead of the preview is a
    decrypted copy in ``open_folder`` (store/sealed.open_folder: outside the data folder, removed
    when the app closes).
    """
    if cipher is not None:
        if open_folder is None:
            raise ValueError("an encrypted desk needs a folder for the files it opens outside the app")
        return _prepare_sealed(docx, converter, cipher, open_folder)
    if converter is None or not converter.available:
        return Printable(docx, note=str(PdfUnavailable()))
    pdf = pdf_for(docx, converter)
    return Printable(docx, pdf, page_images(pdf))


def _prepare_sealed(docx: Path, converter: PdfConverter | None, cipher: BlobCipher, open_folder: Path) -> Printable:
    if converter is None or not converter.available:
        return Printable(plain_copy(docx, cipher, open_folder), note=str(PdfUnavailable()))
    with scratch() as work:
        pdf = converter.convert_one(plain_copy(docx, cipher, work), work)
        images = [page.read_bytes() for page in page_images(pdf)]
        if images:
            return Printable(docx, images=images)
        opened = open_folder / pdf.name
        open_folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, opened)
        return Printable(docx, opened)
