"""Demo cases in every state, with consistent event histories, documents and working-day deadlines."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from agent_desk.core.calendar import add_working_days
from agent_desk.core.case_flow import CaseAction, CaseStatus
from agent_desk.store.bulk import bulk_insert
from agent_desk.store.models import Case, CaseDocument, CaseEvent, new_id, utcnow

A, S = CaseAction, CaseStatus
AGENT, REVIEWER = "王建国", "李慧敏"
PATHS: dict[CaseStatus, tuple[CaseAction, ...]] = {
    S.ENTRUSTED: (),
    S.ACCEPTED: (A.ACCEPT,),
    S.IN_PROGRESS: (A.ACCEPT, A.SUBMIT),
    S.NEEDS_CORRECTION: (A.ACCEPT, A.SUBMIT, A.RETURN_FOR_CORRECTION),
    S.CONCLUDED: (A.ACCEPT, A.SUBMIT, A.APPROVE, A.CONCLUDE),
    S.DELIVERED: (A.ACCEPT, A.SUBMIT, A.APPROVE, A.CONCLUDE, A.DELIVER, A.FOLLOW_UP),
    S.ARCHIVED: (A.ACCEPT, A.SUBMIT, A.APPROVE, A.CONCLUDE, A.DELIVER, A.FOLLOW_UP, A.ARCHIVE),
    S.WITHDRAWN: (A.ACCEPT, A.WITHDRAW),
    S.NOT_ACCEPTED: (A.REFUSE_ACCEPTANCE,),
}
TARGETS = {
    "new": {
        S.ENTRUSTED: 35,
        S.ACCEPTED: 30,
        S.IN_PROGRESS: 25,
        S.NEEDS_CORRECTION: 5,
        S.NOT_ACCEPTED: 5,
    },
    "recent": {
        S.ACCEPTED: 6,
        S.IN_PROGRESS: 34,
        S.NEEDS_CORRECTION: 8,
        S.CONCLUDED: 18,
        S.DELIVERED: 28,
        S.WITHDRAWN: 3,
        S.NOT_ACCEPTED: 3,
    },
    "old": {
        S.ARCHIVED: 84,
        S.DELIVERED: 6,
        S.IN_PROGRESS: 1,
        S.CONCLUDED: 1,
        S.WITHDRAWN: 4,
        S.NOT_ACCEPTED: 4,
    },
}
CORRECTION_REASONS = (
    "户口簿复印件不清晰，请重新复印",
    "申请表缺少申请人签字",
    "银行卡号与户名不一致",
    "缺少村委会审核意见",
)
SATISFACTION = (1, 2, 3, 4, 5)
SATISFACTION_WEIGHTS = (1, 2, 7, 28, 62)


@dataclass(frozen=True)
class DemoItem:
    code: str
    name: str
    promised_days: int
    documents: tuple[tuple[str, bool, str | None], ...]  # (name, original, doc_kind)
    manual: dict[str, Any] = field(
        default_factory=dict
    )  # what the agent typed at intake (JSON values)


class _CaseMaker:
    def __init__(
        self,
        items: Sequence[DemoItem],
        rng: random.Random,
        today: date,
        agent_id: str | None = None,
    ) -> None:
        self.items, self.rng, self.today, self.agent_id = items, rng, today, agent_id
        self.now = min(utcnow(), datetime.combine(today, datetime.max.time(), UTC))
        self.item_weights = [max(1, 12 - i) for i in range(len(items))]
        self.cases: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.number = 0
        self.late: list[dict[str, str]] = []  # the current case's 容缺 document

    def make(self, client_id: str, village_id: str) -> None:
        rng = self.rng
        age = int(rng.random() ** 2.2 * 730)
        bucket = "new" if age < 4 else "recent" if age < 45 else "old"
        weights = TARGETS[bucket]
        status = rng.choices(list(weights), list(weights.values()))[0]
        item = rng.choices(self.items, self.item_weights)[0]
        entrusted = self.today - timedelta(days=age)
        self.number += 1
        case = self._case_row(client_id, village_id, item, entrusted)
        self.late = self._documents(case["id"], item, entrusted)
        case["deferred"] = bool(self.late)
        self._walk(case, PATHS[status])
        self.cases.append(case)

    def _case_row(
        self, client_id: str, village_id: str, item: DemoItem, entrusted: date
    ) -> dict[str, Any]:
        stamp = datetime.combine(entrusted, datetime.min.time(), UTC) + timedelta(hours=9)
        return {
            "id": new_id(),
            "case_no": f"DB{entrusted:%Y%m%d}{self.number:06d}",
            "client_id": client_id,
            "item_code": item.code,
            "item_name": item.name,
            "status": S.ENTRUSTED.value,
            "outcome": None,
            "village_id": village_id,
            "agent_id": self.agent_id,  # the figures credit the desk's agent
            "entrusted_on": entrusted,
            "accepted_on": None,
            "due_on": None,
            "promised_days": item.promised_days,
            "deferred": False,
            "concluded_on": None,
            "delivered_on": None,
            "result": None,
            "satisfaction": None,
            "follow_up_comment": None,
            "batch_id": None,
            "manual_fields": dict(item.manual),
            "version": 1,
            "deleted": False,
            "updated_at": stamp,
            "created_at": stamp,
        }

    def _documents(self, case_id: str, item: DemoItem, entrusted: date) -> list[dict[str, str]]:
        """The case's documents; returns the one promised later (容缺), if any, for the accept event."""
        deferred = self.rng.random() < 0.08 and len(item.documents) > 1
        promised: list[dict[str, str]] = []
        for index, (name, original, kind) in enumerate(item.documents):
            late = deferred and index == len(item.documents) - 1
            if late:
                promised.append(
                    {"name": name, "promised_on": (entrusted + timedelta(days=7)).isoformat()}
                )
            self.documents.append(
                {
                    "id": new_id(),
                    "case_id": case_id,
                    "name": name,
                    "doc_kind": kind,
                    "original": original,
                    "copies": 1,
                    "required": True,
                    "position": index,
                    "status": "deferred" if late else "received",
                    "promised_on": entrusted + timedelta(days=7) if late else None,
                    "client_document_id": None,
                    "version": 1,
                    "deleted": False,
                    "updated_at": utcnow(),
                }
            )
        return promised

    def _walk(self, case: dict[str, Any], actions: tuple[CaseAction, ...]) -> None:
        day = case["entrusted_on"]
        self._event(case, None, S.ENTRUSTED, "entrust", day, None, {})
        for action in actions:
            day = min(self.today, day + timedelta(days=self.rng.choice((0, 1, 1, 2, 3, 5))))
            self._apply(case, action, day)

    def _apply(self, case: dict[str, Any], action: CaseAction, day: date) -> None:
        before = S(case["status"])
        after, reason, payload = self._effects(case, action, day)
        case["status"] = after.value
        actor = REVIEWER if action in (A.APPROVE, A.RETURN_FOR_CORRECTION) else AGENT
        self._event(case, before, after, action.value, day, reason, payload, actor)
        case["updated_at"] = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=15)

    def _effects(
        self, case: dict[str, Any], action: CaseAction, day: date
    ) -> tuple[CaseStatus, str | None, dict[str, Any]]:
        rng, status = self.rng, S(case["status"])
        if action is A.ACCEPT:
            case["accepted_on"] = day
            case["due_on"] = add_working_days(day, case["promised_days"])
            return S.ACCEPTED, None, {"deferred_documents": self.late} if self.late else {}
        if action is A.RETURN_FOR_CORRECTION:
            reasons = rng.sample(CORRECTION_REASONS, rng.choice((1, 1, 2)))
            return S.NEEDS_CORRECTION, "；".join(reasons), {"reasons": reasons}
        if action is A.CONCLUDE:
            approved = rng.random() < 0.93
            case["outcome"] = "approved" if approved else "refused"
            case["concluded_on"] = day
            case["result"] = "准予办理" if approved else None
            return S.CONCLUDED, None if approved else "不符合申请条件", {"outcome": case["outcome"]}
        if action is A.DELIVER:
            case["delivered_on"] = day
            return S.DELIVERED, None, {"method": rng.choice(("pickup", "agent", "agent"))}
        if action is A.FOLLOW_UP:
            case["satisfaction"] = rng.choices(SATISFACTION, SATISFACTION_WEIGHTS)[0]
            return status, None, {"satisfaction": case["satisfaction"]}
        if action is A.WITHDRAW:
            return S.WITHDRAWN, "委托人不再申请", {}
        if action is A.REFUSE_ACCEPTANCE:
            return S.NOT_ACCEPTED, "不属于本事项受理范围", {}
        targets = {A.SUBMIT: S.IN_PROGRESS, A.APPROVE: S.IN_PROGRESS, A.ARCHIVE: S.ARCHIVED}
        return targets[action], None, {}

    def _event(
        self,
        case: dict[str, Any],
        before: CaseStatus | None,
        after: CaseStatus,
        action: str,
        day: date,
        reason: str | None,
        payload: dict[str, Any],
        actor: str = AGENT,
    ) -> None:
        # Office hours, later steps of the same day later in the day, so a history sorts in order.
        step = case.setdefault("_steps", 0)
        case["_steps"] = step + 1
        at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
            hours=8, minutes=30 + 40 * step + self.rng.randrange(30)
        )
        at = min(
            at, self.now - timedelta(minutes=60 - step)
        )  # today's steps happened before now, in order
        self.events.append(
            {
                "id": new_id(),
                "case_id": case["id"],
                "action": action,
                "from_status": before.value if before else None,
                "to_status": after.value,
                "actor": actor,
                "at": at,
                "reason": reason,
                "payload": payload,
                "version": 1,
                "deleted": False,
                "updated_at": at,
            }
        )

    def flush(self, session: Session) -> None:
        for case in self.cases:
            case.pop("_steps", None)
        bulk_insert(session, Case, self.cases)
        bulk_insert(session, CaseEvent, self.events)
        bulk_insert(session, CaseDocument, self.documents)
        self.cases, self.events, self.documents = [], [], []


