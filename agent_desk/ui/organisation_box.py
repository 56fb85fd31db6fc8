"""The profile's organisation part (issue 21): an enterprise's credit code, representative and contact.

Ticked, the client is an enterprise or other organisation: its number is a unified social credit
code (GB 32100), its address the registered one, and the representative who signs its 代办委托书
and the contact are kept here. The fields are the profile's own (validated as you type, saved with it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLineEdit, QWidget

from agent_desk.core.identity import parse_credit_code, parse_resident_id
from agent_desk.core.validation import normalize_phone
from agent_desk.services.clients import MAX_TEXT, ORG_FIELDS

TYPED = tuple(k for k in ORG_FIELDS if k != "legal_rep_client_id")  # the link is set by services
Line = Callable[[QFormLayout, str, str, Callable[[str], str]], QLineEdit]


def _text(text: str) -> str:
    too_long = QCoreApplication.translate("OrganisationBox", "At most %1 characters")
    return too_long.replace("%1", str(MAX_TEXT)) if len(text) > MAX_TEXT else ""


def _resident(text: str) -> str:
    if text.strip():
        parse_resident_id(text)  # a DomainError says why, in Chinese
    return ""


def _phone(text: str) -> str:
    if text.strip():
        normalize_phone(text)
    return ""


def check_credit_code(text: str) -> str:
    if text.strip():
        parse_credit_code(text)
    return ""


class OrganisationBox(QGroupBox):
    changed = Signal()

    def __init__(self, line: Line, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("organisationBox")
        self.setTitle(self.tr("Enterprise or other organisation"))
        form = QFormLayout(self)
        self.is_org = QCheckBox(
            self.tr("This client is an &organisation (unified social credit code)")
        )
        self.is_org.setObjectName("field_kind")
        self.is_org.toggled.connect(self._toggled)
        form.addRow(self.is_org)
        labels = {
            "legal_rep_name": self.tr("Legal representative"),
            "legal_rep_id_number": self.tr("Representative's ID number"),
            "contact_name": self.tr("Contact person"),
            "contact_phone": self.tr("Contact phone"),
            "business_scope": self.tr("Business scope"),
        }
        checks = {"legal_rep_id_number": _resident, "contact_phone": _phone}
        self.edits = {k: line(form, k, labels[k], checks.get(k, _text)) for k in TYPED}
        self._toggled(False)

    def _toggled(self, on: bool) -> None:
        for edit in self.edits.values():
            edit.setEnabled(on)
        self.changed.emit()

    def is_organisation(self) -> bool:
        return self.is_org.isChecked()

    def kind(self) -> str:
        return "organisation" if self.is_organisation() else "person"

    def fill(self, client: Any) -> None:
        self.is_org.setChecked(client.kind == "organisation")
        self.is_org.setEnabled(False)  # a person does not become an enterprise: a new profile
        for key, edit in self.edits.items():
            edit.setText(getattr(client, key) or "")

    def values(self) -> dict[str, Any]:
        if not self.is_organisation():
            return {}
        return {key: edit.text().strip() or None for key, edit in self.edits.items()}
