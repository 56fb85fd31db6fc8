"""The life of a hub account after it is created: list, disable/enable, reset the password, change
villages, list and revoke devices — and the login rules these set (forced password change, a
revoked device stays out).

Disabling a user or resetting a password revokes every token at once; a revoked device's tokens
stop working and it cannot log in again under its id (a lost laptop). Tokens also expire after
``auth.token_idle()`` without use (auth.authenticate_row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from agent_desk.core.errors import DomainError
from agent_desk.core.passwords import password_problem
from agent_desk.server import tables as t
from agent_desk.server.admin import _village_ids
from agent_desk.server.auth import hash_password, revoke, utcnow
from agent_desk.server.db import HubDB
from agent_desk.server.errors import HubError
from agent_desk.server.feed import put_hub_record

_u, _tok, _d = t.user.c, t.token.c, t.device.c


def _user_id(conn: Connection, username: str) -> str:
    user_id = conn.execute(select(_u.id).where(_u.username == username)).scalar()
    if user_id is None:
        raise DomainError(
            f"没有用户 {username}", code="unknown_user", message_en=f"no user {username}"
        )
    return str(user_id)


def list_users(db: HubDB) -> list[dict[str, Any]]:
    """Every account with its villages (codes), live tokens and the last time one was used."""
    live = (
        select(func.count())
        .where(_tok.user_id == _u.id, _tok.revoked_at.is_(None))
        .correlate(t.user)
        .scalar_subquery()
    )
    last = (
        select(func.max(_tok.last_used_at))
        .where(_tok.user_id == _u.id)
        .correlate(t.user)
        .scalar_subquery()
    )
    with db.reading() as conn:
        rows = [
            dict(r)
            for r in conn.execute(
                select(
                    _u.id,
                    _u.username,
                    _u.display_name,
                    _u.role,
                    _u.township_code,
                    _u.active,
                    _u.must_change_password,
                    live.label("tokens"),
                    last.label("last_used_at"),
                ).order_by(_u.username)
            ).mappings()
        ]
        codes = conn.execute(
            select(t.user_village.c.user_id, t.village.c.code).join(
                t.village, t.village.c.id == t.user_village.c.village_id
            )
        ).all()
    for row in rows:
        row["villages"] = sorted(code for uid, code in codes if uid == row["id"])
    return rows


def set_active(db: HubDB, username: str, active: bool) -> int:
    """Enable or disable an account; disabling revokes every token at once. Returns tokens revoked."""
    with db.writing() as conn:
        user_id = _user_id(conn, username)
        conn.execute(update(t.user).where(_u.id == user_id).values(active=active))
        return 0 if active else revoke(conn, user_id=user_id)


def reset_password(db: HubDB, username: str, temporary: str) -> int:
    """A temporary password the user must replace at the next login; every token is revoked."""
    problem = password_problem(temporary)
    if problem:
        raise DomainError(problem, code="weak_password", message_en="password too weak")
    with db.writing() as conn:
        user_id = _user_id(conn, username)
        conn.execute(
            update(t.user)
            .where(_u.id == user_id)
            .values(password_hash=hash_password(temporary), must_change_password=True)
        )
        return revoke(conn, user_id=user_id)


def set_villages(db: HubDB, username: str, codes: Sequence[str]) -> None:
    """Replace an agent's villages; desks see the new scope at the next request (scope is computed
    from these rows every time) and the desk_user record follows in the feed."""
    if not codes:
        raise DomainError("代办员至少要属于一个村 (--village)", code="agent_needs_village")
    village_ids = _village_ids(db, codes)
    with db.sequenced() as seq:
        row = seq.conn.execute(select(t.user).where(_u.username == username)).mappings().first()
        if row is None:
            raise DomainError(
                f"没有用户 {username}", code="unknown_user", message_en=f"no user {username}"
            )
        if row["role"] != "agent":
            raise DomainError("只有代办员属于村；审核员按乡镇、管理员看全部", code="not_an_agent")
        seq.conn.execute(delete(t.user_village).where(t.user_village.c.user_id == row["id"]))
        for vid in village_ids:
            seq.conn.execute(insert(t.user_village).values(user_id=row["id"], village_id=vid))
        fields = {
            "username": username,
            "display_name": row["display_name"],
            "role": "agent",
            "village_id": village_ids[0],
        }
        put_hub_record(seq, "desk_user", row["id"], village_ids[0], fields)


def list_devices(db: HubDB) -> list[dict[str, Any]]:
    """Every device with its user, last seen, desk version, last sync result, live tokens and
    whether it was revoked."""
    live = (
        select(func.count())
        .where(_tok.device_id == _d.id, _tok.revoked_at.is_(None))
        .correlate(t.device)
        .scalar_subquery()
    )
    stmt = (
        select(
            _d.id,
            _d.name,
            _d.created_at,
            _d.last_seen_at,
            _d.revoked_at,
            _d.desk_version,
            _d.last_sync_at,
            _d.last_sync_result,
            _u.username,
            live.label("tokens"),
        )
        .join(t.user, _u.id == _d.user_id)
        .order_by(_u.username, _d.created_at)
    )
    with db.reading() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def owns_device(conn: Connection, user_id: str, device_id: str) -> bool:
    return conn.execute(select(_d.user_id).where(_d.id == device_id)).scalar() == user_id


def revoke_device(db: HubDB, device_id: str) -> int:
    """A lost laptop: its tokens stop at once and it can never log in again under this id."""
    with db.writing() as conn:
        found = conn.execute(select(_d.id).where(_d.id == device_id)).scalar()
        if found is None:
            raise DomainError(
                f"没有设备 {device_id}", code="unknown_device", message_en=f"no device {device_id}"
            )
        conn.execute(update(t.device).where(_d.id == device_id).values(revoked_at=utcnow()))
        return revoke(conn, device_id=device_id)


def login_gate(
    conn: Connection, row: dict[str, Any], device_id: str | None, new_password: str | None
) -> None:
    """After the right password: a revoked device stays out; a reset password must be replaced now."""
    if (
        device_id
        and conn.execute(select(_d.revoked_at).where(_d.id == device_id)).scalar() is not None
    ):
        raise HubError(
            403, "device_revoked", "这台电脑已被管理员停用，不能再登录 (this device was revoked)"
        )
    if not row.get("must_change_password"):
        return
    if not new_password:
        raise HubError(
            403,
            "password_change_required",
            "管理员已重置您的密码：请设置一个新密码后登录 (set a new password)",
        )
    problem = password_problem(new_password)
    if problem:
        raise HubError(400, "weak_password", problem)
    conn.execute(
        update(t.user)
        .where(_u.id == row["id"])
        .values(password_hash=hash_password(new_password), must_change_password=False)
    )
