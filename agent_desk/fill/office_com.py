"""PDF through WPS Office or Microsoft Word, driven by COM automation (Windows with pywin32 only).

Village PCs usually have WPS or Word rather than LibreOffice. Both expose Word's object model:
``Documents.Open`` then ``ExportAsFixedFormat(..., 17)`` (17 = wdExportFormatPDF). One hidden
instance converts a whole batch, as LibreOffice does, and is quit afterwards.

This module cannot run on Linux (no COM): tests there only check that it reports itself
unavailable; the Windows CI workflow (installer/README.md) runs it for real.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent_desk.fill.pdf_errors import PdfConversionFailed, PdfUnavailable

PDF_FORMAT = 17  # wdExportFormatPDF
PROG_IDS = {
    "KWPS.Application": "WPS Office",
    "WPS.Application": "WPS Office",
    "Word.Application": "Microsoft Word",
}


def _com() -> tuple[Any, Any] | None:
    """(pythoncom, win32com.client), or None where pywin32 is missing (Linux, or not installed)."""
    if sys.platform != "win32":
        return None
    try:
        import pythoncom  # type: ignore[import-not-found,unused-ignore]
        import win32com.client  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return pythoncom, win32com.client


def registered(prog_id: str) -> bool:
    """The ProgID is in the registry (the program is installed), checked without starting it."""
    if sys.platform != "win32":
        return False
    # Windows only; imported by name so mypy on Linux (no stubs for it) accepts the attributes
    winreg: Any = importlib.import_module("winreg")

    try:
        with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, rf"{prog_id}\CLSID"):
            return True
    except OSError:
        return False


class OfficeComConverter:
    """One of WPS/Word, whichever ProgID is registered first (WPS before Word)."""

    def __init__(self, prog_id: str | None = None) -> None:
        self.prog_id = prog_id or next((p for p in PROG_IDS if registered(p)), None)
        self.name = PROG_IDS.get(self.prog_id or "", "WPS/Word")

    @property
    def available(self) -> bool:
        return self.prog_id is not None and _com() is not None

    def convert(self, documents: Sequence[Path | str], out_dir: Path | str) -> list[Path]:
        """PDFs of ``documents`` in ``out_dir`` (same stems), in order; out_dir must not hold two equal stems."""
        com = _com()
        if com is None or self.prog_id is None:
            raise PdfUnavailable(self.name)
        pythoncom, client = com
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        pythoncom.CoInitialize()  # each worker thread needs its own COM apartment
        try:
            app = client.DispatchEx(self.prog_id)
            try:
                app.Visible, app.DisplayAlerts = False, 0
                return [self._export(app, Path(doc), out) for doc in documents]
            finally:
                app.Quit()
        finally:
            pythoncom.CoUninitialize()

    def _export(self, app: Any, document: Path, out: Path) -> Path:
        target = out / f"{document.stem}.pdf"
        opened = app.Documents.Open(
            os.fspath(document.resolve()), False, True
        )  # not converting, read-only
        try:
            opened.ExportAsFixedFormat(os.fspath(target), PDF_FORMAT)
        finally:
            opened.Close(False)
        if not target.is_file():
            raise PdfConversionFailed(
                f"{self.name} 未能转换：{document.name}",
                code="pdf_failed",
                message_en=f"{self.prog_id} produced no PDF for {document.name}",
            )
        return target

    def close(self) -> None:
        """Nothing kept between batches (each batch quits its instance)."""
