"""Load the catalog from YAML, keeping every valid item and reporting every problem precisely.

A county catalog is edited by several people; one broken file must not take the desk's other
60 items down with it, so every file (and every common form) is loaded on its own and each
problem becomes a :class:`Problem` naming file and line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from agent_desk.catalog.bundles import bundle_findings
from agent_desk.catalog.rules import Finding, form_findings, item_findings, pydantic_findings, where
from agent_desk.catalog.schema import Bundle, CatalogMeta, FormSpec, ServiceItem
from agent_desk.catalog.yamlpos import Loc, YamlDoc, duplicate_keys, error_line, parse_yaml
from agent_desk.core.errors import DomainError

COMMON = "common"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the catalog, printed as ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class FormSource:
    """Where a form is declared, so template problems can point back at the YAML too."""

    file: str
    line: int
    template_line: int
    field_lines: dict[str, int]


@dataclass
class Catalog:
    """The loaded catalog: valid items and common forms, plus every problem found on the way."""

    root: Path
    templates_dir: Path
    meta: CatalogMeta | None
    items: dict[str, ServiceItem] = field(default_factory=dict)
    common_forms: dict[str, FormSpec] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    item_files: dict[str, str] = field(default_factory=dict)
    form_sources: dict[tuple[str, str], FormSource] = field(default_factory=dict)
    # (desk data folder, catalog version, templates version) when a desk loaded hub publications;
    # None for a catalog read straight from a folder (the shipped one, `catalog check`)
    published: tuple[Path, int, int] | None = None
    bundles: dict[str, Bundle] = field(default_factory=dict)  # 一件事, by code
    bundle_files: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.meta.version if self.meta else "0"

    def item(self, code: str) -> ServiceItem:
        """The item with this code, or a DomainError the UI can show."""
        try:
            return self.items[code]
        except KeyError:
            raise DomainError(
                f"事项目录中没有编码为 {code} 的事项",
                code="unknown_item",
                message_en=f"no service item {code} in the catalog",
            ) from None

    def bundle(self, code: str) -> Bundle:
        """The bundle (一件事) with this code, or a DomainError the UI can show."""
        try:
            return self.bundles[code]
        except KeyError:
            raise DomainError(
                f"事项目录中没有编码为 {code} 的一件事",
                code="unknown_bundle",
                message_en=f"no bundle {code} in the catalog",
            ) from None

    def bundle_forms(self) -> Iterator[tuple[str, FormSpec]]:
        """(bundle code, combined application form) of every bundle that has one."""
        for code, bundle in self.bundles.items():
            if bundle.form is not None:
                yield code, bundle.form

    def template_path(self, form: FormSpec) -> Path:
        return self.templates_dir / form.template

    def forms(self) -> Iterator[tuple[str, FormSpec]]:
        """(owner, form) for every loaded form; owner is an item code or 'common'."""
        for form in self.common_forms.values():
            yield COMMON, form
        for code, item in self.items.items():
            for form in item.forms:
                yield code, form

    def find_items(self, text: str) -> list[ServiceItem]:
        """Items whose code, name or keywords contain ``text`` (the intake search box)."""
        needle = text.strip()
        return [item for item in self.items.values() if needle in _haystack(item)]


def _haystack(item: ServiceItem) -> str:
    return " ".join((item.code, item.name, item.short_name or "", item.category, *item.keywords))


def default_catalog_dir() -> Path:
    """The shipped forms/ folder: in the repository, or inside the frozen bundle."""
    from agent_desk.paths import catalog_dir

    return catalog_dir()


def load_catalog(directory: Path | str, *, templates_dir: Path | None = None) -> Catalog:
    """Load ``directory`` (the forms/ folder, or a folder that contains forms/).

    ``templates_dir`` replaces the catalog's own ``templates:`` folder: a desk keeps the catalog
    and the templates the hub published in separate versioned folders."""
    root = _forms_dir(Path(directory))
    builder = _Builder(root, templates_dir)
    builder.load_meta()
    builder.load_common()
    for path in sorted(root.joinpath("items").rglob("*.y*ml")):
        builder.load_item(path)
    for path in sorted(root.joinpath("bundles").rglob("*.y*ml")):
        builder.load_bundle(path)
    builder.catalog.problems.sort()
    return builder.catalog


def _forms_dir(directory: Path) -> Path:
    if (
        not (directory / "catalog.yaml").exists()
        and (directory / "forms" / "catalog.yaml").exists()
    ):
        return directory / "forms"
    return directory


class _Builder:
    """Accumulates the catalog file by file."""

    def __init__(self, root: Path, templates_dir: Path | None = None) -> None:
        self.root = root
        self.templates_dir = templates_dir
        self.catalog = Catalog(root, templates_dir or _join(root, "../templates"), None)
        self.broken_items: set[str] = set()  # reported already: bundles naming them stay quiet

    def report(self, path: Path, line: int, message: str) -> None:
        self.catalog.problems.append(Problem(str(path), line, message))

    def read(self, path: Path) -> YamlDoc | None:
        """Parse a YAML file, reporting unreadable text, syntax errors and duplicate keys."""
        try:
            doc = parse_yaml(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            self.report(path, 1, f"无法读取文件（应为 UTF-8 编码的 YAML）：{exc}")
            return None
        except yaml.YAMLError as exc:
            self.report(path, error_line(exc), f"YAML 格式错误：{_yaml_reason(exc)}")
            return None
        duplicates = list(duplicate_keys(doc))
        for line, key in duplicates:
            self.report(path, line, f"重复的键 {key!r}（同一层级只能出现一次）")
        return None if duplicates else doc

    def validate(
        self, path: Path, doc: YamlDoc, model: type[M], data: Any, prefix: Loc = ()
    ) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.report_findings(path, doc, pydantic_findings(exc, prefix))
            return None

    def report_findings(self, path: Path, doc: YamlDoc, findings: Iterable[Finding]) -> None:
        for loc, message in findings:
            self.report(path, doc.line_of(loc), f"{where(loc)}: {message}")

    def load_meta(self) -> None:
        path = self.root / "catalog.yaml"
        if not path.exists():
            self.report(path, 1, "缺少目录说明文件 catalog.yaml（版本、区划、类别、材料种类）")
            return
        doc = self.read(path)
        meta = self.validate(path, doc, CatalogMeta, doc.data) if doc else None
        if meta is not None:
            self.catalog.meta = meta
            self.catalog.templates_dir = self.templates_dir or _join(self.root, meta.templates)

    def load_common(self) -> None:
        path = self.root / "common.yaml"
        doc = self.read(path) if path.exists() else None
        if doc is None:
            if not path.exists():
                self.report(path, 1, "缺少通用文书清单 common.yaml")
            return
        entries = doc.data.get("forms") if isinstance(doc.data, dict) else None
        if not isinstance(entries, list):
            self.report(path, doc.line_of(("forms",)), "common.yaml 应有 forms: 列表")
            return
        for index, entry in enumerate(entries):
            self.load_common_form(path, doc, index, entry)

    def load_common_form(self, path: Path, doc: YamlDoc, index: int, entry: Any) -> None:
        form = self.validate(path, doc, FormSpec, entry, ("forms", index))
        if form is None:
            return
        findings = [
            (("forms", index, *loc), msg)
            for loc, msg in form_findings(form, self.catalog.templates_dir)
        ]
        if form.id in self.catalog.common_forms:
            findings.append((("forms", index, "id"), f"通用文书 id {form.id!r} 重复"))
        self.report_findings(path, doc, findings)
        if not findings:
            self.catalog.common_forms[form.id] = form
            self.remember(COMMON, form, path, doc, ("forms", index))

    def load_item(self, path: Path) -> None:
        doc = self.read(path)
        if doc is None:
            self.broken_items.add(path.stem)
            return
        if not isinstance(doc.data, dict):
            self.report(path, 1, "事项文件应是一个键值映射（code: …, name: …）")
            return
        item = self.validate(path, doc, ServiceItem, doc.data)
        if item is None:
            self.broken_items.add(path.stem)  # items are filed under their code
            self.salvage_forms(path, doc)
            return
        findings = item_findings(item, self.catalog.meta, self.catalog.templates_dir)
        findings += self.duplicate_code(item)
        self.report_findings(path, doc, findings)
        if not findings:
            self.accept_item(item, path, doc)
        else:
            self.broken_items.add(item.code)

    def salvage_forms(self, path: Path, doc: YamlDoc) -> None:
        """The item is invalid, but its forms' unknown paths are worth reporting in the same run."""
        entries = doc.data.get("forms")
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            try:
                form = FormSpec.model_validate(entry)
            except ValidationError:
                continue  # already reported through the item's own errors
            findings = form_findings(form, self.catalog.templates_dir)
            self.report_findings(
                path, doc, [(("forms", index, *loc), msg) for loc, msg in findings]
            )

    def duplicate_code(self, item: ServiceItem) -> list[Finding]:
        first = self.catalog.item_files.get(item.code)
        return [((("code",)), f"事项编码 {item.code} 重复，已在 {first} 中使用")] if first else []

    def accept_item(self, item: ServiceItem, path: Path, doc: YamlDoc) -> None:
        self.catalog.items[item.code] = item
        self.catalog.item_files[item.code] = str(path)
        for index, form in enumerate(item.forms):
            self.remember(item.code, form, path, doc, ("forms", index))

    def load_bundle(self, path: Path) -> None:
        doc = self.read(path)
        if doc is None:
            return
        if not isinstance(doc.data, dict):
            self.report(path, 1, "一件事文件应是一个键值映射（code: …, members: …）")
            return
        bundle = self.validate(path, doc, Bundle, doc.data)
        if bundle is None:
            return
        if self.broken_items & set(bundle.item_codes):
            return  # left out with its broken member, whose own file says what is wrong
        categories = self.catalog.meta.categories if self.catalog.meta else None
        findings = bundle_findings(
            bundle, self.catalog.items, self.catalog.templates_dir, categories
        )
        if first := self.catalog.bundle_files.get(bundle.code):
            findings.append((("code",), f"一件事编码 {bundle.code} 重复，已在 {first} 中使用"))
        self.report_findings(path, doc, findings)
        if not findings:
            self.catalog.bundles[bundle.code] = bundle
            self.catalog.bundle_files[bundle.code] = str(path)
            if bundle.form is not None:
                self.remember(bundle.code, bundle.form, path, doc, ("form",))

    def remember(self, owner: str, form: FormSpec, path: Path, doc: YamlDoc, loc: Loc) -> None:
        lines = {name: doc.key_line((*loc, "fields", name)) for name in form.fields}
        source = FormSource(str(path), doc.line_of(loc), doc.line_of((*loc, "template")), lines)
        self.catalog.form_sources[(owner, form.id)] = source


def _join(root: Path, relative: str) -> Path:
    """``forms/../templates`` → ``templates``, keeping messages short and relative."""
    return Path(os.path.normpath(root / relative))


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    return "，".join(str(part) for part in (context, problem) if part) or str(exc)
