"""``server import-villages`` / ``import-users``: a county's villages and users from one .xlsx/.csv.

Columns are found by their Chinese headers (县/乡镇/村/统计用区划代码; 用户名/姓名/角色/村/乡镇).
Every row is checked first, and a file with a bad row changes nothing: each bad row is named with
its row number (as the spreadsheet shows it) and the reason. Rows already on the hub are left as
they are, so running the same file twice is safe. New users get a random first password, written to
a file only the operator can read (mode 600) — never printed.
"""

from __future__ import annotations

import csv
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent_desk.core.errors import DomainError
from agent_desk.server import admin
from agent_desk.server import tables as t
from agent_desk.server.db import HubDB
from agent_desk.services.roster_read import read_rows

VILLAGE_HEADERS = {
    "code": ("统计用区划代码", "区划代码", "村代码"),
    "name": ("村", "村名", "村名称"),
    "township_name": ("乡镇", "乡镇名称"),
    "county_name": ("县", "县区", "县名称"),
}
USER_HEADERS = {
    "username": ("用户名", "账号"),
    "display_name": ("姓名", "显示名"),
    "role": ("角色",),
    "villages": ("村", "村代码"),
    "township": ("乡镇", "乡镇代码"),
}
ROLES = {
    "代办员": "agent",
    "首席服务官": "chief_officer",
    "审核员": "reviewer",
    "管理员": "admin",
    "agent": "agent",
    "chief_officer": "chief_officer",
    "reviewer": "reviewer",
    "admin": "admin",
}
SEPARATORS = re.compile(r"[、,，;；\s]+")
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")


@dataclass
class BulkReport:
    kind: str
    dry_run: bool
    new: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"第 {row} 行：{reason}" for row, reason in self.bad]
        if self.bad:
            out.append(f"有 {len(self.bad)} 行有误，未导入任何{self._what()} (nothing imported)")
            return out
        verb = "将新建" if self.dry_run else "已新建"
        out.append(
            f"{verb} {len(self.new)} 个{self._what()}，{self.unchanged} 个已存在未改动"
            f" ({len(self.new)} new, {self.unchanged} unchanged{', dry run' if self.dry_run else ''})"
        )
        return out

    def _what(self) -> str:
        return "村" if self.kind == "villages" else "用户"


def import_file(
    db: HubDB, kind: str, path: Path, *, dry_run: bool = False, passwords_out: Path | None = None
) -> BulkReport:
    """Check every row, then (unless a row is bad or ``dry_run``) create what the hub lacks."""
    if not path.is_file():
        raise DomainError(f"找不到文件 {path}", code="bulk_file_missing")
    rows = read_rows(path)
    report = BulkReport(kind, dry_run)
    check = _check_village if kind == "villages" else _check_user
    records = _records(rows, VILLAGE_HEADERS if kind == "villages" else USER_HEADERS)
    known = _known(db, kind)
    seen: set[str] = set()
    for number, record in records:
        problem = check(record, known, seen)
        if problem == "unchanged":
            report.unchanged += 1
        elif problem:
            report.bad.append((number, problem))
        else:
            report.new.append(record)
    if kind == "users" and report.new and not dry_run and passwords_out is None:
        raise DomainError(
            "新用户的初始密码需要写入文件：请加 --passwords-out 文件名", code="passwords_out_needed"
        )
    if passwords_out is not None and passwords_out.exists():
        raise DomainError(
            f"{passwords_out} 已存在，请换一个文件名（不覆盖旧的密码单）",
            code="passwords_out_exists",
        )
    if not report.bad and not dry_run:
        _write(db, kind, report.new, passwords_out)
    return report


