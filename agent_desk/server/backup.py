"""``server backup`` / ``restore``: the database and the blob store in one dated, checksummed archive.

The archive is a tar holding ``manifest.json`` (created, schema revision, database kind and the
sha256 of every member), the database (SQLite through its online backup API, so the hub keeps
serving; PostgreSQL as a ``pg_dump`` custom-format dump) and ``blobs/…``. A ``.sha256`` file next to
it lets an operator check a copy with ``sha256sum -c``. The database is copied before the blobs:
blobs are content-addressed and only ever added, so every scan a backed-up row names is in the archive.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from agent_desk import __version__, atomic
from agent_desk.core.errors import DomainError
from agent_desk.server.config import HubSettings
from agent_desk.server.db import make_hub_engine
from agent_desk.server.schema import schema_state

FORMAT = 1
SQLITE_MEMBER, PG_MEMBER = "database.sqlite", "database.pgdump"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(settings: HubSettings, dest_dir: Path | None = None) -> Path:
    """Write ``agent-desk-hub-YYYYmmdd-HHMMSS.tar`` (and its ``.sha256``) and return its path."""
    dest = (dest_dir or settings.backups_dir()).expanduser()
    dest.mkdir(parents=True, exist_ok=True)
    url = settings.database_url()
    engine = make_hub_engine(url)
    try:
        revision = schema_state(engine).current
    finally:
        engine.dispose()
    archive = dest / f"agent-desk-hub-{datetime.now():%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory(dir=dest, prefix=".backup-") as tmp:
        db_member = _dump_database(url, Path(tmp))
        # Scans in S3 stay there: the object store's own versioning or replication keeps them.
        blobs = _blob_files(settings.data_dir() / "blobs") if settings.blob_store == "local" else {}
        members = {db_member.name: db_member, **blobs}
        manifest = {
            "format": FORMAT,
            "created": datetime.now().astimezone().isoformat(),
            "hub_version": __version__,
            "schema": revision,
            "database": db_member.name,
            "files": {name: sha256_file(path) for name, path in members.items()},
        }
        partial = archive.with_suffix(".tar.partial")
        partial.touch(mode=0o600)  # personal data and password hashes: the service user only
        with tarfile.open(partial, "w") as tar:
            _add_bytes(
                tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            )
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        atomic.fsync_file(partial)
        atomic.replace(partial, archive)  # nothing half written under the final name
    atomic.write_text(
        archive.with_name(archive.name + ".sha256"), f"{sha256_file(archive)}  {archive.name}\n"
    )
    return archive


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _blob_files(root: Path) -> dict[str, Path]:
    objects = root / "objects"
    if not objects.is_dir():
        return {}
    return {
        f"blobs/{p.relative_to(objects).as_posix()}": p
        for p in sorted(objects.rglob("*"))
        if p.is_file()
    }


def _dump_database(url: str, tmp: Path) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = tmp / SQLITE_MEMBER
        _sqlite_copy(Path(parsed.database or ""), target)
        return target
    target = tmp / PG_MEMBER
    _pg_tool(
        "pg_dump", url, ["--format=custom", "--no-owner", f"--file={target}", *_pg_schema(url)]
    )
    return target


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while the hub keeps writing."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _pg_schema(url: str) -> list[str]:
    """Only the hub's own schema (the one its search_path names, ``public`` by default)."""
    engine = make_hub_engine(url)
    try:
        with engine.connect() as conn:
            schema = conn.exec_driver_sql("select current_schema()").scalar_one()
    finally:
        engine.dispose()
    return [f"--schema={schema}"]


