"""The ``agent-desk`` command: the GUI (default), the demo seeder, the database, roster import/export."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent_desk import __version__
from agent_desk.cli_security import (
    add_audit_commands,
    add_password_stdin,
    cli_key,
    personal_data_key,
)
from agent_desk.core.errors import DomainError

if TYPE_CHECKING:
    from agent_desk.services.desk import Desk
    from agent_desk.services.desk_setup import AgentDetails
    from agent_desk.store.datadir import DataDir

log = logging.getLogger("agent_desk.cli")
EXIT_USER_ERROR = 2
EXIT_BUG = 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agent-desk", description="代办通 AgentDesk")
    parser.add_argument("--data-dir", help="数据文件夹 (data folder; env AGENT_DESK_HOME)")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--version", action="version", version=f"代办通 AgentDesk {__version__}")
    sub = parser.add_subparsers(dest="command")
    gui = sub.add_parser("gui", help="打开桌面程序 (open the window; the default)")
    gui.add_argument(
        "--demo", action="store_true", help="首次启动时生成演示数据 (seed demo data when empty)"
    )
    gui.add_argument("--lang", choices=("zh_CN", "en"), help="界面语言 (UI language)")
    gui.add_argument(
        "--quit-when-ready", action="store_true", help=argparse.SUPPRESS
    )  # start-time check
    test = sub.add_parser(
        "selftest", help="自检：演示库、填表、钥匙串、窗口 (check an installed copy)"
    )
    test.add_argument("--no-gui", action="store_true", help="不打开窗口 (skip the window check)")
    seed = sub.add_parser("seed-demo", help="生成演示数据 (seed demo data)")
    seed.add_argument("--clients", type=int, default=2000)
    seed.add_argument("--cases", type=int, default=5000)
    seed.add_argument("--seed", type=int, default=1)
    db = sub.add_parser("db", help="数据库维护 (database)").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="备份后升级数据库结构 (back up, then migrate)")
    db.add_parser("check", help="检查数据库 (schema and integrity)")
    imp = sub.add_parser("import", help="导入 (import)").add_subparsers(
        dest="import_what", required=True
    )
    imp_clients = imp.add_parser("clients", help="导入花名册 (.xlsx/.xls/.et/.csv)")
    imp_clients.add_argument("file", type=Path)
    imp_clients.add_argument(
        "--confirm-truncated",
        action="store_true",
        help="已核对原件：导入末三位为000的号码 (the 000-ending numbers are checked)",
    )
    add_password_stdin(imp_clients)
    find = sub.add_parser(
        "find", help="查找委托人，与窗口搜索框相同 (search clients like the search box)"
    )
    find.add_argument("query", help="姓名、拼音、首字母、身份证号或后几位、电话")
    find.add_argument("--limit", type=int, default=50)
    imp_clients.add_argument(
        "--add-villages",
        action="store_true",
        help="花名册中本机没有的村，添加到本机所在乡镇 (add unknown villages)",
    )
    exp = sub.add_parser("export", help="导出 (export)").add_subparsers(
        dest="export_what", required=True
    )
    exp_clients = exp.add_parser("clients", help="导出花名册（默认遮蔽证件号和电话）")
    exp_clients.add_argument("--out", type=Path, required=True)
    exp_clients.add_argument(
        "--full", action="store_true", help="导出完整号码（记入审计） (full numbers, audited)"
    )
    fill = sub.add_parser(
        "fill", help="填写表单 (fill a case's documents, or an item's forms for a client)"
    )
    which = fill.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", help="办件编号 (case number)")
    which.add_argument("--client", help="委托人身份证号码 (client's ID number; with --item)")
    fill.add_argument("--item", help="事项编码 (item code, with --client)")
    fill.add_argument("--out", type=Path, required=True, help="输出文件夹 (output folder)")
    fill.add_argument("--pdf", action="store_true", help="同时生成 PDF (LibreOffice)")
    fill.add_argument(
        "--allow-blank",
        action="store_true",
        help="资料不全时留空打印，空格手写 (print with blanks)",
    )
    fill.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="手工填写项 (a manual field)",
    )
    _add_setup(sub)
    cat = sub.add_parser("catalog", help="事项目录 (service catalog)").add_subparsers(
        dest="catalog_command", required=True
    )
    cat.add_parser("check", help="检查事项目录和模板").add_argument("dir", nargs="?", type=Path)
    cal = sub.add_parser("calendar", help="放假安排 (official calendar)").add_subparsers(
        dest="calendar_command", required=True
    )
    show = cal.add_parser(
        "show",
        help="列出某年的工作日放假和周末上班，并注明来源 (a year's days off and worked weekends)",
    )
    show.add_argument("year", type=int)
    show.add_argument(
        "--file",
        type=Path,
        help="显示该文件中的放假安排（JSON 或按通知填写的 .txt），用于发布前核对",
    )
    _add_hub_and_sync(sub)
    add_audit_commands(sub)
    return parser


def _add_setup(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    setup = sub.add_parser(
        "setup", help="离线设置本机：代办员信息和本机的村 (set up the desk offline)"
    )
    setup.add_argument("--agent-name", help="代办员姓名")
    setup.add_argument("--agent-phone", help="代办员电话")
    setup.add_argument("--agent-id-number", help="代办员公民身份号码")
    setup.add_argument("--service-room", help="便民服务室名称")
    setup.add_argument("--county", help="县级区划代码（6 位，可选；给出时村和乡镇必须在该县内）")
    setup.add_argument(
        "--township",
        action="append",
        default=[],
        metavar="CODE=NAME",
        help="乡镇，如 620524100=洛门镇",
    )
    setup.add_argument(
        "--village",
        action="append",
        default=[],
        metavar="CODE=NAME",
        help="村，如 620524100201=石桥村",
    )
    add_password_stdin(setup)


def _add_hub_and_sync(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from agent_desk.server.cli import add_server_commands
    from agent_desk.sync.cli import add_sync_commands

    add_server_commands(sub)
    add_sync_commands(sub)


@contextmanager
def _desk(
    args: argparse.Namespace, *, migrate: bool = True, log: bool = True, personal: bool = False
) -> Iterator[Desk]:
    """The opened desk, closed afterwards so its connections and WAL do not outlive the command.

    ``personal``: the command writes personal data, so a desk without a password gets one first.
    """
    from agent_desk.services.desk import open_desk, setup_logging

    key = (
        personal_data_key(args)
        if personal
        else cli_key(args.data_dir, stdin=getattr(args, "password_stdin", False))
    )
    desk = open_desk(args.data_dir, migrate=migrate, key=key, actor="cli")
    try:
        if log:
            setup_logging(desk.data, verbose=args.verbose)
        yield desk
    finally:
        desk.close()


def cmd_seed(args: argparse.Namespace) -> int:
    from agent_desk.services.demo import seed_demo
    from agent_desk.services.demo_catalog import demo_items
    from agent_desk.services.demo_first_run import ensure_demo_agent
    from agent_desk.store.queries import count_clients

    started = time.perf_counter()
    with _desk(args) as desk, desk.db.session() as session:
        if count_clients(session):
            print(
                "数据库中已有委托人，未生成演示数据 (database not empty; nothing seeded)",
                file=sys.stderr,
            )
            return EXIT_USER_ERROR
        counts = seed_demo(
            session,
            demo_items(),
            clients=args.clients,
            cases=args.cases,
            seed=args.seed,
            progress=lambda step: print(f"… {step}", flush=True),
        )
        session.commit()
        ensure_demo_agent(desk.data.settings_file, desk)  # before the desk closes
    elapsed = time.perf_counter() - started
    print(
        "已生成演示数据 (seeded): "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f" in {elapsed:.1f}s"
    )
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
    print(
        f"结构版本 (schema) {state.revision} / 最新 (head) {state.head}; 完整性 (integrity) {'正常 ok' if not problems else '有问题 FAILED'}"
    )
    plain = _report_plaintext(desk.data)
    return 0 if not (problems or plain) else 1


def _report_plaintext(data: DataDir) -> bool:
    """Print every plain-text database file in the data folder; True when an encrypted desk has any."""
    from agent_desk.services.vault import is_protected
    from agent_desk.store.encrypt import plaintext_files

    found = plaintext_files(data.root)
    if not is_protected(data):
        if found:
            print("数据未加密 (not encrypted)：请用 agent-desk password set 设置密码；演示数据除外")
        return False
    for path in found:
        print(f"未加密文件 (plaintext file): {path}")
    return bool(found)


def cmd_import(args: argparse.Namespace) -> int:
    from agent_desk.services.roster import import_clients

    if not args.file.is_file():
        raise DomainError(
            f"找不到文件 {args.file}",
            code="roster_missing",
            message_en=f"no such file: {args.file}",
        )
    with _desk(args, personal=True) as desk, desk.db.session() as session:
        report = import_clients(
            args.file,
            session=session,
            actor="cli",
            progress=lambda done, total: print(f"… {done}/{total}", file=sys.stderr, flush=True),
            confirm_truncated=args.confirm_truncated,
            add_villages=args.add_villages,
        )
        session.commit()
    for reason, rows in report.grouped():  # file:row: reason, one line for rows sharing a reason
        count = f"（共 {len(rows)} 行）" if len(rows) > 1 else ""
        print(f"{args.file.name}:{','.join(map(str, rows))}: {reason}{count}")
    print(report.summary_zh())
    if report.held:
        print(
            "核对原件无误后，可加 --confirm-truncated 再导入一次 (re-run with --confirm-truncated once checked)"
        )
    return 0 if not (report.refused or report.held) else 1


def cmd_find(args: argparse.Namespace) -> int:
    from agent_desk.services.clients import find_lines

    with _desk(args) as desk, desk.db.session() as session:
        lines = find_lines(session, args.query, limit=args.limit)
    for line in lines:
        print(line)
    if not lines:
        print(f"没有找到「{args.query}」 (no client found)", file=sys.stderr)
    return 0 if lines else 1


def cmd_export(args: argparse.Namespace) -> int:
    from agent_desk.services.roster import export_clients

    with _desk(args) as desk, desk.db.session() as session:
        count = export_clients(args.out, session=session, full=args.full, actor="cli")
        session.commit()
    print(f"已导出 {count} 人到 {args.out} (exported)")
    return 0


def cmd_fill(args: argparse.Namespace) -> int:
    from agent_desk.services.fill_command import fill_case, fill_client_item, to_pdf
    from agent_desk.services.work import desk_work

    if args.client and not args.item:
        print("错误 (error): --client 需要同时给出 --item 事项编码", file=sys.stderr)
        return EXIT_USER_ERROR
    manual = dict(pair.split("=", 1) for pair in args.set if "=" in pair)
    with _desk(args) as desk, desk.db.session() as session:
        work = desk_work(desk, session)
        if args.case:
            outcome = fill_case(work, args.case, args.out, allow_blank=args.allow_blank)
            session.commit()
        else:
            outcome = fill_client_item(
                work, args.client, args.item, args.out, manual=manual, allow_blank=args.allow_blank
            )
    blank = "留空待手写 (left blank)" if args.allow_blank else "缺少 (missing)"
    for missing in outcome.missing:
        print(f"{blank} {missing.path}: {missing.label} — {missing.message}", file=sys.stderr)
    for key, why in outcome.failed:
        print(f"未生成 (failed) {key}: {why}", file=sys.stderr)
    if outcome.missing and not args.allow_blank:
        print(
            "资料不全，未生成任何文件；补全资料，或加 --allow-blank 留空打印 (incomplete: nothing written)",
            file=sys.stderr,
        )
        return 1
    written = list(outcome.written)
    if args.pdf and written:
        written += to_pdf(outcome.written, args.out)
    for path in written:
        print(path)
    return 0 if not outcome.failed else 1


AGENT_FLAGS = {
    "name": "--agent-name",
    "phone": "--agent-phone",
    "id_number": "--agent-id-number",
    "service_room": "--service-room",
}


def _setup_agent(args: argparse.Namespace, known: dict[str, str]) -> AgentDetails | None:
    """The agent's details from the flags, the ones not given kept from the settings."""
    from agent_desk.services.desk_setup import AgentDetails

    given = {key: getattr(args, flag[2:].replace("-", "_")) for key, flag in AGENT_FLAGS.items()}
    if not any(given.values()):
        return None
    values = {key: given[key] or known.get(key) or "" for key in AGENT_FLAGS}
    lacking = [AGENT_FLAGS[key] for key, value in values.items() if not value]
    if lacking:
        raise DomainError("代办员信息不全，请给出 " + "、".join(lacking), code="agent_incomplete")
    return AgentDetails(**values)


