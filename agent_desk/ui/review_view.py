"""Reviewing one case: the client (ID masked until asked), the documents with their scans, the printed
forms and the timeline; then approve, or return for correction with reasons."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.core.case_flow import CaseAction, CaseStatus, allowed_actions
from agent_desk.fill.pages import render_pages
from agent_desk.services import review
from agent_desk.services.review import ReviewDetail, ReviewDocument
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.sealed import read_file
from agent_desk.ui.action_form import ActionContext
from agent_desk.ui.changes import Change, subscribe
from agent_desk.ui.labels import (
    action_label,
    doc_status_label,
    event_reason,
    original_label,
    status_label,
)
from agent_desk.ui.printing import to_qimage
from agent_desk.ui.widgets import read_only_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext

PAGE_WIDTH = 560
SCAN_DPI, MAX_SCAN_PAGES = 80, 20  # a PDF scan on screen: about PAGE_WIDTH across
IMAGE_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "image/bmp": "BMP",
    "image/webp": "WEBP",
    "image/gif": "GIF",
}
REVIEW_STEPS = (CaseAction.APPROVE, CaseAction.RETURN_FOR_CORRECTION)


def load_scan(doc: ReviewDocument, cipher: BlobCipher | None = None) -> list[QImage]:
    """Pages of a scan as images, made off the UI thread (QImage, unlike QPixmap, is thread-safe).

    On an encrypted desk (``cipher``) the scan is decrypted in memory, and PDFium draws a PDF's pages
    from memory too: no page image of an ID card is written to disk.
    """
    if doc.file is None:
        return []
    if (doc.mime or "").startswith("image/"):
        # The format named, Qt reads with that one handler: probing every image plugin (the SVG one
        # takes a Qt-wide lock while this thread holds the GIL) can deadlock with the UI thread.
        images = [
            QImage.fromData(read_file(doc.file, cipher), IMAGE_FORMATS.get(doc.mime or "", ""))
        ]
    elif doc.mime == "application/pdf":
        images = _pdf_pages(doc.file, cipher)
    else:
        images = []
    return [
        i.scaledToWidth(PAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        if i.width() > PAGE_WIDTH
        else i
        for i in images
        if not i.isNull()
    ]


def _pdf_pages(pdf: Path, cipher: BlobCipher | None) -> list[QImage]:
    """Drawn by PDFium from the bytes in memory: no page image is kept, sealed desk or not."""
    pages = render_pages(read_file(pdf, cipher), SCAN_DPI, pdf.name, limit=MAX_SCAN_PAGES)
    return [to_qimage(page) for page in pages]


class ReviewView(QWidget):
    acted = Signal(str)
    open_request = Signal(str)  # the 一件事 this case belongs to, reviewed as a whole
    loaded = Signal()
    scan_shown = Signal(int)  # pages shown

    def __init__(
        self, ctx: DeskContext, case_id: str, actor: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.case_id, self.actor = ctx, case_id, actor
        self.detail: ReviewDetail | None = None
        self.setObjectName("reviewView")
        self.setWindowTitle(self.tr("Review case"))
        self.facts, self.profile = QFormLayout(), QFormLayout()
        self.id_label = QLabel(self)
        self.id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button = QPushButton(self.tr("Show ID number"), self)
        self.reveal_button.setObjectName("revealId")
        self.reveal_button.clicked.connect(self.reveal_id)
        self.documents = self._table(
            [self.tr("Document"), self.tr("Original/copy"), self.tr("Status")]
        )
        self.documents.itemSelectionChanged.connect(self._show_selected_scan)
        self.generated = self._table([self.tr("Printed form"), self.tr("Made")])
        self.generated.doubleClicked.connect(lambda _i: self.open_form())
        self.timeline = self._table(
            [self.tr("Time"), self.tr("Step"), self.tr("By"), self.tr("Why")]
        )
        self.step_buttons: dict[CaseAction, QPushButton] = {}
        self._build()
        self.resize(1100, 800)
        # a step here, or a pull that brought the agent's correction
        subscribe(ctx.bus, self, Change.CASE | Change.DOCUMENT, lambda _c: self.reload())
        self.reload()

    def _table(self, headers: list[str]) -> QTableWidget:
        return read_only_table(self, headers)

    def _box(self, title: str, *widgets: Any) -> QGroupBox:
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        for widget in widgets:
            layout.addLayout(widget) if isinstance(
                widget, QHBoxLayout | QFormLayout
            ) else layout.addWidget(widget)
        return box

    def _build(self) -> None:
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_label, 1)
        id_row.addWidget(self.reveal_button)
        self.profile.addRow(self.tr("ID number"), id_row)
        top = QHBoxLayout()
        top.addWidget(self._box(self.tr("Case"), self.facts), 1)
        top.addWidget(self._box(self.tr("Client"), self.profile), 1)
        self.pages = QWidget(self)
        self.pages_layout = QVBoxLayout(self.pages)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.pages)
        self.scan_note = QLabel(self.tr("Select a document to see its scan."), self)
        self.open_scan = QPushButton(self.tr("Open in system viewer"), self)
        self.open_scan.setObjectName("openScan")
        self.open_scan.setEnabled(False)
        self.open_scan.clicked.connect(self.open_selected_scan)
        split = QSplitter(self)
        split.addWidget(self._box(self.tr("Required documents"), self.documents))
        split.addWidget(self._box(self.tr("Scan"), self.scan_note, scroll, self.open_scan))
        split.setSizes([380, 620])
        lower = QSplitter(self)
        open_form = QPushButton(self.tr("Open form"), self)
        open_form.clicked.connect(self.open_form)
        lower.addWidget(self._box(self.tr("Printed forms"), self.generated, open_form))
        lower.addWidget(self._box(self.tr("Timeline"), self.timeline))
        buttons = QHBoxLayout()
        self.request_button = QPushButton(self.tr("Review the whole request…"), self)
        self.request_button.setObjectName("reviewWholeRequest")
        self.request_button.hide()
        self.request_button.clicked.connect(self._open_request)
        buttons.addWidget(self.request_button)
        buttons.addStretch(1)
        for action in REVIEW_STEPS:
            button = QPushButton(action_label(action), self)
            button.setObjectName(f"review_{action.value}")
            button.setEnabled(False)
            button.clicked.connect(lambda _c=False, a=action: self.request(a))
            buttons.addWidget(button)
            self.step_buttons[action] = button
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 3)
        layout.addWidget(lower, 2)
        layout.addLayout(buttons)

    # -- loading ------------------------------------------------------------------------------------
    def reload(self) -> None:
        desk = self.ctx.desk
        assert desk is not None

        def work(session: Session) -> ReviewDetail:
            return review.load_review(
                self.case_id, session=session, attachments=desk.data.attachments
            )

        self.ctx.read(work, owner=self, on_done=self._show)

    def _show(self, detail: ReviewDetail) -> None:
        self.detail = detail
        case, client = detail.case, detail.client
        self.setWindowTitle(self.tr("Review case %1").replace("%1", case.case_no))
        self._rows(
            self.facts,
            [
                (self.tr("Case no."), case.case_no),
                (self.tr("Service item"), f"{case.item_name}（{case.item_code}）"),
                (self.tr("Status"), status_label(case.status)),
                (self.tr("Entrusted on"), str(case.entrusted_on)),
                (self.tr("Deadline"), str(case.due_on or "")),
                (
                    self.tr("Accepted with deferral"),
                    self.tr("Yes") if case.deferred else self.tr("No"),
                ),
            ],
        )
        while self.profile.rowCount() > 1:
            self.profile.removeRow(1)
        self.id_label.setText(client.masked_id)
        for label, value in (
            (self.tr("Name"), client.name),
            (self.tr("Birth date"), str(client.birth_date or "")),
            (self.tr("Phone"), client.phone or ""),
            (self.tr("Village"), client.village or ""),
            (self.tr("Address"), client.address or ""),
        ):
            self.profile.addRow(label, QLabel(value, self))
        self._fill(
            self.documents,
            [(d.name, original_label(d.original), self._doc_status(d)) for d in detail.documents],
        )
        self._fill(
            self.generated,
            [
                (g.title, g.created_at.astimezone().strftime("%Y-%m-%d %H:%M"))
                for g in detail.generated
            ],
        )
        self._fill(
            self.timeline,
            [
                (
                    e.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                    action_label(e.action),
                    e.actor,
                    event_reason(e.reason or ""),
                )
                for e in detail.events
            ],
        )
        allowed = set(allowed_actions(CaseStatus(case.status)))
        for action, button in self.step_buttons.items():
            button.setEnabled(action in allowed)
        self.request_button.setVisible(bool(case.request_id))
        self.loaded.emit()

    def _open_request(self) -> None:
        if self.detail is not None and self.detail.case.request_id:
            self.open_request.emit(self.detail.case.request_id)

    def _doc_status(self, doc: ReviewDocument) -> str:
        text = doc_status_label(doc.status, doc.promised_on)
        return text + ("" if doc.file else self.tr(" (no scan on this desk)"))

    def _rows(self, form: QFormLayout, rows: list[tuple[str, str]]) -> None:
        while form.rowCount():
            form.removeRow(0)
        for label, value in rows:
            form.addRow(label, QLabel(value, self))

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()

    # -- the client's ID number -------------------------------------------------------------------
    def reveal_id(self) -> None:
        """Show the full number; the reading is recorded with who and for which case."""
        desk, detail = self.ctx.desk, self.detail
        assert desk is not None and detail is not None

        def work(session: Session) -> str:
            return review.reveal_id_number(
                detail.client.id, session=session, actor=self.actor, case_id=self.case_id
            )

        self.ctx.write(work, owner=self, on_done=self._revealed)

    def _revealed(self, number: str) -> None:
        self.id_label.setText(number)
        self.reveal_button.setEnabled(False)

    # -- scans --------------------------------------------------------------------------------------
    def selected_document(self) -> ReviewDocument | None:
        row = self.documents.currentRow()
        return (
            self.detail.documents[row]
            if self.detail and 0 <= row < len(self.detail.documents)
            else None
        )

    def _show_selected_scan(self) -> None:
        doc = self.selected_document()
        self._clear_pages()
        self.open_scan.setEnabled(bool(doc and doc.file))
        if doc is None or doc.file is None:
            self.scan_note.setText(self.tr("No scan of this document on this desk."))
            return
        self.scan_note.setText(self.tr("Loading the scan…"))
        desk = self.ctx.desk
        assert desk is not None
        cipher = desk.cipher
        self.ctx.ops.run(
            lambda: load_scan(doc, cipher),
            on_done=self._show_pages,
            on_failed=lambda e: self.ctx.dialogs.failure(self, e),
            owner=self,
        )

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            widget = self.pages_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def _show_pages(self, images: list[QImage]) -> None:
        self._clear_pages()
        for image in images:
            page = QLabel(self.pages)
            page.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(page)
        self.scan_note.setText(
            self.tr("%1 page(s)").replace("%1", str(len(images)))
            if images
            else self.tr("This scan cannot be shown here; open it in the system viewer.")
        )
        self.scan_shown.emit(len(images))

    def open_selected_scan(self) -> None:
        """In the system viewer; on an encrypted desk a decrypted copy outside the data folder (DeskContext.viewer_folder)."""
        doc = self.selected_document()
        if doc and doc.file:
            self.ctx.open_stored(doc.file, self)

    def open_form(self) -> None:
        """The printed form, when it was made on this desk (a reviewer's desk has only the agent's record of it)."""
        row = self.generated.currentRow()
        if not self.detail or not 0 <= row < len(self.detail.generated):
            return
        path = self.ctx.data.documents / self.detail.generated[row].path
        if path.is_file():
            self.ctx.open_stored(path, self)
        else:
            self.ctx.dialogs.info(
                self,
                self.tr("Open form"),
                self.tr("This form was printed on another desk; its file is not on this PC."),
            )

    # -- review steps -------------------------------------------------------------------------------
    def common_reasons(self) -> list[str]:
        catalog, detail = self.ctx.catalog, self.detail
        if catalog is None or detail is None or detail.case.item_code not in catalog.items:
            return []
        return list(catalog.items[detail.case.item_code].correction_reasons)

    def request(self, action: CaseAction) -> None:
        """Approve, or return with the reasons picked or typed; recorded in the background."""
        payload = self.ctx.dialogs.ask_action(
            self, action, ActionContext(common_reasons=self.common_reasons())
        )
        if payload is None:
            return
        desk = self.ctx.desk
        assert desk is not None

        def work(session: Session) -> str:
            if action is CaseAction.RETURN_FOR_CORRECTION:
                review.return_case(
                    self.case_id, payload.get("reasons", []), session=session, actor=self.actor
                )
            else:
                review.approve(
                    self.case_id,
                    session=session,
                    actor=self.actor,
                    comment=payload.get("comment"),
                )
            return action.value

        self.ctx.write(work, owner=self, on_done=self._acted)

    def _acted(self, action: str) -> None:
        self.acted.emit(action)
