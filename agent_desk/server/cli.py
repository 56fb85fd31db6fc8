"""``agent-desk server …``: run the hub and set it up (users, villages, tokens, publications)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from agent_desk.core.errors import DomainError
from agent_desk.server.accounts_cli import add_account_commands, run_account_command
from agent_desk.server.ops_cli import (
    OPS_COMMANDS,
    add_ops_commands,
    cli_overrides,
    hub_settings,
    open_hub,
)

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8765
PUBLISH_ZH = {"catalog": "事项目录", "templates": "模板", "calendar": "放假安排"}


def add_server_commands(subparsers: Any) -> None:
    """Register ``server`` and its setup commands on the top-level ``agent-desk`` parser."""
    server = subparsers.add_parser("server", help="乡镇服务器 (run or set up the hub)")
    server.add_argument(
        "--config", type=Path, help="配置文件 hub.toml (settings; see docs/operator.md)"
    )
    server.add_argument(
        "--db", help="数据库地址，不含密码 (database URL without password; env AGENT_DESK_HUB_DB)"
    )
    server.add_argument(
        "--hub-dir", help="服务器数据文件夹 (hub data folder; env AGENT_DESK_HUB_HOME)"
    )
    server.add_argument("--host", help=f"监听地址 (default {DEFAULT_HOST})")
    server.add_argument("--port", type=int, help=f"端口 (default {DEFAULT_PORT})")
    server.add_argument("--certfile", help="TLS 证书 (serve HTTPS directly)")
    server.add_argument("--keyfile", help="TLS 私钥 (with --certfile)")
    server.add_argument(
        "--behind-proxy",
        action="store_true",
        default=None,
        help="在 HTTPS 反向代理之后 (trust X-Forwarded-* from 127.0.0.1)",
    )
    server.add_argument(
        "--workers",
        type=int,
        help="API 工作进程数 (stateless API worker processes; PostgreSQL only)",
    )
    server.set_defaults(handler=run_server_command)
    sub = server.add_subparsers(dest="server_command")
    user = sub.add_parser("create-user", help="新建用户 (add a user)")
    user.add_argument("username")
    user.add_argument(
        "--role", choices=("agent", "chief_officer", "reviewer", "admin"), required=True
    )
    user.add_argument("--name", default="", help="姓名 (display name)")
    user.add_argument(
        "--village", action="append", default=[], help="村代码 (12 digits; repeat for several)"
    )
    user.add_argument(
        "--township",
        help="乡镇代码 (9 digits, for reviewers); 首席服务官: 乡镇 9 位或县 6 位 (chief officers)",
    )
    user.add_argument(
        "--password-stdin",
        action="store_true",
        help="从标准输入读取密码 (read password from stdin)",
    )
    village = sub.add_parser("create-village", help="新建村 (add a village)")
    village.add_argument("code", help="12 位村代码")
    village.add_argument("name")
    village.add_argument("--township", required=True, help="9 位乡镇代码")
    village.add_argument("--township-name", required=True)
    village.add_argument("--county-name", default="")
    add_ops_commands(sub)
    revoke = sub.add_parser("revoke-token", help="吊销用户的登录 (revoke a user's tokens)")
    revoke.add_argument("username")
    revoke.add_argument("--device", help="只吊销这台设备 (one device only)")
    sub.add_parser(
        "publications",
        help="各类发布的最新版本，及无法使用某版的设备与原因 (latest versions, and the desks "
        "that could not use one; exit 1 when a desk reported the latest version)",
    )
    audit = sub.add_parser(
        "audit-status",
        help="各设备上传的审计记录链状态 (each device's audit chain on the hub; "
        "exit 1 when one is broken or restated)",
    )
    audit.add_argument(
        "--broken",
        action="store_true",
        help="只列出断裂或重述其他设备记录的 (broken or restating chains only)",
    )
    check = sub.add_parser(
        "check-records",
        help="按现行规则检查服务器上的记录 (list hub records that fail today's "
        "rules; exit 1 when some remain)",
    )
    check.add_argument(
        "--fix",
        action="store_true",
        help="修复或作废可修复的记录 (repair or tombstone them, recorded)",
    )
    add_account_commands(sub)
    for kind, what in (("catalog", "DIR"), ("templates", "DIR"), ("calendar", "FILE")):
        pub = sub.add_parser(
            f"publish-{kind}", help=f"发布{PUBLISH_ZH[kind]} (publish {kind}; checked first)"
        )
        pub.add_argument(
            "source",
            type=Path,
            metavar=what,
            nargs="?",
            help="日历：JSON，或按通知原文逐行填写的放假安排 (.txt)"
            if kind == "calendar"
            else None,
        )
        pub.add_argument(
            "--dry-run",
            action="store_true",
            help="只检查并列出变化，不发布 (check and summarise only)",
        )
        pub.add_argument(
            "--withdraw", type=int, metavar="VERSION", help="撤回该版：重新发布其前一版的内容"
        )
        pub.set_defaults(kind=kind)


def _hub(args: argparse.Namespace) -> Any:
    """The hub of the effective settings; an empty database is created, an old or new one refused."""
    return open_hub(hub_settings(args))


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码 (password): ")
    if first != getpass.getpass("再输一次 (again): "):
        raise DomainError("两次输入的密码不一致", code="password_mismatch")
    return first


def worker_pool_size(workers: int) -> int:
    """Connections per worker (and as many again in overflow) so that all workers together stay
    within 80 of PostgreSQL's default 100 connections; 10 + 10 for a single process."""
    return max(2, min(10, 80 // (2 * max(1, workers))))


def serve(args: argparse.Namespace) -> int:
    from agent_desk.server.metrics import finish_multiprocess, prepare_multiprocess

    settings = hub_settings(args)
    workers = settings.workers
    if workers > 1 and not settings.database_url().startswith("postgresql"):
        raise DomainError(
            "多个工作进程需要 PostgreSQL 数据库 (--workers needs --db postgresql+psycopg://…; "
            "a SQLite hub is one process)",
            code="workers_need_postgresql",
        )
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            "注意：服务器对外开放，请在前面加 HTTPS 反向代理 (put TLS in front of a public hub)",
            file=sys.stderr,
        )
    metrics_dir = prepare_multiprocess(workers)  # /metrics sums every worker's counts (metrics.py)
    try:
        return _serve(settings, args)
    finally:
        finish_multiprocess(metrics_dir)


def _serve(settings: Any, args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from agent_desk.server.app import create_app
    from agent_desk.server.config import WORKER_ENV, worker_env
    from agent_desk.server.db import POOL_ENV

    workers = settings.workers
    hub = open_hub(settings)  # refuses an old or newer schema before anything listens
    tls = _tls(settings)
    _print_fingerprint(settings.certfile)
    if workers == 1:
        print(f"乡镇服务器已启动 (hub running): http://{settings.host}:{settings.port}/docs")
        uvicorn.run(
            create_app(hub, settings=settings),
            host=settings.host,
            port=settings.port,
            log_level="warning",
            **tls,
        )
        return 0
    hub.db.close()
    # The workers rebuild the same settings from the config path and the flags: no password in their env.
    os.environ.update(
        {
            WORKER_ENV: worker_env(args.config, cli_overrides(args)),
            POOL_ENV: str(worker_pool_size(workers)),
        }
    )
    print(
        f"乡镇服务器已启动 (hub running, {workers} workers): http://{settings.host}:{settings.port}/docs"
    )
    uvicorn.run(
        "agent_desk.server.app:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level="warning",
        **tls,
    )
    return 0


# What the hub needs beyond the desk (the `server` extra); the frozen desk bundle leaves them out.
SERVER_PACKAGES = {
    "fastapi",
    "starlette",
    "uvicorn",
    "orjson",
    "psycopg",
    "prometheus_client",
    "pydantic_settings",
}


def run_server_command(args: argparse.Namespace) -> int:
    """A desk installed without the hub's packages says so, instead of a ModuleNotFoundError."""
    try:
        return _run_server_command(args)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SERVER_PACKAGES:
            raise
        raise DomainError(
            "这个代办端程序不含乡镇服务器；服务器需在服务器上单独安装：pip install 'agent-desk[server]'"
            "（见 docs/operator.md）",
            code="server_not_installed",
            message_en=f"the hub is installed separately ({exc.name} missing)",
        ) from exc


def _run_server_command(args: argparse.Namespace) -> int:
    from agent_desk.server import admin

    command = args.server_command
    if command is None:
        return serve(args)
    if command in OPS_COMMANDS:
        return OPS_COMMANDS[command](args)
    hub = _hub(args)
    if command == "create-user":
        admin.create_user(
            hub.db,
            username=args.username,
            password=_password(args),
            role=args.role,
            display_name=args.name,
            villages=args.village,
            township_code=args.township,
        )
        print(f"已新建用户 {args.username} ({args.role})")
    elif command == "create-village":
        admin.create_village(
            hub.db,
            code=args.code,
            name=args.name,
            township_code=args.township,
            township_name=args.township_name,
            county_name=args.county_name,
        )
        print(f"已新建村 {args.name} ({args.code})")
    elif command in ("users", "devices"):
        return run_account_command(hub, args, _password)
    elif command == "audit-status":
        return print_audit_status(hub, broken_only=args.broken)
    elif command == "publications":
        return print_publications(hub)
    elif command == "check-records":
        return check_records(hub, fix=args.fix)
    elif command == "revoke-token":
        count = admin.revoke_tokens(hub.db, username=args.username, device_id=args.device)
        print(f"已吊销 {count} 个登录令牌 (revoked)")
    else:
        return publish_command(hub, args)
    return 0


def publish_command(hub: Any, args: argparse.Namespace) -> int:
    """Check, summarise, then publish (not with --dry-run); or withdraw a version."""
    from datetime import date

    from agent_desk.server import publications
    from agent_desk.server.publish_check import prepare

    name = PUBLISH_ZH[args.kind]
    if args.withdraw is not None:
        info = publications.withdraw(hub.db, hub.blobs, args.kind, args.withdraw)
        print(
            f"已撤回{name}第 {args.withdraw} 版：以第 {info.version} 版重新发布其前一版的内容 (withdrawn)"
        )
        return 0
    if args.source is None:
        raise DomainError(f"请给出要发布的{name}（或用 --withdraw 版本号）", code="no_source")
    prepared = prepare(hub, args.kind, args.source, today=date.today())
    try:
        for line in prepared.summary:
            print(line)
        if args.dry_run:
            print("检查通过，未发布 (dry run: checked, nothing published)")
            return 0
        info = publications.publish(hub.db, hub.blobs, args.kind, prepared.source)
    finally:
        prepared.cleanup()
    print(
        f"已发布{name}第 {info.version} 版，{len(info.files)} 个文件 (sha256 {info.sha256[:12]}…)"
    )
    return 0


def check_records(hub: Any, *, fix: bool) -> int:
    """One line per bad field; with ``fix`` the repairs are applied and what is left is listed again."""
    from agent_desk.protocol.values import LABELS
    from agent_desk.server import check_records as checker

    findings = checker.find(hub.db)
    for f in findings:
        repair = "作废记录" if f.repair is checker.TOMBSTONE else f"改为 {f.repair!r}"
        repair = repair if f.fixable else "需人工核实"
        label = f"{LABELS.get(f.field, f.field)}({f.field})"
        print(f"{f.entity}\t{f.entity_id}\t{f.village_id or ''}\t{label}\t{f.problem}\t{repair}")
    if fix and findings:
        changed = checker.fix(hub.db, findings)
        findings = checker.find(hub.db)
        print(
            f"已修复 {changed} 条记录，每处修改已记入 hub_repair 并下发各代办端 (repaired {changed} records)"
        )
    print(f"不符合现行规则的字段：{len(findings)} 处 ({len(findings)} problems left)")
    return 1 if findings else 0


def print_publications(hub: Any) -> int:
    """Each kind's latest version, then every desk's report that it could not use a version."""
    from agent_desk.server import publications

    with hub.db.reading() as conn:
        latest = publications.latest_versions(conn)
    for kind in publications.KINDS:
        version = latest.get(kind, {}).get("version")
        print(f"{PUBLISH_ZH[kind]}：" + (f"第 {version} 版" if version else "尚未发布"))
    reports = publications.refusals(hub.db)
    if not reports:
        print("没有设备报告无法使用的版本 (no desk reported a refused version)")
        return 0
    print(f"{len(reports)} 台次设备报告无法使用 (refused by desks):")
    for r in reports:
        at = r["reported_at"].strftime("%Y-%m-%d %H:%M")
        who = r["username"] or "?"
        print(
            f"  {PUBLISH_ZH[r['kind']]}第 {r['version']} 版  {who}  设备 {r['device_id'][:8]}  "
            f"{at}  {r['reason']}"
        )
    current = {(k, info["version"]) for k, info in latest.items()}
    return 1 if any((r["kind"], r["version"]) in current for r in reports) else 0


def print_audit_status(hub: Any, *, broken_only: bool = False) -> int:
    """One line per device: user, entries held, last seq, intact or the first broken link."""
    from agent_desk.server.audit_store import chain_status

    rows = [
        r
        for r in chain_status(hub.db, None)
        if not (broken_only and r["intact"] and not r["restated"])
    ]
    print("设备 (device)\t用户 (user)\t条数 (entries)\t最后序号 (last seq)\t状态 (status)")
    for r in rows:
        name = f"{r['device_id']} {r['device_name']}".strip()
        print(f"{name}\t{r['username']}\t{r['entries']}\t{r['last_seq']}\t{_chain_state(r)}")
    broken, restated = sum(not r["intact"] for r in rows), sum(r["restated"] for r in rows)
    zh = f"共 {len(rows)} 台设备，{broken} 条审计记录链断裂，{restated} 条重述了同一用户其他设备的记录"
    print(
        f"{zh} ({len(rows)} devices, {broken} broken, {restated} restating another device's history)"
    )
    return 1 if broken or restated else 0


def _chain_state(row: dict[str, Any]) -> str:
    if not row["intact"]:
        state = f"第 {row['broken_seq']} 条断裂 (broken): {row['broken_reason']}"
    else:
        state = "完整 (intact)" if row["entries"] else "尚未上传 (nothing sent yet)"
    if row["restated"]:
        state += f"；重述其他设备的记录 (restated): {row['restated_reason']}"
    return state


def _print_fingerprint(certfile: Path | str | None) -> None:
    """Desks importing a self-signed or county certificate compare this fingerprint (sync/tls.py)."""
    if certfile:
        import ssl

        from agent_desk.sync.tls import fingerprint

        pem = Path(certfile).read_text(encoding="ascii", errors="replace")
        print(
            f"证书 SHA-256 指纹 (certificate fingerprint): {fingerprint(ssl.PEM_cert_to_DER_cert(pem))}"
        )


def _tls(settings: Any) -> dict[str, Any]:
    from agent_desk.server.security import serve_options

    cert, key = (str(p) if p else None for p in (settings.certfile, settings.keyfile))
    try:
        return serve_options(certfile=cert, keyfile=key, behind_proxy=settings.behind_proxy)
    except ValueError as exc:
        raise DomainError(
            "TLS 需要同时给出 --certfile 和 --keyfile", code="tls_pair", message_en=str(exc)
        ) from exc
