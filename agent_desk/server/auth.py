"""Accounts on the hub: argon2 passwords, bearer tokens stored only as hashes, devices, rate limits.

Scope is computed here from the hub's own tables on every request, never taken from the desk.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, Select, bindparam, func, insert, select, update

from agent_desk.server import tables as t
from agent_desk.server import throttle
from agent_desk.server.errors import unauthorized

ROLES = ("agent", "chief_officer", "reviewer", "admin")
TOKEN_IDLE_ENV = "AGENT_DESK_HUB_TOKEN_IDLE_DAYS"
TOKEN_IDLE_DAYS = 30
TOUCH_EVERY = timedelta(hours=1)
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def token_idle() -> timedelta:
    """How long an unused token stays valid: 30 days, or AGENT_DESK_HUB_TOKEN_IDLE_DAYS."""
    try:
        days = float(os.environ.get(TOKEN_IDLE_ENV) or TOKEN_IDLE_DAYS)
    except ValueError:
        days = TOKEN_IDLE_DAYS
    return timedelta(days=days if days > 0 else TOKEN_IDLE_DAYS)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)  # SQLite hands back naive UTC


def _touch(conn: Connection, bearer: str, device_id: str, now: datetime) -> None:
    """Mark the token used (its idle clock starts again) and the device seen, in a short write of its own."""
    with conn.engine.begin() as write:
        write.execute(
            update(t.token)
            .where(t.token.c.token_hash == token_hash(bearer))
            .values(last_used_at=now)
        )
        write.execute(update(t.device).where(t.device.c.id == device_id).values(last_seen_at=now))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Who is calling and what they may see: ``villages`` None means every village (admin)."""

    user_id: str
    username: str
    role: str
    device_id: str
    villages: frozenset[str] | None
    display_name: str = ""
    desk_version: str | None = None  # as the device's desk last said it (desk_versions.py)

    def can_see(self, village_id: str | None) -> bool:
        if self.villages is None:
            return True
        return village_id is not None and village_id in self.villages


def user_scope(
    conn: Connection, user_id: str, role: str, township: str | None
) -> frozenset[str] | None:
    if role == "admin":
        return None
    if role == "reviewer":
        stmt = select(t.village.c.id).where(t.village.c.township_code == (township or ""))
    elif role == "chief_officer":  # a township (9 digits) or a whole county (6 digits)
        stmt = select(t.village.c.id).where(t.village.c.township_code.startswith(township or "-"))
    else:
        stmt = select(t.user_village.c.village_id).where(t.user_village.c.user_id == user_id)
    return frozenset(conn.scalars(stmt))


_u, _tok, _uv, _v, _d = t.user.c, t.token.c, t.user_village.c, t.village.c, t.device.c
# Who holds this token, and their villages, in one round trip (built once: requests only bind the hash).
# An agent's villages are their own; a reviewer's, their township's; a chief service officer's,
# their township's or county's (township codes start with the county's); an admin's rows carry none.
_WHO = (
    select(
        _u.id,
        _u.username,
        _u.display_name,
        _u.role,
        _u.township_code,
        _u.active,
        _tok.device_id,
        _tok.revoked_at,
        func.coalesce(_uv.village_id, _v.id).label("village_id"),
        _tok.created_at.label("token_created_at"),
        _tok.last_used_at,
        _d.revoked_at.label("device_revoked_at"),
        _d.desk_version,
    )
    .select_from(
        t.token.join(t.user, _tok.user_id == _u.id)
        .join(t.device, _tok.device_id == _d.id)
        .outerjoin(t.user_village, (_uv.user_id == _u.id) & (_u.role == "agent"))
        .outerjoin(
            t.village,
            ((_u.role == "reviewer") & (_v.township_code == _u.township_code))
            | (
                (_u.role == "chief_officer")
                & (
                    func.substr(_v.township_code, 1, func.length(_u.township_code))
                    == _u.township_code
                )
            ),
        )
    )
    .where(_tok.token_hash == bindparam("token_hash"))
)


