"""Print preview and printing of a set of documents: one job, PDF pages drawn by PDFium.

Each PDF page is drawn at the device's own resolution (the printer's, capped at ``MAX_PRINT_DPI``;
the screen's for the preview) and at its real size on a sheet of its own size and orientation, so
a landscape hand-over list prints landscape at 1:1. A printer that cannot change the sheet within a
job (Windows' native engine, the preview) gets pages of the other orientation rotated onto the
sheet, which comes out of the printer the same. With duplex on, a document with an odd number of
pages gets a blank back, so two documents never share a sheet (the client keeps the notice, the
township keeps the forms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintEngine,
    QPainter,
)
from PySide6.QtPrintSupport import (
    QPrintDialog,
    QPrinter,
    QPrinterInfo,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import QLabel, QWidget

from agent_desk.fill.pages import PageImage, PageSize, render_page, render_pages
from agent_desk.services.printing import PrintDocument, PrintSet
from agent_desk.ui.messages import LANGUAGE

if TYPE_CHECKING:
    from agent_desk.ui.context import DeskContext

MAX_PRINT_DPI = 600  # an office laser printer's resolution; 1200 would hold 0.5 GB per A4 page
MIN_PREVIEW_DPI, MAX_PREVIEW_DPI = 96, 200
A4_WIDTH_INCH = 8.27


@dataclass(frozen=True)
class Sheet:
    """One side of paper: a document's page, or a blank back (``page`` None) when printing duplex."""

    document: PrintDocument
    page: int | None
    size: PageSize


@dataclass
class PrintJob:
    """A set ready for the dialogs: its documents, and the preview's pages already drawn (off the UI thread)."""

    papers: PrintSet
    preview: dict[tuple[int, int], QImage] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.papers.title


def to_qimage(page: PageImage) -> QImage:
    """A QImage owning a copy of the pixels (the PageImage's bytes may go away)."""
    return QImage(
        page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB888
    ).copy()


def preview_dpi() -> float:
    """About the screen's pixels across a fit-width A4 page: sharp, yet cheap to draw."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return MIN_PREVIEW_DPI
    across = screen.geometry().width() * screen.devicePixelRatio()
    return max(MIN_PREVIEW_DPI, min(MAX_PREVIEW_DPI, across / A4_WIDTH_INCH))


def prepare_job(papers: PrintSet, dpi: float | None) -> PrintJob:
    """Draws the preview's pages when ``dpi`` is given; safe in a worker thread (QImage, not QPixmap)."""
    job = PrintJob(papers)
    if dpi:
        for number, document in enumerate(papers.documents):
            for index, page in enumerate(render_pages(document.pdf, dpi, document.title)):
                job.preview[(number, index)] = to_qimage(page)
    return job


def sheets(papers: PrintSet, duplex: bool) -> list[Sheet]:
    out: list[Sheet] = []
    for number, document in enumerate(papers.documents):
        out.extend(Sheet(document, index, size) for index, size in enumerate(document.pages))
        if duplex and len(document.pages) % 2 and number < len(papers.documents) - 1:
            out.append(Sheet(document, None, document.pages[-1]))
    return out