def cmd_setup(args: argparse.Namespace) -> int:
    from agent_desk.services.desk_setup import DeskSetup, apply_setup, parse_code_pairs
    from agent_desk.services.settings import load_settings, save_settings

    personal = bool(
        args.agent_id_number or args.agent_phone
    )  # the agent's own: a new desk is encrypted first
    with _desk(args, personal=personal) as desk:
        settings = load_settings(desk.data.settings_file)
        setup = DeskSetup(
            agent=_setup_agent(args, settings.agent.values()),
            townships=parse_code_pairs(args.township, "乡镇"),
            villages=parse_code_pairs(args.village, "村"),
            county=args.county,
        )
        with desk.db.session() as session:
            settings, report = apply_setup(setup, settings, session=session)
            session.commit()
        save_settings(desk.data.settings_file, settings)
    print(f"已设置本机 (desk set up)：{report.summary_zh()}")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    from agent_desk.catalog.check import main as check_main

    return check_main([str(args.dir)] if args.dir else [])


def cmd_calendar(args: argparse.Namespace) -> int:
    """``calendar show YEAR``: what this desk counts (package / published version / estimated)."""
    from agent_desk.core.calendar import WorkCalendar, default_calendar
    from agent_desk.core.calendar_notice import year_lines

    if not 1901 <= args.year <= 2099:
        raise DomainError(f"年份 {args.year} 超出范围（1901–2099）", code="bad_year")
    if args.file is not None:
        calendar = WorkCalendar(_calendar_file(args.file))
        print(f"文件 (file) {args.file}")
    else:
        with _desk(args, log=False):
            calendar = default_calendar()  # opening the desk installed its published calendar
    for line in year_lines(calendar, args.year):
        print(line)
    return 0