def who_statement(*extra: Any) -> Select[Any]:
    """The token query with more columns (scalar subqueries), so a request needs one round trip."""
    return _WHO.add_columns(*extra)


def authenticate(conn: Connection, bearer: str | None) -> Principal:
    """The principal behind a bearer token; a missing, unknown or revoked token is a 401."""
    return authenticate_row(conn, bearer, _WHO)[0]


def authenticate_row(
    conn: Connection, bearer: str | None, stmt: Select[Any]
) -> tuple[Principal, Row[Any]]:
    """``authenticate`` with a statement from ``who_statement``: the principal and the first row."""
    if not bearer:
        raise unauthorized("请先登录 (login required)")
    rows = conn.execute(stmt, {"token_hash": token_hash(bearer)}).all()
    row = rows[0] if rows else None
    if (
        row is None
        or row.revoked_at is not None
        or not row.active
        or row.device_revoked_at is not None
    ):
        raise unauthorized()
    last_use = _aware(row.last_used_at or row.token_created_at)
    now = utcnow()
    if now - last_use > token_idle():
        raise unauthorized("登录已过期，请重新登录 (signed out after a long idle time)")
    if now - last_use > TOUCH_EVERY:  # refreshed by use, written at most once an hour per token
        _touch(conn, bearer, row.device_id, now)
    villages = (
        None
        if row.role == "admin"
        else frozenset(r.village_id for r in rows if r.village_id is not None)
    )
    who = Principal(
        row.id, row.username, row.role, row.device_id, villages, row.display_name, row.desk_version
    )
    return who, row


def check_password(
    conn: Connection, username: str, password: str, ip: str
) -> dict[str, object] | None:
    """The user row when the password is right, else None. The attempt was admitted and counted
    beforehand (throttle.admit); a success clears the user's counters."""
    row = conn.execute(select(t.user).where(t.user.c.username == username)).mappings().first()
    if (
        not _verify(row["password_hash"] if row else _DUMMY_HASH, password)
        or not row
        or not row["active"]
    ):
        return None
    throttle.cleared(conn, username, ip)
    return dict(row)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def issue_token(
    conn: Connection,
    user_id: str,
    device_id: str | None,
    device_name: str,
    desk_version: str | None = None,
) -> tuple[str, str]:
    """Register the device (or reuse the user's own, noting the desk's version) and return
    (token, device id)."""
    known = None
    if device_id:
        stmt = select(t.device.c.user_id).where(t.device.c.id == device_id)
        known = conn.execute(stmt).scalar_one_or_none()
    if known is not None and known != user_id:
        device_id = None  # another user's device id: never share it
    if not device_id or known is None:
        device_id = device_id or uuid.uuid4().hex
        conn.execute(
            insert(t.device).values(
                id=device_id,
                user_id=user_id,
                name=device_name,
                created_at=utcnow(),
                last_seen_at=utcnow(),
                desk_version=desk_version,
            )
        )
    else:
        conn.execute(
            update(t.device)
            .where(t.device.c.id == device_id)
            .values(desk_version=desk_version, last_seen_at=utcnow())
        )
    token = secrets.token_urlsafe(32)
    conn.execute(
        insert(t.token).values(
            token_hash=token_hash(token), user_id=user_id, device_id=device_id, created_at=utcnow()
        )
    )
    return token, device_id


def revoke(
    conn: Connection,
    *,
    token: str | None = None,
    user_id: str | None = None,
    device_id: str | None = None,
) -> int:
    """Revoke one token, or every live token of a user (optionally of one device)."""
    c = t.token.c
    stmt = update(t.token).where(c.revoked_at.is_(None)).values(revoked_at=utcnow())
    if token is not None:
        stmt = stmt.where(c.token_hash == token_hash(token))
    if user_id is not None:
        stmt = stmt.where(c.user_id == user_id)
    if device_id is not None:
        stmt = stmt.where(c.device_id == device_id)
    return conn.execute(stmt).rowcount