def page_layout(size: PageSize) -> QPageLayout:
    """The sheet a page asks for: its paper (matched to A4 etc. so the printer takes the right tray), no margins."""
    short, long = sorted((size.width_pt, size.height_pt))
    paper = QPageSize(
        QSizeF(short, long), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch
    )
    orientation = (
        QPageLayout.Orientation.Landscape if size.landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(paper, orientation, QMarginsF())


def set_first_sheet(printer: QPrinter, papers: PrintSet) -> None:
    """Before the dialogs open: the job's sheet is the first page's (the landscape list stays landscape)."""
    printer.setFullPage(True)
    if papers.documents and papers.documents[0].pages:
        printer.setPageLayout(page_layout(papers.documents[0].pages[0]))


def _in_preview(printer: QPrinter) -> bool:
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Picture


def _changes_sheets(printer: QPrinter) -> bool:
    """Qt's PDF engine (a PDF file, and CUPS on Linux) takes a new sheet size mid-job; others refuse."""
    engine = printer.paintEngine()
    return engine is not None and engine.type() == QPaintEngine.Type.Pdf


def print_dpi(printer: QPrinter) -> float:
    return float(min(printer.resolution(), MAX_PRINT_DPI))


def paint_job(printer: QPrinter, job: PrintJob) -> None:
    """Every sheet of the job onto ``printer``: the preview's images in the preview, else fresh at the printer's dpi."""
    preview, relayout = _in_preview(printer), _changes_sheets(printer)
    chosen = _chosen_sheets(
        printer, sheets(job.papers, printer.duplex() != QPrinter.DuplexMode.DuplexNone)
    )
    if relayout and chosen:
        printer.setFullPage(True)
        printer.setPageLayout(page_layout(chosen[0].size))
    painter = QPainter(printer)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # the preview scales its pages
    try:
        for number, sheet in enumerate(chosen):
            if number:
                if relayout:
                    printer.setPageLayout(page_layout(sheet.size))
                printer.newPage()
            if sheet.page is not None:
                image = job.preview.get(_key(job, sheet)) if preview else None
                _draw(painter, printer, sheet, image or _render(sheet, print_dpi(printer)))
    finally:
        painter.end()


def _chosen_sheets(printer: QPrinter, all_sheets: list[Sheet]) -> list[Sheet]:
    """The page range the user typed in the print dialog (1-based, inclusive), else every sheet."""
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 or last <= 0:
        return all_sheets
    return all_sheets[first - 1 : last]


def _key(job: PrintJob, sheet: Sheet) -> tuple[int, int]:
    return job.papers.documents.index(sheet.document), sheet.page or 0


def _render(sheet: Sheet, dpi: float) -> QImage:
    assert sheet.page is not None
    return to_qimage(render_page(sheet.document.pdf, sheet.page, dpi, sheet.document.title))


def _draw(painter: QPainter, printer: QPrinter, sheet: Sheet, image: QImage) -> None:
    """The page at its real size (shrunk only if the paper is smaller), rotated if the sheet is the other way."""
    paper = printer.pageLayout().fullRectPixels(printer.resolution())
    width, height = sheet.size.pixels(printer.resolution())
    rotate = (width > height) != (paper.width() > paper.height())
    across, down = (height, width) if rotate else (width, height)
    scale = min(1.0, paper.width() / across, paper.height() / down)
    painter.save()
    if rotate:
        painter.translate(paper.width(), 0)
        painter.rotate(90)
    painter.drawImage(QRectF(0, 0, width * scale, height * scale), image)
    painter.restore()


def make_printer(papers: PrintSet) -> QPrinter:
    """The default printer at its full resolution, the first page's sheet, duplex when the printer offers it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(papers.title)
    set_first_sheet(printer, papers)
    offered = QPrinterInfo(printer).supportedDuplexModes()
    for mode in (QPrinter.DuplexMode.DuplexAuto, QPrinter.DuplexMode.DuplexLongSide):
        if mode in offered:
            printer.setDuplex(mode)
            break
    return printer


def preview_dialog(parent: QWidget | None, job: PrintJob, title: str) -> QPrintPreviewDialog:
    """Qt's preview, opening at fit-width (its default fits the whole page: 39 % on a laptop)."""
    printer = make_printer(job.papers)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ = printer  # type: ignore[attr-defined]  # the dialog does not own it: keep it alive
    dialog.setWindowTitle(title)
    dialog.paintRequested.connect(lambda target: paint_job(target, job))
    fit_width = dialog.findChild(QAction, "fitWidthAction")
    if fit_width is not None:
        fit_width.trigger()  # checks the toolbar button too
    widget = dialog.findChild(QPrintPreviewWidget)
    if widget is not None:
        widget.fitToWidth()
    return dialog


def print_dialog(
    parent: QWidget | None, job: PrintJob, title: str
) -> tuple[QPrintDialog, QPrinter]:
    printer = make_printer(job.papers)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setMinMax(1, max(1, len(sheets(job.papers, duplex=False))))
    return dialog, printer


def show_job(parent: QWidget | None, job: PrintJob, title: str, *, preview: bool) -> bool:
    """The preview (its print button prints) or the print dialog; False when cancelled."""
    if preview:
        return preview_dialog(parent, job, title).exec() == QPrintPreviewDialog.DialogCode.Accepted
    dialog, printer = print_dialog(parent, job, title)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    paint_job(printer, job)
    return True


# -- from a button to the dialog ------------------------------------------------------------------
Collect = Callable[[Any], Sequence[tuple[str, Path]]]


def start_printing(
    ctx: DeskContext,
    owner: QWidget,
    title: str,
    collect: Collect,
    *,
    preview: bool,
    on_ready: Callable[[PrintJob], None],
    on_failed: Callable[[BaseException], None],
) -> None:
    """In a worker: which documents (``collect(session)``), their PDFs and the preview's pages; then ``on_ready``."""
    from agent_desk.services.printing import prepare_set

    desk = ctx.desk
    assert desk is not None
    converter, cipher = ctx.pdf_converter(), desk.cipher
    folder = ctx.viewer_folder() if cipher is not None else None
    dpi = preview_dpi() if preview else None

    def work() -> PrintJob:
        with desk.db.session() as session:
            documents = collect(session)
        papers = prepare_set(title, documents, converter, cipher=cipher, open_folder=folder)
        return prepare_job(papers, dpi if papers.printable else None)

    ctx.ops.run(work, on_done=on_ready, on_failed=on_failed, owner=owner)


def show_or_open(
    ctx: DeskContext, parent: QWidget, job: PrintJob, status: QLabel, *, direct: bool
) -> None:
    """The page count first (status line and dialog title), then the preview or print dialog;
    without a converter the .docx files open in Word/WPS and the status says what to install."""
    if not job.papers.printable:
        papers = job.papers
        status.setText(papers.note_en if LANGUAGE["ui"] == "en" and papers.note_en else papers.note)
        for path in job.papers.to_open:
            ctx.dialogs.open_path(path)
        return
    shown = summary(job)
    status.setText(shown)
    ctx.dialogs.print_job(parent, job, f"{job.title} — {shown}", preview=not direct)


def summary(job: PrintJob) -> str:
    """Shown before anything is printed: how many pages, and for a set which documents."""
    papers = job.papers
    if len(papers.documents) == 1:
        return QCoreApplication.translate("Printing", "%1 pages").replace(
            "%1", str(papers.page_count)
        )
    count = QCoreApplication.translate("Printing", "%1 documents, %2 pages")
    count = count.replace("%1", str(len(papers.documents))).replace("%2", str(papers.page_count))
    each = QCoreApplication.translate("Printing", "%1 (%2 p.)")
    return f"{count}：" + "、".join(
        each.replace("%1", t).replace("%2", str(n)) for t, n in _titles(job)
    )


def _titles(job: PrintJob) -> Iterator[tuple[str, int]]:
    for document in job.papers.documents:
        yield document.title, len(document.pages)
