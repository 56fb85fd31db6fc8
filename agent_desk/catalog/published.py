"""The checks a catalog, templates or calendar publication must pass: before the hub publishes it,
and again on every desk before the desk uses it (a desk never trusts what it downloaded).

Each check returns ``file:line: reason`` lines; an empty list means the publication is usable.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from agent_desk.core.calendar import YearOverride, parse_overrides
from agent_desk.core.errors import DomainError

__all__ = [
    "calendar_file",
    "check_calendar",
    "check_catalog_dir",
    "check_templates_dir",
    "read_calendar",
]


def calendar_file(folder: Path) -> Path | None:
    """The single ``.json`` file of a calendar publication folder (or the file itself)."""
    if folder.is_file():
        return folder
    files = sorted(p for p in folder.glob("*.json") if p.is_file())
    return files[0] if len(files) == 1 else None


def read_calendar(path: Path) -> dict[int, YearOverride]:
    """Parse a published calendar (JSON ``{"2027": {"holidays": [...], "workdays": [...]}}``).

    Raises DomainError with the file and line of the problem."""
    found = calendar_file(path)
    if found is None:
        raise DomainError(
            f"{path}: 日历发布包中应有且只有一个 .json 文件", code="calendar.bad_data"
        )
    try:
        data = json.loads(found.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(
            f"{found}:1: 无法读取（应为 UTF-8 编码的 JSON）：{exc}", code="calendar.bad_data"
        ) from None
    except json.JSONDecodeError as exc:
        raise DomainError(
            f"{found}:{exc.lineno}: JSON 格式错误：{exc.msg}", code="calendar.bad_data"
        ) from None
    try:
        return parse_overrides(data)
    except DomainError as exc:
        line = _line_of(found, exc.field, str(exc))
        raise DomainError(
            f"{found}:{line}: {exc}", code="calendar.bad_data", field=exc.field
        ) from None


def _line_of(path: Path, where: str | None, message: str) -> int:
    """The line holding the offending value (quoted 「…」 in the message), else its year's line."""
    quoted = re.search("「(.+?)」", message)
    year = (where or "").split(".")[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    for needle in ([f'"{quoted.group(1)}"'] if quoted else []) + ([f'"{year}"'] if year else []):
        for number, text in enumerate(lines, start=1):
            if needle in text:
                return number
    return 1


def check_calendar(path: Path) -> list[str]:
    """Problems of a calendar publication (empty when it parses and checks)."""
    try:
        read_calendar(path)
    except DomainError as exc:
        return [str(exc)]
    return []


def check_catalog_dir(catalog_dir: Path, templates_dir: Path | None) -> list[str]:
    """Every problem ``agent-desk catalog check`` reports, against the templates in use."""
    if not catalog_dir.is_dir():
        return [f"{catalog_dir}: 找不到事项目录文件夹"]
    from agent_desk.catalog.check import check_catalog  # the docx stack: only when checking

    return [str(problem) for problem in check_catalog(catalog_dir, templates_dir=templates_dir)]


def check_templates_dir(
    templates_dir: Path, catalog_dir: Path, catalog_templates: Path | None = None
) -> list[str]:
    """New templates must serve the catalog in use: every form's template present and linted clean.

    Problems the catalog already had with its current templates are not blamed on the new ones."""
    if not templates_dir.is_dir():
        return [f"{templates_dir}: 找不到模板文件夹"]
    before = set(check_catalog_dir(catalog_dir, catalog_templates))
    after = check_catalog_dir(catalog_dir, templates_dir)
    prefix = str(templates_dir)
    return [p for p in after if p not in before and (p.startswith(prefix) or "模板" in p)]
