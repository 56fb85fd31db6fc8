"""Printing: the print preview of a case's whole set once its documents exist, and a sheet at printer resolution.

The app converts a case's documents to PDF in the background as soon as they are generated
(ui/documents_view.py), so "after the documents exist" means after that conversion; its time is a
row of its own. The raw baseline is PDFium alone drawing the same pages at the same resolution.
Runs in a child process (a QApplication of its own, offscreen).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import Row

PREVIEW_TARGET_S = 1.5
PREVIEW_DPI = 150  # a 1920-pixel screen at fit-width (ui/printing.preview_dpi caps at 200)


def _desk(root: Path) -> tuple[object, str, str, object]:
    """A small demo desk, the agent, and an accepted case with its four documents and a batch with its list."""
    from sqlalchemy import select

    from agent_desk.catalog import default_catalog_dir, load_catalog
    from agent_desk.services.agent_identity import with_stored_agent_id
    from agent_desk.services.demo import seed_demo
    from agent_desk.services.demo_catalog import demo_items
    from agent_desk.services.demo_first_run import ensure_demo_agent
    from agent_desk.services.desk import open_desk
    from agent_desk.services.handover import create_batch, print_handover_list
    from agent_desk.services.intake import generate_case_documents
    from agent_desk.services.profiles import agent_info
    from agent_desk.services.settings import load_settings
    from agent_desk.store.datadir import DataDir
    from agent_desk.store.models import Case

    data = DataDir(root).ensure()
    desk = open_desk(data.root)
    catalog = load_catalog(default_catalog_dir())
    ensure_demo_agent(data.settings_file, desk)
    with desk.db.session() as session:  # the agent's ID number is kept in the database
        agent = agent_info(with_stored_agent_id(load_settings(data.settings_file), session))
    with desk.db.session() as session:
        seed_demo(session, demo_items(), clients=40, cases=60, seed=7)
        session.flush()
        stmt = select(Case.id).where(
            Case.status == "accepted",
            Case.batch_id.is_(None),
            Case.item_code == "62052400RS-GG-0001",
        )
        case_id = session.scalars(stmt).first()
        made = generate_case_documents(
            case_id,
            catalog,
            agent,
            session=session,
            documents_dir=data.documents,
            today=date.today(),
        )
        assert len(made.documents) == 4 and not made.missing, made
        batch = create_batch([case_id], session=session, actor="bench")
        session.flush()
        print_handover_list(batch.id, catalog, agent, session=session, documents_dir=data.documents)
        session.commit()
        return desk, case_id, batch.id, data


def measure() -> dict[str, float]:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
    from PySide6.QtWidgets import QApplication

    from agent_desk.fill import ConverterChain
    from agent_desk.fill.pages import render_pages
    from agent_desk.services.printing import batch_set, case_set, pdfs_for, prepare_set
    from agent_desk.ui.printing import make_printer, paint_job, prepare_job

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp, ConverterChain() as converter:
        desk, case_id, batch_id, data = _desk(Path(tmp))
        with desk.db.session() as session:
            papers = case_set(session, case_id, data.documents)
            batch_papers = batch_set(session, batch_id, data.documents)
        started = time.perf_counter()
        pdfs_for(
            [path for _title, path in papers], converter
        )  # what the app does right after generating
        ahead = time.perf_counter() - started

        started = (
            time.perf_counter()
        )  # the button: which documents, their PDFs, the preview's pages, the preview
        with desk.db.session() as session:
            chosen = case_set(session, case_id, data.documents)
        job = prepare_job(prepare_set("全套", chosen, converter), PREVIEW_DPI)
        printer = make_printer(job.papers)
        widget = QPrintPreviewWidget(printer)
        widget.paintRequested.connect(lambda target: paint_job(target, job))
        widget.fitToWidth()
        widget.updatePreview()
        app.processEvents()
        preview = time.perf_counter() - started
        assert widget.pageCount() == job.papers.page_count

        started = time.perf_counter()
        for document in job.papers.documents:
            render_pages(document.pdf, PREVIEW_DPI)
        raw = time.perf_counter() - started

        listed = prepare_job(prepare_set("JJ", batch_papers[:1], converter), None)
        sheet = make_printer(listed.papers)
        sheet.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        sheet.setOutputFileName(str(Path(tmp) / "list.pdf"))
        sheet.setResolution(600)
        started = time.perf_counter()
        paint_job(sheet, listed)
        per_sheet = (time.perf_counter() - started) / listed.papers.page_count
        desk.close()
        return {
            "ahead": ahead,
            "preview": preview,
            "raw": raw,
            "pages": job.papers.page_count,
            "sheet600": per_sheet,
        }


def run(quick: bool) -> list[Row]:
    from agent_desk.fill import find_soffice

    if find_soffice() is None:
        return [
            Row(
                "print preview of a case's whole set (LibreOffice not installed: skipped)",
                0,
                "s",
                f"≤ {PREVIEW_TARGET_S} s",
                True,
            )
        ]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    done = subprocess.run(
        [sys.executable, __file__], capture_output=True, text=True, env=env, timeout=600, check=True
    )
    r = json.loads(done.stdout.strip().splitlines()[-1])
    pages = int(r["pages"])
    return [
        Row(
            f"print preview of a case's whole set (4 documents, {pages} pages), documents converted",
            r["preview"],
            "s",
            f"≤ {PREVIEW_TARGET_S} s",
            r["preview"] <= PREVIEW_TARGET_S,
            r["raw"],
        ),
        Row(
            "converting a case's 4 documents to PDF in the background after generating (one LibreOffice run)",
            r["ahead"],
            "s",
            "-",
            True,
        ),
        Row(
            "printing the landscape hand-over list: one sheet at 600 dpi (to a PDF file)",
            r["sheet600"],
            "s",
            "-",
            True,
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(measure()))
