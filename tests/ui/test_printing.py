"""Print preview and printing through PDFium: a case's whole set as one job, the landscape hand-over list
printed landscape at the printer's resolution, the preview at fit-width, duplex without shared sheets."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtGui import QAction, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QPushButton

from agent_desk.fill.pages import PageSize
from agent_desk.services.desk import open_desk
from agent_desk.services.intake import generate_case_documents
from agent_desk.services.printing import PrintDocument, PrintSet
from agent_desk.store.datadir import DataDir
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from agent_desk.ui.printing import make_printer, paint_job, prepare_job, preview_dialog, sheets
from tests.conftest import TODAY
from tests.security.casefiles import AGENT, AGENT_SETTINGS, CATALOG, accepted_case, make_documents
from tests.ui.test_sealed_files_ui import _window as sealed_window

A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)


def _desk(tmp_path: Path, *, batched: bool = True) -> tuple[DataDir, str]:
    data = DataDir(tmp_path / "desk").ensure()
    desk = open_desk(data.root)
    case_id, _ = accepted_case(desk)
    if batched:
        make_documents(desk, case_id)
    else:
        with desk.db.session() as session:
            generate_case_documents(
                case_id, CATALOG, AGENT, session=session, documents_dir=data.documents, today=TODAY
            )
            session.commit()
    desk.close()
    return data, case_id


def _window(qtbot, data: DataDir, dialogs: RecordingDialogs) -> MainWindow:
    return sealed_window(qtbot, data, None, AGENT_SETTINGS, dialogs)  # a plain desk: no key


def _case_window(qtbot, tmp_path: Path) -> tuple[MainWindow, RecordingDialogs, Any, DataDir]:
    """A window over a desk whose accepted case has its documents; (window, dialogs, documents panel, data)."""
    data, case_id = _desk(tmp_path)
    dialogs = RecordingDialogs()
    win = _window(qtbot, data, dialogs)
    return win, dialogs, win.open_case(case_id).printed, data


def _printed(job, path: Path, dpi: int = 300) -> list[tuple[tuple[int, int], float]]:
    """The job as a printer gets it, into a PDF file (Qt's own print engine, offscreen): for each
    sheet its paper size in points and the resolution of the page image on it."""
    printer = make_printer(job.papers)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    paint_job(printer, job)
    document = pdfium.PdfDocument(str(path))
    try:
        return [_sheet(document[index]) for index in range(len(document))]
    finally:
        document.close()


def _sheet(page: pdfium.PdfPage) -> tuple[tuple[int, int], float]:
    width, height = page.get_size()
    [image] = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    left, _bottom, right, _top = image.get_bounds()
    dpi = image.get_px_size()[0] / ((right - left) / 72)
    return (round(width), round(height)), dpi


def test_a_case_whole_set_is_one_job_in_order_with_the_page_count_first(
    qtbot, tmp_path: Path
) -> None:
    win, dialogs, panel, _data = _case_window(qtbot, tmp_path)
    qtbot.waitUntil(lambda: panel.table.rowCount() >= 4, timeout=5000)
    panel.buttons["printSet"].click()
    qtbot.waitUntil(lambda: bool(dialogs.printed), timeout=60000)
    title, job, preview = dialogs.printed[-1]
    titles = [doc.title for doc in job.papers.documents]
    assert preview and len(titles) >= 4 and titles[0].endswith("告知书") and "委托书" in titles[1]
    assert titles[-1].endswith("回执")
    count = job.papers.page_count
    assert count >= len(titles) and str(count) in title and str(count) in panel.status.text()
    assert len(job.preview) == count  # every page drawn for the preview before it opens
    printed = _printed(job, tmp_path / "set.pdf")
    assert len(printed) == count and {size for size, _dpi in printed} == {A4_PORTRAIT}
    win.ops.wait()


def test_the_landscape_hand_over_list_prints_landscape_at_the_printer_resolution(
    qtbot, tmp_path: Path
) -> None:
    data, _case_id = _desk(tmp_path)
    dialogs = RecordingDialogs()
    win = _window(qtbot, data, dialogs)
    handover = win.pages["handover"]
    win.show_page("handover")
    qtbot.waitUntil(lambda: bool(handover.state.batches), timeout=5000)
    handover.batches.selectRow(0)
    handover.print_list()
    qtbot.waitUntil(lambda: bool(dialogs.printed), timeout=60000)
    _title, job, _preview = dialogs.printed[-1]
    assert make_printer(job.papers).pageLayout().orientation() == QPageLayout.Orientation.Landscape
    printed = _printed(job, tmp_path / "list.pdf", dpi=300)
    assert len(printed) == job.papers.page_count >= 1
    (size, dpi) = printed[0]
    assert size == A4_LANDSCAPE and dpi >= 299.5  # was portrait A4 at 110 dpi, the text about 5 pt
    # the preview (a printer that cannot change sheets mid-job) shows the same landscape sheets
    printer = make_printer(job.papers)
    widget = QPrintPreviewWidget(printer)
    qtbot.addWidget(widget)
    widget.paintRequested.connect(lambda target: paint_job(target, job))
    widget.updatePreview()
    assert widget.pageCount() == job.papers.page_count
    assert widget.orientation() == QPageLayout.Orientation.Landscape
    win.ops.wait()


def test_the_preview_opens_at_fit_width(qtbot, tmp_path: Path) -> None:
    papers = PrintSet(
        "t", [PrintDocument("告知书", tmp_path / "a.docx", _blank_pdf(1), [PageSize(595, 842)])]
    )
    dialog = preview_dialog(None, prepare_job(papers, 96), "告知书")
    qtbot.addWidget(dialog)
    dialog.show()
    widget = dialog.findChild(QPrintPreviewWidget)
    assert widget.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth
    assert dialog.findChild(QAction, "fitWidthAction").isChecked()
    dialog.close()


def test_make_batch_and_print_opens_the_print_dialog_with_the_list(qtbot, tmp_path: Path) -> None:
    data, case_id = _desk(tmp_path, batched=False)
    dialogs = RecordingDialogs()
    win = _window(qtbot, data, dialogs)
    handover = win.pages["handover"]
    win.show_page("handover")
    qtbot.waitUntil(lambda: any(r.id == case_id for r in handover.state.candidates), timeout=5000)
    handover.tick_all()
    handover.findChild(QPushButton, "createBatch").click()
    qtbot.waitUntil(lambda: bool(dialogs.printed), timeout=60000)
    title, job, preview = dialogs.printed[-1]
    [listed] = job.papers.documents
    assert not preview and title.startswith(f"{listed.title} — ") and listed.title.startswith("JJ")
    assert job.papers.documents[0].pages[0].landscape
    handover.print_batch()
    qtbot.waitUntil(lambda: len(dialogs.printed) == 2, timeout=60000)
    _title, batch_job, _preview = dialogs.printed[-1]
    titles = [d.title for d in batch_job.papers.documents]
    assert (
        titles[0].endswith("交接清单")
        and len(titles) >= 3
        and not any(t.endswith("告知书") for t in titles)
    )
    win.ops.wait()


def _blank_pdf(pages: int) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842).close()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def test_duplex_never_puts_two_documents_on_one_sheet(tmp_path: Path) -> None:
    portrait = PageSize(595, 842)
    counts = (("告知书", 1), ("委托书", 1), ("申请表", 2), ("回执", 1))
    documents = [
        PrintDocument(name, tmp_path / f"{name}.docx", b"", [portrait] * count)
        for name, count in counts
    ]
    papers = PrintSet("t", documents)
    single = sheets(papers, duplex=False)
    double = sheets(papers, duplex=True)
    assert len(single) == 5 and [s.page for s in single] == [0, 0, 0, 1, 0]
    blanks_after = [("告知书", 0), ("告知书", None), ("委托书", 0), ("委托书", None)]
    assert [(s.document.title, s.page) for s in double] == [
        *blanks_after,
        ("申请表", 0),
        ("申请表", 1),
        ("回执", 0),
    ]


def test_generating_converts_the_documents_ahead_so_the_preview_opens_at_once(
    qtbot, tmp_path: Path
) -> None:
    win, _dialogs, panel, data = _case_window(qtbot, tmp_path)
    with qtbot.waitSignal(panel.generated, timeout=15000) as made:
        panel.buttons["generate"].click()
    paths = [data.documents / doc.path for doc in made.args[0].documents]
    qtbot.waitUntil(lambda: all(p.with_suffix(".pdf").is_file() for p in paths), timeout=60000)
    assert all(p.with_suffix(".pdf").stat().st_mtime_ns >= p.stat().st_mtime_ns for p in paths)
    win.ops.wait()
