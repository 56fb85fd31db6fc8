"""What the county publishes, the desk obeys: catalog, templates and calendar versions put to use.

Sync downloads each new version into ``published/<kind>/v<N>`` and records it as *fetched*
(Meta ``publication.<kind>``). This module checks a fetched version with the same checks the hub
ran before publishing, and only then makes it *applied* (Meta ``published.<kind>.applied``):

* templates and catalog: new cases use the applied versions; each case keeps the versions it was
  opened under (``CasePublication``), so reprinting an old case gives the same forms;
* calendar: installed as the default calendar at once, and every open case's due date is
  recomputed in the same transaction (``services.deadlines``).

A version that fails its checks is not applied: the previous one stays in use and the reason is
kept (Meta ``published.<kind>.error``) for the 同步 page.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from agent_desk.catalog.loader import Catalog, default_catalog_dir, load_catalog
from agent_desk.catalog.published import (
    check_calendar,
    check_catalog_dir,
    check_templates_dir,
    read_calendar,
)
from agent_desk.core.calendar import WorkCalendar, default_calendar, set_default_overrides
from agent_desk.core.errors import DomainError
from agent_desk.store.db import Database
from agent_desk.store.models import CasePublication, Meta

log = logging.getLogger(__name__)

KINDS = ("templates", "catalog", "calendar")  # templates first: the catalog is checked against them
KIND_ZH = {"catalog": "事项目录", "templates": "模板", "calendar": "放假安排"}
KIND_EN = {"catalog": "Service catalog", "templates": "Templates", "calendar": "Holiday calendar"}
Progress = Callable[[int, int | None, str], None]


def published_dir(root: Path, kind: str, version: int) -> Path:
    """Where sync unpacked version ``version`` of ``kind`` (see ``sync.publications``)."""
    return root / "published" / kind / f"v{version}"


def _meta_int(session: Session, key: str) -> int:
    meta = session.get(Meta, key)
    try:
        return int(meta.value) if meta else 0
    except ValueError:
        return 0


def _set_meta(session: Session, key: str, value: str | None) -> None:
    meta = session.get(Meta, key)
    if value is None:
        if meta is not None:
            session.delete(meta)
    elif meta is None:
        session.add(Meta(key=key, value=value))
    else:
        meta.value = value
        session.add(meta)


@dataclass(frozen=True)
class PublicationStatus:
    """One kind's state on this desk, as the 同步 page shows it."""

    kind: str
    fetched: int
    applied: int
    error: str | None

    def text_zh(self) -> str:
        name = KIND_ZH[self.kind]
        in_use = f"第 {self.applied} 版" if self.applied else "随软件安装的版本"
        if self.error:
            return f"{name}：{self.error}；继续使用{in_use}"
        return f"{name}：使用{in_use}"

    def text_en(self) -> str:
        name = KIND_EN[self.kind]
        in_use = f"version {self.applied}" if self.applied else "the version installed with the app"
        if self.error:
            return f"{name}: version {self.fetched} cannot be used; still using {in_use}"
        return f"{name}: using {in_use}"

    def text(self, lang: str = "zh_CN") -> str:
        """The status in the UI's language ("en" or Chinese)."""
        return self.text_en() if lang == "en" else self.text_zh()


def publication_status(session: Session) -> list[PublicationStatus]:
    """Fetched and applied versions of each kind, with the reason a version was refused."""
    statuses = []
    for kind in KINDS:
        error = session.get(Meta, f"published.{kind}.error")
        statuses.append(
            PublicationStatus(
                kind,
                _meta_int(session, f"publication.{kind}"),
                _meta_int(session, f"published.{kind}.applied"),
                error.value if error else None,
            )
        )
    return statuses


def applied_versions(session: Session) -> dict[str, int]:
    return {kind: _meta_int(session, f"published.{kind}.applied") for kind in KINDS}


# --- catalogs ------------------------------------------------------------------------------------

_catalogs: dict[tuple[Path, int, int], Catalog] = {}
_catalogs_lock = threading.Lock()


def _shipped_templates() -> Path:
    return load_catalog(default_catalog_dir()).templates_dir


def load_versions(root: Path, catalog_version: int, templates_version: int) -> Catalog:
    """The catalog of those versions (0 = shipped with the software), loaded once per process."""
    key = (root, catalog_version, templates_version)
    with _catalogs_lock:
        cached = _catalogs.get(key)
    if cached is not None:
        return cached
    templates = published_dir(root, "templates", templates_version) if templates_version else None
    if catalog_version:
        folder = published_dir(root, "catalog", catalog_version)
        catalog = load_catalog(folder, templates_dir=templates or _shipped_templates())
    else:
        catalog = load_catalog(default_catalog_dir(), templates_dir=templates)
    catalog.published = key
    with _catalogs_lock:
        _catalogs[key] = catalog
    return catalog


def current_catalog(root: Path, session: Session) -> Catalog:
    """The catalog new cases are opened with: the applied publications, else the shipped one."""
    versions = applied_versions(session)
    return load_versions(root, versions["catalog"], versions["templates"])


