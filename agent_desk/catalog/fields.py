"""The field-map vocabulary: which profile paths exist, what they hold, and what can be derived.

Field maps are written by hand in YAML, so a typo such as ``client.nmae`` must fail at catalog
check, not print a blank on a villager's form. This module is the single list of what a path may
name; a test keeps it in step with the value types in ``agent_desk.core.profile``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from agent_desk.catalog.schema import FieldSpec

CASE_ROOTS = frozenset({"client", "agent", "case", "item", "today", "manual"})
BATCH_ROOTS = frozenset({"agent", "today", "batch", "manual"})


@dataclass(frozen=True)
class PathInfo:
    """What a profile path holds (``kind``) and how a form calls it in Chinese."""

    kind: str
    label: str


def _group(prefix: str, entries: dict[str, tuple[str, str]]) -> dict[str, PathInfo]:
    return {f"{prefix}.{name}": PathInfo(kind, label) for name, (kind, label) in entries.items()}


PATHS: dict[str, PathInfo] = {
    **_group(
        "client",
        {
            "name": ("text", "姓名"),
            "kind": ("text", "委托人类型"),
            "id_number": ("id", "公民身份号码"),
            "phone": ("text", "联系电话"),
            "address": ("text", "现住址"),
            "village": ("text", "所属村"),
            "township": ("text", "所属乡镇"),
            "county": ("text", "所属县区"),
            "ethnicity": ("text", "民族"),
            "marital_status": ("text", "婚姻状况"),
            "education": ("text", "文化程度"),
            "bank_name": ("text", "开户银行"),
            "bank_account": ("text", "银行账号"),
            "bank_account_holder": ("text", "账户户名"),
            "relation_to_head": ("text", "与户主关系"),
            "disability": ("text", "残疾类别和等级"),
            "poverty_status": ("text", "困难群众类别"),
            "legal_rep_name": ("text", "法定代表人"),
            "legal_rep_id_number": ("id", "法定代表人身份证号码"),
            "legal_rep_phone": ("text", "法定代表人电话"),
            "contact_name": ("text", "联系人"),
            "contact_phone": ("text", "联系人电话"),
            "business_scope": ("text", "经营范围"),
        },
    ),
    **_group(
        "client.household",
        {
            "address": ("text", "户籍地址"),
            "head_name": ("text", "户主姓名"),
            "registration_type": ("text", "户口性质"),
            "members": ("members", "家庭成员"),
        },
    ),
    **_group(
        "agent",
        {
            "name": ("text", "代办员姓名"),
            "phone": ("text", "代办员电话"),
            "id_number": ("id", "代办员身份证号码"),
            "village": ("text", "代办员所在村"),
            "service_room": ("text", "便民服务室名称"),
        },
    ),
    **_group(
        "case",
        {
            "case_no": ("text", "办件编号"),
            "item_code": ("text", "事项编码"),
            "item_name": ("text", "事项名称"),
            "status": ("text", "办件状态"),
            "entrusted_on": ("date", "委托日期"),
            "accepted_on": ("date", "受理日期"),
            "due_on": ("date", "承诺办结日期"),
            "concluded_on": ("date", "办结日期"),
            "delivered_on": ("date", "送达日期"),
            "outcome": ("outcome", "办理结果"),
            "result": ("text", "办理结果说明或证照编号"),
            "correction_reasons": ("texts", "补正原因"),
            "documents": ("documents", "申请材料"),
            "department": ("text", "承办部门"),
            "note": ("text", "办件备注"),
        },
    ),
    **_group(
        "item",
        {
            "code": ("text", "事项编码"),
            "name": ("text", "事项名称"),
            "short_name": ("text", "事项简称"),
            "type": ("text", "事项类型"),
            "category": ("text", "事项类别"),
            "department": ("text", "主管部门"),
            "implementing_body": ("text", "实施主体"),
            "legal_basis": ("texts", "设定依据"),
            "conditions": ("texts", "受理条件"),
            "documents": ("item_documents", "申请材料目录"),
            "service_mode": ("text", "办件类型"),
            "legal_days": ("int", "法定办结时限"),
            "promised_days": ("int", "承诺办结时限"),
            "fees": ("fees", "收费标准"),
            "contact_phone": ("text", "咨询电话"),
            "correction_reasons": ("texts", "常见补正原因"),
            "keywords": ("texts", "关键词"),
        },
    ),
    "today": PathInfo("date", "填表日期"),
    "batch": PathInfo("batch", "交接办件"),
}

MEMBER_KEYS = frozenset(
    [
        "no",
        "name",
        "relation",
        "id_number",
        "masked_id",
        "sex",
        "birth_date",
        "age",
        "occupation",
        "disability",
        "phone",
    ]
)
DOCUMENT_KEYS = frozenset(
    [
        "no",
        "name",
        "doc_kind",
        "original",
        "copies",
        "required",
        "deferrable",
        "status",
        "received",
        "missing",
        "mark",
        "promised_on",
        "note",
    ]
)
HANDOVER_KEYS = frozenset(
    [
        "no",
        "case_no",
        "client_name",
        "masked_id",
        "village",
        "item_name",
        "item_code",
        "accepted_on",
        "due_on",
        "doc_count",
        "missing_count",
        "note",
    ]
)


@dataclass(frozen=True)
class DeriveSpec:
    """A derivation: the path kinds it accepts and the shape it gives the template."""

    accepts: frozenset[str]
    shape: str  # "scalar", "list" (of scalars), "rows" (list of dicts) or "row" (one dict)
    keys: frozenset[str] = frozenset()
    empty_ok: bool = (
        False  # still derived when the value is empty (the notice lists the item's documents)
    )


def _d(
    accepts: str, shape: str = "scalar", keys: frozenset[str] = frozenset(), empty_ok: bool = False
) -> DeriveSpec:
    return DeriveSpec(frozenset(accepts.split()), shape, keys, empty_ok)


DERIVES: dict[str, DeriveSpec] = {
    "sex_zh": _d("id"),
    "birth_date": _d("id"),
    "birth_date_cn": _d("id"),
    "age": _d("id"),
    "id_region": _d("id"),
    "masked_id": _d("id"),
    "id_chars": _d("id", "list"),
    "cn_date": _d("date"),
    "cn_date_digits": _d("date"),
    "iso_date": _d("date"),
    "cn_amount": _d("money"),
    "money": _d("money"),
    "outcome_zh": _d("outcome"),
    "fee_text": _d("fees"),
    "join": _d("texts"),
    "count": _d("members documents item_documents texts batch", empty_ok=True),
    "member_rows": _d("members", "rows", MEMBER_KEYS),
    "spouse": _d("members", "row", MEMBER_KEYS),
    "children": _d("members", "rows", MEMBER_KEYS),
    "document_rows": _d("documents item_documents", "rows", DOCUMENT_KEYS),
    "document_checklist": _d("documents", "rows", DOCUMENT_KEYS, empty_ok=True),
    "missing_documents": _d("documents", "rows", DOCUMENT_KEYS, empty_ok=True),
    "handover_rows": _d("batch", "rows", HANDOVER_KEYS),
}

#: What a path gives the template when the field map names no derivation.
DEFAULT_DERIVE: dict[str, str] = {
    "date": "cn_date_digits",
    "money": "money",
    "outcome": "outcome_zh",
    "fees": "fee_text",
    "members": "member_rows",
    "documents": "document_rows",
    "item_documents": "document_rows",
    "batch": "handover_rows",
}

MANUAL_KINDS = {
    "text": "text",
    "date": "date",
    "money": "money",
    "int": "int",
    "choice": "text",
    "bool": "bool",
}
LIST_KINDS = frozenset({"texts", "members", "documents", "item_documents", "batch"})


@dataclass(frozen=True)
class Shape:
    """What a template variable holds, so the lint can check ``m.name`` inside a loop."""

    kind: str  # "scalar", "list", "rows" or "row"
    keys: frozenset[str] = frozenset()


def path_kind(path: str, fields: dict[str, FieldSpec]) -> str | None:
    """Kind of the value at ``path``; None when the path does not exist in this form."""
    if path.startswith("manual."):
        spec = fields.get(path.removeprefix("manual."))
        if spec is None or spec.manual is None:
            return None
        return "texts" if spec.multiple else MANUAL_KINDS[spec.manual]
    info = PATHS.get(path)
    return info.kind if info else None


def path_label(path: str) -> str:
    info = PATHS.get(path)
    return info.label if info else path


def derive_name(spec: FieldSpec, fields: dict[str, FieldSpec]) -> str | None:
    """The derivation a field uses: its own, or the default for its path's kind."""
    if spec.derive:
        return spec.derive
    kind = spec_kind(spec, fields)
    return DEFAULT_DERIVE.get(kind) if kind else None


