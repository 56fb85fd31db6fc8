"""Print preview and print of a document's page images through Qt's own print dialogs.

A page is a PNG file (a plain desk's print copy) or PNG bytes (an encrypted desk keeps no plain
page image on disk: services/printing.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

Page = Path | bytes


def page_image(page: Page) -> QImage:
    return QImage(str(page)) if isinstance(page, Path) else QImage.fromData(page)


def paint_pages(printer: QPrinter, pages: Sequence[Page]) -> None:
    """One image per sheet, scaled to the printable area, aspect kept."""
    painter = QPainter(printer)
    try:
        for number, page in enumerate(pages):
            if number:
                printer.newPage()
            image = page_image(page)
            if image.isNull():
                continue
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
    finally:
        painter.end()


def _printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(False)
    return printer


def preview_pages(parent: QWidget | None, title: str, pages: Sequence[Page]) -> bool:
    printer = _printer()
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(lambda target: paint_pages(target, pages))
    return dialog.exec() == QPrintPreviewDialog.DialogCode.Accepted


def print_pages(parent: QWidget | None, pages: Sequence[Page]) -> bool:
    printer = _printer()
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    paint_pages(printer, pages)
    return True
