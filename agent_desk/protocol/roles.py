"""Who may write what: one table per role, and the fields the hub stamps itself.

Agents keep clients, households, scans and their cases' documents, and move their cases through
the agent's steps. Reviewers decide (approve, return for correction) and write nothing an agent
owns. A case's status and the facts that follow from its steps (review state, returns, outcome,
satisfaction) change only through case events, which the hub checks against ``core.case_flow``.
Who and when of an event, and the agent of a case, come from the token and the hub's clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent_desk.core.case_flow import CaseAction
from agent_desk.core.errors import DomainError
from agent_desk.protocol.values import LABELS, RECORDED_ACTIONS

REVIEW_ACTIONS = frozenset({CaseAction.APPROVE.value, CaseAction.RETURN_FOR_CORRECTION.value})
AGENT_ACTIONS = frozenset(a.value for a in CaseAction) - REVIEW_ACTIONS | frozenset(
    RECORDED_ACTIONS
)
# Fields of a case that only its events change (the hub derives them when it applies an event).
DERIVED = {
    "case": frozenset({"status", "review_state", "returned_count", "outcome", "satisfaction"})
}
# Fields the hub sets from the token and its clock, whatever the desk sent.
STAMPED = {
    "case_event": frozenset({"actor", "at"}),
    "case": frozenset({"agent_id"}),
    "request": frozenset({"agent_id"}),
}
# What a reviewer may change of an agent's records: which village of the township holds them (a move).
TOWNSHIP_FIELDS = {e: frozenset({"village_id"}) for e in ("household", "client", "request", "case")}
AGENT_ENTITIES = frozenset(
    {"household", "client", "client_document", "request", "case", "case_document"}
)
APPEND_ONLY = frozenset({"case_event"})
NO_DELETE = frozenset({"case", "case_event"})
ROLE_LABELS = {
    "agent": "代办员",
    "chief_officer": "首席服务官",
    "reviewer": "审核人员",
    "admin": "管理员",
}
# Roles with the agent's workspace: a village agent, and a chief service officer (首席服务官) who
# serves a whole township or county hall (scope by township or county, not by village).
HELPER_ROLES = frozenset({"agent", "chief_officer"})


class Forbidden(DomainError):
    """The caller's role may not make this change."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="forbidden")


def actions_for(role: str) -> frozenset[str]:
    if role == "admin":
        return AGENT_ACTIONS | REVIEW_ACTIONS
    return REVIEW_ACTIONS if role == "reviewer" else AGENT_ACTIONS


def check_write(
    role: str, entity: str, op: str, fields: Mapping[str, Any], *, exists: bool
) -> None:
    """Refuse a change ``role`` may not make; derived and stamped fields are checked by the caller."""
    who = ROLE_LABELS.get(role, role)
    if op == "delete" and entity in NO_DELETE:
        raise Forbidden(f"「{_entity_label(entity)}」不能删除（办件请用撤回）")
    if entity in APPEND_ONLY:
        if exists or op == "delete":
            raise Forbidden("办件过程记录只能新增，不能修改")
        action = fields.get("action")
        if action not in actions_for(role):
            raise Forbidden(f"{who}不能执行「{action}」操作")
        return
    if (role in HELPER_ROLES or role == "admin") and entity in AGENT_ENTITIES:
        return
    touched = set(fields) - DERIVED.get(entity, frozenset()) - STAMPED.get(entity, frozenset())
    if (
        role == "reviewer"
        and exists
        and op == "upsert"
        and touched <= TOWNSHIP_FIELDS.get(entity, frozenset())
    ):
        return  # the derived fields of its own decision, or a move to another village of the township
    names = "、".join(LABELS.get(f, f) for f in sorted(touched)) or _entity_label(entity)
    raise Forbidden(f"{who}不能修改「{names}」")


def _entity_label(entity: str) -> str:
    return {
        "household": "户",
        "client": "委托人",
        "client_document": "材料库",
        "case": "办件",
        "request": "一件事",
        "case_document": "办件材料",
        "case_event": "办件过程记录",
    }.get(entity, entity)
