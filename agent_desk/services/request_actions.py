"""Steps on a 一件事 as a whole: the applicant withdraws it, a reviewer decides its cases on one screen.

Each step is the single case's step, case by case, through ``cases.apply_action`` and
``review``: the same state machine, the same events and outbox entries, and the hub checks every op
by role as it does for a single case. The desk refuses first, with the same rule
(``protocol.roles.actions_for``), so a reviewer's desk never queues a withdrawal the hub would refuse.
The caller commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from agent_desk.core.case_flow import OPEN_STATUSES, CaseAction, CaseStatus, allowed_actions
from agent_desk.core.errors import DomainError
from agent_desk.protocol.roles import ROLE_LABELS, actions_for
from agent_desk.services.cases import apply_action
from agent_desk.services.requests import RequestView, load_request
from agent_desk.store.models import Case, Request, utcnow

REVIEW_STEPS = (CaseAction.APPROVE, CaseAction.RETURN_FOR_CORRECTION)
OPEN = frozenset(s.value for s in OPEN_STATUSES)


def _may(role: str, action: CaseAction) -> None:
    if action.value not in actions_for(role):
        who = ROLE_LABELS.get(role, role or "当前用户")
        raise DomainError(
            f"{who}不能执行「{action.label_zh}」操作", code="forbidden", message_en="role may not"
        )


def _open_request(session: Session, request_id: str) -> Request:
    request = session.get(Request, request_id)
    if request is None or request.deleted:
        raise DomainError(
            "找不到该一件事，可能已被删除", code="request_missing", message_en="no such request"
        )
    return request


def withdraw_request(
    request_id: str,
    reason: str,
    *,
    session: Session,
    actor: str,
    role: str,
    today: date | None = None,
) -> list[str]:
    """撤回 by the applicant: every open case withdrawn with the reason (an event each); concluded
    cases stay as they are. Returns the case numbers withdrawn."""
    _may(role, CaseAction.WITHDRAW)
    why = (reason or "").strip()
    if not why:
        raise DomainError(
            "请填写撤回原因（申请人为什么撤回）",
            code="reason_missing",
            field="reason",
            message_en="give the reason the applicant withdraws",
        )
    if len(why) > 2000:
        raise DomainError(
            "撤回原因不能超过 2000 字",
            code="reason_too_long",
            field="reason",
            message_en="the reason is longer than 2000 characters",
        )
    request = _open_request(session, request_id)
    if request.status != "open":
        state = {"completed": "已办结", "withdrawn": "已撤回"}.get(request.status, request.status)
        raise DomainError(
            f"该一件事{state}，不能再撤回",
            code="request_closed",
            message_en=f"the request is {request.status}; it cannot be withdrawn",
        )
    view = load_request(session, request_id)
    members = [m for m in view.members if m.status in OPEN]
    if not members:
        raise DomainError(
            "该一件事没有未办结的办件可以撤回",
            code="nothing_open",
            message_en="no open case of the request to withdraw",
        )
    # first: the last case to close must not mark the request completed (cases.apply_action)
    withdrawn = f"申请人撤回：{why}"
    note = f"{request.note}；{withdrawn}" if request.note else withdrawn
    request.status, request.note, request.updated_at = "withdrawn", note[:2000], utcnow()
    for member in members:
        case = session.get(Case, member.case_id)
        assert case is not None
        apply_action(
            case, CaseAction.WITHDRAW, {"reason": why}, session=session, actor=actor, today=today
        )
    return [m.case_no for m in members]


@dataclass(frozen=True)
class MemberDecisions:
    """The review steps a reviewer may take on one case of the request now."""

    case_id: str
    steps: tuple[CaseAction, ...]


@dataclass(frozen=True)
class RequestReview:
    """The whole request on the reviewer's screen: its cases, the papers collected once, the steps."""

    view: RequestView
    decisions: Mapping[str, tuple[CaseAction, ...]]  # case id → the steps available

    def steps(self, case_id: str) -> tuple[CaseAction, ...]:
        return self.decisions.get(case_id, ())


def review_steps(status: str, role: str) -> tuple[CaseAction, ...]:
    """The review steps the case's status allows and the role may take (the hub's own rule)."""
    allowed = set(allowed_actions(CaseStatus(status)))
    return tuple(a for a in REVIEW_STEPS if a in allowed and a.value in actions_for(role))


def load_request_review(session: Session, request_id: str, role: str) -> RequestReview:
    view = load_request(session, request_id)
    decisions = {m.case_id: review_steps(m.status, role) for m in view.members}
    return RequestReview(view, decisions)


def decide(
    request_id: str,
    case_id: str,
    action: CaseAction | str,
    payload: Mapping[str, Any],
    *,
    session: Session,
    actor: str,
    role: str,
    today: date | None = None,
) -> str:
    """审核通过 or 退回补正 of one case of the request, under the single case's rules."""
    from agent_desk.services.review import approve, return_case

    step = CaseAction(action)
    if step not in REVIEW_STEPS:
        raise DomainError(
            f"「{step.label_zh}」不是审核操作",
            code="not_a_review_step",
            message_en=f"{step.value} is not a review step",
        )
    _may(role, step)
    case = session.get(Case, case_id)
    if case is None or case.deleted or case.request_id != _open_request(session, request_id).id:
        raise DomainError(
            "该办件不属于这件一件事",
            code="not_in_request",
            message_en="the case is not part of this request",
        )
    if step is CaseAction.RETURN_FOR_CORRECTION:
        reasons = [str(r).strip() for r in payload.get("reasons", ()) if str(r).strip()]
        return_case(case_id, reasons, session=session, actor=actor, today=today)
    else:
        comment = payload.get("comment")
        approve(case_id, session=session, actor=actor, comment=comment, today=today)
    return case.case_no
