"""Checks that need more than one field or the catalog's own lists (categories, document kinds).

Each check returns ``(loc, message)`` pairs; the loader turns a loc into a YAML line, so every
message lands on the line a clerk has to change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from agent_desk.catalog.fields import check_field
from agent_desk.catalog.schema import ITEM_CODE, TYPE_CODES, CatalogMeta, FormSpec, ServiceItem
from agent_desk.catalog.yamlpos import Loc

Finding = tuple[Loc, str]

_PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的字段（拼写错误？）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "literal_error": "取值不在允许的范围内",
    "string_pattern_mismatch": "格式不符合要求",
    "greater_than_equal": "数值太小",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
}


def pydantic_findings(exc: ValidationError, prefix: Loc = ()) -> Iterator[Finding]:
    """Translate pydantic errors into Chinese with the field path, English detail kept."""
    for error in exc.errors(include_url=False):
        zh = _PYDANTIC_ZH.get(error["type"])
        detail = error["msg"].removeprefix("Value error, ")
        if zh and error["type"] != "value_error":
            detail = f"{zh} ({detail})"
        yield (*prefix, *error["loc"]), detail


def where(loc: Loc) -> str:
    """``forms.0.fields.name.path``: the field path a message starts with."""
    return ".".join(str(part) for part in loc) or "(根)"


def item_findings(item: ServiceItem, meta: CatalogMeta | None, templates: Path) -> list[Finding]:
    """Every rule a single, shape-valid item can still break."""
    findings = [*_code_rules(item, meta), *_time_rules(item)]
    if meta is not None:
        findings += _list_rules(item, meta)
    findings += _form_ids(item.forms) + _shared_manual(item.forms)
    for index, form in enumerate(item.forms):
        findings += [((("forms", index, *loc)), msg) for loc, msg in form_findings(form, templates)]
    return findings


def form_findings(form: FormSpec, templates: Path) -> list[Finding]:
    """Unknown paths and derivations, and a template file that is not there."""
    findings: list[Finding] = []
    for name, spec in form.fields.items():
        for key, message in check_field(spec, form.fields, form.scope):
            findings.append((("fields", name, key), message))
    if not (templates / form.template).is_file():
        findings.append((("template",), f"模板文件不存在：{templates / form.template}"))
    return findings


def _code_rules(item: ServiceItem, meta: CatalogMeta | None) -> list[Finding]:
    match = ITEM_CODE.fullmatch(item.code)
    if match is None:
        return []
    findings: list[Finding] = []
    if match["type"] != TYPE_CODES[item.type]:
        findings.append(
            (
                (("code",)),
                f"编码中的类型 {match['type']} 与事项类型 {item.type}"
                f"（应为 {TYPE_CODES[item.type]}）不一致",
            )
        )
    if meta is not None and not match["region"].startswith(meta.region_code):
        findings.append(
            (
                (("code",)),
                f"编码的区划 {match['region'][:6]} 不是本目录的 "
                f"{meta.region_code}（{meta.region_name}）",
            )
        )
    return findings


def _time_rules(item: ServiceItem) -> list[Finding]:
    findings: list[Finding] = []
    if item.promised_days > item.legal_days:
        findings.append(
            (
                (("promised_days",)),
                f"承诺时限 {item.promised_days} 个工作日超过法定时限 {item.legal_days} 个工作日",
            )
        )
    if (item.service_mode == "即办件") != (item.promised_days == 0):
        findings.append(
            ((("service_mode",)), "即办件的承诺时限应为 0；承诺件的承诺时限至少 1 个工作日")
        )
    return findings


def _list_rules(item: ServiceItem, meta: CatalogMeta) -> list[Finding]:
    findings: list[Finding] = []
    if item.category not in meta.categories:
        findings.append(
            ((("category",)), f"类别 {item.category!r} 不在 catalog.yaml 的 categories 中")
        )
    for index, doc in enumerate(item.documents):
        if doc.doc_kind not in meta.doc_kinds:
            findings.append(
                (
                    (("documents", index, "doc_kind")),
                    f"材料种类 {doc.doc_kind!r} 不在 catalog.yaml 的 doc_kinds 中",
                )
            )
        if doc.deferrable and not doc.required:
            findings.append(((("documents", index, "deferrable")), "非必交材料无需标注容缺"))
    return findings


def _form_ids(forms: tuple[FormSpec, ...]) -> list[Finding]:
    seen: set[str] = set()
    findings: list[Finding] = []
    for index, form in enumerate(forms):
        if form.id in seen:
            findings.append((("forms", index, "id"), f"表单 id {form.id!r} 重复"))
        seen.add(form.id)
    return findings


def _shared_manual(forms: tuple[FormSpec, ...]) -> list[Finding]:
    """A manual field named in two forms of one item is asked once, so it must mean the same."""
    first: dict[str, object] = {}
    findings: list[Finding] = []
    for index, form in enumerate(forms):
        for name, spec in form.fields.items():
            if spec.manual is None:
                continue
            if name in first and first[name] != spec:
                findings.append(
                    (
                        ("forms", index, "fields", name),
                        f"手工字段 {name} 在本事项的其他表单中定义不同；同名字段只录入一次，定义必须一致",
                    )
                )
            first.setdefault(name, spec)
    return findings