def _pg_tool(tool: str, url: str | None, args: list[str]) -> None:
    """Run pg_dump/pg_restore with the password in PGPASSWORD, never on the command line."""
    exe = shutil.which(tool)
    if exe is None:
        raise DomainError(
            f"找不到 PostgreSQL 客户端工具 {tool}，请安装：sudo apt-get install postgresql-client",
            code="pg_tools_missing",
            message_en=f"{tool} not found: install postgresql-client",
        )
    env, target = dict(os.environ), []
    if url is not None:
        parsed = make_url(url)
        conninfo = parsed.set(drivername="postgresql", password=None)
        env |= {"PGPASSWORD": parsed.password} if parsed.password else {}
        target = [f"--dbname={conninfo.render_as_string(hide_password=False)}"]
    done = subprocess.run(
        [exe, *args, *target], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise DomainError(
            f"{tool} 失败：{done.stderr.strip()[-500:]}",
            code=f"{tool}_failed",
            message_en=f"{tool} exited with {done.returncode}",
        )


def _pg_restore(url: str, dump: Path) -> None:
    """Into the (existing, empty) schema the hub's URL names: the dump's CREATE SCHEMA is left out."""
    listing = dump.with_suffix(".list")
    _pg_tool("pg_restore", None, ["--list", f"--file={listing}", str(dump)])
    kept = [line for line in listing.read_text().splitlines() if " SCHEMA - " not in line]
    listing.write_text("\n".join(kept) + "\n")
    options = ["--no-owner", "--exit-on-error", "--single-transaction", f"--use-list={listing}"]
    _pg_tool("pg_restore", url, [*options, str(dump)])


def restore(archive: Path, settings: HubSettings) -> dict[str, Any]:
    """Restore into an empty hub (no schema, no blobs); the archive is checked before anything is written."""
    manifest, tmp = _unpack_checked(archive, settings.data_dir())
    try:
        _require_empty(settings)
        url = settings.database_url()
        db_file = tmp / manifest["database"]
        if make_url(url).get_backend_name() == "sqlite":
            if manifest["database"] != SQLITE_MEMBER:
                raise DomainError(
                    "这是 PostgreSQL 的备份，请恢复到 PostgreSQL 服务器", code="backup_kind"
                )
            _sqlite_copy(db_file, Path(make_url(url).database or ""))
        else:
            if manifest["database"] != PG_MEMBER:
                raise DomainError("这是 SQLite 的备份，请恢复到 SQLite 服务器", code="backup_kind")
            _pg_restore(url, db_file)
        objects = settings.data_dir() / "blobs" / "objects"
        for name in manifest["files"]:
            if name.startswith("blobs/"):
                target = objects / name.removeprefix("blobs/")
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(tmp / name, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _unpack_checked(archive: Path, near: Path) -> tuple[dict[str, Any], Path]:
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.is_file() and sidecar.read_text().split()[0] != sha256_file(archive):
        raise DomainError(f"备份文件 {archive.name} 校验失败（已损坏）", code="backup_corrupt")
    tmp = Path(tempfile.mkdtemp(dir=near, prefix=".restore-"))
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(tmp, filter="data")
        manifest = json.loads((tmp / "manifest.json").read_text(encoding="utf-8"))
        bad = [
            n
            for n, sha in manifest["files"].items()
            if not (tmp / n).is_file() or sha256_file(tmp / n) != sha
        ]
    except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DomainError(
            f"读不出备份文件 {archive}", code="backup_unreadable", message_en=str(exc)
        ) from exc
    if bad:
        shutil.rmtree(tmp, ignore_errors=True)
        raise DomainError(
            f"备份文件 {archive.name} 中 {len(bad)} 个文件校验失败：{bad[0]}", code="backup_corrupt"
        )
    return manifest, tmp


def _require_empty(settings: HubSettings) -> None:
    engine = make_hub_engine(settings.database_url())
    try:
        state = schema_state(engine).state
    finally:
        engine.dispose()
    objects = settings.data_dir() / "blobs" / "objects"
    if state != "empty" or (objects.is_dir() and any(p.is_file() for p in objects.rglob("*"))):
        raise DomainError(
            "只能恢复到空的服务器（数据库和附件文件夹都为空）",
            code="restore_not_empty",
            message_en="restore needs an empty hub",
        )
