"""Before the hub publishes: the same checks every desk will run, and a summary of what changes.

``agent-desk server publish-catalog|publish-templates|publish-calendar`` call ``prepare``: a broken
publication is refused with every ``file:line: reason`` (nothing is published), a good one comes
back with the summary printed before publishing (or instead of it, with ``--dry-run``).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent_desk.catalog.loader import Catalog, default_catalog_dir, load_catalog
from agent_desk.catalog.published import check_catalog_dir, check_templates_dir, read_calendar
from agent_desk.core.calendar import WorkCalendar, parse_overrides
from agent_desk.core.calendar_notice import check_year_window, parse_notice, year_lines
from agent_desk.core.case_flow import OPEN_STATUSES
from agent_desk.core.errors import DomainError
from agent_desk.server import tables as t
from agent_desk.server.publications import content_key, latest

MAX_SHOWN = 40


@dataclass
class Prepared:
    """What to publish (a checked folder or file) and the lines that tell the admin what changes."""

    source: Path
    summary: list[str] = field(default_factory=list)
    scratch: tempfile.TemporaryDirectory[str] | None = None

    def cleanup(self) -> None:
        if self.scratch is not None:
            self.scratch.cleanup()


def _refuse(problems: list[str]) -> DomainError:
    shown = problems[:MAX_SHOWN] + (
        [f"……另有 {len(problems) - MAX_SHOWN} 处"] if len(problems) > MAX_SHOWN else []
    )
    return DomainError(
        "发布被拒绝，未作任何更改 (refused, nothing published):\n" + "\n".join(shown),
        code="publish_refused",
    )


def _previous(hub: Any, kind: str, scratch: Path) -> Path | None:
    """The hub's newest publication of ``kind``, unpacked into ``scratch`` (None if there is none)."""
    current = latest(hub.db, kind)
    key = content_key(hub.db, kind, current.version) if current else None
    if key is None:
        return None
    with hub.blobs.open(key) as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        archive.extractall(scratch / kind)
    return scratch / kind


def prepare(hub: Any, kind: str, source: Path, *, today: date) -> Prepared:
    """Check ``source`` as desks will, and summarise it against what the hub published last."""
    if not source.exists():
        raise DomainError(f"找不到 {source}", code="not_found")
    scratch = tempfile.TemporaryDirectory(prefix="agent-desk-publish-")
    prepared = Prepared(source, scratch=scratch)
    try:
        previous = _previous(hub, "catalog" if kind == "templates" else kind, Path(scratch.name))
        if kind == "calendar":
            _calendar(hub, prepared, previous, Path(scratch.name), today)
        elif kind == "catalog":
            _catalog(prepared, previous)
        else:
            _templates(prepared, previous)
    except BaseException:
        scratch.cleanup()
        raise
    return prepared


# --- catalog and templates -----------------------------------------------------------------------


def _catalog(prepared: Prepared, previous: Path | None) -> None:
    problems = check_catalog_dir(prepared.source, None)
    if problems:
        raise _refuse(problems)
    old = load_catalog(previous or default_catalog_dir())
    prepared.summary = catalog_changes(old, load_catalog(prepared.source))


def catalog_changes(old: Catalog, new: Catalog) -> list[str]:
    """Items added, removed and changed (with the fields that changed)."""
    added = sorted(set(new.items) - set(old.items))
    removed = sorted(set(old.items) - set(new.items))
    lines = [f"新增事项 (added): {code} {new.items[code].name}" for code in added]
    lines += [f"删除事项 (removed): {code} {old.items[code].name}" for code in removed]
    for code in sorted(set(old.items) & set(new.items)):
        before, after = old.items[code].model_dump(), new.items[code].model_dump()
        fields = [name for name in after if before.get(name) != after[name]]
        if fields:
            lines.append(f"修改事项 (changed): {code} {new.items[code].name}：{'、'.join(fields)}")
    changed = len(lines) - len(added) - len(removed)
    lines.append(
        f"共 {len(new.items)} 个事项：新增 {len(added)}，删除 {len(removed)}，修改 {changed}"
    )
    return lines


