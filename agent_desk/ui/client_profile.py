"""A client's profile: checked as you type, with what the ID number tells, the household, the document library."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import mask_id_number, parse_resident_id
from agent_desk.core.masking import mask_account, mask_id, mask_phone
from agent_desk.core.validation import normalize_org_name, normalize_person_name, normalize_phone
from agent_desk.services.clients import (
    CLEARABLE,
    MAX_TEXT,
    ClientInput,
    age_on,
    create_client,
    update_client,
)
from agent_desk.services.households import (
    REGISTRATION_TYPES,
    RELATIONS,
    member_input,
    start_household,
    update_household,
)
from agent_desk.services.library import (
    FILE_FILTER,
    document_file,
    remove_document,
)
from agent_desk.services.work import attach_scan
from agent_desk.store.audit import record_view
from agent_desk.store.case_queries import (
    CaseFilter,
    CaseRow,
    case_page,
    case_rows,
    client_documents,
    household_members,
)
from agent_desk.store.models import Client, ClientDocument, Household
from agent_desk.store.queries import villages
from agent_desk.ui.changes import Change, subscribe
from agent_desk.ui.labels import sex_label, status_label
from agent_desk.ui.manual_fields import ERROR_STYLE
from agent_desk.ui.organisation_box import check_credit_code
from agent_desk.ui.widgets import field_label, read_only_table

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext

SENSITIVE = {"id_number": mask_id, "phone": mask_phone, "bank_account": mask_account}
TEXT_FIELDS = (
    "address",
    "ethnicity",
    "marital_status",
    "education",
    "bank_name",
    "bank_account",
    "disability",
    "poverty_status",
    "note",
)
# where a fill report's path is fixed on this screen
PATH_TO_FIELD = {
    "client.household.address": "household_address",
    "client.household.registration_type": "household_registration_type",
    "client.bank_account_holder": "bank_account",
    "client.township": "village_id",
    "client.county": "village_id",
    "client.village": "village_id",
}


CASES_LISTED = 200


@dataclass
class ProfileData:
    client: Client | None
    household: Household | None = None
    members: list[Client] = field(default_factory=list)
    documents: list[ClientDocument] = field(default_factory=list)
    villages: list[tuple[str, str]] = field(default_factory=list)
    cases: list[CaseRow] = field(default_factory=list)  # the client's cases, newest first


def load_profile(session: Any, client_id: str | None) -> ProfileData:
    client = session.get(Client, client_id) if client_id else None
    data = ProfileData(client, villages=[(v.id, v.name) for v in villages(session)])
    if client is not None:
        data.documents = client_documents(session, client.id)
        page = case_page(
            session, CaseFilter(client_id=client.id, sort="newest"), limit=CASES_LISTED
        )
        ids = [case_id for case_id, _cursor in page]
        rows = case_rows(session, ids)
        data.cases = [rows[i] for i in ids if i in rows]
        if client.household_id:
            data.household = session.get(Household, client.household_id)
            data.members = household_members(session, client.household_id)
    return data


def check_name(text: str) -> str:
    normalize_person_name(text)
    return ""


def check_phone(text: str) -> str:
    if text.strip():
        normalize_phone(text)
    return ""


def check_text(text: str) -> str:
    too_long = QCoreApplication.translate("ClientProfileView", "At most %1 characters")
    return too_long.replace("%1", str(MAX_TEXT)) if len(text) > MAX_TEXT else ""


class ClientProfileView(QWidget):
    """Opened from the client list (or as a new client / new household member); saves off the UI thread."""

    saved = Signal(str)  # client id
    loaded = Signal()

    def __init__(
        self,
        ctx: DeskContext,
        client_id: str | None = None,
        *,
        head_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.client_id, self.head_id = ctx, client_id, head_id
        self.data: ProfileData | None = None
        self.baseline: tuple[Any, ...] | None = (
            None  # what the fields held when loaded or last saved
        )
        self._close_after_save = False
        self.member_views: list[ClientProfileView] = []
        self.setObjectName("clientProfile")
        self.setWindowTitle(self.tr("Client profile"))
        self.edits: dict[str, QWidget] = {}
        self.hidden: dict[str, str] = {}  # full values behind the masked fields until "show full"
        self.errors: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self._identity_box())
        left.addWidget(self._details_box(), 1)
        from agent_desk.ui.organisation_box import OrganisationBox

        self.org = OrganisationBox(self._line, self)  # an enterprise's people (issue 21)
        self.org.changed.connect(self.validate)
        left.addWidget(self.org)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("saveClient")
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.intake_button = QPushButton(self.tr("New &intake for this client"), self)
        self.intake_button.clicked.connect(
            lambda: self.client_id and self.ctx.nav.start_intake(self.client_id)
        )
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.intake_button)
        buttons.addStretch(1)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addWidget(self._household_box(), 1)
        right.addWidget(self._library_box(), 1)
        right.addWidget(self._cases_box(), 1)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.resize(1000, 640)
        self.validate()
        self._refill = False  # a change made elsewhere: show it in the fields too (when not edited)
        subscribe(ctx.bus, self, Change.CLIENT | Change.CASE | Change.DOCUMENT, self._changed)
        self.reload()

    # -- building -------------------------------------------------------------------------------
    def _line(
        self, form: QFormLayout, key: str, label: str, check: Callable[[str], str]
    ) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(f"field_{key}")
        error = QLabel(self, styleSheet=ERROR_STYLE, wordWrap=True)
        error.setObjectName(f"error_{key}")
        error.hide()
        box = QVBoxLayout()
        box.setSpacing(0)
        box.addWidget(edit)
        box.addWidget(error)
        form.addRow(field_label(self, label, edit), box)
        edit.setProperty("check", check)
        edit.textChanged.connect(self.validate)
        self.edits[key], self.errors[key] = edit, error
        return edit

    def _identity_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Identity"), self)
        grid = QGridLayout(box)
        form = QFormLayout()
        self._line(form, "name", self.tr("&Name *"), self._check_name)
        self._line(form, "id_number", self.tr("I&D number"), self._check_id)
        self._line(form, "phone", self.tr("&Phone"), check_phone)
        self.show_full_button = QPushButton(
            self.tr("Show full numbers (recorded in the audit trail)"), self
        )
        self.show_full_button.setObjectName("showFull")
        self.show_full_button.setEnabled(False)
        self.show_full_button.clicked.connect(self.show_full)
        form.addRow("", self.show_full_button)
        grid.addLayout(form, 0, 0)
        derived = QFormLayout()
        self.derived = {
            key: QLabel("—", self) for key in ("sex", "birth_date", "age", "birth_place")
        }
        for key, label in (
            ("sex", self.tr("Sex")),
            ("birth_date", self.tr("Birth date")),
            ("age", self.tr("Age")),
            ("birth_place", self.tr("Birth place")),
        ):
            self.derived[key].setObjectName(f"derived_{key}")
            derived.addRow(label, self.derived[key])
        grid.addLayout(derived, 0, 1)
        return box

    def _details_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Details"), self)
        form = QFormLayout(box)
        self.village = QComboBox(self)
        self.village.setObjectName("field_village_id")
        form.addRow(self.tr("&Village"), self.village)
        self.edits["village_id"] = self.village
        self.relation = QComboBox(self, editable=True)
        self.relation.setObjectName("field_relation_to_head")
        self.relation.addItems(["", *RELATIONS])
        form.addRow(self.tr("Relation to &head"), self.relation)
        self.edits["relation_to_head"] = self.relation
        labels = {
            "address": self.tr("Address"),
            "ethnicity": self.tr("Ethnicity"),
            "marital_status": self.tr("Marital status"),
            "education": self.tr("Education"),
            "bank_name": self.tr("Bank"),
            "bank_account": self.tr("Bank account"),
            "disability": self.tr("Disability"),
            "poverty_status": self.tr("Hardship category"),
            "note": self.tr("Note"),
        }
        for key in TEXT_FIELDS:
            self._line(form, key, labels[key], check_text)
        return box

    def _table(self, headers: list[str], name: str) -> QTableWidget:
        return read_only_table(self, headers, name)

    def _household_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Household"), self)
        layout = QVBoxLayout(box)
        self.household_label = QLabel(self)
        facts = QFormLayout()
        self.household_address = QLineEdit(self)
        self.household_address.setObjectName("household_address")
        self.registration_type = QComboBox(self, editable=True)
        self.registration_type.setObjectName("household_registration_type")
        self.registration_type.addItems(["", *REGISTRATION_TYPES])
        facts.addRow(self.tr("Household register address"), self.household_address)
        facts.addRow(self.tr("Registration type"), self.registration_type)
        self.members = self._table(
            [self.tr("Name"), self.tr("Relation"), self.tr("ID number"), self.tr("Age")], "members"
        )
        self.members.doubleClicked.connect(lambda index: self._open_member(index.row()))
        row = QHBoxLayout()
        self.start_household_button = QPushButton(
            self.tr("Start a household with this client as head"), self
        )
        self.start_household_button.clicked.connect(self.start_household)
        self.add_member_button = QPushButton(self.tr("Add &member…"), self)
        self.add_member_button.clicked.connect(self.add_member)
        row.addWidget(self.start_household_button)
        row.addWidget(self.add_member_button)
        layout.addWidget(self.household_label)
        layout.addLayout(facts)
        layout.addWidget(self.members)
        layout.addLayout(row)
        return box

    def _library_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Document library (attached once, reused by every case)"), self)
        layout = QVBoxLayout(box)
        self.library = self._table(
            [self.tr("Kind"), self.tr("Title"), self.tr("Size"), self.tr("Added")], "library"
        )
        self.library.doubleClicked.connect(lambda index: self.open_document(index.row()))
        row = QHBoxLayout()
        self.kind = QComboBox(self)
        self.kind.setObjectName("libraryKind")
        for key, name in self._doc_kinds().items():
            self.kind.addItem(name, key)
        attach = QPushButton(self.tr("&Attach scan…"), self)
        attach.setObjectName("attachScan")
        attach.clicked.connect(self.attach)
        remove = QPushButton(self.tr("Remove"), self)
        remove.clicked.connect(self.remove_selected)
        row.addWidget(self.kind, 1)
        row.addWidget(attach)
        row.addWidget(remove)
        layout.addWidget(self.library)
        layout.addLayout(row)
        return box

    def _cases_box(self) -> QGroupBox:
        """The client's cases, newest first; a double click opens one."""
        box = QGroupBox(self.tr("Cases of this client"), self)
        headers = [
            self.tr("Case no."),
            self.tr("Service item"),
            self.tr("Status"),
            self.tr("Entrusted on"),
        ]
        self.cases = self._table(headers, "clientCases")
        self.cases.doubleClicked.connect(lambda index: self._open_case(index.row()))
        QVBoxLayout(box).addWidget(self.cases)
        return box

    def _open_case(self, row: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.cases):
            self.ctx.nav.open_case(self.data.cases[row].id)

    def _doc_kinds(self) -> dict[str, str]:
        catalog = self.ctx.catalog
        if catalog is not None and catalog.meta is not None:
            return dict(catalog.meta.doc_kinds)
        return {
            "id_card": "居民身份证",
            "household_register": "居民户口簿",
            "bank_card": "银行卡或存折",
            "photo": "近期免冠照片",
        }

    # -- loading and showing ----------------------------------------------------------------------
    def reload(self) -> None:
        client_id = self.client_id
        self.ctx.read(
            lambda session: load_profile(session, client_id),
            owner=self,
            on_done=self._show,
            on_failed=lambda _e: setattr(self, "_close_after_save", False),
        )

    def _changed(self, _changes: Change) -> None:
        """Saved here or anywhere else (another window, a sync): typed edits are kept, never overwritten."""
        if self.data is None:
            return  # the first load is still on its way
        self._refill = not self.is_dirty()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self._close_after_save = False
        self.ctx.dialogs.failure(self, exc)

    def _show(self, data: ProfileData) -> None:
        first, self._refill = self.data is None or self._refill, False
        self.data = data
        self._fill_villages(data)
        if first and data.client is not None:
            self._fill_fields(data.client)
        if first and data.client is None and self.head_id:
            self.relation.setCurrentText("")
        self._fill_household(data)
        self._fill_library(data.documents)
        _fill(
            self.cases,
            [
                (c.case_no, c.item_name, status_label(c.status), f"{c.entrusted_on:%Y-%m-%d}")
                for c in data.cases
            ],
        )
        self.setWindowTitle(data.client.name if data.client else self.tr("New client"))
        self.validate()
        if first:
            self.baseline = self.snapshot()
        self.loaded.emit()

    def _fill_villages(self, data: ProfileData) -> None:
        current = self.village.currentData() or (data.client.village_id if data.client else None)
        self.village.clear()
        self.village.addItem("", None)
        for village_id, name in data.villages:
            self.village.addItem(name, village_id)
        self.village.setCurrentIndex(max(0, self.village.findData(current)))

    def _fill_fields(self, client: Client) -> None:
        for key in ("name", "id_number", "phone", *TEXT_FIELDS):
            edit = self.edits[key]
            assert isinstance(edit, QLineEdit)
            edit.setText(getattr(client, key) or "")
        self.relation.setCurrentText(client.relation_to_head or "")
        self.org.fill(client)
        self._mask_sensitive(client)

    def _mask_sensitive(self, client: Client) -> None:
        """ID, phone and bank account show masked and read-only until "show full" (audited)."""
        for key, mask in SENSITIVE.items():
            value = getattr(client, key)
            edit = self.edits[key]
            if value and isinstance(edit, QLineEdit):
                self.hidden[key] = value
                edit.setText(mask(value))
                edit.setReadOnly(True)
        if client.id_number and client.kind == "person":
            with contextlib.suppress(DomainError):
                self._show_derived(parse_resident_id(client.id_number))
        self.show_full_button.setEnabled(bool(self.hidden))

    def show_full(self) -> None:
        """Record the full view in the audit trail, then show the numbers (and allow editing them)."""
        desk, client_id, actor = self.ctx.desk, self.client_id, self.ctx.actor_name()
        if desk is None or client_id is None or not self.hidden:
            return
        what = ",".join(sorted(self.hidden))

        def work(session: Session) -> None:
            record_view(session, "client", client_id, what, actor=actor, reason="profile")

        self.ctx.write(work, owner=self, on_done=lambda _r: self._reveal())

    def _reveal(self) -> None:
        hidden, self.hidden = self.hidden, {}
        for key, value in hidden.items():
            edit = self.edits[key]
            assert isinstance(edit, QLineEdit)
            edit.setReadOnly(False)
            edit.setText(value)
        self.show_full_button.setEnabled(False)

    def _fill_household(self, data: ProfileData) -> None:
        has = data.household is not None
        self.household_label.setText(
            self.tr("Household of %1, %2")
            .replace("%1", data.household.head_name or "")
            .replace("%2", data.household.address or "")
            if has
            else self.tr("Not in a household yet")
        )
        self.start_household_button.setVisible(not has and data.client is not None)
        self.add_member_button.setEnabled(has)
        for widget in (self.household_address, self.registration_type):
            widget.setEnabled(has)
        if has and data.household is not None:
            self.household_address.setText(data.household.address or "")
            self.registration_type.setCurrentText(data.household.registration_type or "")
        today = date.today()
        rows = [
            (
                m.name,
                m.relation_to_head or "",
                mask_id_number(m.id_number) if m.id_number else "",
                str(age_on(m.birth_date, today) or ""),
            )
            for m in data.members
        ]
        _fill(self.members, rows)

    def _fill_library(self, documents: list[ClientDocument]) -> None:
        kinds = self._doc_kinds()
        rows = [
            (
                kinds.get(d.doc_kind, d.doc_kind),
                d.title,
                f"{d.size / 1024:.0f} KB",
                d.added_at.astimezone().strftime("%Y-%m-%d"),
            )
            for d in documents
        ]
        _fill(self.library, rows)

    # -- validation as you type -------------------------------------------------------------------
    def _check_name(self, text: str) -> str:
        org = getattr(self, "org", None)  # built after the name field
        if org is not None and org.is_organisation():
            normalize_org_name(text)
            return ""
        return check_name(text)

    def _check_id(self, text: str) -> str:
        if not text.strip():
            self._show_derived(None)
            return ""
        if self.org.is_organisation():
            self._show_derived(None)
            return check_credit_code(text)
        try:
            rid = parse_resident_id(text)
        except DomainError:
            self._show_derived(None)
            raise
        self._show_derived(rid)
        return ""

    def _show_derived(self, rid: Any) -> None:
        values = {
            "sex": sex_label(rid.sex) if rid else "—",
            "birth_date": str(rid.birth_date) if rid else "—",
            "age": str(age_on(rid.birth_date, date.today())) if rid else "—",
            "birth_place": (rid.region or rid.region_code) if rid else "—",
        }
        for key, value in values.items():
            self.derived[key].setText(value)

    def field_error(self, key: str) -> str:
        if key in self.hidden:
            return ""
        edit = self.edits[key]
        assert isinstance(edit, QLineEdit)
        try:
            return edit.property("check")(edit.text())
        except DomainError as exc:
            return str(exc)

    def validate(self) -> bool:
        ok = True
        for key, label in self.errors.items():
            text = self.field_error(key)
            label.setText(text)
            label.setVisible(bool(text))
            ok = ok and not text
        self.save_button.setEnabled(ok)
        return ok

    def focus_path(self, path: str) -> None:
        """Jump to the field a fill report names (``client.phone``, ``client.household.members``…)."""
        key = PATH_TO_FIELD.get(path) or path.removeprefix("client.")
        widget = self.edits.get(key) or self.findChild(QWidget, key)
        if widget is None and key.startswith("household"):
            widget = (
                self.add_member_button
                if self.add_member_button.isEnabled()
                else self.start_household_button
            )
        if widget is not None:
            self.raise_()
            self.activateWindow()
            widget.setFocus()

    # -- saving ---------------------------------------------------------------------------------
    def client_input(self) -> ClientInput:
        text = {
            key: edit.text().strip()
            for key, edit in self.edits.items()
            if isinstance(edit, QLineEdit)
        }
        text |= self.hidden
        extra: dict[str, Any] = {key: text[key] or None for key in TEXT_FIELDS}
        extra["village_id"] = self.village.currentData()
        extra["relation_to_head"] = self.relation.currentText().strip() or None
        extra |= self.org.values()
        clear = frozenset(key for key in CLEARABLE if key in extra and extra[key] is None) | (
            {"phone"} if not text["phone"] else set()
        )
        return ClientInput(
            kind=self.org.kind(),
            name=text["name"],
            id_number=text["id_number"] or None,
            phone=text["phone"] or None,
            extra=extra,
            clear=clear,
        )

    def snapshot(self) -> tuple[Any, ...]:
        """Everything the agent can type here, to tell whether closing would lose an edit."""
        data = self.client_input()
        return (
            data.name,
            data.id_number,
            data.phone,
            sorted(data.extra.items()),
            self.household_address.text(),
            self.registration_type.currentText(),
        )

    def is_dirty(self) -> bool:
        return self.baseline is not None and self.snapshot() != self.baseline

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        """Unsaved edits are never dropped silently: 保存 / 不保存 / 取消."""
        if not self.is_dirty():
            super().closeEvent(event)
            return
        answer = self.ctx.dialogs.ask_save(
            self, self.windowTitle(), self.tr("Save the changes to this profile?")
        )
        if answer == "discard":
            self.baseline = None
            super().closeEvent(event)
            return
        event.ignore()
        if answer == "save":
            self._close_after_save = self.save()

    def save(self) -> bool:
        """Start saving; False when the fields do not pass their checks (nothing is written)."""
        if not self.validate():
            return False
        saved_state = self.snapshot()
        data, desk, actor = self.client_input(), self.ctx.desk, self.ctx.actor_name()
        assert desk is not None
        client_id, head_id = self.client_id, self.head_id
        household = (
            self.data.household.id if self.data and self.data.household else None,
            self.household_address.text(),
            self.registration_type.currentText(),
        )

        def work(session: Session) -> str:
            if client_id is None:
                head = session.get(Client, head_id) if head_id else None
                entry = (
                    member_input(head, data, data.extra.get("relation_to_head") or "其他")
                    if head
                    else data
                )
                return create_client(entry, session=session, actor=actor).id
            client = session.get(Client, client_id)
            assert client is not None
            update_client(client, data, session=session, actor=actor)
            if household[0]:
                update_household(
                    household[0],
                    session=session,
                    address=household[1],
                    registration_type=household[2],
                )
            return client.id

        self.ctx.write(
            work,
            owner=self,
            on_done=lambda cid: self._saved(cid, saved_state),
            on_failed=lambda _e: setattr(self, "_close_after_save", False),
        )
        return True

    def _saved(self, client_id: str, saved_state: tuple[Any, ...] | None = None) -> None:
        self.client_id = client_id
        self.baseline = saved_state
        self.ctx.nav.show_status(self.tr("Profile saved"), 4000)
        self.saved.emit(client_id)  # the write's change flags reload this window (and the others)
        if self._close_after_save:
            self._close_after_save = False
            self.close()

    # -- household ------------------------------------------------------------------------------
    def start_household(self) -> None:
        self._in_background(
            lambda session, client: start_household(
                client, session=session, actor=self.ctx.actor_name()
            )
        )

    def add_member(self) -> None:
        if self.client_id is None:
            return
        view = self.ctx.nav.open_client(None, head_id=self.client_id)
        self.member_views.append(view)

    def _open_member(self, row: int) -> None:
        if self.data and 0 <= row < len(self.data.members):
            self.ctx.nav.open_client(self.data.members[row].id)

    def _in_background(self, change: Callable[[Any, Client], Any]) -> None:
        client_id = self.client_id
        assert client_id is not None

        def work(session: Session) -> None:
            client = session.get(Client, client_id)
            assert client is not None
            change(session, client)

        self.ctx.write(work, owner=self)

    # -- library --------------------------------------------------------------------------------
    def attach(self) -> None:
        if self.client_id is None:
            self.ctx.dialogs.info(
                self, self.tr("Save first"), self.tr("Save the new client before attaching scans.")
            )
            return
        path = self.ctx.dialogs.open_file(self, self.tr("Attach a scan or photo"), FILE_FILTER)
        if path is None:
            return
        kind, title, ctx = self.kind.currentData(), self.kind.currentText(), self.ctx
        self._in_background(
            lambda session, client: attach_scan(
                ctx.work(session), client.id, kind, title, Path(path)
            )
        )

    def _selected_document(self, row: int | None = None) -> ClientDocument | None:
        row = self.library.currentRow() if row is None else row
        docs = self.data.documents if self.data else []
        return docs[row] if 0 <= row < len(docs) else None

    def open_document(self, row: int) -> None:
        doc = self._selected_document(row)
        if doc is None:
            return
        try:
            path = document_file(self.ctx.data.attachments, doc)
        except DomainError as exc:
            self._failed(exc)
            return
        self.ctx.open_stored(
            path, self
        )  # a decrypted copy outside the data folder on an encrypted desk

    def remove_selected(self) -> None:
        doc = self._selected_document()
        if doc is None or not self.ctx.dialogs.confirm(
            self,
            self.tr("Remove"),
            self.tr("Remove “%1” from the library?").replace("%1", doc.title),
        ):
            return
        doc_id = doc.id
        self._in_background(
            lambda session, client: remove_document(
                session.get(ClientDocument, doc_id), session=session
            )
        )


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