def _calendar_file(path: Path) -> dict[int, Any]:
    from agent_desk.catalog.published import read_calendar
    from agent_desk.core.calendar import parse_overrides
    from agent_desk.core.calendar_notice import parse_notice

    if path.suffix.lower() == ".json":
        return read_calendar(path)
    try:
        return parse_overrides(parse_notice(path.read_text(encoding="utf-8")))
    except DomainError as exc:
        raise DomainError(f"{path}:{exc.field or 1}: {exc}", code="calendar.bad_notice") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(
            f"{path}: 无法读取（应为 UTF-8 编码的文字）：{exc}", code="calendar.bad_notice"
        ) from None


def cmd_gui(args: argparse.Namespace) -> int:
    from agent_desk.ui.app import run_gui

    return run_gui(
        data_dir=args.data_dir,
        demo=getattr(args, "demo", False),
        lang=getattr(args, "lang", None),
        verbose=args.verbose,
        quit_when_ready=getattr(args, "quit_when_ready", False),
    )


def cmd_selftest(args: argparse.Namespace) -> int:
    """Checks run in a temp folder; the user's own data folder is never opened."""
    import tempfile

    from agent_desk.services.selftest import run_checks

    extra = []
    if not args.no_gui:
        from agent_desk.ui.selftest import window_opens

        extra.append(window_opens)
    with tempfile.TemporaryDirectory(prefix="agent-desk-selftest-") as folder:
        results = run_checks(Path(folder) / "desk", extra)
    for check in results:
        print(
            f"{'通过 ok  ' if check.ok else '失败 FAIL'} {check.name}: {check.detail}", flush=True
        )
    passed = all(check.ok for check in results)
    print("自检通过 (self-test passed)" if passed else "自检失败 (self-test FAILED)")
    return 0 if passed else 1


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "seed-demo": cmd_seed,
    "db": cmd_db,
    "import": cmd_import,
    "export": cmd_export,
    "catalog": cmd_catalog,
    "calendar": cmd_calendar,
    "gui": cmd_gui,
    "setup": cmd_setup,
    "fill": cmd_fill,
    "selftest": cmd_selftest,
    "find": cmd_find,
}


def main(argv: Sequence[str] | None = None) -> int:
    from agent_desk.paths import private_files

    private_files()  # every file of the desk or the hub: 0600, folders 0700 (Linux)
    args = _parser().parse_args(argv)
    command = args.command or "gui"
    try:
        if hasattr(args, "func"):  # the audit, backup and password commands
            return args.func(args)
        handler = COMMANDS.get(command) or args.handler  # server/sync register their own handler
        return handler(args)
    except DomainError as exc:
        print(f"错误 (error): {exc.bilingual()}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("unexpected error in %s", command)
        print(
            "程序内部错误，详情已写入日志 (internal error; see the log in the data folder)",
            file=sys.stderr,
        )
        return EXIT_BUG
