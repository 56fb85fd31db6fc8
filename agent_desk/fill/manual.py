"""Manual entries typed at intake: coerced to their declared type and checked against the map.

The UI may hand us strings straight from line edits or typed values from its widgets; both are
accepted, and every problem is described in Chinese so the agent knows what to retype.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from agent_desk.catalog.schema import FieldSpec, FormSpec, ServiceItem
from agent_desk.core.validation import parse_date, to_halfwidth

_TRUE = {"是", "true", "1", "yes", "y", "☑", "√"}
_FALSE = {"否", "false", "0", "no", "n", "☐"}


class ManualInvalid(ValueError):
    """A manual entry that cannot be used; ``str()`` is the Chinese reason."""


def is_empty(value: Any) -> bool:
    """None, blank text (spaces typed by accident count as blank) or an empty list."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | set) and not value)


def manual_fields(form: FormSpec) -> dict[str, FieldSpec]:
    """The fields the agent types at intake for this form, in template order."""
    return {name: spec for name, spec in form.fields.items() if spec.manual is not None}


def item_manual_fields(item: ServiceItem) -> dict[str, FieldSpec]:
    """All manual fields of an item's forms; a name shared by two forms is asked once."""
    merged: dict[str, FieldSpec] = {}
    for form in item.forms:
        for name, spec in manual_fields(form).items():
            merged.setdefault(name, spec)
    return merged


def empty_value(spec: FieldSpec) -> Any:
    """What an optional manual field holds when left blank."""
    if spec.manual == "bool":
        return False
    return [] if spec.multiple else ""


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """The typed value of a non-empty entry, or ManualInvalid saying why not."""
    kind = spec.manual
    if kind == "bool":
        return _bool(raw)
    if kind == "choice":
        return _choices(spec, raw) if spec.multiple else _choice(spec, raw)
    if kind == "date":
        return raw if isinstance(raw, date) else _date(raw)
    if kind in ("money", "int"):
        return _bounded(spec, _number(raw, kind))
    return _text(spec, raw)


def _text(spec: FieldSpec, raw: Any) -> str:
    text = str(raw).strip()
    if spec.max_length is not None and len(text) > spec.max_length:
        raise ManualInvalid(f"最多 {spec.max_length} 个字，现在是 {len(text)} 个字")
    if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
        raise ManualInvalid(spec.help or f"格式不对（应符合 {spec.pattern}）")
    return text


def _date(raw: Any) -> date:
    try:
        return parse_date(str(raw))
    except ValueError as exc:
        raise ManualInvalid(str(exc)) from None


def _number(raw: Any, kind: str | None) -> Decimal | int:
    text = to_halfwidth(str(raw)).replace(",", "").replace("元", "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ManualInvalid(f"“{raw}”不是数字") from None
    if not value.is_finite():
        raise ManualInvalid(f"“{raw}”不是数字")
    if kind == "int":
        if value != value.to_integral_value():
            raise ManualInvalid(f"“{raw}”应为整数")
        return int(value)
    if value != value.quantize(Decimal("0.01")):
        raise ManualInvalid("金额最多两位小数（到分）")
    return value


def _bounded(spec: FieldSpec, value: Decimal | int) -> Decimal | int:
    if spec.min is not None and value < spec.min:
        raise ManualInvalid(f"不能小于 {spec.min}")
    if spec.max is not None and value > spec.max:
        raise ManualInvalid(f"不能大于 {spec.max}")
    return value


def _choice(spec: FieldSpec, raw: Any) -> str:
    text = str(raw).strip()
    if text not in spec.options:
        raise ManualInvalid(f"“{text}”不是可选项，可选：{'、'.join(spec.options)}")
    return text


def _choices(spec: FieldSpec, raw: Any) -> list[str]:
    values = re.split(r"[,，、;；]", raw) if isinstance(raw, str) else list(raw)
    return [_choice(spec, value) for value in values if str(value).strip()]


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ManualInvalid(f"“{raw}”应为 是 或 否")
