"""The ``agent-desk`` command: the GUI (default), the demo seeder, the database, roster import/export."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from agent_desk.cli_security import add_audit_commands, cli_key
from agent_desk.core.errors import DomainError

if TYPE_CHECKING:
    from agent_desk.services.desk import Desk

log = logging.getLogger("agent_desk.cli")
EXIT_USER_ERROR = 2
EXIT_BUG = 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agent-desk", description="代办通 AgentDesk")
    parser.add_argument("--data-dir", help="数据文件夹 (data folder; env AGENT_DESK_HOME)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command")
    gui = sub.add_parser("gui", help="打开桌面程序 (open the window; the default)")
    gui.add_argument("--demo", action="store_true", help="首次启动时生成演示数据 (seed demo data when empty)")
    gui.add_argument("--lang", choices=("zh_CN", "en"), help="界面语言 (UI language)")
    seed = sub.add_parser("seed-demo", help="生成演示数据 (seed demo data)")
    seed.add_argument("--clients", type=int, default=2000)
    seed.add_argument("--cases", type=int, default=5000)
    seed.add_argument("--seed", type=int, default=1)
    db = sub.add_parser("db", help="数据库维护 (database)").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="备份后升级数据库结构 (back up, then migrate)")
    db.add_parser("check", help="检查数据库 (schema and integrity)")
    imp = sub.add_parser("import", help="导入 (import)").add_subparsers(dest="import_what", required=True)
    imp.add_parser("clients", help="导入花名册 (.xlsx/.csv)").add_argument("file", type=Path)
    exp = sub.add_parser("export", help="导出 (export)").add_subparsers(dest="export_what", required=True)
    exp_clients = exp.add_parser("clients", help="导出花名册（默认遮蔽证件号和电话）")
    exp_clients.add_argument("--out", type=Path, required=True)
    exp_clients.add_argument("--full", action="store_true", help="导出完整号码（记入审计） (full numbers, audited)")
    cat = sub.add_parser("catalog", help="事项目录 (service catalog)").add_subparsers(dest="catalog_command", required=True)
    cat.add_parser("check", help="检查事项目录和模板").add_argument("dir", nargs="?", type=Path)
    add_audit_commands(sub)
    return parser


@contextmanager
def _desk(args: argparse.Namespace, *, migrate: bool = True, log: bool = True) -> Iterator[Desk]:
    """The opened desk, closed afterwards so its connections and WAL do not outlive the command."""
    from agent_desk.services.desk import open_desk, setup_logging

    desk = open_desk(args.data_dir, migrate=migrate, key=cli_key(args.data_dir), actor="cli")
    try:
        if log:
            setup_logging(desk.data, verbose=args.verbose)
        yield desk
    finally:
        desk.close()


def cmd_seed(args: argparse.Namespace) -> int:
    from agent_desk.services.demo import seed_demo
    from agent_desk.services.demo_catalog import demo_items
    from agent_desk.store.queries import count_clients

    started = time.perf_counter()
    with _desk(args) as desk, desk.db.session() as session:
        if count_clients(session):
            print("数据库中已有委托人，未生成演示数据 (database not empty; nothing seeded)", file=sys.stderr)
            return EXIT_USER_ERROR
        counts = seed_demo(session, demo_items(), clients=args.clients, cases=args.cases, seed=args.seed,
                           progress=lambda step: print(f"… {step}", flush=True))  # fmt: skip
        session.commit()
    elapsed = time.perf_counter() - started
    print("已生成演示数据 (seeded): " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f" in {elapsed:.1f}s")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from agent_desk.store.db import integrity_check, schema_state

    if args.db_command == "upgrade":
        with _desk(args) as desk:
            print(f"数据库已是最新结构 (database at schema head): {desk.data.database}")
        return 0
    with _desk(args, migrate=False, log=False) as desk:
        state = schema_state(desk.db.engine, desk.data.database)
        problems = integrity_check(desk.db.engine)
    for problem in problems:
        print(f"{desk.data.database}: {problem}")
    print(f"结构版本 (schema) {state.revision} / 最新 (head) {state.head}; 完整性 (integrity) {'正常 ok' if not problems else '有问题 FAILED'}")
    return 0 if not problems else 1


def cmd_import(args: argparse.Namespace) -> int:
    from agent_desk.services.roster import import_clients

    with _desk(args) as desk, desk.db.session() as session:
        report = import_clients(args.file, session=session, actor="cli")
        session.commit()
    for row, reason in report.refused:
        print(f"{args.file.name}:{row}: {reason}")
    print(report.summary_zh())
    return 0 if not report.refused else 1


def cmd_export(args: argparse.Namespace) -> int:
    from agent_desk.services.roster import export_clients

    with _desk(args) as desk, desk.db.session() as session:
        count = export_clients(args.out, session=session, full=args.full, actor="cli")
        session.commit()
    print(f"已导出 {count} 人到 {args.out} (exported)")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from agent_desk.catalog.check import main as check_main

    return check_main([str(args.dir)] if args.dir else [])


def cmd_gui(args: argparse.Namespace) -> int:
    from agent_desk.ui.app import run_gui

    return run_gui(data_dir=args.data_dir, demo=getattr(args, "demo", False), lang=getattr(args, "lang", None), verbose=args.verbose)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "seed-demo": cmd_seed, "db": cmd_db, "import": cmd_import, "export": cmd_export,
    "catalog": cmd_catalog, "gui": cmd_gui,
}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "gui"
    try:
        return args.func(args) if hasattr(args, "func") else COMMANDS[command](args)
    except DomainError as exc:
        print(f"错误 (error): {exc.bilingual()}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("unexpected error in %s", command)
        print("程序内部错误，详情已写入日志 (internal error; see the log in the data folder)", file=sys.stderr)
        return EXIT_BUG
