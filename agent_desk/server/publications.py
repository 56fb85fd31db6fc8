"""Catalog, templates and calendar published with a version: one deterministic zip per version.

The catalog format belongs to another package; here a published directory is opaque files with
hashes, so desks can verify what they fetched.
"""

from __future__ import annotations

import hashlib
import io
import weakref
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select

from agent_desk.core.errors import DomainError
from agent_desk.protocol import MAX_REFUSAL, PublicationInfo
from agent_desk.server import tables as t
from agent_desk.server.auth import Principal, utcnow
from agent_desk.server.blobs import BlobStore
from agent_desk.server.db import HubDB

KINDS = ("catalog", "templates", "calendar")
_EPOCH = (2020, 1, 1, 0, 0, 0)


def _files(source: Path) -> list[tuple[str, Path]]:
    if source.is_file():
        return [(source.name, source)]
    if not source.is_dir():
        raise DomainError(f"找不到 {source}", code="not_found")
    return sorted(
        (p.relative_to(source).as_posix(), p)
        for p in source.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source).parts)
    )


def build_archive(source: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """A zip whose bytes depend only on the files' names and contents (fixed dates, sorted)."""
    buffer, manifest = io.BytesIO(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in _files(source):
            data = path.read_bytes()
            archive.writestr(zipfile.ZipInfo(name, _EPOCH), data, zipfile.ZIP_DEFLATED)
            manifest.append(
                {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            )
    if not manifest:
        raise DomainError(f"{source} 中没有可发布的文件", code="empty_publication")
    return buffer.getvalue(), manifest


def latest(db: HubDB, kind: str) -> PublicationInfo | None:
    p = t.publication.c
    with db.reading() as conn:
        row = (
            conn.execute(
                select(t.publication).where(p.kind == kind).order_by(p.version.desc()).limit(1)
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    return PublicationInfo(
        kind=kind,
        version=row["version"],
        sha256=row["sha256"],
        size=row["size"],
        files=row["files"],
    )


_p = t.publication.c
_NEWEST = select(_p.kind, func.max(_p.version).label("v")).group_by(_p.kind).subquery()
_LATEST = select(_p.kind, _p.version, _p.sha256).join(
    _NEWEST, (_NEWEST.c.kind == _p.kind) & (_NEWEST.c.v == _p.version)
)
COUNT = select(func.count()).select_from(t.publication)
# per process and database (tests run several hubs in one process): engine → (publications held, versions)
_latest_cache: weakref.WeakKeyDictionary[Engine, tuple[int, dict[str, dict[str, Any]]]] = (
    weakref.WeakKeyDictionary()
)


def latest_versions(conn: Connection, *, held: int | None = None) -> dict[str, dict[str, Any]]:
    """kind → {"version", "sha256"} of each kind's newest publication (a few hundred bytes).

    Every pull's last page carries these, so they are kept per process and read again only when
    the number of publications changes (publications are only ever added): one count, not a join.
    ``held`` is that count when the caller read it already (the pull reads it with the token)."""
    held = int(conn.execute(COUNT).scalar_one()) if held is None else held
    cached = _latest_cache.get(conn.engine)
    if cached is not None and cached[0] == held:
        return {kind: dict(info) for kind, info in cached[1].items()}
    versions = {
        kind: {"version": version, "sha256": sha} for kind, version, sha in conn.execute(_LATEST)
    }
    _latest_cache[conn.engine] = (held, versions)
    return {kind: dict(info) for kind, info in versions.items()}


def publish(db: HubDB, store: BlobStore, kind: str, source: Path) -> PublicationInfo:
    """Publish a new version, or return the current one when nothing changed."""
    if kind not in KINDS:
        raise DomainError(f"发布类型应为 {'/'.join(KINDS)}", code="bad_kind")
    data, manifest = build_archive(source)
    current = latest(db, kind)
    if current is not None and current.sha256 == hashlib.sha256(data).hexdigest():
        return current
    return _insert(db, store, kind, data, manifest)


def withdraw(db: HubDB, store: BlobStore, kind: str, version: int) -> PublicationInfo:
    """Publish again, as a new version, the content that preceded ``version`` (desks only move on).

    Withdrawing a calendar's first version publishes an empty calendar (the package data and the
    estimates from the law apply again); a catalog's or templates' first version has nothing
    before it but the shipped one, which a publication cannot name, so it is refused."""
    if kind not in KINDS:
        raise DomainError(f"发布类型应为 {'/'.join(KINDS)}", code="bad_kind")
    if content_key(db, kind, version) is None:
        raise DomainError(f"{kind} 没有第 {version} 版，无法撤回", code="no_such_version")
    previous = content_key(db, kind, version - 1) if version > 1 else None
    if previous is not None:
        with store.open(previous) as handle:
            data = handle.read()
        manifest = _manifest(data)
    elif kind == "calendar":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                zipfile.ZipInfo("calendar.json", _EPOCH), b"{}\n", zipfile.ZIP_DEFLATED
            )
        data = buffer.getvalue()
        manifest = _manifest(data)
    else:
        raise DomainError(
            f"{kind} 第 {version} 版之前没有已发布的版本可恢复", code="nothing_to_restore"
        )
    return _insert(db, store, kind, data, manifest)


def _manifest(data: bytes) -> list[dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            {
                "path": info.filename,
                "sha256": hashlib.sha256(archive.read(info)).hexdigest(),
                "size": info.file_size,
            }
            for info in archive.infolist()
        ]


def _insert(
    db: HubDB, store: BlobStore, kind: str, data: bytes, manifest: list[dict[str, Any]]
) -> PublicationInfo:
    digest = hashlib.sha256(data).hexdigest()
    p = t.publication.c
    with db.writing() as conn:
        version = (
            int(
                conn.execute(
                    select(func.coalesce(func.max(p.version), 0)).where(p.kind == kind)
                ).scalar_one()
            )
            + 1
        )
        key = f"pub-{kind}-{version}-{digest}"
        store.put(key, data)
        conn.execute(
            insert(t.publication).values(
                kind=kind,
                version=version,
                sha256=digest,
                size=len(data),
                files=manifest,
                blob=key,
                created_at=utcnow(),
            )
        )
    return PublicationInfo(
        kind=kind, version=version, sha256=digest, size=len(data), files=manifest
    )


def content_key(db: HubDB, kind: str, version: int) -> str | None:
    p = t.publication.c
    with db.reading() as conn:
        return conn.execute(select(p.blob).where(p.kind == kind, p.version == version)).scalar()


def record_refusal(db: HubDB, who: Principal, kind: str, version: int, reason: str) -> bool:
    """Keep a desk's report that it could not use ``version`` (the latest report per device wins).

    False when no such version was published (the caller answers 404). The reason is the desk's
    own text: kept as plain text, one line, for the county admin to read."""
    if kind not in KINDS or content_key(db, kind, version) is None:
        return False
    r = t.publication_refusal.c
    line = " ".join(reason.split())[:MAX_REFUSAL]
    key = (r.kind == kind, r.version == version, r.device_id == who.device_id)
    with db.writing() as conn:
        conn.execute(delete(t.publication_refusal).where(*key))
        conn.execute(
            insert(t.publication_refusal).values(
                kind=kind,
                version=version,
                device_id=who.device_id,
                user_id=who.user_id,
                reason=line,
                reported_at=utcnow(),
            )
        )
    return True


def refusals(db: HubDB) -> list[dict[str, Any]]:
    """Every report, newest version first: kind, version, device, user name, reason, when."""
    r, u = t.publication_refusal.c, t.user.c
    stmt = (
        select(r.kind, r.version, r.device_id, u.username, r.reason, r.reported_at)
        .join(t.user, u.id == r.user_id, isouter=True)
        .order_by(r.kind, r.version.desc(), r.reported_at)
    )
    with db.reading() as conn:
        return [dict(row._mapping) for row in conn.execute(stmt)]
