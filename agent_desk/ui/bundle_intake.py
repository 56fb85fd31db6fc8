"""一件事 intake: choose the bundle, tick each document once, open the request and all its cases.

The client's kind picks the bundles on offer (a resident's, an enterprise's). Every document kind the
bundle's items ask for is listed once; ticked means the paper is here, for every case that needs it.
"""

from __future__ import annotations

from datetime import date
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

from agent_desk.services.intake import DocumentChoice
from agent_desk.services.requests import BundleIntake, shared_kinds, start_request
from agent_desk.store.models import Client

if TYPE_CHECKING:
    from sqlmodel import Session

    from agent_desk.ui.context import DeskContext

KIND = Qt.ItemDataRole.UserRole


class BundleIntakeDialog(QWidget):
    request_created = Signal(str)

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
        layout.addWidget(buttons)
        self.resize(560, 520)
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
        for kind, name in shared_kinds(bundle, self.catalog).items():
            item = QListWidgetItem(name, self.documents)
            item.setData(KIND, kind)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.ok.setEnabled(True)

    def set_received(self, kind: str, received: bool = True) -> None:
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            if item.data(KIND) == kind:
                state = Qt.CheckState.Checked if received else Qt.CheckState.Unchecked
                item.setCheckState(state)

    def receive_all(self) -> None:
        for row in range(self.documents.count()):
            self.documents.item(row).setCheckState(Qt.CheckState.Checked)

    def intake(self) -> BundleIntake:
        docs = {}
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            here = item.checkState() == Qt.CheckState.Checked
            docs[str(item.data(KIND))] = DocumentChoice("received" if here else "missing")
        return BundleIntake(self.client_id, str(self.bundles.currentData()), docs)

    def submit(self) -> None:
        catalog, intake, actor = self.catalog, self.intake(), self.ctx.actor_name()

        def work(session: Session) -> str:
            request = start_request(
                intake, catalog, session=session, actor=actor, today=date.today()
            )
            session.flush()
            return request.id

        self.ok.setEnabled(False)
        self.ctx.write(
            work, owner=self, on_done=self._created, on_failed=lambda _e: self.ok.setEnabled(True)
        )

    def _created(self, request_id: str) -> None:
        self.request_created.emit(request_id)
        self.close()
