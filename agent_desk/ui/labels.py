"""Translatable names of statuses and actions (the core keeps Chinese labels for documents and the CLI)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent_desk.core.case_flow import CaseAction, CaseStatus

_STATUS = {
    CaseStatus.ENTRUSTED: "Entrusted",
    CaseStatus.ACCEPTED: "Accepted",
    CaseStatus.IN_PROGRESS: "In progress",
    CaseStatus.CONCLUDED: "Concluded",
    CaseStatus.DELIVERED: "Delivered",
    CaseStatus.ARCHIVED: "Archived",
    CaseStatus.NEEDS_CORRECTION: "Needs correction",
    CaseStatus.WITHDRAWN: "Withdrawn",
    CaseStatus.NOT_ACCEPTED: "Not accepted",
}
_ACTION = {
    "entrust": "Entrust",
    CaseAction.ACCEPT: "Accept",
    CaseAction.REFUSE_ACCEPTANCE: "Refuse to accept",
    CaseAction.SUBMIT: "Submit",
    CaseAction.RETURN_FOR_CORRECTION: "Return for correction",
    CaseAction.RESUBMIT: "Resubmit after correction",
    CaseAction.APPROVE: "Approve",
    CaseAction.CONCLUDE: "Conclude",
    CaseAction.DELIVER: "Deliver",
    CaseAction.FOLLOW_UP: "Follow-up visit",
    CaseAction.ARCHIVE: "Archive",
    CaseAction.WITHDRAW: "Withdraw",
    "deadline_adjusted": "Due date adjusted",  # a calendar publication moved it (services.deadlines)
    "document_handed_on": "Document from another case of the request",  # services.requests
}


_ACTIONS = {a.value: a for a in CaseAction}


def status_label(status: str) -> str:
    return QCoreApplication.translate("CaseStatus", _STATUS[CaseStatus(status)])


def action_label(action: str) -> str:
    """The event's name; an action this version does not know (from a newer desk) shows as is."""
    key = action if action in _ACTION else _ACTIONS.get(action)
    return QCoreApplication.translate("CaseAction", _ACTION[key]) if key is not None else action


_DOC_STATUS = {"received": "Received", "missing": "Missing", "deferred": "Deferred"}
_SEX = {"male": "Male", "female": "Female"}


def doc_status_label(status: str, promised_on: object = None) -> str:
    """A required document's state (已收 / 缺 / 容缺), with the promised date when there is one."""
    text = (
        QCoreApplication.translate("Labels", _DOC_STATUS[status])
        if status in _DOC_STATUS
        else status
    )
    if promised_on:
        text += " " + QCoreApplication.translate("Labels", "promised %1").replace(
            "%1", str(promised_on)
        )
    return text


def sex_label(sex: str | None) -> str:
    return QCoreApplication.translate("Labels", _SEX[sex]) if sex in _SEX else ""


def original_label(original: bool) -> str:
    return QCoreApplication.translate("Labels", "Original" if original else "Copy")


def _mark_for_lupdate() -> (
    None
):  # pragma: no cover - never called; pyside6-lupdate reads the literals
    QCoreApplication.translate("CaseStatus", "Entrusted")
    QCoreApplication.translate("CaseStatus", "Accepted")
    QCoreApplication.translate("CaseStatus", "In progress")
    QCoreApplication.translate("CaseStatus", "Concluded")
    QCoreApplication.translate("CaseStatus", "Delivered")
    QCoreApplication.translate("CaseStatus", "Archived")
    QCoreApplication.translate("CaseStatus", "Needs correction")
    QCoreApplication.translate("CaseStatus", "Withdrawn")
    QCoreApplication.translate("CaseStatus", "Not accepted")
    QCoreApplication.translate("CaseAction", "Entrust")
    QCoreApplication.translate("CaseAction", "Accept")
    QCoreApplication.translate("CaseAction", "Refuse to accept")
    QCoreApplication.translate("CaseAction", "Submit")
    QCoreApplication.translate("CaseAction", "Return for correction")
    QCoreApplication.translate("CaseAction", "Resubmit after correction")
    QCoreApplication.translate("CaseAction", "Approve")
    QCoreApplication.translate("CaseAction", "Conclude")
    QCoreApplication.translate("CaseAction", "Deliver")
    QCoreApplication.translate("CaseAction", "Follow-up visit")
    QCoreApplication.translate("CaseAction", "Archive")
    QCoreApplication.translate("CaseAction", "Withdraw")
    QCoreApplication.translate("CaseAction", "Due date adjusted")
    QCoreApplication.translate("CaseAction", "Document from another case of the request")
    QCoreApplication.translate("Labels", "Received")
    QCoreApplication.translate("Labels", "Missing")
    QCoreApplication.translate("Labels", "Deferred")
    QCoreApplication.translate("Labels", "promised %1")
    QCoreApplication.translate("Labels", "Male")
    QCoreApplication.translate("Labels", "Female")
    QCoreApplication.translate("Labels", "Original")
    QCoreApplication.translate("Labels", "Copy")
