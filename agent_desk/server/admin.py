"""Setup actions for the hub's administrator: villages, users, token revocation, conflict resolution.

Villages and users are also written into the change feed so that desks receive them like records.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update

from agent_desk.core.errors import DomainError
from agent_desk.core.passwords import password_problem
from agent_desk.server import tables as t
from agent_desk.server.auth import ROLES, Principal, hash_password, revoke, utcnow
from agent_desk.server.db import HubDB
from agent_desk.server.feed import put_hub_record


def create_village(
    db: HubDB,
    *,
    code: str,
    name: str,
    township_code: str,
    township_name: str,
    county_name: str = "",
) -> str:
    if not (code.isdigit() and len(code) == 12 and code.startswith(township_code)):
        raise DomainError(
            f"村代码 {code} 应为 12 位数字，并以乡镇代码 {township_code} 开头",
            code="bad_village_code",
        )
    fields = {
        "code": code,
        "name": name,
        "township_code": township_code,
        "township_name": township_name,
        "county_name": county_name,
    }
    with db.sequenced() as seq:
        if seq.conn.execute(select(t.village.c.id).where(t.village.c.code == code)).first():
            raise DomainError(f"村代码 {code} 已存在", code="duplicate_village")
        village_id = uuid.uuid4().hex
        seq.conn.execute(insert(t.village).values(id=village_id, **fields))
        put_hub_record(seq, "village", village_id, village_id, fields)
    return village_id


def _village_ids(db: HubDB, codes: Sequence[str]) -> list[str]:
    with db.reading() as conn:
        found = dict(
            conn.execute(
                select(t.village.c.code, t.village.c.id).where(t.village.c.code.in_(codes))
            ).all()
        )
    missing = [c for c in codes if c not in found]
    if missing:
        raise DomainError(f"没有这些村：{', '.join(missing)}", code="unknown_village")
    return [found[c] for c in codes]


def create_user(
    db: HubDB,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    villages: Sequence[str] = (),
    township_code: str | None = None,
) -> str:
    """Add a user; an agent needs village codes, a reviewer a township code."""
    if role not in ROLES:
        raise DomainError(f"角色应为 {'/'.join(ROLES)}", code="bad_role")
    if role == "agent" and not villages:
        raise DomainError("代办员至少要属于一个村 (--village)", code="agent_needs_village")
    if role == "reviewer" and not township_code:
        raise DomainError("审核员需要所属乡镇代码 (--township)", code="reviewer_needs_township")
    if role == "chief_officer" and not (
        township_code and township_code.isdigit() and len(township_code) in (6, 9)
    ):
        raise DomainError(
            "首席服务官需要所服务的乡镇代码（9位）或县代码（6位） (--township)",
            code="chief_officer_needs_area",
        )
    if problem := password_problem(password):
        raise DomainError(problem, code="weak_password", message_en="password too weak")
    village_ids = _village_ids(db, villages)
    user_id = uuid.uuid4().hex
    with db.sequenced() as seq:
        if seq.conn.execute(select(t.user.c.id).where(t.user.c.username == username)).first():
            raise DomainError(f"用户名 {username} 已存在", code="duplicate_user")
        seq.conn.execute(
            insert(t.user).values(
                id=user_id,
                username=username,
                display_name=display_name or username,
                role=role,
                password_hash=hash_password(password),
                township_code=township_code,
                active=True,
                created_at=utcnow(),
            )
        )
        for vid in village_ids:
            seq.conn.execute(insert(t.user_village).values(user_id=user_id, village_id=vid))
        fields = {
            "username": username,
            "display_name": display_name or username,
            "role": role,
            "village_id": village_ids[0] if village_ids else None,
        }
        put_hub_record(seq, "desk_user", user_id, village_ids[0] if village_ids else None, fields)
    return user_id


def revoke_tokens(db: HubDB, *, username: str, device_id: str | None = None) -> int:
    with db.writing() as conn:
        user_id = conn.execute(select(t.user.c.id).where(t.user.c.username == username)).scalar()
        if user_id is None:
            raise DomainError(f"没有用户 {username}", code="unknown_user")
        return revoke(conn, user_id=user_id, device_id=device_id)


def list_conflicts(db: HubDB, who: Principal, *, open_only: bool = True) -> list[dict[str, Any]]:
    c = t.conflict.c
    stmt = select(t.conflict).order_by(c.created_at)
    if open_only:
        stmt = stmt.where(c.resolved_at.is_(None))
    if who.villages is not None:
        stmt = stmt.where(c.village_id.in_(sorted(who.villages)))
    with db.reading() as conn:
        return [dict(row) for row in conn.execute(stmt.limit(1000)).mappings()]


def resolve_conflicts(db: HubDB, who: Principal, ids: Sequence[str], resolution: str) -> int:
    """Close conflicts a person decided on; the chosen value itself travels as an ordinary op."""
    c = t.conflict.c
    stmt = update(t.conflict).where(c.id.in_(list(ids)), c.resolved_at.is_(None))
    if who.villages is not None:
        stmt = stmt.where(c.village_id.in_(sorted(who.villages)))
    with db.writing() as conn:
        return conn.execute(
            stmt.values(resolved_at=utcnow(), resolved_by=who.user_id, resolution=resolution)
        ).rowcount