def _pick_clients(
    rng: random.Random, clients: Sequence[tuple[str, str]], count: int
) -> Iterator[tuple[str, str]]:
    for _ in range(count):
        yield clients[rng.randrange(len(clients))]


def seed_cases(
    session: Session,
    items: Sequence[DemoItem],
    clients: Sequence[tuple[str, str]],
    count: int,
    *,
    rng: random.Random,
    today: date,
    agent_id: str | None = None,
) -> dict[str, int]:
    """Generate ``count`` cases over the given (client id, village id) pairs, each taken in by
    ``agent_id``; flushed in chunks."""
    if not items or not clients or count <= 0:
        return {"cases": 0, "events": 0, "documents": 0}
    maker = _CaseMaker(items, rng, today, agent_id)
    totals = {"cases": 0, "events": 0, "documents": 0}
    for client_id, village_id in _pick_clients(rng, clients, count):
        maker.make(client_id, village_id)
        if len(maker.cases) >= 20_000:
            _tally(totals, maker)
            maker.flush(session)
    _tally(totals, maker)
    maker.flush(session)
    return totals


def _tally(totals: dict[str, int], maker: _CaseMaker) -> None:
    totals["cases"] += len(maker.cases)
    totals["events"] += len(maker.events)
    totals["documents"] += len(maker.documents)