def record_case_versions(session: Session, case_id: str, catalog: Catalog) -> None:
    """Remember which catalog a new case was opened under; the caller commits."""
    _root, catalog_version, templates_version = catalog.published or (None, 0, 0)
    session.merge(
        CasePublication(
            case_id=case_id, catalog_version=catalog_version, templates_version=templates_version
        )
    )


def catalog_for_case(catalog: Catalog, case_id: str, session: Session) -> Catalog:
    """The catalog ``case_id`` was opened under (its documents, time limits and forms).

    Falls back to ``catalog`` for a case with no record (pulled from another desk, or opened before
    this desk kept records) and when the old version's folder is gone."""
    if catalog.published is None:
        return catalog
    row = session.get(CasePublication, case_id)
    root = catalog.published[0]
    if row is None or (root, row.catalog_version, row.templates_version) == catalog.published:
        return catalog
    folders = [
        published_dir(root, k, v)
        for k, v in (("catalog", row.catalog_version), ("templates", row.templates_version))
        if v
    ]
    if not all(folder.is_dir() for folder in folders):
        return catalog
    return load_versions(root, row.catalog_version, row.templates_version)


# --- the calendar --------------------------------------------------------------------------------


def install_calendar(root: Path, session: Session) -> WorkCalendar:
    """Make the applied calendar publication this process's default calendar (at desk opening)."""
    version = _meta_int(session, "published.calendar.applied")
    if not version:
        return set_default_overrides(None)
    try:
        overrides = read_calendar(published_dir(root, "calendar", version))
    except DomainError as exc:  # the folder was damaged after it was checked
        log.warning("published calendar v%s unreadable, using the package data: %s", version, exc)
        return set_default_overrides(None)
    return set_default_overrides(overrides, version=version)


# --- applying what sync fetched ------------------------------------------------------------------


def _problems(kind: str, folder: Path, root: Path, session: Session) -> list[str]:
    versions = applied_versions(session)
    templates = (
        published_dir(root, "templates", versions["templates"]) if versions["templates"] else None
    )
    if kind == "calendar":
        return check_calendar(folder)
    if kind == "catalog":
        return check_catalog_dir(folder, templates or _shipped_templates())
    current = (
        published_dir(root, "catalog", versions["catalog"])
        if versions["catalog"]
        else default_catalog_dir()
    )
    return check_templates_dir(folder, current, templates)


def apply_publications(
    db: Database, root: Path, *, actor: str = "", progress: Progress | None = None
) -> list[str]:
    """Check and apply every fetched version newer than the applied one; returns what was applied.

    One transaction per kind: the applied version, and for a calendar every recomputed due date
    with its event, are committed together or not at all."""
    applied: list[str] = []
    for kind in KINDS:
        with db.session() as session:
            if _apply_one(session, kind, root, actor, progress):
                applied.append(kind)
    return applied


def _apply_one(
    session: Session, kind: str, root: Path, actor: str, progress: Progress | None
) -> bool:
    fetched = _meta_int(session, f"publication.{kind}")
    error = session.get(Meta, f"published.{kind}.error")
    if fetched <= _meta_int(session, f"published.{kind}.applied"):
        return False
    if error is not None and error.value.startswith(f"第 {fetched} 版"):
        return False  # refused already: wait for the next version
    folder = published_dir(root, kind, fetched)
    exists = folder.is_dir()
    try:
        problems = (
            _problems(kind, folder, root, session) if exists else [f"{folder}: 发布包未下载完整"]
        )
    except (
        Exception
    ) as exc:  # a hostile or damaged package must never break the sync that fetched it
        log.exception("publication %s v%s could not be checked", kind, fetched)
        problems = [f"{folder}: 无法检查（{type(exc).__name__}）"]
    if problems:
        more = f"（共 {len(problems)} 处问题）" if len(problems) > 1 else ""
        log.warning("publication %s v%s refused: %s", kind, fetched, problems[:5])
        _set_meta(
            session, f"published.{kind}.error", f"第 {fetched} 版无法使用：{problems[0]}{more}"
        )
        session.commit()
        return False
    calendar = None
    if kind == "calendar":
        calendar = _apply_calendar(
            session, folder, fetched, actor, progress, queue=_owns_cases(root)
        )
    _set_meta(session, f"published.{kind}.applied", str(fetched))
    _set_meta(session, f"published.{kind}.error", None)
    session.commit()
    if calendar is not None:
        set_default_overrides(calendar.overrides, version=fetched)
    return True


def _owns_cases(root: Path) -> bool:
    """An agent's desk moves its cases' due dates for the hub; a reviewer's desk only shows them moved
    (the hub would refuse a reviewer's change of an agent's case; the agent's change arrives by sync)."""
    from agent_desk.protocol.roles import HELPER_ROLES
    from agent_desk.services.settings import load_settings

    return load_settings(root / "settings.json").role in HELPER_ROLES


def _apply_calendar(
    session: Session,
    folder: Path,
    version: int,
    actor: str,
    progress: Progress | None,
    *,
    queue: bool,
) -> WorkCalendar:
    """Recompute open cases' due dates on the new calendar; the caller installs it after commit."""
    from agent_desk.services.deadlines import recompute_due_dates

    new = WorkCalendar(read_calendar(folder), version=version)
    recompute_due_dates(
        session, default_calendar(), new, actor=actor or "系统", progress=progress, queue=queue
    )
    return new
