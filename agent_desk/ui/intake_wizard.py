"""The intake wizard: item → conditions → documents (容缺) → typed fields → check, create the case, print.

It opens at once with the catalog's items; how often each item was used arrives from a background
query and reorders the list (most used first). Nothing touches the database on the UI thread.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from agent_desk.catalog import ServiceItem
from agent_desk.core.conditions import ProfileFacts, judge
from agent_desk.fill import MissingField, item_manual_fields
from agent_desk.services.intake import (
    DocumentChoice,
    Generated,
    IntakeRequest,
    item_haystack,
)
from agent_desk.services.profiles import profile_facts
from agent_desk.services.work import Work, missing_fields, refuse, take_in
from agent_desk.store.case_queries import item_usage, library_by_kind
from agent_desk.store.models import Client
from agent_desk.ui.changes import Change, subscribe
from agent_desk.ui.documents_view import DocumentsPanel, show_missing
from agent_desk.ui.labels import doc_status_label, original_label
from agent_desk.ui.manual_fields import ManualFieldsForm
from agent_desk.ui.widgets import enter_activates_only

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext


@dataclass
class WizardFacts:
    client_name: str
    usage: dict[str, int]
    library_kinds: set[str]
    profile: ProfileFacts = field(default_factory=ProfileFacts)  # what the conditions page can read


class IntakeWizard(QWizard):
    case_created = Signal(str)
    refused = Signal(str)  # the case recorded as 不予受理, its notice printed
    ready = Signal()  # the background facts (usage, library) arrived

    def __init__(self, ctx: DeskContext, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.client_id = ctx, client_id
        self.catalog = ctx.catalog
        assert self.catalog is not None
        self.facts = WizardFacts("", {}, set())
        self.case_id: str | None = None
        self.setObjectName("intakeWizard")
        self.setWindowTitle(self.tr("New intake"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.item_page = ItemPage(self)
        self.conditions_page = ConditionsPage(self)
        self.documents_page = DocumentsPage(self)
        self.manual_page = ManualPage(self)
        self.print_page = PrintPage(self)
        for page in (
            self.item_page,
            self.conditions_page,
            self.documents_page,
            self.manual_page,
            self.print_page,
        ):
            self.addPage(page)
        self.resize(860, 620)
        self._load_facts()

    def _load_facts(self) -> None:
        desk, client_id = self.ctx.desk, self.client_id
        assert desk is not None

        def work(session: Session) -> WizardFacts:
            client = session.get(Client, client_id)
            assert client is not None
            library = set(library_by_kind(session, client_id))
            profile = profile_facts(session, client, self.catalog)
            return WizardFacts(client.name, item_usage(session), library, profile)

        self.ctx.read(work, owner=self, on_done=self._facts)

    def _facts(self, facts: WizardFacts) -> None:
        self.facts = facts
        self.setWindowTitle(self.tr("New intake — %1").replace("%1", facts.client_name))
        self.item_page.order()
        self.ready.emit()

    def work(self, session: Session) -> Work:
        """The desk's unit of work with the catalog this wizard opened with."""
        return dataclasses.replace(self.ctx.work(session), catalog=self.catalog)

    @property
    def item(self) -> ServiceItem | None:
        return self.item_page.chosen()

    def request(self) -> IntakeRequest:
        item = self.item
        assert item is not None
        return IntakeRequest(
            self.client_id, item.code, self.documents_page.choices(), self.manual_page.values()
        )

    def refuse(self, reason: str) -> None:
        """不予受理: the case is recorded with the unmet condition as its reason and the notice printed."""
        ctx, item = self.ctx, self.item
        assert item is not None
        request = IntakeRequest(self.client_id, item.code)

        def work(session: Session) -> str:
            return refuse(self.work(session), request, reason).id

        def done(case_id: str) -> None:
            self.refused.emit(case_id)
            self.close()
            ctx.nav.open_case(case_id)

        ctx.write(work, owner=self, on_done=done)


