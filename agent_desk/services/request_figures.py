"""电子监察 of 一件事: requests completed, trips saved per request, on-time rate per bundle.

- *Completed*: requests whose last case closed in the period (``completed_on``).
- *Trips saved per request*: a resident asking item by item goes to each department once at least;
  with one request the agent carries them all, so each member after the first is a trip saved
  (``Request.trips_saved``, set at intake). Averaged over the completed requests.
- *On time*: a completed request finished on or before its overall deadline; rate per bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from agent_desk.store.models import Request


@dataclass(frozen=True)
class BundleRate:
    bundle: str
    completed: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.completed if self.completed else None


@dataclass
class RequestFigures:
    opened: int = 0
    completed: int = 0
    trips_saved: int = 0
    by_bundle: list[BundleRate] = field(default_factory=list)

    @property
    def trips_per_request(self) -> float | None:
        return self.trips_saved / self.completed if self.completed else None


def request_figures(session: Session, start: date, end: date) -> RequestFigures:
    """The figures of requests completed (and opened) in [start, end], grouped in SQL."""
    live = col(Request.deleted).is_(False)
    figures = RequestFigures()
    figures.opened = int(
        session.scalar(
            select(func.count())
            .select_from(Request)
            .where(live, col(Request.opened_on) >= start, col(Request.opened_on) <= end)
        )
        or 0
    )
    on_time = func.sum(case((col(Request.completed_on) <= col(Request.due_on), 1), else_=0))
    rows = session.execute(
        select(
            col(Request.bundle_name),
            func.count(),
            on_time,
            func.coalesce(func.sum(col(Request.trips_saved)), 0),
        )
        .where(
            live,
            col(Request.status) == "completed",
            col(Request.completed_on) >= start,
            col(Request.completed_on) <= end,
        )
        .group_by(col(Request.bundle_name))
        .order_by(col(Request.bundle_name))
    ).all()
    for bundle, completed, timely, trips in rows:
        figures.by_bundle.append(BundleRate(bundle, int(completed), int(timely or 0)))
        figures.completed += int(completed)
        figures.trips_saved += int(trips)
    return figures
