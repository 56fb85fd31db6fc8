"""Which desks the hub serves: each device's version as its desk last said it, the county's minimum
(``min_desk_version``), and each device's last sync result for ``server devices``.

A desk says its version at login and in a header of every request (``DESK_VERSION_HEADER``), so one
upgraded while its token lives is served at once. A desk older than the minimum gets a Chinese
message to update (426), at login and on every request, and its device shows "desk_outdated" in
``server devices``. Desks older than this feature send no version: with no minimum set they are
served as before; with one set they are older than it by definition.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, or_, update

from agent_desk.protocol import DESK_VERSION_PATTERN, OpResult, version_key
from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, utcnow
from agent_desk.server.db import HubDB
from agent_desk.server.errors import HubError

log = logging.getLogger(__name__)
OUTDATED = "desk_outdated"
_VALID = re.compile(DESK_VERSION_PATTERN)
_d = t.device.c


def valid_version(text: str | None) -> str | None:
    """The version a desk sent, or None when it sent none or something that is not a version."""
    return text if text and len(text) <= 40 and _VALID.match(text) else None


def is_outdated(minimum: str | None, version: str | None) -> bool:
    return bool(minimum) and version_key(version) < version_key(minimum)


def outdated_error(minimum: str, version: str | None) -> HubError:
    shown = version or "较早的版本"
    return HubError(
        426,
        OUTDATED,
        f"代办通版本过旧（本机 {shown}），乡镇服务器要求 {minimum} 或更新的版本。"
        "请安装新版代办通后再同步；本机的数据不受影响。"
        f" (desk {version or 'unknown'} is older than the minimum {minimum})",
        facts={"min_version": minimum, "desk_version": version},
    )


def note_refused(conn: Connection, device_id: str, version: str | None) -> None:
    """Mark the device as refused for its version (written once, not at every retry)."""
    conn.execute(
        update(t.device)
        .where(
            _d.id == device_id,
            or_(_d.last_sync_result.is_(None), _d.last_sync_result != OUTDATED),
        )
        .values(desk_version=version, last_sync_at=utcnow(), last_sync_result=OUTDATED)
    )


def check_request(db: HubDB, minimum: str | None, who: Principal, sent: str | None) -> None:
    """On every authenticated request: record a version the desk now says (an upgraded desk), and
    refuse a desk older than the minimum."""
    version = valid_version(sent) or who.desk_version
    outdated = is_outdated(minimum, version)
    if version != who.desk_version or outdated:
        with db.writing() as conn:
            if outdated:
                note_refused(conn, who.device_id, version)
            else:
                conn.execute(
                    update(t.device).where(_d.id == who.device_id).values(desk_version=version)
                )
    if outdated:
        raise outdated_error(minimum or "", version)


def summary(results: Sequence[OpResult]) -> str:
    counts = {"applied": 0, "conflict": 0, "refused": 0}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return " ".join(f"{k}={v}" for k, v in counts.items())


def note_pushes(db: HubDB, pushes: Sequence[tuple[Principal, Sequence[OpResult]]]) -> None:
    """Each device's last push and its outcome, one statement for a committed group (group_commit.py).
    Bookkeeping for the operator: a failure here is logged, never a failed push."""
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {"device": who.device_id, "at": now, "result": summary(results)} for who, results in pushes
    ]
    stmt = (
        update(t.device)
        .where(_d.id == bindparam("device"))
        .values(last_sync_at=bindparam("at"), last_sync_result=bindparam("result"))
    )
    try:
        with db.writing() as conn:
            conn.execute(stmt, rows)
    except Exception as exc:  # noqa: BLE001 - the pushes are committed; only the note is lost
        log.warning("could not note the last push of %d devices: %s", len(rows), type(exc).__name__)


def describe(result: str | None) -> str:
    """The stored result as ``server devices`` prints it."""
    if not result:
        return "-"
    if result == OUTDATED:
        return "版本过旧被拒 (desk outdated)"
    counts = dict(part.split("=", 1) for part in result.split() if "=" in part)
    total = sum(int(v) for v in counts.values() if v.isdigit())
    text = f"上传 {total} 项：成功 {counts.get('applied', 0)}"
    for key, zh in (("conflict", "冲突"), ("refused", "被拒")):
        if counts.get(key, "0") != "0":
            text += f"，{zh} {counts[key]}"
    return f"{text} ({result})"
