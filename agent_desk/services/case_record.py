"""What was recorded on a case, as the case screen shows it: each fact with who and when.

The steps' details live in their events (outcome, certificate number, delivery method and tracking
number, satisfaction and comment); people are shown by name, not login.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from agent_desk.core.case_flow import (
    DELIVERY_LABELS,
    LEGACY_DELIVERY_LABELS,
    OUTCOME_LABELS,
    CaseOutcome,
    DeliveryMethod,
)
from agent_desk.store.models import Case, CaseEvent, User

SATISFACTION = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不太满意", 1: "不满意"}


@dataclass(frozen=True)
class RecordedFact:
    label: str
    value: str
    by: str
    at: datetime


def people_names(
    session: Session, logins: Iterable[str], agent_id: str | None = None
) -> dict[str, str]:
    """Login (and the case's agent id) → the person's name; unknown logins stay as they are."""
    wanted = {login for login in logins if login}
    names = {
        u.username: u.display_name
        for u in session.scalars(select(User).where(col(User.username).in_(wanted)))
    }
    agent = session.get(User, agent_id) if agent_id else None
    if agent is not None:
        names[agent.id] = agent.display_name
    return names


def _delivery(method: str | None) -> str:
    try:
        return DELIVERY_LABELS[DeliveryMethod(method or "")]
    except ValueError:
        found = LEGACY_DELIVERY_LABELS.get(method or "")
        return DELIVERY_LABELS[found] if found else (method or "")


def _facts(event: CaseEvent) -> list[tuple[str, str]]:
    p = event.payload or {}
    if event.action == "conclude":
        outcome = (
            OUTCOME_LABELS.get(CaseOutcome(p["outcome"]))
            if p.get("outcome") in ("approved", "refused")
            else None
        )
        rows = [
            ("办理结果", outcome or ""),
            ("证照编号", p.get("certificate_no")),
            ("结果说明", p.get("result")),
            ("不予原因", p.get("reason")),
            ("材料未齐的原因", p.get("outstanding_reason")),
        ]
    elif event.action == "deliver":
        rows = [("送达方式", _delivery(p.get("method"))), ("邮件号", p.get("tracking_no"))]
    elif event.action == "follow_up":
        score = p.get("satisfaction")
        rows = [
            ("满意度", f"{score} 分（{SATISFACTION.get(score, '')}）" if score else ""),
            ("回访意见", p.get("comment")),
        ]
    elif event.action == "archive":
        rows = [("材料未齐的原因", p.get("outstanding_reason"))]
    else:
        rows = []
    return [(label, str(value)) for label, value in rows if value]


def recorded_facts(events: list[CaseEvent], names: dict[str, str]) -> list[RecordedFact]:
    return [
        RecordedFact(label, value, names.get(e.actor, e.actor), e.at)
        for e in events
        for label, value in _facts(e)
    ]


def agent_name(case: Case, names: dict[str, str]) -> str:
    """经办人: the case's agent by name; a case from before agents were recorded shows nobody."""
    return names.get(case.agent_id or "", "")
