"""一件事 intake: choose the bundle, tick each document once, open the request and all its cases.

The client's kind picks the bundles on offer (a resident's, an enterprise's). Every document kind the
bundle's items ask for is listed once; ticked means the paper is here, for every case that needs it.
A paper one member produces for another (出生医学证明 for 落户) is not collected: it is handed on.
Where the bundle has one combined application (一表申请), its typed fields are asked here and it is
filled from the profile with the combined notice, as the single intake fills an item's forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_desk.fill.manual import manual_fields
from agent_desk.services.intake import DocumentChoice
from agent_desk.services.requests import BundleIntake, shared_kinds
from agent_desk.services.work import take_in_request
from agent_desk.store.models import Client
from agent_desk.ui.manual_fields import ManualFieldsForm

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.services.intake import Generated
    from agent_desk.ui.context import DeskContext

KIND = Qt.ItemDataRole.UserRole
PRODUCED = Qt.ItemDataRole.UserRole + 1  # handed on by the member that produces it: not collected


class BundleIntakeDialog(QWidget):
    request_created = Signal(str)
    papers_filled = Signal(object)  # the Generated of the 一表申请 and the notice

    def __init__(self, ctx: DeskContext, client_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.client_id = ctx, client_id
        self.catalog = ctx.catalog
        self.setObjectName("bundleIntake")
        self.setWindowTitle(self.tr("New one-stop request"))
        self.client_label = QLabel(self)
        self.bundles = QComboBox(self)
        self.bundles.setObjectName("bundleChoice")
        self.bundles.currentIndexChanged.connect(self._bundle_chosen)
        self.items_label = QLabel(self)
        self.items_label.setWordWrap(True)
        self.documents = QListWidget(self)
        self.documents.setObjectName("bundleDocuments")
        self.form_label = QLabel(self)
        self.form_label.setWordWrap(True)
        self.fields = ManualFieldsForm(self)
        self.fields.setObjectName("bundleFormFields")
        self.fields.valid_changed.connect(lambda _ok: self._enable())
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.busy = False
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(
            self.tr("&Open the request and its cases"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.close)
        self.ok.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.client_label)
        layout.addWidget(self.bundles)
        layout.addWidget(self.items_label)
        layout.addWidget(QLabel(self.tr("Documents received (each once, for every case):"), self))
        layout.addWidget(self.documents, 1)
        layout.addWidget(self.form_label)
        layout.addWidget(self.fields)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, 640)
        self._load_client()

    def _load_client(self) -> None:
        def work(session: Session) -> tuple[str, str]:
            client = session.get(Client, self.client_id)
            assert client is not None
            return client.name, client.kind

        self.ctx.read(work, on_done=self._client_loaded, owner=self)

    def _client_loaded(self, found: tuple[str, str]) -> None:
        name, kind = found
        self.client_label.setText(self.tr("Client: %1").replace("%1", name))
        self.bundles.blockSignals(True)
        for code, bundle in self.catalog.bundles.items():
            if bundle.applicant in (kind, "both"):
                self.bundles.addItem(bundle.name, code)
        self.bundles.blockSignals(False)
        self._bundle_chosen()

    def choose(self, code: str) -> None:
        self.bundles.setCurrentIndex(self.bundles.findData(code))

    def _bundle_chosen(self, *_args: Any) -> None:
        code = self.bundles.currentData()
        self.documents.clear()
        if not code:
            self.items_label.setText(self.tr("No bundle fits this client."))
            self.ok.setEnabled(False)
            return
        bundle = self.catalog.bundle(code)
        names = [
            self.catalog.item(c).short_name or self.catalog.item(c).name for c in bundle.item_codes
        ]
        self.items_label.setText(self.tr("Items: %1").replace("%1", "、".join(names)))
        produced = bundle.produced
        for kind, name in shared_kinds(bundle, self.catalog).items():
            item = QListWidgetItem(name, self.documents)
            item.setData(KIND, kind)
            if kind in produced:
                maker = self.catalog.item(produced[kind])
                item.setText(
                    self.tr("%1 — produced by %2, handed on when approved")
                    .replace("%1", name)
                    .replace("%2", maker.short_name or maker.name)
                )
                item.setData(PRODUCED, True)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                continue
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self._form_fields(bundle)
        self._enable()

    def _form_fields(self, bundle: Any) -> None:
        """The 一表申请's typed fields (the newborn's name…); none when the bundle has no such form."""
        specs = manual_fields(bundle.form) if bundle.form is not None else {}
        self.fields.set_fields(specs)
        self.fields.setVisible(bool(specs))
        self.form_label.setText(
            self.tr(
                "Combined application (%1), filled from the profile; type what it also needs:"
            ).replace("%1", bundle.form.name)
            if bundle.form is not None
            else self.tr("This bundle has no combined application; each case prints its own forms.")
        )

    def _enable(self) -> None:
        self.ok.setEnabled(
            bool(self.bundles.currentData()) and self.fields.is_valid() and not self.busy
        )

    def _collected(self) -> list[QListWidgetItem]:
        """The papers taken in at this desk (not those a member case produces)."""
        rows = (self.documents.item(r) for r in range(self.documents.count()))
        return [item for item in rows if not item.data(PRODUCED)]

    def set_received(self, kind: str, received: bool = True) -> None:
        for item in self._collected():
            if item.data(KIND) == kind:
                state = Qt.CheckState.Checked if received else Qt.CheckState.Unchecked
                item.setCheckState(state)

    def receive_all(self) -> None:
        for item in self._collected():
            item.setCheckState(Qt.CheckState.Checked)

    def intake(self) -> BundleIntake:
        docs = {}
        for item in self._collected():
            here = item.checkState() == Qt.CheckState.Checked
            docs[str(item.data(KIND))] = DocumentChoice("received" if here else "missing")
        typed = self.fields.values()
        return BundleIntake(self.client_id, str(self.bundles.currentData()), docs, typed)

    def submit(self) -> None:
        """The request and its cases recorded, then its 一表申请 and notice filled (services/work.py)."""
        ctx, intake = self.ctx, self.intake()

        def work(session: Session) -> tuple[str, Generated]:
            return take_in_request(ctx.work(session), intake)

        self.busy = True
        self._enable()
        self.status.setText(self.tr("Opening the request and filling its papers…"))
        ctx.write(work, owner=self, on_done=self._created, on_failed=self._failed)

    def _failed(self, _exc: BaseException) -> None:
        self.busy = False
        self.status.clear()
        self._enable()

    def _created(self, outcome: tuple[str, Generated]) -> None:
        request_id, result = outcome
        self.busy = False
        self.papers_filled.emit(result)
        if result.missing or result.failed:
            lacking = "、".join(dict.fromkeys(m.label for m in result.missing))
            failed = "、".join(key for key, _why in result.failed)
            text = self.tr(
                "The request is open. The combined application is not printed yet: "
                "the profile still lacks %1. Complete it, then print it from the request page."
            ).replace("%1", lacking or failed)
            self.ctx.dialogs.info(self, self.tr("New one-stop request"), text)
        self.request_created.emit(request_id)
        self.close()
