"""The case state machine as the hub applies it: an event is checked against ``core.case_flow`` and
the case fields that follow from it are computed here, not taken from the desk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent_desk.core.case_flow import CaseAction, CaseStatus, plan_transition
from agent_desk.core.errors import DomainError
from agent_desk.protocol.values import RECORDED_ACTIONS

REVIEW_STATES = {
    CaseAction.SUBMIT: "waiting",
    CaseAction.RESUBMIT: "waiting",
    CaseAction.APPROVE: "approved",
    CaseAction.RETURN_FOR_CORRECTION: "returned",
}


class StepRefused(DomainError):
    """An event that is not a step the case can take now."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="step_refused")


def _label(status: str | None) -> str:
    try:
        return CaseStatus(status or "").label_zh
    except ValueError:
        return str(status)


def case_effects(event: Mapping[str, Any], case: Mapping[str, Any]) -> dict[str, Any]:
    """The case fields ``event`` sets, after checking it is a step from the case's current status."""
    action, status = str(event.get("action")), case.get("status")
    if action in RECORDED_ACTIONS:
        if event.get("to_status") != status or event.get("from_status") not in (None, status):
            raise StepRefused(f"「{action}」记录的状态与办件当前状态「{_label(status)}」不符")
        return {}
    if event.get("from_status") != status:
        raise StepRefused(
            f"办件在乡镇服务器上的状态是「{_label(status)}」，"
            f"不是「{_label(event.get('from_status'))}」，本步骤未上报；请同步后重新操作"
        )
    try:
        step = plan_transition(
            CaseStatus(str(status)), CaseAction(action), event.get("payload") or {}
        )
    except DomainError as exc:
        raise StepRefused(str(exc)) from None
    if event.get("to_status") != step.to_status.value:
        raise StepRefused(f"「{step.action.label_zh}」之后应为「{step.to_status.label_zh}」")
    return _effects(step.action, step.to_status, step.payload, case)


def _effects(
    action: CaseAction, to: CaseStatus, payload: Mapping[str, Any], case: Mapping[str, Any]
) -> dict[str, Any]:
    changes: dict[str, Any] = {"status": to.value}
    if action in REVIEW_STATES:
        changes["review_state"] = REVIEW_STATES[action]
    if action is CaseAction.RETURN_FOR_CORRECTION:
        changes["returned_count"] = int(case.get("returned_count") or 0) + 1
    if action is CaseAction.CONCLUDE:
        changes["outcome"] = str(payload["outcome"])
    if action is CaseAction.FOLLOW_UP:
        changes["satisfaction"] = payload["satisfaction"]
    return changes
