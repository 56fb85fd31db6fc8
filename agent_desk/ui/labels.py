"""Translatable names of statuses and actions (the core keeps Chinese labels for documents and the CLI)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent_desk.core.case_flow import CaseAction, CaseStatus

_STATUS = {
    CaseStatus.ENTRUSTED: "Entrusted", CaseStatus.ACCEPTED: "Accepted", CaseStatus.IN_PROGRESS: "In progress",
    CaseStatus.CONCLUDED: "Concluded", CaseStatus.DELIVERED: "Delivered", CaseStatus.ARCHIVED: "Archived",
    CaseStatus.NEEDS_CORRECTION: "Needs correction", CaseStatus.WITHDRAWN: "Withdrawn",
    CaseStatus.NOT_ACCEPTED: "Not accepted",
}  # fmt: skip
_ACTION = {
    "entrust": "Entrust", CaseAction.ACCEPT: "Accept", CaseAction.REFUSE_ACCEPTANCE: "Refuse to accept",
    CaseAction.SUBMIT: "Submit", CaseAction.RETURN_FOR_CORRECTION: "Return for correction",
    CaseAction.RESUBMIT: "Resubmit after correction", CaseAction.APPROVE: "Approve",
    CaseAction.CONCLUDE: "Conclude", CaseAction.DELIVER: "Deliver", CaseAction.FOLLOW_UP: "Follow-up visit",
    CaseAction.ARCHIVE: "Archive", CaseAction.WITHDRAW: "Withdraw",
}  # fmt: skip


def status_label(status: str) -> str:
    return QCoreApplication.translate("CaseStatus", _STATUS[CaseStatus(status)])


def action_label(action: str) -> str:
    key = action if action == "entrust" else CaseAction(action)
    return QCoreApplication.translate("CaseAction", _ACTION[key])


def _mark_for_lupdate() -> None:  # pragma: no cover - never called; pyside6-lupdate reads the literals
    tr = QCoreApplication.translate
    tr("CaseStatus", "Entrusted"), tr("CaseStatus", "Accepted"), tr("CaseStatus", "In progress")
    tr("CaseStatus", "Concluded"), tr("CaseStatus", "Delivered"), tr("CaseStatus", "Archived")
    tr("CaseStatus", "Needs correction"), tr("CaseStatus", "Withdrawn"), tr("CaseStatus", "Not accepted")
    tr("CaseAction", "Entrust"), tr("CaseAction", "Accept"), tr("CaseAction", "Refuse to accept")
    tr("CaseAction", "Submit"), tr("CaseAction", "Return for correction")
    tr("CaseAction", "Resubmit after correction"), tr("CaseAction", "Approve"), tr("CaseAction", "Conclude")
    tr("CaseAction", "Deliver"), tr("CaseAction", "Follow-up visit"), tr("CaseAction", "Archive")
    tr("CaseAction", "Withdraw")
