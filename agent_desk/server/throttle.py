"""Login throttling that holds under parallel requests and several hub workers.

Every login attempt first reserves a slot on three counters — the user name from this address, the
address (spraying across user names) and the user name from anywhere (a spread-out guess) — each in
ONE atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement committed on its own, before the
password is checked. A counter lets its first ``free`` attempts through at once; after that each
attempt must wait a delay that doubles up to ``cap``. An attempt arriving early is refused (429 with
Retry-After) without a password check and without being counted, so 30 parallel guesses get at most
``free`` checks, and the right password still gets in once the (short, growing) delay has passed:
nobody can lock anyone out for good. A counter idle for ``IDLE_RESET`` starts over; a successful
login clears the user's counters.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, delete, literal, update
from sqlalchemy.dialects import postgresql, sqlite

from agent_desk.server import tables as t
from agent_desk.server.errors import HubError

IDLE_RESET = 15 * 60.0  # seconds without an attempt after which a counter starts over


@dataclass(frozen=True)
class Rule:
    prefix: str
    free: int  # attempts let through at once
    first_delay: float  # seconds before the attempt after those
    cap: float  # the longest delay

    def delays(self) -> list[float]:
        """The wait after attempt n (1-based, index n-1): none up to ``free``, then doubling to ``cap``."""
        out, delay = [0.0] * (self.free - 1), self.first_delay
        while delay < self.cap:
            out.append(delay)
            delay *= 2
        return [*out, self.cap]


RULES = (
    Rule("ui", free=5, first_delay=30.0, cap=15 * 60.0),  # one user name from one address
    Rule("ip", free=10, first_delay=30.0, cap=15 * 60.0),  # one address, any user names (spraying)
    Rule("u", free=50, first_delay=10.0, cap=5 * 60.0),  # one user name from anywhere
)


def keys(username: str, ip: str) -> list[tuple[Rule, str]]:
    values = {"ui": f"{username}\x1f{ip}", "ip": ip, "u": username}
    return [(rule, f"{rule.prefix}:{values[rule.prefix]}"[:200]) for rule in RULES]


def _wait_after(attempts: Any, rule: Rule) -> Any:
    """SQL for the delay after the ``attempts``-th attempt (a CASE ladder: portable, no power())."""
    ladder = rule.delays()
    return case(
        *((attempts == n + 1, literal(d)) for n, d in enumerate(ladder)), else_=literal(ladder[-1])
    )


def _insert_for(conn: Connection) -> Callable[..., Any]:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert  # type: ignore[return-value]


def reserve(conn: Connection, rule: Rule, key: str, now: float) -> float:
    """Take one attempt on ``key``: 0 when granted, else the seconds to wait (nothing counted)."""
    c, grant = t.login_throttle.c, uuid.uuid4().hex
    stmt = _insert_for(conn)(t.login_throttle).values(
        key=key, attempts=1, next_at=now + rule.delays()[0], seen_at=now, grant=grant
    )
    cur = t.login_throttle  # in ON CONFLICT … SET, the table's columns are the row already there
    stale = cur.c.seen_at < now - IDLE_RESET
    early = (cur.c.next_at > now) & ~stale
    attempts = case((stale, 1), else_=cur.c.attempts + 1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[c.key],
        set_={
            "attempts": case((early, cur.c.attempts), else_=attempts),
            "next_at": case((early, cur.c.next_at), else_=now + _wait_after(attempts, rule)),
            "seen_at": case((early, cur.c.seen_at), else_=now),
            "grant": case((early, cur.c.grant), else_=grant),
        },
    ).returning(c.grant, c.next_at)
    row = conn.execute(stmt).one()
    return 0.0 if row.grant == grant else max(1.0, float(row.next_at) - now)


def admit(open_conn: Callable[[], Any], username: str, ip: str) -> None:
    """Reserve an attempt on every counter (each its own short transaction) or raise 429."""
    for rule, key in keys(username, ip):
        with open_conn() as conn:
            wait = reserve(conn, rule, key, time.time())
        if wait:
            minutes = max(1, round(wait / 60))
            raise HubError(
                429,
                "rate_limited",
                f"登录尝试过于频繁，请约 {minutes} 分钟后再试 (too many login attempts)",
                headers={"Retry-After": str(int(wait + 0.999))},
            )


def cleared(conn: Connection, username: str, ip: str) -> None:
    """After a successful login: the user's own counters start over; the address gets its attempt back
    (an office behind one address logs many agents in; only failures count against it)."""
    c = t.login_throttle.c
    mine = [key for rule, key in keys(username, ip) if rule.prefix != "ip"]
    conn.execute(delete(t.login_throttle).where(c.key.in_(mine)))
    refund = update(t.login_throttle).where(c.key == keys(username, ip)[1][1], c.attempts > 0)
    conn.execute(refund.values(attempts=c.attempts - 1, next_at=time.time()))
