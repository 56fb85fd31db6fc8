"""Catalog, templates and calendar from the hub: fetched when the hub has a newer version, verified, unpacked.

Each version unpacks into its own folder under ``published/<kind>/v<N>``; the Meta entry naming it
is written last, so a crash mid-way leaves the previous version in use.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from sqlmodel import col, select

from agent_desk import atomic
from agent_desk.store.models import Meta
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.run import SyncRun
from agent_desk.sync.transport import with_retry

_KIND = re.compile(r"[a-z_]{1,40}")


def checked_publication(root: Path, kind: object, version: object) -> Path:
    """The folder of a publication the hub names, refused unless it stays under ``published/``.

    Names and versions come from the network: a name is ``[a-z_]+`` and a version a positive integer,
    and the resolved path must lie inside the data folder before anything is written or deleted.
    """
    number = version if isinstance(version, int) and not isinstance(version, bool) else None
    if isinstance(version, str) and version.isascii() and version.isdigit():
        number = int(version)
    if not (isinstance(kind, str) and _KIND.fullmatch(kind)) or number is None or number < 1:
        raise HubRejected(
            200,
            "bad_publication",
            f"服务器发来的发布名称或版本不合规（{kind!r} {version!r}），已拒绝",
        )
    base = (root / "published").resolve()
    target = (base / kind / f"v{number}").resolve()
    if not target.is_relative_to(base):
        raise HubRejected(200, "bad_publication", f"发布 {kind} 的位置超出数据文件夹，已拒绝")
    return target


def published_dir(root: Path, kind: str, version: int) -> Path:
    return checked_publication(root, kind, version)


def local_version(run: SyncRun, kind: str) -> int:
    with run.db.session() as session:
        meta = session.get(Meta, f"publication.{kind}")
    return int(meta.value) if meta else 0


def _local_versions(run: SyncRun) -> dict[str, int]:
    with run.db.session() as session:
        rows = session.scalars(select(Meta).where(col(Meta.key).startswith("publication.")))
        return {m.key.removeprefix("publication."): int(m.value) for m in rows}


def _unpack(data: bytes, target: Path) -> None:
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            parts = PurePosixPath(info.filename).parts
            if info.filename.startswith("/") or ".." in parts or not parts:
                raise HubRejected(200, "bad_archive", "发布包中有不安全的路径，已拒绝")
            dest = tmp.joinpath(*parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(dest, archive.read(info))
    shutil.rmtree(target, ignore_errors=True)
    atomic.replace(tmp, target)


def fetch_publications(run: SyncRun) -> None:
    available = run.publications  # sent with the last pull page; asked for only from an older hub
    if available is None:
        available = with_retry(run.client.publications, cancelled=run.cancelled, sleep=run.sleep)
    versions = _local_versions(run)
    for kind, info in sorted(available.items()):
        version = int(checked_publication(run.data.root, kind, info.get("version")).name[1:])
        if version <= versions.get(kind, 0):
            continue
        run.tick(
            "publications",
            0,
            None,
            f"正在下载 {kind} 第 {version} 版…",
            f"Downloading {kind} version {version}…",
        )
        data = with_retry(
            lambda k=kind, v=version: run.client.publication(k, v),  # type: ignore[misc]
            cancelled=run.cancelled,
        )
        if hashlib.sha256(data).hexdigest() != info["sha256"]:
            raise HubRejected(200, "bad_publication", f"下载的 {kind} 校验失败，下次同步时重试")
        _unpack(data, published_dir(run.data.root, kind, version))
        with run.db.session() as session:
            session.merge(Meta(key=f"publication.{kind}", value=str(version)))
            session.commit()
        run.report.publications.append(kind)
    _apply(run)
    _report_refusals(run)


def _apply(run: SyncRun) -> None:
    """Put what was fetched to use at once (a new calendar moves open cases' due dates), with
    progress; a version that fails its checks is kept out and named on the 同步 page."""
    from agent_desk.services.publications import apply_publications

    apply_publications(
        run.db,
        run.data.root,
        actor="同步",
        progress=lambda done, total, text: run.tick(
            "publications", done, total, text, "Applying published updates…"
        ),
    )


def _report_refusals(run: SyncRun) -> None:
    """Tell the hub once about each fetched version this desk refused (it keeps its previous one),
    so the county admin sees it (``agent-desk server publications``) without a phone call.

    A hub too old to take the report answers 404 or 405; that is remembered as reported too."""
    pending: list[tuple[str, int, str]] = []
    with run.db.session() as session:
        for kind, fetched in _local_versions(run).items():
            error = session.get(Meta, f"published.{kind}.error")
            reported = session.get(Meta, f"published.{kind}.reported")
            if (
                error is not None
                and error.value.startswith(f"第 {fetched} 版")
                and (reported is None or reported.value != str(fetched))
            ):
                pending.append((kind, fetched, error.value))
    for kind, version, reason in pending:
        try:
            with_retry(
                lambda k=kind, v=version, r=reason: run.client.report_refusal(k, v, r),  # type: ignore[misc]
                cancelled=run.cancelled,
                sleep=run.sleep,
            )
        except HubRejected as exc:
            if exc.status not in (404, 405):
                raise
        with run.db.session() as session:
            session.merge(Meta(key=f"published.{kind}.reported", value=str(version)))
            session.commit()
