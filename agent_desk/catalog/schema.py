"""The service-item schema: the national elements of one item (DESIGN.md §3) as pydantic models.

One YAML file under ``forms/items/`` is one :class:`ServiceItem`. The models check what a single
file can know by itself (shapes, the code pattern, promised ≤ legal days); what needs the whole
catalog (known categories, field paths, template files, duplicate codes) is checked by the loader.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ItemType = Literal[
    "行政许可",
    "行政给付",
    "行政确认",
    "行政征收",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
]

#: The county's coding rule: item type → the two letters in the middle of the code.
TYPE_CODES: dict[str, str] = {
    "行政许可": "XK",
    "行政给付": "JF",
    "行政确认": "QR",
    "行政征收": "ZS",
    "行政奖励": "JL",
    "行政裁决": "CJ",
    "其他行政权力": "QT",
    "公共服务": "GG",
}

ITEM_CODE = re.compile(r"(?P<region>\d{8})(?P<dept>[A-Z]{2})-(?P<type>[A-Z]{2})-(?P<seq>\d{4})")
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"

ManualKind = Literal["text", "date", "money", "int", "choice", "bool"]


class _Strict(BaseModel):
    """Unknown keys are typos in hand-written YAML, so they are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    """Where one template variable's value comes from: exactly one of path, const or manual."""

    path: str | None = None
    derive: str | None = None
    const: Any = None
    manual: ManualKind | None = None
    label: str | None = None
    required: bool = True
    options: tuple[str, ...] = ()
    multiple: bool = False
    pattern: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    max_length: int | None = Field(default=None, ge=1)
    help: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        """``name: client.name`` is the common case, so a bare string means a profile path."""
        return {"path": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        sources = [s for s in ("path", "const", "manual") if getattr(self, s) is not None]
        if len(sources) != 1:
            raise ValueError("每个字段必须且只能有 path、const、manual 之一 (exactly one source)")
        if self.manual is not None:
            self._check_manual()
        return self

    def _check_manual(self) -> None:
        if not self.label:
            raise ValueError("手工录入字段必须有中文 label (manual field needs a label)")
        if self.manual == "choice" and not self.options:
            raise ValueError("选择字段必须列出 options (choice needs options)")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min 大于 max")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern 不是合法的正则表达式: {exc}") from None

    @property
    def source(self) -> str:
        """'path', 'const' or 'manual' — what the UI and the fill engine switch on."""
        if self.manual is not None:
            return "manual"
        return "path" if self.path is not None else "const"


class FormSpec(_Strict):
    """One printable form: a .docx template under templates/ and its field map."""

    id: str = Field(pattern=IDENTIFIER)
    name: str = Field(min_length=1)
    template: str = Field(min_length=1)
    scope: Literal["case", "batch"] = "case"
    fields: dict[str, FieldSpec] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _identifiers(cls, value: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
        for name in value:
            if not re.match(IDENTIFIER, name):
                raise ValueError(f"字段名 {name!r} 不是合法的模板变量名 (not an identifier)")
        return value


class RequiredDocument(_Strict):
    """申请材料: one document the item asks for and how it may be supplied."""

    name: str = Field(min_length=1)
    doc_kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    original: bool = False  # True 原件, False 复印件
    copies: int = Field(default=1, ge=0)
    required: bool = True
    deferrable: bool = False  # 容缺: may be accepted now and supplied later
    reusable: bool = True  # may be taken from the client's attached library for other cases
    note: str | None = None


class Fee(_Strict):
    name: str
    amount: Decimal = Field(ge=0)
    basis: str | None = None


class ServiceItem(_Strict):
    """事项: one government service with its national elements."""

    code: str
    name: str = Field(min_length=1)
    short_name: str | None = None
    type: ItemType
    category: str
    department: str
    implementing_body: str
    legal_basis: tuple[str, ...] = Field(min_length=1)
    conditions: tuple[str, ...] = Field(min_length=1)
    documents: tuple[RequiredDocument, ...] = Field(min_length=1)
    service_mode: Literal["即办件", "承诺件"]
    legal_days: int = Field(ge=0)
    promised_days: int = Field(ge=0)
    fees: tuple[Fee, ...] = ()
    contact_phone: str | None = None
    forms: tuple[FormSpec, ...] = ()
    correction_reasons: tuple[str, ...] = ()  # 退回补正 的常见原因, offered when returning a case
    correction_pauses_clock: bool = True  # time waiting in 补正 is not counted against the deadline
    keywords: tuple[str, ...] = ()
    # who may apply: a resident, an enterprise or other organisation (credit code), or either
    applicant: Literal["person", "organisation", "both"] = "person"

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not ITEM_CODE.fullmatch(value):
            raise ValueError(
                f"事项编码 {value!r} 不符合规则 8位区划+2位部门字母-类型-4位序号，如 62052400MZ-XK-0001"
            )
        return value

    @property
    def region_code(self) -> str:
        return self.code[:6]

    @property
    def department_code(self) -> str:
        return self.code[8:10]


class CatalogMeta(_Strict):
    """forms/catalog.yaml: what the hub publishes alongside the items."""

    version: str = Field(min_length=1)
    region_code: str = Field(pattern=r"^\d{6}$")
    region_name: str
    templates: str = "../templates"
    categories: tuple[str, ...] = Field(min_length=1)
    doc_kinds: dict[str, str] = Field(min_length=1)


class CommonForms(_Strict):
    """forms/common.yaml: documents printed for every case (notice, receipt, hand-over list…)."""

    forms: tuple[FormSpec, ...]


BUNDLE_CODE = re.compile(r"\d{6}-YJS-\d{4}")


class BundleMember(_Strict):
    """One item of a bundle, the items that must be approved before it can start, and the document
    kinds its approval produces for the others (出生医学证明 for 落户: not collected, handed on)."""

    item: str
    after: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()


class Bundle(_Strict):
    """一件事: several items a person or an enterprise asks for at once, in order, with one set of documents.

    ``after`` makes B wait until A is approved; members naming nothing run in parallel. A shared
    document kind is collected once and attached to every member case that asks for it. ``form``
    is the county's combined application (一表申请), when it has one."""

    code: str
    name: str = Field(min_length=1)
    category: str
    applicant: Literal["person", "organisation", "both"] = "person"
    description: str | None = None
    members: tuple[BundleMember, ...] = Field(min_length=2)
    shared_documents: tuple[str, ...] = ()
    form: FormSpec | None = None
    keywords: tuple[str, ...] = ()

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not BUNDLE_CODE.fullmatch(value):
            raise ValueError(
                f"一件事编码 {value!r} 不符合规则 6位区划-YJS-4位序号，如 620524-YJS-0001"
            )
        return value

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(m.item for m in self.members)

    def predecessors(self, code: str) -> tuple[str, ...]:
        return next((m.after for m in self.members if m.item == code), ())

    @property
    def produced(self) -> dict[str, str]:
        """Document kind → the member item whose approval produces it."""
        return {kind: m.item for m in self.members for kind in m.produces}
