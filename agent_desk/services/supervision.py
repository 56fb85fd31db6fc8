"""电子监察: deadline warnings and the figures of a period, as the township reads them.

Definitions (the same ones the ledger uses):

- *Volume*: cases entrusted (委托) in the period, by item and by village.
- *Concluded*: cases whose 办结 date falls in the period (approved or refused).
- *On time*: a concluded case whose 办结 date is on or before its promised date (承诺办结日期, counted
  in working days from acceptance on the official calendar). Rate = on time / concluded.
- *Working days to conclude*: working days from acceptance to 办结 (``working_days_between``), averaged.
- *Trips saved* (最多跑一次): a concluded case where the client came at most once — accepted in one visit
  (not 容缺, which brings the client back with the promised document) and never returned for
  correction (a 补正 may need the client again). Each such case is one trip saved compared with
  going to the township in person; the rate is over the concluded cases.
- *Satisfaction*: the follow-up score (1–5) of cases concluded in the period, average and distribution.
- *容缺 waiting*: cases accepted with deferral (容缺受理), not withdrawn or refused, with a deferred
  document not yet received, today; and how many of them are past the promised date.
- *Warnings*: open cases overdue (promised date before today) or due soon (today up to ``soon_days``
  working days ahead), by village and by agent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from agent_desk.core.calendar import WorkCalendar, default_calendar
from agent_desk.store import review_queries as q

SOON_DAYS = 2


@dataclass(frozen=True)
class DeadlineWarning:
    label: str
    overdue: int
    due_soon: int


@dataclass
class Figures:
    start: date
    end: date
    entrusted: int = 0
    by_item: list[tuple[str, int]] = field(default_factory=list)
    by_village: list[tuple[str, int]] = field(default_factory=list)
    concluded: int = 0
    on_time: int = 0
    avg_working_days: float | None = None
    trips_saved: int = 0
    satisfaction: dict[int, int] = field(default_factory=dict)
    deferred_waiting: int = 0
    deferred_past_promise: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.concluded if self.concluded else None

    @property
    def trips_saved_rate(self) -> float | None:
        return self.trips_saved / self.concluded if self.concluded else None

    @property
    def rated(self) -> int:
        return sum(self.satisfaction.values())

    @property
    def satisfaction_avg(self) -> float | None:
        rated = self.rated
        return sum(score * n for score, n in self.satisfaction.items()) / rated if rated else None


def _ranked(
    counts: dict[str | None, int], names: dict[str, str], unknown: str
) -> list[tuple[str, int]]:
    return sorted(
        ((names.get(key or "", key or unknown), n) for key, n in counts.items()),
        key=lambda p: (-p[1], p[0]),
    )


def period_figures(
    session: Session, start: date, end: date, *, today: date, calendar: WorkCalendar | None = None
) -> Figures:
    """Every figure of the dashboard for cases of [start, end]; index-only queries."""
    calendar = calendar or default_calendar()
    figures = Figures(start, end)
    items = q.entrusted_counts(
        session, "item_code", q.distinct_keys(session, "item_code"), start, end
    )
    village_keys = [*q.village_names(session), None]
    villages = q.entrusted_counts(session, "village_id", village_keys, start, end)
    figures.entrusted = sum(items.values())
    figures.by_item = _ranked(items, q.item_names(session, [c for c in items if c]), "-")
    figures.by_village = _ranked(villages, q.village_names(session), "未填村")
    _conclusions(figures, q.concluded_days(session, start, end), calendar)
    figures.satisfaction = q.satisfaction_counts(session, start, end)
    figures.deferred_waiting, figures.deferred_past_promise = q.deferred_waiting(session, today)
    return figures


def _conclusions(figures: Figures, days: list[q.ConcludedDay], calendar: WorkCalendar) -> None:
    spans = [d for d in days if d.accepted_on is not None]
    figures.concluded = sum(d.cases for d in days)
    figures.on_time = sum(d.on_time for d in days)
    figures.trips_saved = sum(d.once for d in days)
    counted = sum(d.cases for d in spans)
    if counted:
        total = sum(
            calendar.working_days_between(d.accepted_on, d.concluded_on) * d.cases  # type: ignore[arg-type,misc]
            for d in spans
        )
        figures.avg_working_days = total / counted


@dataclass
class Warnings:
    today: date
    soon_by: date
    by_village: list[DeadlineWarning] = field(default_factory=list)
    by_agent: list[DeadlineWarning] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(w.overdue for w in self.by_village)

    @property
    def due_soon(self) -> int:
        return sum(w.due_soon for w in self.by_village)


def deadline_warnings(
    session: Session,
    *,
    today: date,
    soon_days: int = SOON_DAYS,
    calendar: WorkCalendar | None = None,
) -> Warnings:
    """Open cases overdue or due within ``soon_days`` working days, by village and by agent."""
    calendar = calendar or default_calendar()
    soon_by = calendar.add_working_days(today, soon_days)
    overdue = q.open_due_by(session, today, None, None)
    soon = q.open_due_by(session, None, today, soon_by)
    villages, agents = q.village_names(session), q.AgentNames.load(session)
    result = Warnings(today, soon_by)
    result.by_village = _group(overdue, soon, lambda v, a: villages.get(v or "", "未填村"))
    result.by_agent = _group(overdue, soon, lambda v, a: agents.of(a, v) or "未登记代办员")
    return result


def _group(
    overdue: list[tuple[str | None, str | None, int]],
    soon: list[tuple[str | None, str | None, int]],
    label: object,
) -> list[DeadlineWarning]:
    late, near = Counter[str](), Counter[str]()
    for rows, counter in ((overdue, late), (soon, near)):
        for village, agent, n in rows:
            counter[label(village, agent)] += n  # type: ignore[operator]
    names = sorted(set(late) | set(near), key=lambda k: (-late[k], -near[k], k))
    return [DeadlineWarning(k, late[k], near[k]) for k in names]