def _templates(prepared: Prepared, catalog: Path | None) -> None:
    if not prepared.source.is_dir():
        raise DomainError(f"{prepared.source} 应为模板文件夹", code="not_a_folder")
    catalog_dir = catalog or default_catalog_dir()
    problems = check_templates_dir(prepared.source, catalog_dir)
    if problems:
        raise _refuse(problems)
    files = sorted(p for p in prepared.source.rglob("*.docx") if not p.name.startswith("~$"))
    prepared.summary = [
        f"{len(files)} 个模板，已按{'已发布' if catalog else '随软件安装'}的事项目录检查"
    ]


# --- the calendar --------------------------------------------------------------------------------


def _calendar(
    hub: Any, prepared: Prepared, previous: Path | None, scratch: Path, today: date
) -> None:
    source = prepared.source
    if source.suffix.lower() == ".json":
        data = json.loads(json.dumps({str(y): _dump(o) for y, o in read_calendar(source).items()}))
    else:
        try:
            data = parse_notice(source.read_text(encoding="utf-8"))
        except DomainError as exc:
            raise DomainError(
                f"{source}:{exc.field or 1}: {exc}", code="calendar.bad_notice"
            ) from None
        except UnicodeDecodeError:
            raise DomainError(
                f"{source}:1: 应为 UTF-8 编码的文字", code="calendar.bad_notice"
            ) from None
    check_year_window(data, today)
    prepared.source = scratch / "calendar.json"
    prepared.source.write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    old = WorkCalendar(read_calendar(previous) if previous else None)
    current = latest(hub.db, "calendar")
    new = WorkCalendar(parse_overrides(data), version=(current.version if current else 0) + 1)
    for year in sorted(int(y) for y in data):
        prepared.summary += year_lines(new, year) + _dropped(year, new)
    moved = _moved_on_hub(hub, old, new)
    prepared.summary.append(
        f"乡镇服务器上有 {moved} 个在办办件的办结期限将随之调整 (open cases whose due date changes)"
    )


def _dropped(year: int, new: WorkCalendar) -> list[str]:
    """A published year replaces the whole year: say so when days off the package knows vanish."""
    shipped = WorkCalendar()
    if not shipped.has_data_for(year):
        return []
    lost = [d for d in _weekdays(year) if not shipped.is_working_day(d) and new.is_working_day(d)]
    if not lost:
        return []
    return [
        f"注意：发布的年份整体替换软件自带的放假安排，{len(lost)} 个原放假日将改为上班"
        f"（如 {lost[0].isoformat()}）；只改几天时请写出全年安排 (the year is replaced as a whole)"
    ]


def _weekdays(year: int) -> list[date]:
    first = date(year, 1, 1).toordinal()
    days = (date.fromordinal(n) for n in range(first, date(year, 12, 31).toordinal() + 1))
    return [d for d in days if d.weekday() < 5]


def _dump(override: Any) -> dict[str, list[str]]:
    return {
        "holidays": sorted(d.isoformat() for d in override.holidays),
        "workdays": sorted(d.isoformat() for d in override.workdays),
    }


def _moved_on_hub(hub: Any, old: WorkCalendar, new: WorkCalendar) -> int:
    """Open cases the hub holds whose due date the new calendar moves (as each desk will)."""
    r = t.record.c
    open_values = {s.value for s in OPEN_STATUSES}
    moved = 0
    with hub.db.reading() as conn:
        for fields in conn.execute(
            select(r.fields).where(r.entity == "case", r.deleted.is_(False))
        ).scalars():
            accepted, due = fields.get("accepted_on"), fields.get("due_on")
            if fields.get("status") not in open_values or not accepted or not due:
                continue
            accepted_on, due_on = date.fromisoformat(accepted), date.fromisoformat(due)
            days = old.working_days_between(accepted_on, due_on)
            moved += days >= 0 and new.add_working_days(accepted_on, days) != due_on
    return moved