def _records(
    rows: list[list[Any]], headers: dict[str, tuple[str, ...]]
) -> list[tuple[int, dict[str, str]]]:
    if not rows:
        raise DomainError("文件是空的 (empty file)", code="bulk_empty")
    titles = [str(c or "").strip() for c in rows[0]]
    columns = {
        key: next((titles.index(n) for n in names if n in titles), None)
        for key, names in headers.items()
    }
    missing = [
        names[0]
        for key, names in headers.items()
        if columns[key] is None and key not in ("county_name",)
    ]
    if missing:
        raise DomainError(f"第 1 行缺少列：{'、'.join(missing)}", code="bulk_columns")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: _cell(row, i) for key, i in columns.items()}
        if any(cells.values()):
            out.append((number, cells))
    return out


def _cell(row: list[Any], index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():  # a code Excel stored as a number
        value = int(value)
    return str(value).strip()


def _known(db: HubDB, kind: str) -> dict[str, Any]:
    with db.reading() as conn:
        if kind == "users":
            return {
                "users": set(conn.execute(select(t.user.c.username)).scalars()),
                "villages": set(conn.execute(select(t.village.c.code)).scalars()),
            }
        names = conn.execute(select(t.village.c.code, t.village.c.name))
        return {"villages": {str(code): str(name) for code, name in names}}


def _check_village(record: dict[str, str], known: dict[str, Any], seen: set[str]) -> str | None:
    code, name = record["code"], record["name"]
    if not (code.isdigit() and len(code) == 12):
        return f"统计用区划代码「{code}」应为 12 位数字"
    if not name or not record["township_name"]:
        return "村名和乡镇名不能为空"
    if code in seen:
        return f"区划代码 {code} 在文件中重复"
    seen.add(code)
    existing = known["villages"].get(code)
    if existing is not None:
        return "unchanged" if existing == name else f"区划代码 {code} 在服务器上已是「{existing}」"
    return None


def _check_user(record: dict[str, str], known: dict[str, Any], seen: set[str]) -> str | None:
    username, role = record["username"], ROLES.get(record["role"].strip().lower() or "", "")
    if not USERNAME.match(username):
        return f"用户名「{username}」只能用 2 到 64 位字母、数字和 _ . @ -"
    if username in seen:
        return f"用户名 {username} 在文件中重复"
    seen.add(username)
    if not role:
        return f"角色「{record['role']}」应为 代办员、首席服务官、审核员 或 管理员"
    record["role"] = role
    villages = [c for c in SEPARATORS.split(record["villages"]) if c]
    unknown = [c for c in villages if c not in known["villages"]]
    if role == "agent" and not villages:
        return "代办员至少要填一个村代码"
    if unknown:
        return f"服务器上没有这些村：{'、'.join(unknown)}（请先导入村）"
    if role == "reviewer" and not (record["township"].isdigit() and len(record["township"]) == 9):
        return "审核员需要 9 位乡镇代码"
    if role == "chief_officer" and not (
        record["township"].isdigit() and len(record["township"]) in (6, 9)
    ):
        return "首席服务官需要所服务的 9 位乡镇代码或 6 位县代码"
    if username in known["users"]:
        return "unchanged"
    record["villages"] = villages  # type: ignore[assignment]
    return None


def _write(db: HubDB, kind: str, records: list[dict[str, Any]], passwords_out: Path | None) -> None:
    if kind == "villages":
        for r in records:
            admin.create_village(
                db,
                code=r["code"],
                name=r["name"],
                township_code=r["code"][:9],
                township_name=r["township_name"],
                county_name=r.get("county_name", ""),
            )
        return
    if not records or passwords_out is None:  # import_file asked for --passwords-out already
        return
    fd = os.open(
        passwords_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
    )  # never over an old list
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["用户名", "姓名", "初始密码"])
        for r in records:
            password = secrets.token_urlsafe(9)
            admin.create_user(
                db,
                username=r["username"],
                password=password,
                role=r["role"],
                display_name=r["display_name"],
                villages=r["villages"] if r["role"] == "agent" else (),
                township_code=r["township"] or None,
            )
            out.writerow([r["username"], r["display_name"], password])
