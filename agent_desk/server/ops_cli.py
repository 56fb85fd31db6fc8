"""``agent-desk server check-config | backup | restore | upgrade | import-villages | import-users``.

The operator's commands, apart from ``server/cli.py`` so the setup commands and these grow apart.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from agent_desk.core.errors import DomainError

SETTING_FLAGS = ("db", "host", "port", "workers", "certfile", "keyfile", "behind_proxy")


def add_ops_commands(sub: Any) -> None:
    sub.add_parser(
        "check-config",
        help="检查配置并显示生效的设置，密码已遮盖 (validate and print the settings)",
    )
    backup = sub.add_parser("backup", help="备份数据库和附件到一个带校验的归档 (back up the hub)")
    backup.add_argument("--out", type=Path, help="备份文件夹 (default: backup_dir)")
    restore = sub.add_parser("restore", help="把备份恢复到空的服务器 (restore into an empty hub)")
    restore.add_argument("archive", type=Path)
    sub.add_parser("upgrade", help="先备份，再升级数据库结构 (back up, then migrate)")
    for kind, what in (("villages", "村"), ("users", "用户")):
        bulk = sub.add_parser(
            f"import-{kind}", help=f"从 .xlsx/.csv 批量导入{what} (bulk import {kind})"
        )
        bulk.add_argument("file", type=Path)
        bulk.add_argument("--dry-run", action="store_true", help="只检查，不写入 (check only)")
        if kind == "users":
            bulk.add_argument(
                "--passwords-out", type=Path, help="新用户初始密码写入此文件 (mode 600)"
            )


def cli_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given as flags (none of them a secret: see config.load_settings)."""
    given = {name: getattr(args, name, None) for name in SETTING_FLAGS}
    return given | {"home": getattr(args, "hub_dir", None)}


def hub_settings(args: argparse.Namespace) -> Any:
    from agent_desk.server.config import load_settings

    return load_settings(getattr(args, "config", None), cli_overrides(args))


def open_hub(settings: Any, *, check_schema: bool = True) -> Any:
    """The hub of these settings; an empty database is created, an older or newer one refused."""
    from agent_desk.server.app import Hub
    from agent_desk.server.db import HubDB
    from agent_desk.server.schema import ensure_current

    db = HubDB.open(settings.database_url(), migrate=False)
    hub = Hub(db, blob_store(settings, db.engine), min_desk_version=settings.min_desk_version)
    try:
        if check_schema:
            ensure_current(hub.db.engine)
    except Exception:
        hub.db.close()
        raise
    return hub


def blob_store(settings: Any, engine: Any) -> Any:
    """The local folder or S3-compatible storage, sealed when the hub has a blob key."""
    from agent_desk.server.sealed_blobs import SealedBlobStore

    store = _plain_blob_store(settings, engine)
    key = settings.blob_key_bytes()
    return SealedBlobStore(store, key) if key is not None else store


def _plain_blob_store(settings: Any, engine: Any) -> Any:
    """The local folder, or S3-compatible storage shared by several hub hosts (s3_blobs.py)."""
    from agent_desk.server.blobs import LocalBlobStore

    if settings.blob_store == "local":
        return LocalBlobStore(settings.data_dir() / "blobs")
    from agent_desk.server.s3_blobs import S3BlobStore, s3_client

    keys = (
        k.get_secret_value() if k else None
        for k in (settings.s3_access_key, settings.s3_secret_key)
    )
    client = s3_client(settings.s3_endpoint, settings.s3_region, *keys)
    return S3BlobStore(client, settings.s3_bucket, prefix=settings.s3_prefix, engine=engine)


def check_config(args: argparse.Namespace) -> int:
    from agent_desk.server.db import make_hub_engine
    from agent_desk.server.schema import schema_state

    settings = hub_settings(args)
    for name, value in settings.effective().items():
        print(f"{name} = {value}")
    engine = make_hub_engine(settings.database_url())
    try:
        state = schema_state(engine)
    except Exception as exc:  # noqa: BLE001 - reported, the exit code says it
        print(f"数据库连接失败 (database unreachable): {type(exc).__name__}")
        return 1
    finally:
        engine.dispose()
    print(f"数据库结构 (schema): {state.current or '空 (empty)'} / 程序 (code): {state.head}")
    if state.problem:
        print(state.problem)
        return 1
    print("配置有效 (settings valid)")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from agent_desk.server.backup import backup

    archive = backup(hub_settings(args), args.out)
    print(f"已备份到 {archive} (backup written; checksum in {archive.name}.sha256)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from agent_desk.server.backup import restore
    from agent_desk.server.db import make_hub_engine
    from agent_desk.server.schema import schema_state

    settings = hub_settings(args)
    manifest = restore(args.archive, settings)
    print(f"已恢复 {manifest['created']} 的备份，{len(manifest['files']) - 1} 个附件 (restored)")
    engine = make_hub_engine(settings.database_url())
    try:
        problem = schema_state(engine).problem
    finally:
        engine.dispose()
    if problem:
        print(problem)
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    from agent_desk.server.backup import backup
    from agent_desk.server.db import make_hub_engine, upgrade_hub
    from agent_desk.server.schema import schema_state

    settings = hub_settings(args)
    engine = make_hub_engine(settings.database_url())
    try:
        state = schema_state(engine)
        if state.state == "newer":
            raise DomainError(state.problem or "", code="schema_newer")
        if state.state == "current":
            print(f"数据库结构已是最新 ({state.head})，无需升级 (already current)")
            return 0
        if state.state == "older":
            print(f"升级前已备份到 {backup(settings)} (backed up first)")
        upgrade_hub(engine)
    finally:
        engine.dispose()
    print(f"数据库结构已升级到 {state.head} (schema upgraded)")
    return 0


def run_bulk(args: argparse.Namespace) -> int:
    from agent_desk.server import bulk_admin

    hub = open_hub(hub_settings(args))
    try:
        kind = args.server_command.removeprefix("import-")
        out = getattr(args, "passwords_out", None)
        report = bulk_admin.import_file(
            hub.db, kind, args.file, dry_run=args.dry_run, passwords_out=out
        )
    finally:
        hub.db.close()
    for line in report.lines():
        print(line)
    return 1 if report.bad else 0


OPS_COMMANDS = {
    "check-config": check_config,
    "backup": run_backup,
    "restore": run_restore,
    "upgrade": run_upgrade,
    "import-villages": run_bulk,
    "import-users": run_bulk,
}
