"""Translatable names of statuses and actions (the core keeps Chinese labels for documents and the CLI)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from agent_desk.core.case_flow import CaseAction, CaseStatus
from agent_desk.ui.messages import in_ui_language

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


# What the 同步 page names: a synced record's kind and a field in conflict (the hub's codes).
_ENTITY = {
    "village": "Village",
    "desk_user": "Desk user",
    "household": "Household",
    "client": "Client",
    "client_document": "Client's document",
    "request": "Request",
    "case": "Case",
    "case_document": "Case document",
    "case_event": "Case event",
}
_FIELD = {
    "name": "Name",
    "id_number": "ID number",
    "sex": "Sex",
    "birth_date": "Date of birth",
    "phone": "Phone",
    "address": "Address",
    "village_id": "Village",
    "household_id": "Household",
    "status": "Status",
    "outcome": "Outcome",
    "satisfaction": "Satisfaction",
    "review_state": "Review state",
    "returned_count": "Times returned",
    "action": "Action",
    "from_status": "Status before",
    "to_status": "Status after",
    "actor": "Handled by",
    "at": "Time",
    "payload": "Details",
    "reason": "Reason",
    "doc_kind": "Document kind",
    "sha256": "Attachment number",
    "mime": "File type",
    "size": "File size",
    "promised_days": "Promised days",
    "due_on": "Due date",
    "case_no": "Case number",
    "item_code": "Item code",
    "item_name": "Item name",
    "manual_fields": "Handwritten fields",
    "agent_id": "Agent",
    "client_id": "Client",
    "case_id": "Case",
    "copies": "Copies",
    "position": "Order",
    "promised_on": "Promised date",
    "kind": "Kind",
}
_DEADLINE_MOVED = re.compile(r"^办结期限因放假安排调整由 (\S+) 改为 (\S+)$")


def entity_label(entity: str) -> str:
    """A synced record's kind; one this version does not know (a newer hub) shows as is."""
    return (
        QCoreApplication.translate("SyncRecord", _ENTITY[entity]) if entity in _ENTITY else entity
    )


def field_label(name: str) -> str:
    """A synced field's name in the UI's language; an unknown one shows as its code."""
    return QCoreApplication.translate("SyncField", _FIELD[name]) if name in _FIELD else name


def event_reason(reason: str) -> str:
    """An event's reason: what the desk wrote itself in the UI's language, what a person typed as typed."""
    moved = _DEADLINE_MOVED.match(reason)
    if moved is not None:
        text = QCoreApplication.translate(
            "Labels", "Due date moved from %1 to %2 by the holiday schedule"
        )
        return text.replace("%1", moved[1]).replace("%2", moved[2])
    return in_ui_language(reason)


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
    QCoreApplication.translate("SyncRecord", "Village")
    QCoreApplication.translate("SyncRecord", "Desk user")
    QCoreApplication.translate("SyncRecord", "Household")
    QCoreApplication.translate("SyncRecord", "Client")
    QCoreApplication.translate("SyncRecord", "Client's document")
    QCoreApplication.translate("SyncRecord", "Request")
    QCoreApplication.translate("SyncRecord", "Case")
    QCoreApplication.translate("SyncRecord", "Case document")
    QCoreApplication.translate("SyncRecord", "Case event")
    QCoreApplication.translate("SyncField", "Name")
    QCoreApplication.translate("SyncField", "ID number")
    QCoreApplication.translate("SyncField", "Sex")
    QCoreApplication.translate("SyncField", "Date of birth")
    QCoreApplication.translate("SyncField", "Phone")
    QCoreApplication.translate("SyncField", "Address")
    QCoreApplication.translate("SyncField", "Village")
    QCoreApplication.translate("SyncField", "Household")
    QCoreApplication.translate("SyncField", "Status")
    QCoreApplication.translate("SyncField", "Outcome")
    QCoreApplication.translate("SyncField", "Satisfaction")
    QCoreApplication.translate("SyncField", "Review state")
    QCoreApplication.translate("SyncField", "Times returned")
    QCoreApplication.translate("SyncField", "Action")
    QCoreApplication.translate("SyncField", "Status before")
    QCoreApplication.translate("SyncField", "Status after")
    QCoreApplication.translate("SyncField", "Handled by")
    QCoreApplication.translate("SyncField", "Time")
    QCoreApplication.translate("SyncField", "Details")
    QCoreApplication.translate("SyncField", "Reason")
    QCoreApplication.translate("SyncField", "Document kind")
    QCoreApplication.translate("SyncField", "Attachment number")
    QCoreApplication.translate("SyncField", "File type")
    QCoreApplication.translate("SyncField", "File size")
    QCoreApplication.translate("SyncField", "Promised days")
    QCoreApplication.translate("SyncField", "Due date")
    QCoreApplication.translate("SyncField", "Case number")
    QCoreApplication.translate("SyncField", "Item code")
    QCoreApplication.translate("SyncField", "Item name")
    QCoreApplication.translate("SyncField", "Handwritten fields")
    QCoreApplication.translate("SyncField", "Agent")
    QCoreApplication.translate("SyncField", "Client")
    QCoreApplication.translate("SyncField", "Case")
    QCoreApplication.translate("SyncField", "Copies")
    QCoreApplication.translate("SyncField", "Order")
    QCoreApplication.translate("SyncField", "Promised date")
    QCoreApplication.translate("SyncField", "Kind")
    QCoreApplication.translate("Labels", "Due date moved from %1 to %2 by the holiday schedule")
