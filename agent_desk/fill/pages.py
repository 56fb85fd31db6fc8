"""PDF pages through PDFium (pypdfium2): their paper size, and images of them at a chosen resolution.

The print preview and the printer draw these images, so the PDF's own page size and orientation
decide the sheet, and the resolution is the printer's (or the screen's for the preview) rather than
a fixed one. PDFium is one C library with wheels for Windows and Linux; nothing else (pdftoppm,
Ghostscript) has to be installed on the PC.

PDFium is not thread-safe: every call into it holds ``_PDFIUM`` so the preview's worker thread and
the UI thread's print job never use it at the same time.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent_desk.core.errors import DomainError

if TYPE_CHECKING:
    import pypdfium2 as pdfium

POINTS_PER_INCH = 72.0
_PDFIUM = threading.Lock()


class PdfUnreadable(DomainError):
    """The PDF does not open (damaged, or not a PDF at all)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"「{name}」的 PDF 已损坏，请重新生成文书。",
            code="pdf_unreadable",
            message_en=f"PDF of {name} does not open",
        )


@dataclass(frozen=True)
class PageSize:
    """A page's paper size in points (1/72 inch), as it is shown: a rotated page is swapped."""

    width_pt: float
    height_pt: float

    @property
    def landscape(self) -> bool:
        return self.width_pt > self.height_pt

    def pixels(self, dpi: float) -> tuple[int, int]:
        scale = dpi / POINTS_PER_INCH
        return round(self.width_pt * scale), round(self.height_pt * scale)


@dataclass(frozen=True)
class PageImage:
    """One page as 8-bit RGB pixels, rows ``stride`` bytes apart; ``dpi`` says how big it prints."""

    width: int
    height: int
    stride: int
    pixels: bytes
    dpi: float


def _pdfium() -> Any:
    """pypdfium2, imported when first needed: not at the app's start (0.15 s)."""
    import pypdfium2

    return pypdfium2


@contextmanager
def _opened(pdf: bytes, name: str) -> Iterator[pdfium.PdfDocument]:
    pdfium = _pdfium()
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError:
            raise PdfUnreadable(name) from None
        try:
            yield document
        finally:
            document.close()


def page_sizes(pdf: bytes, name: str = "PDF") -> list[PageSize]:
    """Every page's size, in order; cheap (no page is drawn)."""
    with _opened(pdf, name) as document:
        return [_size(document[index]) for index in range(len(document))]


def _size(page: pdfium.PdfPage) -> PageSize:
    width, height = page.get_size()
    if page.get_rotation() in (90, 270):
        width, height = height, width
    return PageSize(width, height)


def render_page(pdf: bytes, index: int, dpi: float, name: str = "PDF") -> PageImage:
    """Page ``index`` drawn at ``dpi``; one page at a time, so a 600 dpi job holds one sheet in memory."""
    with _opened(pdf, name) as document:
        return _render(document[index], dpi)


def render_pages(
    pdf: bytes, dpi: float, name: str = "PDF", limit: int | None = None
) -> list[PageImage]:
    """Every page (or the first ``limit``) at ``dpi``: for the preview, where pages are small."""
    with _opened(pdf, name) as document:
        count = len(document) if limit is None else min(limit, len(document))
        return [_render(document[index], dpi) for index in range(count)]


def blank_pdf(pages: int = 1, size: PageSize = PageSize(595.0, 842.0)) -> bytes:
    """A PDF of empty pages (A4 portrait by default): for checks that need a PDF without a converter."""
    with _PDFIUM:
        document = _pdfium().PdfDocument.new()
        try:
            for _ in range(pages):
                document.new_page(size.width_pt, size.height_pt).close()
            buffer = io.BytesIO()
            document.save(buffer)
            return buffer.getvalue()
        finally:
            document.close()


def _render(page: pdfium.PdfPage, dpi: float) -> PageImage:
    bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True, optimize_mode="print")
    return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer), dpi)
