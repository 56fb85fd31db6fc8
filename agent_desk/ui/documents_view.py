"""A case's printed documents: generate, print preview, print one or the whole set, open the .docx, and what still blocks them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_desk.fill import MissingField
from agent_desk.services.intake import (
    Generated,
    manual_specs,
)
from agent_desk.services.printing import case_set, pdfs_for
from agent_desk.services.work import fill_case
from agent_desk.store.case_queries import generated_documents
from agent_desk.store.models import Case, GeneratedDocument
from agent_desk.ui.messages import LANGUAGE, in_ui_language
from agent_desk.ui.printing import show_or_open, start_printing
from agent_desk.ui.widgets import enter_activates_only

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext

log = logging.getLogger(__name__)


@dataclass
class DocumentsState:
    case: Case
    generated: list[GeneratedDocument]


def show_missing(target: QListWidget, missing: list[MissingField]) -> None:
    """One row per missing field, carrying where to fix it."""
    target.clear()
    english = LANGUAGE["ui"] == "en"  # the fill's reasons are Chinese: say which kind instead
    for entry in missing:
        text = f"{entry.label}：{entry.message}"
        if english:
            kind = (
                QCoreApplication.translate("DocumentsPanel", "%1: missing")
                if entry.problem == "missing"
                else QCoreApplication.translate("DocumentsPanel", "%1: not valid")
            )
            text = kind.replace("%1", entry.label)
        item = QListWidgetItem(text, target)
        item.setData(256, (entry.path, entry.form, entry.field))
    target.setVisible(bool(missing))


class DocumentsPanel(QWidget):
    """Embedded in the case window and the intake wizard's last page."""

    generated = Signal(object)  # Generated
    missing_found = Signal(list)

    def __init__(
        self, ctx: DeskContext, case_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.rows: list[GeneratedDocument] = []
        self.client_id: str | None = None
        self.setObjectName("documentsPanel")
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("generatedDocuments")
        self.table.setHorizontalHeaderLabels([self.tr("Document"), self.tr("Made")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.doubleClicked.connect(lambda _i: self.preview())
        self.missing = QListWidget(self)
        self.missing.setObjectName("missingFields")
        self.missing.hide()
        self.missing.itemActivated.connect(self.fix)
        enter_activates_only(self.missing)
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.missing)
        layout.addWidget(self.status)
        layout.addLayout(self._buttons())
        if case_id:
            self.reload()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        specs = (
            ("generate", self.tr("&Generate documents"), self.generate, "Ctrl+G"),
            ("blank", self.tr("Print with &blanks"), lambda: self.generate(allow_blank=True), ""),
            ("preview", self.tr("Print pre&view"), self.preview, "Ctrl+P"),
            ("print", self.tr("P&rint…"), lambda: self.preview(direct=True), "Ctrl+Shift+P"),
            ("printSet", self.tr("Print the &whole set…"), self.print_set, "Ctrl+Alt+P"),
            ("open", self.tr("&Open in editor"), self.open_docx, "Ctrl+O"),
            (
                "fix",
                self.tr("&Fix selected field"),
                lambda: self.fix(self.missing.currentItem()),
                "",
            ),
        )
        self.buttons: dict[str, QToolButton] = {}
        for key, text, slot, shortcut in specs:
            # tool buttons, so the case window's step buttons stay the only push buttons there
            button = QToolButton(self)
            button.setText(text)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setObjectName(f"doc_{key}")
            if shortcut:
                button.setShortcut(shortcut)
                button.setToolTip(shortcut)
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
            self.buttons[key] = button
        row.addStretch(1)
        return row

    # -- loading --------------------------------------------------------------------------------
    def set_case(self, case_id: str) -> None:
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        desk, case_id = self.ctx.desk, self.case_id
        assert desk is not None and case_id is not None

        def work() -> DocumentsState:
            with desk.db.session() as session:
                case = session.get(Case, case_id)
                assert case is not None
                return DocumentsState(case, generated_documents(session, case_id))

        self.ctx.ops.run(work, on_done=self._show, on_failed=self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.ctx.dialogs.failure(self, exc)

    def _show(self, state: DocumentsState) -> None:
        self.rows = [g for g in state.generated if not g.deleted]
        self.client_id = state.case.client_id
        self.table.setRowCount(len(self.rows))
        for r, doc in enumerate(self.rows):
            self.table.setItem(r, 0, QTableWidgetItem(doc.title))
            self.table.setItem(
                r, 1, QTableWidgetItem(doc.created_at.astimezone().strftime("%Y-%m-%d %H:%M"))
            )
        if self.rows and self.table.currentRow() < 0:
            self.table.selectRow(0)

    # -- generating -----------------------------------------------------------------------------
    def generate(
        self, extra_manual: dict[str, Any] | None = None, *, allow_blank: bool = False
    ) -> None:
        """Fill the case's forms; ``allow_blank`` (留空打印) also prints incomplete ones, gaps left for handwriting."""
        ctx, case_id = self.ctx, self.case_id
        if ctx.desk is None or ctx.catalog is None or case_id is None:
            return
        self.status.setText(self.tr("Filling the forms…"))

        def work(session: Session, progress: Any) -> Generated:
            return fill_case(
                ctx.work(session),
                case_id,
                progress=progress,
                allow_blank=allow_blank,
                manual=extra_manual,
            )

        self.ctx.write(
            work,
            owner=self,
            on_done=self._generated,
            on_failed=lambda _e: self.status.setText(""),
            on_progress=self._progress,
            job=self.tr("Filling the forms"),
        )

    def _progress(self, done: int, total: int, _text: str) -> None:
        self.status.setText(
            self.tr("Filling form %1 of %2…").replace("%1", str(done)).replace("%2", str(total))
        )

    def _generated(self, result: Generated) -> None:
        show_missing(self.missing, result.missing)
        parts = [self.tr("%1 documents written").replace("%1", str(len(result.documents)))]
        if result.missing:
            text = self.tr(
                "%1 fields still missing — select one and press Enter to fix it, or print with blanks"
            )
            parts.append(text.replace("%1", str(len(result.missing))))
        if result.failed:
            parts.append(
                self.tr("failed: %1").replace(
                    "%1", "；".join(in_ui_language(why) for _k, why in result.failed)
                )
            )
        self.status.setText("；".join(parts))
        self.generated.emit(result)
        self.missing_found.emit(result.missing)
        self.reload()
        self.convert_ahead(result)

    def convert_ahead(self, result: Generated) -> None:
        """The new documents' PDFs made now, in the background, so the print preview opens at once."""
        converter, desk = self.ctx.pdf_converter(), self.ctx.desk
        if converter is None or desk is None or not result.documents:
            return
        paths, cipher = (
            [self.ctx.data.documents / doc.path for doc in result.documents],
            desk.cipher,
        )
        self.ctx.ops.run(
            lambda: converter.available and pdfs_for(paths, converter, cipher),
            on_failed=lambda exc: log.info("converting ahead failed: %s", exc),
            owner=self,
        )

    # -- jumping to fix -------------------------------------------------------------------------
    def fix(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        path, _form, field = item.data(256)
        if path.startswith("manual."):
            self._ask_manual(field)
        else:
            self.ctx.nav.fix_field(path, self.client_id)

    def _ask_manual(self, field: str) -> None:
        desk, catalog, case_id = self.ctx.desk, self.ctx.catalog, self.case_id
        assert desk is not None and catalog is not None and case_id is not None
        names = [
            item.data(256)[2]
            for item in (self.missing.item(i) for i in range(self.missing.count()))
            if item.data(256)[0].startswith("manual.")
        ]

        def work() -> dict[str, Any]:
            with desk.db.session() as session:
                return manual_specs(catalog, case_id, names or [field], session=session)

        self.ctx.ops.run(work, on_done=self._ask_manual_values, on_failed=self._failed, owner=self)

    def _ask_manual_values(self, specs: dict[str, Any]) -> None:
        values = self.ctx.dialogs.ask_fields(self, self.tr("Fields to type"), specs, {})
        if values:
            self.generate(values)

    # -- printing -------------------------------------------------------------------------------
    def current(self) -> GeneratedDocument | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def current_path(self) -> Path | None:
        doc = self.current()
        return self.ctx.data.documents / doc.path if doc else None

    def open_docx(self) -> None:
        """In Word/WPS; on an encrypted desk a decrypted copy outside the data folder (DeskContext.viewer_folder)."""
        path = self.current_path()
        if path is not None:
            self.ctx.open_stored(path, self)

    def preview(self, direct: bool = False) -> None:
        path, doc = self.current_path(), self.current()
        if path is None or doc is None or self.ctx.desk is None:
            return
        self._start(doc.title, lambda _session: [(doc.title, path)], direct)

    def print_set(self) -> None:
        """打印全套: the notice, proxy authorisation, forms and receipt as one job, in that order."""
        case_id, folder = self.case_id, self.ctx.data.documents
        if case_id is None or self.ctx.desk is None or not self.rows:
            return
        title = self.tr("Whole set")
        self._start(title, lambda session: case_set(session, case_id, folder), direct=False)

    def _start(self, title: str, collect: Any, direct: bool) -> None:
        self.status.setText(self.tr("Preparing the print preview…"))
        start_printing(
            self.ctx,
            self,
            title,
            collect,
            preview=not direct,
            on_ready=lambda job: show_or_open(self.ctx, self, job, self.status, direct=direct),
            on_failed=self._failed,
        )
