"""What the hub decides itself, whatever a desk sent: who and when of events, the agent of a case,
and the order of a case step and its event within one push."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agent_desk.protocol import Op
from agent_desk.protocol.roles import HELPER_ROLES
from agent_desk.server.auth import Principal


def stamp(op: Op, who: Principal, now: datetime, *, creating: bool) -> dict[str, Any]:
    """Overwrite the stamped fields in ``op`` and return them, so the desk takes the hub's values over.
    The desk's own clock is kept beside the hub's (``desk_at``) for offline ordering."""
    stamped: dict[str, Any] = {}
    if op.entity == "case_event" and creating:
        desk_at = op.fields.get("at")
        stamped = {
            "actor": who.display_name or who.username,
            "at": now.isoformat(),
            "desk_at": desk_at if isinstance(desk_at, str) else None,
        }
    elif op.entity in ("case", "request"):
        op.fields.pop("agent_id", None)
        if creating and who.role in HELPER_ROLES:
            stamped = {"agent_id": who.user_id}
    op.fields.update(stamped)
    return stamped


def order_steps(ops: list[Any]) -> list[Any]:
    """Desks before this version queued a step as the case's change, then its event. The hub applies
    the event first (it is what moves the status), so swap such adjacent pairs of the same case: a
    case change to status S directly followed by the event that leads to S. (A newer desk queues the
    event first; its case change is then followed by the *next* step's event, which leads elsewhere.)"""
    out = list(ops)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if (
            isinstance(first, Op)
            and isinstance(second, Op)
            and first.entity == "case"
            and first.op == "upsert"
            and "status" in first.fields
            and second.entity == "case_event"
            and second.fields.get("case_id") == first.entity_id
            and second.fields.get("from_status")
            and second.fields.get("to_status") == first.fields["status"]
        ):
            out[i], out[i + 1] = second, first
    return out