def spec_kind(spec: FieldSpec, fields: dict[str, FieldSpec]) -> str | None:
    if spec.manual is not None:
        return "texts" if spec.multiple else MANUAL_KINDS[spec.manual]
    return path_kind(spec.path, fields) if spec.path else None


def field_shape(spec: FieldSpec, fields: dict[str, FieldSpec]) -> Shape:
    """The shape a field's value has in the context (for the template lint)."""
    name = derive_name(spec, fields)
    if name in DERIVES:
        derive = DERIVES[name]
        return Shape(derive.shape, derive.keys)
    if spec.source == "const":
        return Shape("list" if isinstance(spec.const, list) else "scalar")
    return Shape("list" if spec_kind(spec, fields) in LIST_KINDS else "scalar")


def check_field(spec: FieldSpec, fields: dict[str, FieldSpec], scope: str) -> list[tuple[str, str]]:
    """(key, message) for every way this field's source is wrong; key is 'path' or 'derive'."""
    problems: list[tuple[str, str]] = []
    if spec.path is not None:
        problems += _check_path(spec.path, fields, scope)
    if spec.derive is not None:
        problems += _check_derive(spec, fields)
    return problems


def _check_path(path: str, fields: dict[str, FieldSpec], scope: str) -> list[tuple[str, str]]:
    roots = BATCH_ROOTS if scope == "batch" else CASE_ROOTS
    root = path.split(".", 1)[0]
    if root not in roots:
        allowed = "、".join(sorted(roots))
        return [("path", f"未知的字段路径 {path!r}：{scope} 表单的路径只能以 {allowed} 开头")]
    if path_kind(path, fields) is None:
        if root == "manual":
            return [
                ("path", f"未知的字段路径 {path!r}：本表单没有名为 {path[7:]!r} 的手工录入字段")
            ]
        return [("path", f"未知的字段路径 {path!r}{_suggest(path)}")]
    return []


def _suggest(path: str) -> str:
    close = difflib.get_close_matches(path, list(PATHS), n=1)
    return f"，是否应为 {close[0]!r}？" if close else ""


def _check_derive(spec: FieldSpec, fields: dict[str, FieldSpec]) -> list[tuple[str, str]]:
    derive = DERIVES.get(spec.derive or "")
    if derive is None:
        known = "、".join(sorted(DERIVES))
        return [("derive", f"未知的派生方式 {spec.derive!r}，可用：{known}")]
    kind = spec_kind(spec, fields)
    if kind is not None and kind not in derive.accepts:
        wanted = "、".join(sorted(derive.accepts))
        return [
            (
                "derive",
                f"派生方式 {spec.derive} 需要 {wanted} 类型的值，{spec.path or '手工字段'} 是 {kind}",
            )
        ]
    return []