class ItemPage(QWizardPage):
    """Search by name, code, pinyin or initials; the items most used on this desk come first."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Which service?"))
        self.search = QLineEdit(
            self, placeholderText=self.tr("Name, code, pinyin or initials (e.g. dibao, db)")
        )
        self.search.setObjectName("itemSearch")
        self.search.setAccessibleName(self.tr("Find a service item"))
        self.list = QListWidget(self)
        self.list.setObjectName("itemList")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        assert wizard.catalog is not None
        self.items = list(wizard.catalog.items.values())
        self.haystacks: dict[str, str] = {}
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(lambda: self.list.count() and self._pick_first())
        self.list.currentRowChanged.connect(lambda _r: self.completeChanged.emit())
        self.list.itemActivated.connect(lambda _i: self.wiz.next())
        enter_activates_only(self.list)
        self.order()

    def _pick_first(self) -> None:
        for row in range(self.list.count()):
            if not self.list.item(row).isHidden():
                self.list.setCurrentRow(row)
                self.wiz.next()
                return

    def order(self) -> None:
        usage = self.wiz.facts.usage
        chosen = self.chosen()
        self.items.sort(key=lambda i: (-usage.get(i.code, 0), i.code))
        self.list.clear()
        for item in self.items:
            used = usage.get(item.code, 0)
            entry = QListWidgetItem(
                f"{item.name}　{item.code}" + (f"　（{used}）" if used else ""), self.list
            )
            entry.setData(Qt.ItemDataRole.UserRole, item.code)
        if chosen is not None:
            self.select(chosen.code)
        self.filter(self.search.text())

    def filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row, item in enumerate(self.items):
            if needle and item.code not in self.haystacks:
                self.haystacks[item.code] = item_haystack(item)
            self.list.item(row).setHidden(
                bool(needle) and needle not in self.haystacks.get(item.code, "")
            )
        current = self.list.currentItem()
        if current is None or current.isHidden():
            visible = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
            self.list.setCurrentRow(visible[0] if visible else -1)

    def select(self, code: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.list.setCurrentRow(row)

    def chosen(self) -> ServiceItem | None:
        entry = self.list.currentItem()
        if entry is None or entry.isHidden() or self.wiz.catalog is None:
            return None
        return self.wiz.catalog.items.get(entry.data(Qt.ItemDataRole.UserRole))

    def isComplete(self) -> bool:  # noqa: N802
        return self.chosen() is not None


class ConditionsPage(QWizardPage):
    """Each condition of the item, ticked one by one with the client; what the profile proves comes
    ticked with the reason, and a condition the profile shows unmet offers 不予受理 with its notice."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Conditions"))
        self.setSubTitle(
            self.tr(
                "Tick every condition the client meets. If one is not met, the case cannot be accepted."
            )
        )
        self.layout_ = QVBoxLayout(self)
        self.boxes: list[QCheckBox] = []
        self.notes: list[QLabel] = []
        self.failed: list[str] = []
        self.refuse_button = QPushButton(self.tr("Not accepted — print the notice"), self)
        self.refuse_button.setObjectName("refuseAcceptance")
        self.refuse_button.clicked.connect(
            lambda: self.wiz.refuse("；".join(self.failed) or self.refuse_reason)
        )
        self.refuse_reason = ""
        self.refuse_button.hide()

    def initializePage(self) -> None:  # noqa: N802
        for widget in (*self.boxes, *self.notes):
            widget.deleteLater()
        item = self.wiz.item
        assert item is not None
        self.boxes, self.notes, self.failed = [], [], []
        for text in item.conditions:
            verdict = judge(text, self.wiz.facts.profile, date.today())
            box, note = QCheckBox(text, self), QLabel(verdict.why, self)
            box.setChecked(verdict.met is True)
            note.setObjectName("conditionWhy")
            note.setStyleSheet("color: #c0392b;" if verdict.met is False else "color: #2e7d32;")
            if verdict.met is False:
                self.failed.append(f"不符合「{text}」：{verdict.why}")
            box.toggled.connect(lambda _c: self._changed())
            self.boxes.append(box)
            self.notes.append(note)
            self.layout_.addWidget(box)
            self.layout_.addWidget(note)
        self.layout_.addWidget(self.refuse_button)
        self._changed()

    def _changed(self) -> None:
        unmet = [box.text() for box in self.boxes if not box.isChecked()]
        if not self.failed and unmet:  # ticked off by the agent: the reason is the condition itself
            self.refuse_reason = "不符合「" + "」「".join(unmet) + "」"
        self.refuse_button.setVisible(bool(self.failed or unmet))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return all(box.isChecked() for box in self.boxes)


