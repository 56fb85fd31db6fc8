"""The .docx → PDF converters behind one interface, tried in order: LibreOffice, then WPS or Word.

Print preview and printing need a PDF (PDFium draws it: fill/pages.py). Whichever converter the PC
has is used; with none, ``PdfUnavailable`` names what to install, in Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from agent_desk.fill.office_com import OfficeComConverter
from agent_desk.fill.pdf import LibreOfficeConverter
from agent_desk.fill.pdf_errors import PdfUnavailable


class PdfConverter(Protocol):
    """Turns .docx files into PDFs of the same stems in ``out_dir``, in order."""

    @property
    def name(self) -> str: ...

    @property
    def available(self) -> bool: ...

    def convert(self, documents: Sequence[Path | str], out_dir: Path | str) -> list[Path]: ...

    def close(self) -> None: ...


class ConverterChain:
    """The first available of ``converters``; the one chosen is kept (LibreOffice reuses its profile).

    The default converters are only looked for when first needed (in a worker: on Windows that reads
    the registry and the drives).
    """

    def __init__(self, converters: Sequence[PdfConverter] | None = None) -> None:
        self._converters = list(converters) if converters is not None else None
        self._chosen: PdfConverter | None = None

    @property
    def converters(self) -> list[PdfConverter]:
        if self._converters is None:
            self._converters = [LibreOfficeConverter(), OfficeComConverter()]
        return self._converters

    @property
    def chosen(self) -> PdfConverter | None:
        if self._chosen is None:
            self._chosen = next((c for c in self.converters if c.available), None)
        return self._chosen

    @property
    def name(self) -> str:
        return self.chosen.name if self.chosen else ""

    @property
    def available(self) -> bool:
        return self.chosen is not None

    def convert(self, documents: Sequence[Path | str], out_dir: Path | str) -> list[Path]:
        if self.chosen is None:
            raise PdfUnavailable()
        return self.chosen.convert(documents, out_dir)

    def close(self) -> None:
        for converter in self._converters or []:
            converter.close()

    def __enter__(self) -> ConverterChain:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
