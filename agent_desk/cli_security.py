"""``agent-desk audit verify``, ``backup``, ``restore FILE`` and ``password``: the security commands.

Registered by ``add_audit_commands(subparsers)``; each sets ``func`` so cli.main can dispatch it.
An encrypted desk is unlocked with the key remembered on this PC, else the password from
``AGENT_DESK_PASSWORD`` (scripts) or asked on the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from agent_desk.core.errors import DomainError

PASSWORD_ENV = "AGENT_DESK_PASSWORD"


def add_audit_commands(sub: Any) -> None:
    audit = sub.add_parser("audit", help="审计记录 (audit trail)").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("verify", help="校验审计记录哈希链 (verify the hash chain)").set_defaults(func=cmd_audit_verify)
    backup = sub.add_parser("backup", help="立即备份数据库（加密） (back up now)")
    backup.add_argument("--keep", type=int, default=0, help="只保留最近 N 个手动备份 (keep N manual backups)")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="从备份恢复，当前数据库另存 (restore a backup)")
    restore.add_argument("file", type=Path)
    restore.set_defaults(func=cmd_restore)
    pw = sub.add_parser("password", help="密码 (set or change the password)").add_subparsers(dest="password_command", required=True)
    setp = pw.add_parser("set", help="首次设置密码并加密数据 (first-time password; encrypts the data)")
    setp.add_argument("--remember", action="store_true", help="在本机记住 (keep the key in the OS keyring)")
    setp.set_defaults(func=cmd_password_set)
    pw.add_parser("change", help="修改密码 (change; data is not re-encrypted)").set_defaults(func=cmd_password_change)


def ask_password(prompt: str) -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise DomainError(f"数据已加密：请在终端输入密码，或设置环境变量 {PASSWORD_ENV}", code="password_needed")
    return getpass.getpass(prompt)


def cli_key(data_dir: str | None) -> bytes | None:
    """The data key for a CLI command: None for an unencrypted desk, else remembered or asked for."""
    from agent_desk.services.vault import is_protected, remembered_key, unlock
    from agent_desk.store.datadir import resolve_data_dir

    data = resolve_data_dir(data_dir)
    if not is_protected(data):
        return None
    return remembered_key(data) or unlock(data, ask_password("密码 (password): "))


def _open(args: argparse.Namespace) -> Any:
    from agent_desk.services.desk import open_desk

    return open_desk(args.data_dir, key=cli_key(args.data_dir), actor="cli")


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from agent_desk.store.audit import verify

    desk = _open(args)
    try:
        with desk.db.engine.connect() as conn:
            count, broken = verify(conn)
    finally:
        desk.close()
    if broken is not None:
        print(f"审计记录被篡改 (audit chain broken): 第 {broken.seq} 条 (entry {broken.seq}): {broken.reason}")
        return 1
    print(f"审计记录完整 (audit chain intact): {count} 条 (entries)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from agent_desk.services.backup import make_backup, rotate

    desk = _open(args)
    try:
        path = make_backup(desk, "manual")
        if args.keep > 0:
            rotate(desk.data.backups, "manual", args.keep)
    finally:
        desk.close()
    print(f"已备份到 (backed up to) {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from agent_desk.services.backup import restore
    from agent_desk.services.desk import open_desk
    from agent_desk.store import audit
    from agent_desk.store.datadir import resolve_data_dir

    data, key = resolve_data_dir(args.data_dir), cli_key(args.data_dir)
    result = restore(data, args.file.resolve(), key)
    desk = open_desk(args.data_dir, key=key, actor="cli")
    try:
        with desk.db.session() as session:
            audit.append(session, "restore", detail={"file": args.file.name, "revision": result.revision})
            session.commit()
    finally:
        desk.close()
    print(f"已恢复 (restored) {args.file.name}；原数据库另存为 (previous database kept as) {result.kept_aside}")
    return 0


def cmd_password_set(args: argparse.Namespace) -> int:
    from agent_desk.services.vault import setup_password
    from agent_desk.store.datadir import resolve_data_dir

    password = ask_password("新密码 (new password): ")
    if not os.environ.get(PASSWORD_ENV) and getpass.getpass("再输一次 (again): ") != password:
        raise DomainError("两次输入的密码不一致", code="password_mismatch")
    setup_password(resolve_data_dir(args.data_dir), password, remember=args.remember)
    print("已设置密码，数据已加密 (password set; data encrypted)")
    return 0


def cmd_password_change(args: argparse.Namespace) -> int:
    from agent_desk.services.vault import change_password
    from agent_desk.store import audit
    from agent_desk.store.datadir import resolve_data_dir

    data = resolve_data_dir(args.data_dir)
    old = ask_password("原密码 (current password): ")
    new = os.environ.get("AGENT_DESK_NEW_PASSWORD") or getpass.getpass("新密码 (new password): ")
    change_password(data, old, new)
    desk = _open(args)
    try:
        with desk.db.session() as session:
            audit.append(session, "password_change")
            session.commit()
    finally:
        desk.close()
    print("已修改密码 (password changed)")
    return 0