class DocumentsPage(QWizardPage):
    """Each required document: received, missing or 容缺 with a promised date; the library pre-ticks."""

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Documents"))
        self.setSubTitle(
            self.tr(
                "Documents already in the client's library are marked received. A deferred document needs a promised date."
            )
        )
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("documentChecklist")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Document"),
                self.tr("Original/copy"),
                self.tr("Status"),
                self.tr("Promised by"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.rows: list[tuple[str, QComboBox, QDateEdit]] = []

    def initializePage(self) -> None:  # noqa: N802
        item = self.wiz.item
        assert item is not None
        library = self.wiz.facts.library_kinds
        printed = {form.name for form in item.forms}  # the desk prints these itself: not "missing"
        self.table.setRowCount(len(item.documents))
        self.rows = []
        for row, doc in enumerate(item.documents):
            name = doc.name + ("" if doc.required else self.tr(" (optional)"))
            self.table.setItem(
                row,
                0,
                QTableWidgetItem(
                    name + ("  📎" if doc.reusable and doc.doc_kind in library else "")
                ),
            )
            self.table.setItem(
                row, 1, QTableWidgetItem(f"{original_label(doc.original)} ×{doc.copies}")
            )
            status = QComboBox(self)
            status.setObjectName(f"docStatus_{row}")
            for value in ("received", "missing", "deferred"):
                if value != "deferred" or doc.deferrable:
                    status.addItem(doc_status_label(value), value)
            in_library = doc.reusable and doc.doc_kind in library
            status.setCurrentIndex(
                status.findData("received" if in_library or doc.name in printed else "missing")
            )
            when = QDateEdit(
                QDate(date.today() + timedelta(days=7)),
                self,
                calendarPopup=True,
                displayFormat="yyyy-MM-dd",
            )
            when.setEnabled(False)
            status.currentIndexChanged.connect(
                lambda _i, s=status, w=when: (
                    w.setEnabled(s.currentData() == "deferred"),
                    self._summary(),
                )
            )
            self.table.setCellWidget(row, 2, status)
            self.table.setCellWidget(row, 3, when)
            self.rows.append((doc.name, status, when))
        self.table.resizeColumnsToContents()
        self._summary()

    def set_status(self, name: str, status: str, promised_on: date | None = None) -> None:
        for doc_name, combo, when in self.rows:
            if doc_name == name:
                combo.setCurrentIndex(combo.findData(status))
                if promised_on:
                    when.setDate(QDate(promised_on))

    def choices(self) -> dict[str, DocumentChoice]:
        return {
            name: DocumentChoice(
                combo.currentData(),
                when.date().toPython() if combo.currentData() == "deferred" else None,
            )
            for name, combo, when in self.rows
        }

    def _summary(self) -> None:
        item = self.wiz.item
        choices = self.choices()
        missing = [
            d.name
            for d in (item.documents if item else ())
            if d.required and choices.get(d.name, DocumentChoice("missing")).status == "missing"
        ]
        self.summary.setText(
            self.tr(
                "Missing: %1 — the case will be entrusted and the one-time notice printed; accept it when they arrive."
            ).replace("%1", "、".join(missing))
            if missing
            else self.tr("Everything required is here or promised: the case will be accepted.")
        )


class ManualPage(QWizardPage):
    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Fields to type"))
        self.setSubTitle(self.tr("What the forms need that the profile does not hold."))
        self.fields = ManualFieldsForm(self)
        self.fields.valid_changed.connect(lambda _ok: self.completeChanged.emit())
        self.empty = QLabel(self.tr("Nothing to type for this service."), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.code: str | None = None

    def initializePage(self) -> None:  # noqa: N802
        item = self.wiz.item
        assert item is not None
        if item.code != self.code:
            self.code = item.code
            specs = item_manual_fields(item)
            self.fields.set_fields(specs)
            self.empty.setVisible(not specs)

    def values(self) -> dict[str, Any]:
        return self.fields.values() if self.code else {}

    def isComplete(self) -> bool:  # noqa: N802
        return self.fields.is_valid()


class PrintPage(QWizardPage):
    """What the forms still lack (each with a jump to fix it), then: create the case and fill the forms."""

    checked = Signal(list)

    def __init__(self, wizard: IntakeWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Check and print"))
        self.setSubTitle(
            self.tr(
                "Fields the forms still lack are listed first; select one and press Enter to fix it. "
                "Finish creates the case and fills the forms."
            )
        )
        self.missing = QListWidget(self)
        self.missing.setObjectName("intakeMissing")
        self.missing.itemActivated.connect(self.fix)
        enter_activates_only(self.missing)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.documents = DocumentsPanel(wizard.ctx, None, self)
        self.documents.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.missing, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.documents, 2)
        self.busy = False
        subscribe(wizard.ctx.bus, self, Change.CLIENT | Change.SETTINGS, self._data_changed)

    def initializePage(self) -> None:  # noqa: N802
        self.check()

    def _data_changed(self, _changes: Change) -> None:
        if self.wiz.currentPage() is self and self.wiz.case_id is None:
            self.check()

    def check(self) -> None:
        wiz, request = self.wiz, self.wiz.request()
        self.status.setText(self.tr("Checking the forms…"))
        self.wiz.ctx.read(
            lambda session: missing_fields(wiz.work(session), request),
            owner=self,
            on_done=self._checked,
            on_failed=lambda _e: setattr(self, "busy", False),
        )

    def _checked(self, missing: list[MissingField]) -> None:
        show_missing(self.missing, missing)
        self.missing.setVisible(True)
        if missing:
            self.status.setText(
                self.tr(
                    "%1 fields are missing. You may still create the case; incomplete forms are not printed until fixed."
                ).replace("%1", str(len(missing)))
            )
            self.missing.setCurrentRow(0)
        else:
            self.status.setText(self.tr("Every form can be filled."))
        self.checked.emit(missing)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.wiz.ctx.dialogs.failure(self, exc)

    def fix(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        path, _form, field = item.data(256)
        if path.startswith("manual."):
            self.wiz.back()
            self.wiz.manual_page.fields.focus(field)
        else:
            self.wiz.ctx.nav.fix_field(path, self.wiz.client_id)

    def validatePage(self) -> bool:  # noqa: N802
        if self.wiz.case_id is not None:
            return True
        if not self.busy:
            self.create_case()
        return False

    def create_case(self) -> None:
        wiz, ctx, request = self.wiz, self.wiz.ctx, self.wiz.request()
        self.busy = True
        self.status.setText(self.tr("Creating the case and filling the forms…"))

        def work(session: Session, progress: Any) -> tuple[str, Generated]:
            return take_in(wiz.work(session), request, progress=progress)

        ctx.write(
            work,
            owner=self,
            on_done=self._created,
            on_failed=lambda _e: setattr(self, "busy", False),
            on_progress=lambda d, t, _x: self.status.setText(f"{d}/{t}"),
            job=self.tr("Filling the forms"),
        )

    def _created(self, outcome: tuple[str, Generated]) -> None:
        case_id, result = outcome
        self.busy = False
        self.wiz.case_id = case_id
        self.missing.hide()
        self.documents.show()
        self.documents.set_case(case_id)
        show_missing(self.documents.missing, result.missing)
        self.documents.convert_ahead(
            result
        )  # PDFs in the background: the print preview then opens at once
        self.status.setText(
            self.tr("Case created; %1 documents written. Preview and print them below.").replace(
                "%1", str(len(result.documents))
            )
        )
        self.wiz.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Close"))
        self.wiz.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.wiz.case_created.emit(case_id)
