"""``agent-desk sync [--once]``: sync from scripts, with the same engine the window uses."""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from agent_desk.sync.errors import LoginRequired, SyncError


def add_sync_commands(subparsers: Any) -> None:
    sync = subparsers.add_parser("sync", help="与乡镇服务器同步 (sync with the hub)")
    sync.add_argument("--once", action="store_true", help="同步一次后退出 (sync once and exit)")
    sync.add_argument("--hub", help="乡镇服务器地址，如 http://10.0.0.5:8765 (saved in settings)")
    sync.add_argument("--user", help="用户名 (saved in settings)")
    sync.add_argument("--login", action="store_true", help="重新输入密码登录 (log in again)")
    sync.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取密码 (read the password from stdin)",
    )
    sync.add_argument("--status", action="store_true", help="只显示同步状态 (show status only)")
    sync.add_argument(
        "--trust-cert",
        type=Path,
        metavar="FILE",
        help="信任乡镇服务器的证书（县里自建或自签名），显示指纹供核对 (trust the hub's certificate)",
    )
    sync.add_argument("--batch-size", type=int, default=200, help=argparse.SUPPRESS)
    sync.set_defaults(handler=run_sync_command)


def _engine(args: argparse.Namespace) -> Any:
    from agent_desk.cli_security import cli_key
    from agent_desk.services.desk import open_desk, setup_logging
    from agent_desk.sync.engine import SyncEngine

    desk = open_desk(args.data_dir, key=cli_key(args.data_dir), actor="sync")
    setup_logging(desk.data, verbose=args.verbose)
    return SyncEngine(desk.db, desk.data, batch_size=max(1, args.batch_size), cipher=desk.cipher)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("乡镇服务器密码 (hub password): ")


def _login(engine: Any, args: argparse.Namespace) -> None:
    """Log in; after an administrator's reset the hub asks for a new password, set in the same login."""
    from agent_desk.sync.errors import HubRejected

    password = _password(args)
    try:
        engine.login(password)
    except HubRejected as exc:
        if exc.code != "password_change_required":
            raise
        print(f"注意：{exc}", file=sys.stderr)
        engine.login(password, _new_password(args))


def _new_password(args: argparse.Namespace) -> str:
    """From stdin: the line after the old password; on a terminal: asked twice."""
    from agent_desk.cli_security import confirm

    new = _password(args) if args.password_stdin else getpass.getpass("新密码 (new hub password): ")
    if not args.password_stdin:
        confirm(new)
    return new


def _print_status(engine: Any) -> None:
    s = engine.status()
    print(
        f"服务器 {s.hub_url or '未设置'}  用户 {s.username or '未设置'}  {'已登录' if s.logged_in else '未登录'}"
    )
    print(
        f"待上传 {s.pending}  上传中 {s.inflight}  被拒绝 {s.quarantined}  冲突 {s.open_conflicts}  "
        f"未上传审计记录 {s.audit_unsent}  上次同步 {s.last_sync_at or '从未'}"
    )
    if s.audit_problem:
        print(f"注意：{s.audit_problem}")
    if s.keyring_problem:
        print(f"注意：{s.keyring_problem}")
    for op in engine.quarantined_ops():
        print(f"  被拒绝: {op.entity} {op.label}: {op.last_error}")


def run_sync_command(args: argparse.Namespace) -> int:
    engine = _engine(args)
    if args.trust_cert:
        from agent_desk.sync.tls import trust_certificate

        print(
            f"已信任证书 (trusted) {args.trust_cert.name}\nSHA-256 指纹 (fingerprint): "
            f"{trust_certificate(engine.data, args.trust_cert)}\n请与乡镇服务器启动时显示的指纹核对 (compare with the hub's)"
        )
        if not (args.once or args.login or args.status):
            return 0
    if args.hub or args.user:
        current = engine.settings
        engine.configure(args.hub or current.hub_url, args.user or current.username)
    if args.status:
        _print_status(engine)
        return 0
    tokens = engine.tokens() if engine.settings.configured else None
    if args.login or (tokens is not None and not tokens.get()):
        if tokens is not None and tokens.problem:
            print(f"注意：{tokens.problem}", file=sys.stderr)
        _login(engine, args)
    if args.once:
        report = engine.sync_once(
            progress=lambda p: print(f"… {p.message}", flush=True) if args.verbose else None
        )
        print("同步完成 (synced): " + report.summary_zh())
        if report.audit_problem:
            print(f"注意：{report.audit_problem}", file=sys.stderr)
        return 0 if not report.quarantined else 1
    return _loop(engine)


def _loop(engine: Any) -> int:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def show(outcome: Any) -> None:
        text = (
            f"同步失败：{outcome}"
            if isinstance(outcome, SyncError)
            else "同步完成：" + outcome.summary_zh()
        )
        print(text, flush=True)

    print(f"自动同步中，每 {engine.settings.interval_seconds} 秒一次；按 Ctrl-C 停止", flush=True)
    try:
        engine.run_forever(stop, on_report=show)
    except LoginRequired:
        raise
    except KeyboardInterrupt:
        stop.set()
    return 0
