"""Build a template context from a profile, and say everything that is missing before printing.

The agent should complete the profile once rather than print a form with blanks and fill it by
hand, so :func:`check_fill` reports every missing or invalid field in one go — with the Chinese
label and the profile path the UI jumps to — and :func:`build_context` refuses to build while
anything is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from agent_desk.catalog.fields import DERIVES, derive_name, field_shape, path_kind, path_label
from agent_desk.catalog.schema import FieldSpec, FormSpec, ServiceItem
from agent_desk.core.errors import DomainError
from agent_desk.core.identity import parse_resident_id
from agent_desk.core.profile import AgentInfo, CaseInfo, ClientProfile
from agent_desk.fill.derive import DERIVATIONS, DeriveEnv, FieldIssues, Issue
from agent_desk.fill.manual import ManualInvalid, coerce, empty_value, is_empty

BatchEntry = tuple[ClientProfile, CaseInfo]


@dataclass(frozen=True)
class MissingField:
    """One field the agent must complete; ``path`` is where to fix it (``client.phone``…)."""

    form: str
    field: str
    label: str
    path: str
    problem: Literal["missing", "invalid"]
    message: str

    @property
    def source(self) -> str:
        """'client', 'agent', 'case' or 'manual': which screen the fix is on."""
        return self.path.split(".", 1)[0].split("[", 1)[0]


class FillIncomplete(DomainError):
    """Raised instead of printing a form with blanks; carries every missing field."""

    def __init__(self, form: FormSpec, missing: list[MissingField]) -> None:
        labels = "、".join(m.label for m in missing[:6]) + ("等" if len(missing) > 6 else "")
        super().__init__(
            f"《{form.name}》还有 {len(missing)} 项需要补充或更正：{labels}",
            code="fill_incomplete",
            message_en=f"{form.id}: {len(missing)} fields missing or invalid",
        )
        self.missing = missing


@dataclass(frozen=True)
class FillSource:
    """Everything a form may read: one case, or a batch of cases for the hand-over list."""

    agent: AgentInfo
    today: date
    manual: Mapping[str, Any]
    item: ServiceItem | None = None
    client: ClientProfile | None = None
    case: CaseInfo | None = None
    batch: tuple[BatchEntry, ...] = ()

    def root(self, name: str) -> Any:
        return {
            "client": self.client,
            "agent": self.agent,
            "case": self.case,
            "item": self.item,
            "today": self.today,
            "batch": self.batch,
            "manual": self.manual,
        }[name]


def build_context(
    item: ServiceItem,
    form: FormSpec,
    client: ClientProfile,
    case: CaseInfo,
    agent: AgentInfo,
    manual: Mapping[str, Any],
    today: date,
) -> dict[str, Any]:
    """The context for one case form; FillIncomplete when anything is missing or invalid."""
    return _complete(form, FillSource(agent, today, manual, item, client, case))


def build_context_with_blanks(
    item: ServiceItem,
    form: FormSpec,
    client: ClientProfile,
    case: CaseInfo,
    agent: AgentInfo,
    manual: Mapping[str, Any],
    today: date,
) -> dict[str, Any]:
    """留空打印: the agent chose to print now and write the missing boxes by hand, so every field
    that is missing or invalid prints blank instead of stopping the form."""
    context, _missing = _resolve(form, FillSource(agent, today, manual, item, client, case))
    return {
        name: context[name] if name in context else _blank(spec, form)
        for name, spec in form.fields.items()
    }


def check_fill(
    item: ServiceItem,
    form: FormSpec,
    client: ClientProfile,
    case: CaseInfo,
    agent: AgentInfo,
    manual: Mapping[str, Any],
    today: date,
) -> list[MissingField]:
    """Every missing or invalid field of one case form (empty list: ready to print)."""
    return _resolve(form, FillSource(agent, today, manual, item, client, case))[1]


def build_batch_context(
    form: FormSpec,
    batch: Sequence[BatchEntry],
    agent: AgentInfo,
    manual: Mapping[str, Any],
    today: date,
) -> dict[str, Any]:
    """The context of a batch form (交接清单): a list of cases, not one."""
    return _complete(form, FillSource(agent, today, manual, batch=tuple(batch)))


def check_batch_fill(
    form: FormSpec,
    batch: Sequence[BatchEntry],
    agent: AgentInfo,
    manual: Mapping[str, Any],
    today: date,
) -> list[MissingField]:
    return _resolve(form, FillSource(agent, today, manual, batch=tuple(batch)))[1]


def _complete(form: FormSpec, source: FillSource) -> dict[str, Any]:
    context, missing = _resolve(form, source)
    if missing:
        raise FillIncomplete(form, missing)
    return context


def _resolve(form: FormSpec, source: FillSource) -> tuple[dict[str, Any], list[MissingField]]:
    manual, issues = _coerce_manual(form, source.manual)
    source = replace(source, manual=manual)
    context: dict[str, Any] = {}
    for name, spec in form.fields.items():
        try:
            context[name] = _field_value(name, spec, form, source)
        except FieldIssues as exc:
            issues += [(name, issue) for issue in exc.issues]
    return context, _missing_fields(form, issues)


def _missing_fields(form: FormSpec, issues: list[tuple[str, Issue]]) -> list[MissingField]:
    """One entry per path: the same bad ID number feeds sex, birth date and age."""
    seen: dict[str, MissingField] = {}
    for field, (path, problem, label, message) in issues:
        if path not in seen:
            seen[path] = MissingField(form.id, field, label, path, problem, message)  # type: ignore[arg-type]
    return list(seen.values())


def _coerce_manual(
    form: FormSpec, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[tuple[str, Issue]]]:
    values: dict[str, Any] = {}
    issues: list[tuple[str, Issue]] = []
    for name, spec in form.fields.items():
        if spec.manual is None:
            continue
        try:
            values[name] = _manual_value(spec, raw.get(name))
        except ManualInvalid as exc:
            label = spec.label or name
            problem = "missing" if is_empty(raw.get(name)) else "invalid"
            issues.append((name, (f"manual.{name}", problem, label, f"{label}：{exc}")))
    return values, issues


def _manual_value(spec: FieldSpec, raw: Any) -> Any:
    if is_empty(raw):
        if spec.required:
            raise ManualInvalid("请填写")
        return empty_value(spec)
    return coerce(spec, raw)


def _field_value(name: str, spec: FieldSpec, form: FormSpec, source: FillSource) -> Any:
    if spec.source == "const":
        return spec.const
    path = f"manual.{name}" if spec.manual else str(spec.path)
    value = _lookup(path, source)
    derive = derive_name(spec, form.fields)
    if is_empty(value) and not (derive and DERIVES[derive].empty_ok and not spec.required):
        return _empty(spec, path, form)
    _check_id(path, value, spec, form, source)
    if derive is None:
        return list(value) if isinstance(value, tuple) else value
    value = () if value is None else value
    env = DeriveEnv(path, source.today, source.item, source.client)
    try:
        return DERIVATIONS[derive](value, env)
    except FieldIssues:
        raise
    except ValueError as exc:  # e.g. an organisation's credit code asked for a birth date
        label = spec.label or path_label(path)
        raise FieldIssues([(path, "invalid", label, f"{label}无法用于本表：{exc}")]) from None


def _lookup(path: str, source: FillSource) -> Any:
    head, *rest = path.split(".")
    value = source.root(head)
    for part in rest:
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
    return value


def _empty(spec: FieldSpec, path: str, form: FormSpec) -> Any:
    """A blank optional field prints blank; a blank required one is reported (manual ones already are)."""
    if spec.required and not path.startswith("manual."):
        label = spec.label or path_label(path)
        raise FieldIssues([(path, "missing", label, f"{label}未填写")])
    return _blank(spec, form)


def _blank(spec: FieldSpec, form: FormSpec) -> Any:
    return {"rows": [], "list": [], "row": {}}.get(field_shape(spec, form.fields).kind, "")


def _check_id(path: str, value: Any, spec: FieldSpec, form: FormSpec, source: FillSource) -> None:
    """A resident ID number feeds sex, birth date and age, so a typo must stop the print."""
    if path_kind(path, form.fields) != "id":
        return
    if path.startswith("client.") and source.client is not None and source.client.kind != "person":
        return  # organisations carry a credit code here
    try:
        parse_resident_id(value, today=source.today)
    except ValueError as exc:
        label = path_label(path)
        raise FieldIssues([(path, "invalid", label, f"{label}有误：{exc}")]) from None
