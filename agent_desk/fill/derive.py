"""Derivations: values forms print that the profile does not store as such.

Sex, birth date and age come from the ID number (never typed twice); dates and money are
written the way official forms write them; lists become rows a table loop can print. Names
match ``agent_desk.catalog.fields.DERIVES``; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from agent_desk.catalog.jinja import CHECKED, UNCHECKED
from agent_desk.catalog.schema import Fee, RequiredDocument, ServiceItem
from agent_desk.core.calendar import ESTIMATE_NOTE, default_calendar
from agent_desk.core.identity import mask_id_number, parse_resident_id
from agent_desk.core.profile import CaseDocument, CaseInfo, ClientProfile, Member
from agent_desk.core.validation import cn_amount, cn_date, cn_date_digits

Issue = tuple[str, str, str, str]  # (path, problem 'missing'|'invalid', label, message)


class FieldIssues(Exception):
    """Raised by a derivation that found problems inside a list (a member's bad ID…)."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(issues)
        self.issues = issues


@dataclass(frozen=True)
class DeriveEnv:
    """What a derivation may look at besides its own value."""

    path: str
    today: date
    item: ServiceItem | None = None
    client: ClientProfile | None = None


Derivation = Callable[[Any, DeriveEnv], Any]
SEX_ZH = {"male": "男", "female": "女"}


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _resident(value: str, env: DeriveEnv) -> Any:
    return parse_resident_id(value, today=env.today)


# --- one value ---------------------------------------------------------------------------------


def _money(value: Decimal, env: DeriveEnv) -> str:
    return f"{Decimal(value):.2f}"


def _outcome(value: str, env: DeriveEnv) -> str:
    return {"approved": "准予办理", "refused": "不予办理"}.get(value, value)


def _fees(value: Sequence[Fee], env: DeriveEnv) -> str:
    if not value:
        return "不收费"
    parts = [
        f"{fee.name}{fee.amount}元" + (f"（{fee.basis}）" if fee.basis else "") for fee in value
    ]
    return "；".join(parts)


def _id_chars(value: str, env: DeriveEnv) -> list[str]:
    return list(_resident(value, env).number.ljust(18))


# --- household members -------------------------------------------------------------------------


def member_row(index: int, member: Member, env: DeriveEnv) -> dict[str, Any]:
    """One member as household tables print it; sex and birth date fall back to the ID number."""
    resident = _resident(member.id_number, env) if member.id_number else None
    born = member.birth_date or (resident.birth_date if resident else None)
    sex = member.sex or (resident.sex if resident else None)
    return {
        "no": index + 1,
        "name": member.name,
        "relation": member.relation,
        "id_number": resident.number if resident else "",
        "masked_id": mask_id_number(resident.number) if resident else "",
        "sex": SEX_ZH.get(sex or "", ""),
        "birth_date": cn_date_digits(born) if born else "",
        "age": _age(born, env.today) if born else "",
        "occupation": member.occupation or "",
        "disability": member.disability or "",
        "phone": member.phone or "",
    }


def _member_issues(index: int, member: Member, env: DeriveEnv) -> list[Issue]:
    path = f"{env.path}[{index}].id_number"
    label = f"家庭成员“{member.name}”的身份证号码"
    if not member.id_number:
        return [(path, "missing", label, f"{label}未填写")]
    try:
        _resident(member.id_number, env)
    except ValueError as exc:
        return [(path, "invalid", label, f"{label}有误：{exc}")]
    return []


def _member_rows(
    members: Sequence[Member], env: DeriveEnv, keep: Callable[[Member], bool]
) -> list[dict[str, Any]]:
    chosen = [(i, m) for i, m in enumerate(members) if keep(m)]
    issues = [issue for i, m in chosen for issue in _member_issues(i, m, env)]
    if issues:
        raise FieldIssues(issues)
    return [member_row(n, m, env) for n, (_i, m) in enumerate(chosen)]


_SPOUSE_OF = {
    "户主": {"配偶", "妻", "夫", "妻子", "丈夫"},
    "配偶": {"户主"},
    "子": {"儿媳"},
    "儿子": {"儿媳"},
    "女": {"女婿"},
    "女儿": {"女婿"},
}
_CHILDREN_OF = {
    "户主": {"子", "女", "儿子", "女儿", "长子", "次子", "长女", "次女", "养子", "养女"},
    "子": {"孙子", "孙女"},
    "儿子": {"孙子", "孙女"},
    "女": {"外孙子", "外孙女"},
    "女儿": {"外孙子", "外孙女"},
}
_CHILDREN_OF["配偶"] = _CHILDREN_OF["户主"]


def _client_relation(env: DeriveEnv) -> str:
    """Household relations are to the head; a form's 'spouse' is relative to the client."""
    relation = env.client.relation_to_head if env.client else None
    return relation if relation in _SPOUSE_OF else "户主"


def _spouse(members: Sequence[Member], env: DeriveEnv) -> dict[str, Any]:
    wanted = _SPOUSE_OF[_client_relation(env)]
    rows = _member_rows(members, env, lambda m: m.relation in wanted)
    if not rows:
        raise FieldIssues(
            [
                (
                    env.path,
                    "missing",
                    "配偶信息",
                    "家庭成员中没有登记配偶（与户主关系：配偶/儿媳/女婿）",
                )
            ]
        )
    return rows[0]


def _children(members: Sequence[Member], env: DeriveEnv) -> list[dict[str, Any]]:
    wanted = _CHILDREN_OF.get(_client_relation(env), set())
    return _member_rows(members, env, lambda m: m.relation in wanted)


# --- documents ---------------------------------------------------------------------------------

_STATUS_ZH = {"received": "已收", "missing": "未交", "deferred": "容缺后补"}


def document_row(index: int, doc: CaseDocument | RequiredDocument, status: str) -> dict[str, Any]:
    """One document line of a notice or receipt; ☑ means received."""
    deferrable = isinstance(doc, RequiredDocument) and doc.deferrable
    promised = doc.promised_on if isinstance(doc, CaseDocument) else None
    return {
        "no": index + 1,
        "name": doc.name,
        "doc_kind": getattr(doc, "doc_kind", ""),
        "original": "原件" if doc.original else "复印件",
        "copies": doc.copies,
        "required": "必交" if doc.required else "选交",
        "deferrable": "可容缺" if deferrable else "",
        "status": _STATUS_ZH[status],
        "received": status == "received",
        "missing": status != "received",
        "mark": CHECKED if status == "received" else UNCHECKED,
        "promised_on": cn_date_digits(promised) if promised else "",
        "note": doc.note or "",
    }


def _document_rows(
    docs: Sequence[CaseDocument | RequiredDocument], env: DeriveEnv
) -> list[dict[str, Any]]:
    return [
        document_row(i, d, d.status if isinstance(d, CaseDocument) else "missing")
        for i, d in enumerate(docs)
    ]


def _checklist(docs: Sequence[CaseDocument], env: DeriveEnv) -> list[dict[str, Any]]:
    """The item's list of documents with this case's status on each (the one-time notice)."""
    by_name = {doc.name: doc for doc in docs}
    listed = list(env.item.documents) if env.item else []
    rows: list[tuple[CaseDocument | RequiredDocument, str]] = [
        (doc, by_name[doc.name].status if doc.name in by_name else "missing") for doc in listed
    ]
    known = {doc.name for doc in listed}
    rows += [(doc, doc.status) for doc in docs if doc.name not in known]
    return [document_row(i, doc, status) for i, (doc, status) in enumerate(rows)]


def _missing(docs: Sequence[CaseDocument], env: DeriveEnv) -> list[dict[str, Any]]:
    rows = [row for row in _checklist(docs, env) if row["missing"]]
    return [{**row, "no": n + 1} for n, row in enumerate(rows)]


def _estimate_mark(day: date, path: str, note: str = "预计") -> str:
    """A due date counted through a year whose holiday schedule is not out yet prints as 预计."""
    return f"（{note}）" if path == "case.due_on" and default_calendar().is_estimated(day) else ""


# --- hand-over batches -------------------------------------------------------------------------


def handover_row(index: int, client: ClientProfile, case: CaseInfo) -> dict[str, Any]:
    missing = sum(1 for doc in case.documents if doc.status != "received")
    return {
        "no": index + 1,
        "case_no": case.case_no,
        "client_name": client.name,
        "masked_id": mask_id_number(client.id_number) if client.id_number else "",
        "village": client.village or "",
        "item_name": case.item_name,
        "item_code": case.item_code,
        "accepted_on": cn_date_digits(case.accepted_on) if case.accepted_on else "",
        "due_on": cn_date_digits(case.due_on) + _estimate_mark(case.due_on, "case.due_on")
        if case.due_on
        else "",
        "doc_count": len(case.documents),
        "missing_count": missing,
        "note": case.note or "",
    }


def _handover(
    batch: Sequence[tuple[ClientProfile, CaseInfo]], env: DeriveEnv
) -> list[dict[str, Any]]:
    return [handover_row(i, client, case) for i, (client, case) in enumerate(batch)]


DERIVATIONS: dict[str, Derivation] = {
    "sex_zh": lambda v, env: SEX_ZH[_resident(v, env).sex],
    "birth_date": lambda v, env: cn_date_digits(_resident(v, env).birth_date),
    "birth_date_cn": lambda v, env: cn_date(_resident(v, env).birth_date),
    "age": lambda v, env: _age(_resident(v, env).birth_date, env.today),
    "id_region": lambda v, env: _resident(v, env).region or "",
    "masked_id": lambda v, env: mask_id_number(v),
    "id_chars": _id_chars,
    "cn_date": lambda v, env: cn_date(v) + _estimate_mark(v, env.path, ESTIMATE_NOTE),
    "cn_date_digits": lambda v, env: cn_date_digits(v) + _estimate_mark(v, env.path, ESTIMATE_NOTE),
    "iso_date": lambda v, env: v.isoformat(),
    "cn_amount": lambda v, env: cn_amount(Decimal(v)),
    "money": _money,
    "outcome_zh": _outcome,
    "fee_text": _fees,
    "join": lambda v, env: "；".join(v),
    "count": lambda v, env: len(v),
    "member_rows": lambda v, env: _member_rows(v, env, lambda m: True),
    "spouse": _spouse,
    "children": _children,
    "document_rows": _document_rows,
    "document_checklist": _checklist,
    "missing_documents": _missing,
    "handover_rows": _handover,
}
