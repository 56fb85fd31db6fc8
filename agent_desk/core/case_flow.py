"""The case (办件) lifecycle of DESIGN.md §2 as a pure state machine.

委托 → 受理 (maybe 容缺) → 办理中 → 办结 (准予/不予) → 送达 → 归档, with 回访 after delivery and
the side paths 补正, 撤回 and 不予受理. ``plan_transition`` checks that an action is allowed in the
current status and that its payload carries what the step needs (the "why" of the event); the
services layer adds who and when and stores the event.

Payload rule: known keys are checked and normalised (strings stripped, dates parsed, enums coerced);
any other keys are passed through untouched, because they belong to the services layer (hand-over
batch, department, attachments …). Optional free text that is blank is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from agent_desk.core.errors import DomainError

__all__ = [
    "OPEN_STATUSES",
    "CaseAction",
    "CaseOutcome",
    "CaseStatus",
    "DeliveryMethod",
    "ForbiddenTransition",
    "MissingRequirement",
    "Transition",
    "allowed_actions",
    "is_terminal",
    "plan_transition",
]


class CaseStatus(StrEnum):
    """Where a case stands; the value is stored, the Chinese label is shown."""

    ENTRUSTED = "entrusted"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    CONCLUDED = "concluded"
    DELIVERED = "delivered"
    ARCHIVED = "archived"
    NEEDS_CORRECTION = "needs_correction"
    WITHDRAWN = "withdrawn"
    NOT_ACCEPTED = "not_accepted"

    @property
    def label_zh(self) -> str:
        """Chinese label for the UI and printed ledgers."""
        return STATUS_LABELS[self]


class CaseAction(StrEnum):
    """What a person does to a case; each action is recorded as an event."""

    ACCEPT = "accept"
    REFUSE_ACCEPTANCE = "refuse_acceptance"
    SUBMIT = "submit"
    RETURN_FOR_CORRECTION = "return_for_correction"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    CONCLUDE = "conclude"
    DELIVER = "deliver"
    FOLLOW_UP = "follow_up"
    ARCHIVE = "archive"
    WITHDRAW = "withdraw"

    @property
    def label_zh(self) -> str:
        """Chinese label for buttons and the event history."""
        return ACTION_LABELS[self]


class CaseOutcome(StrEnum):
    """Result of a concluded case."""

    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label_zh(self) -> str:
        """Chinese label (准予 / 不予)."""
        return OUTCOME_LABELS[self]


class DeliveryMethod(StrEnum):
    """How the result reached the client."""

    PICKUP = "pickup"
    AGENT = "agent"
    POST = "post"

    @property
    def label_zh(self) -> str:
        """Chinese label (自取 / 代办员送达 / 邮寄)."""
        return DELIVERY_LABELS[self]


STATUS_LABELS: Mapping[CaseStatus, str] = MappingProxyType(
    {
        CaseStatus.ENTRUSTED: "委托",
        CaseStatus.ACCEPTED: "受理",
        CaseStatus.IN_PROGRESS: "办理中",
        CaseStatus.CONCLUDED: "办结",
        CaseStatus.DELIVERED: "送达",
        CaseStatus.ARCHIVED: "归档",
        CaseStatus.NEEDS_CORRECTION: "补正",
        CaseStatus.WITHDRAWN: "撤回",
        CaseStatus.NOT_ACCEPTED: "不予受理",
    }
)
ACTION_LABELS: Mapping[CaseAction, str] = MappingProxyType(
    {
        CaseAction.ACCEPT: "受理",
        CaseAction.REFUSE_ACCEPTANCE: "不予受理",
        CaseAction.SUBMIT: "报送",
        CaseAction.RETURN_FOR_CORRECTION: "退回补正",
        CaseAction.RESUBMIT: "补正后重新报送",
        CaseAction.APPROVE: "审核通过",
        CaseAction.CONCLUDE: "办结",
        CaseAction.DELIVER: "送达",
        CaseAction.FOLLOW_UP: "回访",
        CaseAction.ARCHIVE: "归档",
        CaseAction.WITHDRAW: "撤回",
    }
)
OUTCOME_LABELS: Mapping[CaseOutcome, str] = MappingProxyType(
    {CaseOutcome.APPROVED: "准予", CaseOutcome.REFUSED: "不予"}
)
DELIVERY_LABELS: Mapping[DeliveryMethod, str] = MappingProxyType(
    {
        DeliveryMethod.PICKUP: "自取",
        DeliveryMethod.AGENT: "代送上门",
        DeliveryMethod.POST: "邮政寄递",
    }
)
# Labels earlier versions printed and stored, still understood when typed or synced.
LEGACY_DELIVERY_LABELS: Mapping[str, DeliveryMethod] = MappingProxyType(
    {
        "代办员送达": DeliveryMethod.AGENT,
        "申请人自取": DeliveryMethod.PICKUP,
        "邮寄": DeliveryMethod.POST,
        "邮寄送达": DeliveryMethod.POST,
    }
)

OPEN_STATUSES: frozenset[CaseStatus] = frozenset(
    {
        CaseStatus.ENTRUSTED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.NEEDS_CORRECTION,
    }
)
"""Statuses whose deadline still runs (the case board's overdue warnings apply to these)."""

_S, _A = CaseStatus, CaseAction
_SAME = None  # target marker: the action is recorded but the status does not change

# action -> {from status: to status (None = unchanged)}
_TRANSITIONS: Mapping[CaseAction, Mapping[CaseStatus, CaseStatus | None]] = {
    _A.ACCEPT: {_S.ENTRUSTED: _S.ACCEPTED},
    _A.REFUSE_ACCEPTANCE: {_S.ENTRUSTED: _S.NOT_ACCEPTED},
    _A.SUBMIT: {_S.ACCEPTED: _S.IN_PROGRESS},
    _A.RETURN_FOR_CORRECTION: {
        _S.ACCEPTED: _S.NEEDS_CORRECTION,
        _S.IN_PROGRESS: _S.NEEDS_CORRECTION,
    },
    _A.RESUBMIT: {_S.NEEDS_CORRECTION: _S.IN_PROGRESS},
    _A.APPROVE: {_S.IN_PROGRESS: _SAME},
    _A.CONCLUDE: {_S.IN_PROGRESS: _S.CONCLUDED},
    _A.DELIVER: {_S.CONCLUDED: _S.DELIVERED},
    _A.FOLLOW_UP: {_S.DELIVERED: _SAME, _S.ARCHIVED: _SAME},
    _A.ARCHIVE: {
        _S.DELIVERED: _S.ARCHIVED,
        _S.WITHDRAWN: _S.ARCHIVED,
        _S.NOT_ACCEPTED: _S.ARCHIVED,
    },
    _A.WITHDRAW: {
        _S.ENTRUSTED: _S.WITHDRAWN,
        _S.ACCEPTED: _S.WITHDRAWN,
        _S.IN_PROGRESS: _S.WITHDRAWN,
        _S.NEEDS_CORRECTION: _S.WITHDRAWN,
    },
}


class ForbiddenTransition(DomainError):
    """The action does not apply to a case in this status (e.g. accepting a concluded case)."""

    def __init__(self, status: CaseStatus, action: CaseAction) -> None:
        super().__init__(
            f"状态为「{status.label_zh}」的办件不能执行「{action.label_zh}」",
            code="case.forbidden_transition",
            message_en=f"action '{action}' is not allowed for a case in status '{status}'",
        )
        self.status = status
        self.action = action


class MissingRequirement(DomainError):
    """The action needs information the payload lacks or gives in an unusable form."""

    def __init__(self, message_zh: str, *, message_en: str, field: str) -> None:
        super().__init__(
            message_zh, code="case.missing_requirement", message_en=message_en, field=field
        )


@dataclass(frozen=True)
class Transition:
    """A checked, not yet stored, step of a case: the services layer turns it into an event."""

    action: CaseAction
    from_status: CaseStatus
    to_status: CaseStatus
    payload: Mapping[str, Any]

    @property
    def changes_status(self) -> bool:
        """False for actions that are only recorded (审核通过, 回访)."""
        return self.from_status != self.to_status


def allowed_actions(status: CaseStatus) -> list[CaseAction]:
    """Actions the UI may offer for a case in ``status``, in lifecycle order."""
    status = _coerce_status(status)
    return [action for action in CaseAction if status in _TRANSITIONS[action]]


def is_terminal(status: CaseStatus) -> bool:
    """True when no action can move the case to another status (only 归档).

    A closed case whose deadline no longer runs is ``status not in OPEN_STATUSES``.
    """
    status = _coerce_status(status)
    return all(target in (None, status) for target in _targets_from(status))


def plan_transition(
    status: CaseStatus, action: CaseAction, payload: Mapping[str, Any] | None = None
) -> Transition:
    """Check ``action`` against ``status`` and its payload; return the step to record."""
    status, action = _coerce_status(status), _coerce_action(action)
    targets = _TRANSITIONS[action]
    if status not in targets:
        raise ForbiddenTransition(status, action)
    if payload is not None and not isinstance(payload, Mapping):
        raise TypeError(f"payload must be a mapping, not {type(payload).__name__}")
    normalised = _NORMALISERS.get(action, _pass_through)(dict(payload or {}))
    return Transition(
        action=action,
        from_status=status,
        to_status=targets[status] or status,
        payload=MappingProxyType(normalised),
    )


def _targets_from(status: CaseStatus) -> list[CaseStatus | None]:
    """Every target status reachable in one step from ``status``."""
    return [targets[status] for targets in _TRANSITIONS.values() if status in targets]


def _coerce_status(value: object) -> CaseStatus:
    """Accept the stored string as well as the enum; unknown values are a clear error."""
    try:
        return CaseStatus(value if isinstance(value, str) else repr(value))
    except ValueError:
        raise DomainError(
            f"未知的办件状态「{value}」",
            code="case.unknown_status",
            message_en=f"unknown case status {value!r}",
        ) from None


def _coerce_action(value: object) -> CaseAction:
    """Accept the stored string as well as the enum; unknown values are a clear error."""
    try:
        return CaseAction(value if isinstance(value, str) else repr(value))
    except ValueError:
        raise DomainError(
            f"未知的办件操作「{value}」",
            code="case.unknown_action",
            message_en=f"unknown case action {value!r}",
        ) from None


# --- payload checks --------------------------------------------------------------------------


def _pass_through(payload: dict[str, Any]) -> dict[str, Any]:
    """Actions without requirements keep their payload as given."""
    return payload


def _required_text(payload: dict[str, Any], key: str, zh: str, en: str) -> None:
    """A non-blank string, stored stripped."""
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MissingRequirement(zh, message_en=en, field=key)
    payload[key] = value.strip()


def _optional_text(payload: dict[str, Any], key: str) -> None:
    """Free text: stripped, dropped when blank, refused when not a string."""
    if payload.get(key) is None:
        payload.pop(key, None)
        return
    value = payload[key]
    if not isinstance(value, str):
        raise MissingRequirement(
            f"「{key}」应为文字", message_en=f"{key!r} must be text", field=key
        )
    if value.strip():
        payload[key] = value.strip()
    else:
        del payload[key]


def _parse_promised(value: object) -> date | None:
    """A promised date: a ``date`` or an ISO ``YYYY-MM-DD`` string; anything else is missing."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _deferred_document(item: object, index: int) -> dict[str, Any]:
    """One 容缺 document: a name and the date the client promised to bring it."""
    where = f"deferred_documents[{index}]"
    if not isinstance(item, Mapping):
        raise MissingRequirement(
            "容缺材料须填写名称和承诺补交日期",
            message_en="a deferred document needs a name and a promised date",
            field=where,
        )
    doc = dict(item)
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise MissingRequirement(
            "容缺材料须填写名称", message_en="a deferred document needs a name", field=where
        )
    doc["name"] = name.strip()
    promised = _parse_promised(doc.get("promised_on"))
    if promised is None:
        raise MissingRequirement(
            f"容缺材料「{doc['name']}」须填写承诺补交日期",
            message_en=f"deferred document {doc['name']!r} needs a promised date (YYYY-MM-DD)",
            field=f"{where}.promised_on",
        )
    doc["promised_on"] = promised
    return doc


def _accept(payload: dict[str, Any]) -> dict[str, Any]:
    """容缺受理: each deferred document must carry its promised date."""
    docs = payload.get("deferred_documents")
    if docs is None:
        payload.pop("deferred_documents", None)
        return payload
    if isinstance(docs, str | bytes | Mapping) or not isinstance(docs, list | tuple):
        raise MissingRequirement(
            "容缺材料应为列表",
            message_en="deferred_documents must be a list",
            field="deferred_documents",
        )
    payload["deferred_documents"] = tuple(_deferred_document(d, i) for i, d in enumerate(docs))
    return payload


def _refuse_acceptance(payload: dict[str, Any]) -> dict[str, Any]:
    """不予受理 must tell the client why."""
    _required_text(payload, "reason", "不予受理须填写原因", "refusing acceptance needs a reason")
    return payload


def _return_for_correction(payload: dict[str, Any]) -> dict[str, Any]:
    """补正通知: the agent must know what to fix, one reason per line."""
    reasons = payload.get("reasons")
    valid = isinstance(reasons, list | tuple) and all(
        isinstance(r, str) and r.strip() for r in reasons
    )
    if not valid or not reasons:
        raise MissingRequirement(
            "退回补正须填写至少一条原因，且每条原因不能为空",
            message_en="returning for correction needs at least one non-blank reason",
            field="reasons",
        )
    payload["reasons"] = tuple(r.strip() for r in reasons)
    return payload


def _approve(payload: dict[str, Any]) -> dict[str, Any]:
    """审核通过 may carry the reviewer's comment."""
    _optional_text(payload, "comment")
    return payload


def _conclude(payload: dict[str, Any]) -> dict[str, Any]:
    """办结 records the outcome; a refusal must say why (the client will ask)."""
    given = payload.get("outcome")
    try:
        outcome = CaseOutcome(given if isinstance(given, str) else repr(given))
    except ValueError:
        raise MissingRequirement(
            "办结须选择结果：准予或不予",
            message_en="concluding needs an outcome: 'approved' or 'refused'",
            field="outcome",
        ) from None
    payload["outcome"] = outcome
    _optional_text(payload, "certificate_no")
    if outcome is CaseOutcome.REFUSED:
        _required_text(
            payload, "reason", "办结结果为「不予」时须填写原因", "a refused outcome needs a reason"
        )
    else:
        _optional_text(payload, "reason")
    return payload


def _deliver(payload: dict[str, Any]) -> dict[str, Any]:
    """送达 may say how (by value ``post`` or label ``邮政寄递``); by post it names the tracking number."""
    method = payload.get("method")
    _optional_text(payload, "tracking_no")
    if method is None:
        payload.pop("method", None)
        return payload
    by_label = {label: m for m, label in DELIVERY_LABELS.items()} | dict(LEGACY_DELIVERY_LABELS)
    try:
        payload["method"] = by_label.get(method) or DeliveryMethod(method)
    except (ValueError, TypeError):
        raise MissingRequirement(
            "送达方式应为：自取、代送上门或邮政寄递",
            message_en="delivery method must be 'pickup', 'agent' or 'post'",
            field="method",
        ) from None
    if payload["method"] is DeliveryMethod.POST and not payload.get("tracking_no"):
        raise MissingRequirement(
            "邮政寄递须填写邮件号（快递单号）",
            message_en="delivery by post needs a tracking number",
            field="tracking_no",
        )
    return payload


def _follow_up(payload: dict[str, Any]) -> dict[str, Any]:
    """回访: satisfaction is an int 1–5 (no bools, no strings — the UI sends a number)."""
    score = payload.get("satisfaction")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise MissingRequirement(
            "回访须填写满意度（1 至 5 的整数）",
            message_en="a follow-up needs a satisfaction score, an integer from 1 to 5",
            field="satisfaction",
        )
    _optional_text(payload, "comment")
    return payload


def _withdraw(payload: dict[str, Any]) -> dict[str, Any]:
    """撤回 records the client's reason."""
    _required_text(payload, "reason", "撤回须填写原因", "withdrawing needs a reason")
    return payload


_NORMALISERS: Mapping[CaseAction, Callable[[dict[str, Any]], dict[str, Any]]] = {
    CaseAction.ACCEPT: _accept,
    CaseAction.REFUSE_ACCEPTANCE: _refuse_acceptance,
    CaseAction.RETURN_FOR_CORRECTION: _return_for_correction,
    CaseAction.APPROVE: _approve,
    CaseAction.CONCLUDE: _conclude,
    CaseAction.DELIVER: _deliver,
    CaseAction.FOLLOW_UP: _follow_up,
    CaseAction.WITHDRAW: _withdraw,
}
