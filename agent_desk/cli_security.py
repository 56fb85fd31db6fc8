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
    audit = sub.add_parser("audit", help="审计记录 (audit trail)").add_subparsers(
        dest="audit_command", required=True
    )
    audit.add_parser("verify", help="校验审计记录哈希链 (verify the hash chain)").set_defaults(
        func=cmd_audit_verify
    )
    backup = sub.add_parser("backup", help="立即备份数据库（加密） (back up now)")
    backup.add_argument(
        "--keep", type=int, default=0, help="只保留最近 N 个手动备份 (keep N manual backups)"
    )
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="从备份恢复，当前数据库另存 (restore a backup)")
    restore.add_argument("file", type=Path)
    restore.set_defaults(func=cmd_restore)
    pw = sub.add_parser("password", help="密码 (set or change the password)").add_subparsers(
        dest="password_command", required=True
    )
    setp = pw.add_parser(
        "set", help="首次设置密码并加密数据 (first-time password; encrypts the data)"
    )
    setp.add_argument(
        "--remember", action="store_true", help="在本机记住 (keep the key in the OS keyring)"
    )
    setp.add_argument(
        "--remove-old-backups",
        action="store_true",
        help="删除以前未加密的备份（先覆盖再删除），而不是加密保留 (overwrite and delete plain backups)",
    )
    setp.set_defaults(func=cmd_password_set)
    pw.add_parser("change", help="修改密码 (change; data is not re-encrypted)").set_defaults(
        func=cmd_password_change
    )


def add_password_stdin(parser: Any) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取密码 (read the password from stdin)",
    )


def ask_password(prompt: str, *, stdin: bool = False) -> str:
    if stdin:  # scripts: one line on standard input, read once per command
        return sys.stdin.readline().rstrip("\r\n")
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise DomainError(
            f"数据已加密：请在终端输入密码，或设置环境变量 {PASSWORD_ENV}", code="password_needed"
        )
    return getpass.getpass(prompt)


def ask_new_password(*, stdin: bool = False, hint: str = "") -> str:
    """A new password: asked twice on a terminal; taken once from stdin or the environment in scripts."""
    from agent_desk.store.crypto import check_password_strength

    scripted = stdin or bool(os.environ.get(PASSWORD_ENV))
    if not scripted and not sys.stdin.isatty():
        raise DomainError(
            f"委托人信息须加密保存：请在终端设置密码，或用 --password-stdin / 环境变量 {PASSWORD_ENV}",
            code="password_needed",
            message_en="a new desk needs a password first",
        )
    if hint and not scripted:
        print(hint, file=sys.stderr)
    password = ask_password("设置密码，保护委托人信息 (new password): ", stdin=stdin)
    check_password_strength(password)
    if not scripted:
        confirm(password)
    return password


def confirm(password: str) -> None:
    """The second typing of a new password on a terminal."""
    if getpass.getpass("再输一次 (again): ") != password:
        raise DomainError("两次输入的密码不一致", code="password_mismatch")


def _is_demo_desk(settings_file: Path) -> bool:
    from agent_desk.services.settings import load_settings

    return settings_file.exists() and bool(load_settings(settings_file).extra.get("demo_only"))


def personal_data_key(args: argparse.Namespace) -> bytes:
    """The key for a command that writes personal data: a desk without a password gets one first.

    Real rosters never land in a plain database: an unprotected desk is encrypted (setup_password)
    before the command opens it; a demo desk refuses real data altogether.
    """
    from agent_desk.services.vault import is_protected, setup_password
    from agent_desk.store.datadir import resolve_data_dir

    data = resolve_data_dir(args.data_dir)
    stdin = getattr(args, "password_stdin", False)
    if is_protected(data):
        return cli_key(args.data_dir, stdin=stdin)  # type: ignore[return-value]
    if _is_demo_desk(data.settings_file):
        raise DomainError(
            "这是演示数据（演示数据），不能导入真实花名册；请换一个数据文件夹",
            code="demo_desk",
            message_en="a demo desk takes no real rosters; use another data folder",
        )
    hint = "委托人信息须加密保存：请先设置密码 (the desk is created encrypted)"
    return setup_password(data, ask_new_password(stdin=stdin, hint=hint))


def cli_key(data_dir: str | None, *, stdin: bool = False) -> bytes | None:
    """The data key for a CLI command: None for an unencrypted desk, else remembered or asked for."""
    from agent_desk.services.vault import is_protected, remembered_key, unlock
    from agent_desk.store.datadir import resolve_data_dir

    data = resolve_data_dir(data_dir)
    if not is_protected(data):
        return None
    return remembered_key(data) or unlock(data, ask_password("密码 (password): ", stdin=stdin))


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
        print(
            f"审计记录被篡改 (audit chain broken): 第 {broken.seq} 条 (entry {broken.seq}): {broken.reason}"
        )
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
            audit.append(
                session, "restore", detail={"file": args.file.name, "revision": result.revision}
            )
            session.commit()
    finally:
        desk.close()
    print(
        f"已恢复 (restored) {args.file.name}；原数据库另存为 (previous database kept as) {result.kept_aside}"
    )
    return 0


def cmd_password_set(args: argparse.Namespace) -> int:
    from agent_desk.services.vault import plain_backup_count, setup_password
    from agent_desk.store.datadir import resolve_data_dir

    data = resolve_data_dir(args.data_dir)
    password = ask_new_password()
    old = plain_backup_count(data)
    remove = bool(args.remove_old_backups)
    setup_password(data, password, remember=args.remember, remove_plain_backups=remove)
    print("已设置密码，数据已加密 (password set; data encrypted)")
    if old:
        done = "已覆盖并删除 (overwritten and deleted)" if remove else "已加密 (encrypted)"
        print(f"以前未加密的备份 {old} 个{done}")
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
