"""The small form a case step asks for: only what that step needs (a reason, reasons, an outcome…)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from agent_desk.core.case_flow import CaseAction
from agent_desk.ui.labels import action_label

NEEDS_NOTHING = {CaseAction.SUBMIT, CaseAction.RESUBMIT, CaseAction.APPROVE}


@dataclass
class ActionContext:
    """What the form may offer: the documents still missing, the item's common correction reasons."""

    missing_documents: list[str] = field(default_factory=list)
    outstanding_documents: list[str] = field(
        default_factory=list
    )  # required, not yet received (容缺 too)
    common_reasons: list[str] = field(default_factory=list)
    today: date = field(default_factory=date.today)


class ActionForm(QDialog):
    """One form for every step; ``payload()`` returns what ``services.cases.apply_action`` takes."""

    def __init__(
        self, action: CaseAction, context: ActionContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.action, self.context = action, context
        self.setWindowTitle(action_label(action))
        self.form = QFormLayout(self)
        self.widgets: dict[str, Any] = {}
        getattr(self, f"_build_{action.value}", self._build_confirm)()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.form.addRow(buttons)

    def _build_confirm(self) -> None:
        self.form.addRow(QLabel(self.tr("Record this step now?"), self))

    def _text(self, key: str, label: str) -> None:
        self.widgets[key] = QLineEdit(self)
        self.form.addRow(label, self.widgets[key])

    def _build_refuse_acceptance(self) -> None:
        self._text("reason", self.tr("Reason"))

    def _build_withdraw(self) -> None:
        self._text("reason", self.tr("Reason"))

    def _build_accept(self) -> None:
        if not self.context.missing_documents:
            self._build_confirm()
            return
        self.form.addRow(
            QLabel(self.tr("These documents are missing. Tick those accepted with deferral:"), self)
        )
        self.widgets["deferred"] = []
        for name in self.context.missing_documents:
            box = QCheckBox(name, self)
            when = QDateEdit(QDate(self.context.today).addDays(7), self, calendarPopup=True)
            self.widgets["deferred"].append((box, when))
            self.form.addRow(box, when)

    def _build_return_for_correction(self) -> None:
        reasons = QListWidget(self)
        for text in self.context.common_reasons:
            item = QListWidgetItem(text, reasons)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.widgets["common"] = reasons
        self.widgets["other"] = QPlainTextEdit(
            self, placeholderText=self.tr("Other reasons, one per line")
        )
        self.form.addRow(self.tr("Common reasons"), reasons)
        self.form.addRow(self.tr("Other"), self.widgets["other"])

    def _build_conclude(self) -> None:
        outcome = QComboBox(self)
        outcome.addItem(self.tr("Approved"), "approved")
        outcome.addItem(self.tr("Refused"), "refused")
        self.widgets["outcome"] = outcome
        self.form.addRow(self.tr("Outcome"), outcome)
        self._text("certificate_no", self.tr("Certificate no."))
        self._text("result", self.tr("Result"))
        self._text("reason", self.tr("Reason (when refused)"))
        self._outstanding()

    def _outstanding(self) -> None:
        """Concluding or archiving with a required document outstanding records why."""
        if not self.context.outstanding_documents:
            return
        names = "、".join(self.context.outstanding_documents)
        self.form.addRow(QLabel(self.tr("Still outstanding: %1").replace("%1", names), self))
        self._text("outstanding_reason", self.tr("Why continue without them"))

    def _build_archive(self) -> None:
        self._build_confirm()
        self._outstanding()

    def _build_deliver(self) -> None:
        method = QComboBox(self)
        methods = (
            (self.tr("Picked up in person"), "pickup"),
            (self.tr("Delivered to the door"), "agent"),
            (self.tr("By post"), "post"),
        )
        for label, value in methods:
            method.addItem(label, value)
        self.widgets["method"] = method
        self.form.addRow(self.tr("Delivery"), method)
        self._text("tracking_no", self.tr("Tracking no. (by post)"))

    def _build_follow_up(self) -> None:
        score = QSpinBox(self, minimum=1, maximum=5, value=5)
        self.widgets["satisfaction"] = score
        self.form.addRow(self.tr("Satisfaction (1–5)"), score)
        self._text("comment", self.tr("Comment"))

    def payload(self) -> dict[str, Any]:
        w = self.widgets
        out: dict[str, Any] = {}
        for key in (
            "reason",
            "result",
            "comment",
            "certificate_no",
            "tracking_no",
            "outstanding_reason",
        ):
            if key in w and w[key].text().strip():
                out[key] = w[key].text().strip()
        if "outcome" in w:
            out["outcome"] = w["outcome"].currentData()
        if "method" in w:
            out["method"] = w["method"].currentData()
        if "satisfaction" in w:
            out["satisfaction"] = w["satisfaction"].value()
        if "common" in w:
            out["reasons"] = self._reasons()
        if w.get("deferred"):
            out["deferred_documents"] = [
                {"name": box.text(), "promised_on": when.date().toPython()}
                for box, when in w["deferred"]
                if box.isChecked()
            ]
        return out

    def _reasons(self) -> list[str]:
        common = self.widgets["common"]
        chosen = [
            common.item(i).text()
            for i in range(common.count())
            if common.item(i).checkState() == Qt.CheckState.Checked
        ]
        other = [
            line.strip()
            for line in self.widgets["other"].toPlainText().splitlines()
            if line.strip()
        ]
        return chosen + other
