"""``agent-desk catalog check [DIR]``: validate every item and lint every template.

Run before a catalog is published to the desks; a clean run is the promise that every form of
every item renders with no blank left by a typo.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from agent_desk.catalog.fields import Shape, field_shape
from agent_desk.catalog.lint import PartScan, attribute_findings, scan_template, used_variables
from agent_desk.catalog.loader import (
    Catalog,
    FormSource,
    Problem,
    default_catalog_dir,
    load_catalog,
)
from agent_desk.catalog.schema import FormSpec


def check_catalog(directory: Path | str, *, templates_dir: Path | None = None) -> list[Problem]:
    """Every problem of the catalog at ``directory``, sorted by file and line."""
    return _check(directory, templates_dir)[1]


def _check(
    directory: Path | str, templates_dir: Path | None = None
) -> tuple[Catalog, list[Problem]]:
    catalog = load_catalog(directory, templates_dir=templates_dir)
    problems = set(catalog.problems)
    for owner, form in [*catalog.forms(), *catalog.bundle_forms()]:
        source = catalog.form_sources[(owner, form.id)]
        problems.update(lint_form(catalog, form, source))
    problems.update(_bundle_notice_problems(catalog))
    return catalog, sorted(problems)


BUNDLE_NOTICE = "common/bundle_notice.docx"  # the combined one-time notice of every bundle


def _bundle_notice_problems(catalog: Catalog) -> list[Problem]:
    """The combined notice is filled from the request itself, so only its tags are linted."""
    if not catalog.bundles:
        return []
    path = catalog.templates_dir / BUNDLE_NOTICE
    scans, broken = scan_template(path)
    if broken:
        return [Problem(str(path), 1, f"{broken}（一件事一次性告知书）")]
    return [_at(path, scan, line, message) for scan in scans for line, message in scan.findings]


def lint_form(catalog: Catalog, form: FormSpec, source: FormSource) -> list[Problem]:
    """Problems of one form's template measured against its field map."""
    path = catalog.template_path(form)
    scans, broken = scan_template(path)
    if broken:
        return [
            Problem(
                str(path),
                1,
                f"{broken}（表单 {form.name}，见 {source.file}:{source.template_line}）",
            )
        ]
    problems = [_at(path, scan, line, message) for scan in scans for line, message in scan.findings]
    if any(scan.ast is None for scan in scans):
        return problems  # variables cannot be trusted from a template that does not parse
    problems += _variable_problems(path, form, source, scans)
    shapes: dict[str, Shape] = {
        name: field_shape(spec, form.fields) for name, spec in form.fields.items()
    }
    for scan in scans:
        problems += [_at(path, scan, line, msg) for line, msg in attribute_findings(scan, shapes)]
    return problems


def _at(path: Path, scan: PartScan, paragraph: int, message: str) -> Problem:
    line, prefix = scan.where(paragraph)
    return Problem(str(path), line, f"{prefix}第{paragraph}段：{message}")


def _variable_problems(
    path: Path, form: FormSpec, source: FormSource, scans: list[PartScan]
) -> list[Problem]:
    used = used_variables(scans)
    declared = set(form.fields)
    problems = []
    for name in sorted(used - declared):
        scan = next((s for s in scans if _mentions(s, name)), scans[0])
        problems.append(
            _at(
                path,
                scan,
                scan.paragraph_of(name),
                f"模板变量 {name} 未在表单 {form.id} 的字段表中声明 (undeclared variable)",
            )
        )
    for name in sorted(declared - used):
        problems.append(
            Problem(
                source.file,
                source.field_lines.get(name, source.line),
                f"字段 {name} 在模板 {form.template} 中没有用到 (unused field)",
            )
        )
    return problems


def _mentions(scan: PartScan, name: str) -> bool:
    return scan.ast is not None and name in used_variables([scan])


def _template_count(catalog: Catalog) -> int:
    forms = [*catalog.forms(), *catalog.bundle_forms()]
    return len({form.template for _owner, form in forms}) + bool(catalog.bundles)


def main(argv: Sequence[str] | None = None) -> int:
    """Print one ``file:line: message`` per problem; exit 1 when there are any, else 0."""
    parser = argparse.ArgumentParser(
        prog="agent-desk catalog check", description="检查事项目录和模板"
    )
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=default_catalog_dir(),
        help="forms/ 目录（或包含 forms/ 的目录）",
    )
    args = parser.parse_args(argv)
    catalog, problems = _check(args.directory)
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"目录检查未通过：{len(problems)} 个问题 (catalog has {len(problems)} problems)",
            file=sys.stderr,
        )
        return 1
    print(
        f"目录检查通过：{len(catalog.items)} 个事项，{len(catalog.bundles)} 个一件事，"
        f"{_template_count(catalog)} 个模板，无问题 (catalog clean)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
