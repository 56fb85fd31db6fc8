"""An encrypted desk in the window: documents generated, previewed, printed and opened; scans reviewed.

The app reads its sealed files transparently; what Word/WPS or a viewer opens is a decrypted copy in
the session's private temp folder, gone when the window closes; the data folder never holds plaintext.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from sqlalchemy import select

from agent_desk.fill import find_soffice
from agent_desk.services.desk import open_desk
from agent_desk.services.library import attach_to_case_document
from agent_desk.services.settings import Settings
from agent_desk.services.vault import setup_password
from agent_desk.store.crypto import KdfParams
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import Case, CaseDocument
from agent_desk.sync.settings import SyncSettings
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import RecordingDialogs
from tests.security.casefiles import (
    AGENT_SETTINGS,
    NAME,
    accepted_case,
    docx_text,
    make_documents,
    readable_leaks,
)
from tests.ui.test_review_screens import _scans

PASSWORD = "村务-sealed-2026"


def _encrypted_desk(tmp_path: Path) -> tuple[DataDir, bytes, str, str]:
    """A protected desk with an accepted case, its sealed documents and two sealed scans."""
    data = DataDir(tmp_path / "desk").ensure()
    key = setup_password(data, PASSWORD, params=KdfParams.light())
    desk = open_desk(data.root, key=key)
    case_id, id_number = accepted_case(desk)
    make_documents(desk, case_id)
    with desk.db.session() as session:
        docs = session.scalars(
            select(CaseDocument)
            .where(CaseDocument.case_id == case_id)
            .order_by(CaseDocument.position)
        ).all()
        client_id = session.get(Case, case_id).client_id
        for doc, scan in zip(docs, _scans(tmp_path), strict=False):
            attach_to_case_document(
                doc,
                client_id,
                scan,
                session=session,
                attachments=data.attachments,
                cipher=desk.cipher,
            )
        session.commit()
    desk.close()
    return data, key, case_id, id_number


def _window(
    qtbot, data: DataDir, key: bytes, settings: Settings, dialogs: RecordingDialogs
) -> MainWindow:
    win = MainWindow(data, settings, dialogs, key=key)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.desk_ready, timeout=15000):
        win.start()
    if win.catalog is None:
        with qtbot.waitSignal(win.catalog_ready, timeout=10000):
            pass
    return win


def _opened_outside(opened: Path, data: DataDir, win: MainWindow) -> bytes:
    assert opened.parent == win.viewer_folder() and not opened.is_relative_to(data.root)
    return opened.read_bytes()


def test_agent_generates_previews_prints_and_opens_sealed_documents(qtbot, tmp_path: Path) -> None:
    data, key, case_id, id_number = _encrypted_desk(tmp_path)
    dialogs = RecordingDialogs()
    win = _window(qtbot, data, key, AGENT_SETTINGS, dialogs)
    win._pdf = False  # LibreOffice off first: printing falls back to Word/WPS
    panel = win.open_case(case_id).printed
    with qtbot.waitSignal(panel.generated, timeout=15000) as made:
        panel.buttons["generate"].click()
    assert made.args[0].documents and made.args[0].missing == []
    qtbot.waitUntil(lambda: panel.table.rowCount() >= 2, timeout=5000)
    panel.buttons["open"].click()
    qtbot.waitUntil(lambda: len(dialogs.opened) == 1, timeout=5000)
    assert NAME in docx_text(_opened_outside(dialogs.opened[-1], data, win))
    panel.preview()
    qtbot.waitUntil(lambda: len(dialogs.opened) == 2, timeout=5000)
    assert dialogs.opened[-1].suffix == ".docx" and zipfile.is_zipfile(dialogs.opened[-1])
    assert find_soffice() is not None  # `make test` installs LibreOffice (scripts/check_sysdeps.sh)
    win._pdf = None  # a real converter from here on
    panel.buttons["printSet"].click()
    qtbot.waitUntil(lambda: bool(dialogs.printed), timeout=60000)
    _title, job, preview = dialogs.printed[-1]
    assert preview and job.papers.page_count >= 3 and len(job.preview) == job.papers.page_count
    assert all(
        doc.pdf.startswith(b"%PDF") for doc in job.papers.documents
    )  # in memory; sealed on disk

    handover = win.pages["handover"]
    win.show_page("handover")
    qtbot.waitUntil(lambda: bool(handover.state.batches), timeout=5000)
    handover.batches.selectRow(0)
    count = len(dialogs.opened)
    handover.open_list()
    qtbot.waitUntil(lambda: len(dialogs.opened) == count + 1, timeout=5000)
    assert NAME in docx_text(_opened_outside(dialogs.opened[-1], data, win))

    assert readable_leaks(data.root, [NAME, id_number]) == []
    viewer = win.viewer_folder()
    win.ops.wait()
    win.close()
    assert not viewer.exists()  # removed with the window


def test_reviewer_sees_sealed_scans_and_opens_forms(qtbot, tmp_path: Path) -> None:
    data, key, case_id, id_number = _encrypted_desk(tmp_path)
    dialogs = RecordingDialogs()
    win = _window(
        qtbot, data, key, Settings(role="reviewer", sync=SyncSettings(username="李慧敏")), dialogs
    )
    view = win.open_review(case_id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    with qtbot.waitSignal(view.scan_shown, timeout=5000) as shown:
        view.documents.selectRow(0)
    assert shown.args == [1]  # the sealed PNG, decrypted in memory
    with qtbot.waitSignal(view.scan_shown, timeout=10000) as shown:
        view.documents.selectRow(1)
    assert shown.args == [2]  # the sealed PDF, drawn by PDFium from memory
    assert not data.scan_pages.exists()  # no page image of a scan kept on an encrypted desk
    view.open_scan.click()
    qtbot.waitUntil(lambda: len(dialogs.opened) == 1, timeout=5000)
    assert _opened_outside(dialogs.opened[-1], data, win)[:5] in (b"%PDF-", b"\x89PNG\r")
    view.generated.selectRow(0)
    view.open_form()
    qtbot.waitUntil(lambda: len(dialogs.opened) == 2, timeout=5000)
    assert NAME in docx_text(_opened_outside(dialogs.opened[-1], data, win))
    assert readable_leaks(data.root, [NAME, id_number]) == []
    win.ops.wait()


def test_reviewer_told_when_the_form_was_printed_on_another_desk(qtbot, tmp_path: Path) -> None:
    data, key, case_id, _ = _encrypted_desk(tmp_path)
    shutil.rmtree(data.documents)
    data.documents.mkdir()
    dialogs = RecordingDialogs()
    win = _window(
        qtbot, data, key, Settings(role="reviewer", sync=SyncSettings(username="李慧敏")), dialogs
    )
    view = win.open_review(case_id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    view.generated.selectRow(0)
    view.open_form()
    assert dialogs.opened == [] and any("another desk" in str(s) for s in dialogs.shown)
    win.ops.wait()
