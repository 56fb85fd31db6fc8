"""What every synced field may hold: one rule per entity and field, used by the desk before it queues
a change and by the hub before it applies one.

A value passes only if every desk can store and show it: known enumerations, bounded integers,
time-zone-aware datetimes, ID numbers and credit codes that pass the profile screen's checks, and
text without NUL, lone surrogates or characters XML (and so .docx/.xlsx) cannot hold. A test keeps
this table and the desk's tables in step, so there is no second schema to drift.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from agent_desk.core.case_flow import CaseAction, CaseOutcome, CaseStatus
from agent_desk.core.errors import DomainError, bilingual, localized
from agent_desk.core.identity import parse_credit_code, parse_resident_id
from agent_desk.core.validation import normalize_phone

MAX_INT = 2**53  # exact in every JSON reader and in a signed 64-bit column
MAX_JSON = 64 * 1024
MAX_DEPTH = 8
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ID = re.compile(r"^[0-9a-f]{32}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
REVIEW_STATES = ("waiting", "approved", "returned")
DOC_STATUSES = ("received", "missing", "deferred")
RECORDED_ACTIONS = (
    "entrust",
    "deadline_adjusted",
    "document_handed_on",  # a paper another case of the same 一件事 produced (services/requests.py)
)  # events that record a fact, no step of the state machine
EVENT_ACTIONS = tuple(a.value for a in CaseAction) + RECORDED_ACTIONS
MIMES = ("image/jpeg", "image/png", "application/pdf", "application/octet-stream")


# A value's problem is written bilingual ("中文 (English)", core.errors.bilingual): it reaches the
# desk's window, the hub's refusals and the CLI before anyone knows the reader's language.
_OUT_OF_RANGE = bilingual("数值超出范围", "number out of range")
_DATE_RANGE = bilingual("日期超出范围", "date out of range")


def _canonical(number: str) -> str:
    return bilingual("应写成规范形式 " + number, "must be written as " + number)


class BadValue(DomainError):
    """A value a desk cannot store; the message names the field in Chinese."""

    def __init__(self, entity: str, field: str, problem: str) -> None:
        label = LABELS.get(field, field)
        super().__init__(
            f"「{label}」{localized(problem, 'zh_CN')}",
            code="bad_value",
            field=field,
            message_en=f"{entity}.{field}: {localized(problem, 'en')}",
        )
        self.entity = entity


@dataclass(frozen=True)
class Rule:
    """One field: its kind, bounds and an optional domain check returning a problem (or None)."""

    kind: str  # text | int | bool | date | datetime | json | id | sha | enum | code
    max_len: int = 200
    lo: int = 0
    hi: int = MAX_INT
    choices: tuple[str, ...] = ()
    check: Callable[[str], str | None] | None = None
    nullable: bool = True
    required: bool = False  # must be present when the record is created


def text_problem(value: str, max_len: int) -> str | None:
    """Why ``value`` cannot travel as text, or None."""
    if len(value) > max_len:
        return bilingual(f"超过 {max_len} 个字", f"longer than {max_len} characters")
    bad = _BAD_TEXT.search(value)
    if bad is not None:
        code = f"U+{ord(bad.group()):04X}"
        return bilingual(
            f"含有无法保存的字符 {code}", f"holds a character that cannot be stored, {code}"
        )
    return None


def _json_problem(value: Any, depth: int = 0) -> str | None:
    if depth > MAX_DEPTH:
        return bilingual("嵌套过深", "nested too deep")
    if isinstance(value, str):
        return text_problem(value, 10_000)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if -MAX_INT <= value <= MAX_INT else _OUT_OF_RANGE
    if isinstance(value, float):
        return None if abs(value) < MAX_INT and value == value else _OUT_OF_RANGE
    if isinstance(value, list):
        return next((p for v in value if (p := _json_problem(v, depth + 1))), None)
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or (
                p := text_problem(key, 200) or _json_problem(item, depth + 1)
            ):
                return p or bilingual("键应为文字", "keys must be text")
        return None
    return bilingual("不是 JSON 值", "not a JSON value")


def _check_json(value: Any) -> str | None:
    if (problem := _json_problem(value)) is not None:
        return problem
    return (
        bilingual("内容过大", "too large")
        if len(json.dumps(value, ensure_ascii=False)) > MAX_JSON
        else None
    )


def _check_date(value: str) -> str | None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return bilingual("应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD")
    return None if 1880 <= day.year <= 2200 and len(value) == 10 else _DATE_RANGE


def _check_datetime(value: str) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return bilingual("应为带时区的日期时间", "must be a date and time with its time zone")
    if moment.tzinfo is None or moment.utcoffset() is None:
        return bilingual("缺少时区", "no time zone")
    return None if 1880 <= moment.year <= 2200 else _DATE_RANGE


def _phone(value: str) -> str | None:
    try:
        normalize_phone(value)
    except DomainError as exc:
        return exc.bilingual()
    return None


def _resident(value: str) -> str | None:
    try:
        parsed = parse_resident_id(value)
    except DomainError as exc:
        return exc.bilingual()
    return None if parsed.number == value else _canonical(parsed.number)


def _kind_problem(rule: Rule, value: Any) -> str | None:
    """The problem of a non-null value against its rule's kind and bounds."""
    if rule.kind == "bool":
        return None if isinstance(value, bool) else bilingual("应为是/否", "must be yes/no")
    if rule.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return bilingual("应为整数", "must be a whole number")
        return (
            None
            if rule.lo <= value <= rule.hi
            else bilingual(
                f"应在 {rule.lo} 至 {rule.hi} 之间", f"must be from {rule.lo} to {rule.hi}"
            )
        )
    if rule.kind == "json":
        return _check_json(value)
    if not isinstance(value, str):
        return bilingual("应为文字", "must be text")
    return _STRING_CHECKS[rule.kind](rule, value)


_STRING_CHECKS: Mapping[str, Callable[[Rule, str], str | None]] = {
    "text": lambda r, v: text_problem(v, r.max_len),
    "id": lambda r, v: (
        None if _ID.fullmatch(v) else bilingual("应为 32 位编号", "must be a 32-character id")
    ),
    "sha": lambda r, v: (
        None
        if _SHA.fullmatch(v)
        else bilingual("应为 64 位 sha256", "must be a 64-character sha256")
    ),
    "code": lambda r, v: (
        None if _CODE.fullmatch(v) else bilingual("编码格式不对", "not a valid code")
    ),
    "kind": lambda r, v: (
        None if _KIND.fullmatch(v) else bilingual("类别格式不对", "not a valid kind")
    ),
    "enum": lambda r, v: (
        None
        if v in r.choices
        else bilingual(
            "不是可选的值：" + "、".join(r.choices), "not one of " + ", ".join(r.choices)
        )
    ),
    "date": lambda r, v: _check_date(v),
    "datetime": lambda r, v: _check_datetime(v),
}


def _text(max_len: int = 200, **kw: Any) -> Rule:
    return Rule("text", max_len=max_len, **kw)


def _enum(values: tuple[str, ...], **kw: Any) -> Rule:
    return Rule("enum", choices=values, **kw)


_STATUSES = tuple(s.value for s in CaseStatus)
REQUEST_STATUSES = ("open", "completed", "withdrawn")
_FK = Rule("id")
_DATE, _MOMENT, _FLAG = Rule("date"), Rule("datetime"), Rule("bool", nullable=False)

FIELDS: Mapping[str, Mapping[str, Rule]] = {
    "household": {
        "village_id": _FK,
        "address": _text(),
        "head_name": _text(100),
        "registration_type": _text(40),
    },
    "client": {
        "kind": _enum(("person", "organisation"), nullable=False),
        "name": _text(100, nullable=False, required=True),
        "sort_key": _text(400),
        "id_number": _text(18),
        "sex": _enum(("male", "female")),
        "birth_date": _DATE,
        "phone": Rule("text", max_len=40, check=_phone),
        "address": _text(),
        "village_id": _FK,
        "household_id": _FK,
        "relation_to_head": _text(20),
        "ethnicity": _text(20),
        "marital_status": _text(20),
        "education": _text(20),
        "bank_name": _text(100),
        "bank_account": _text(40),
        "disability": _text(100),
        "poverty_status": _text(100),
        "note": _text(2000),
        "created_at": _MOMENT,
        "legal_rep_name": _text(100),
        "legal_rep_id_number": Rule("text", max_len=18, check=_resident),
        "legal_rep_client_id": _FK,
        "contact_name": _text(100),
        "contact_phone": Rule("text", max_len=40, check=_phone),
        "business_scope": _text(2000),
    },
    "client_document": {
        "client_id": Rule("id", nullable=False, required=True),
        "doc_kind": Rule("kind", nullable=False, required=True),
        "title": _text(200, nullable=False, required=True),
        "sha256": Rule("sha", nullable=False, required=True),
        "filename": _text(255, nullable=False, required=True),
        "mime": _enum(MIMES, nullable=False),
        "size": Rule("int", hi=20 * 1024 * 1024, nullable=False),
        "added_at": _MOMENT,
    },
    "case": {
        "case_no": Rule("code", nullable=False, required=True),
        "client_id": Rule("id", nullable=False, required=True),
        "item_code": Rule("code", nullable=False, required=True),
        "item_name": _text(200, nullable=False, required=True),
        "status": _enum(_STATUSES, nullable=False),
        "outcome": _enum(tuple(o.value for o in CaseOutcome)),
        "village_id": _FK,
        "agent_id": _FK,
        "entrusted_on": Rule("date", nullable=False, required=True),
        "accepted_on": _DATE,
        "due_on": _DATE,
        "promised_days": Rule("int", hi=3650, nullable=False),
        "deferred": _FLAG,
        "concluded_on": _DATE,
        "delivered_on": _DATE,
        "result": _text(2000),
        "satisfaction": Rule("int", lo=1, hi=5),
        "follow_up_comment": _text(2000),
        "batch_id": _FK,
        "review_state": _enum(REVIEW_STATES),
        "returned_count": Rule("int", hi=1000, nullable=False),
        "paused_days": Rule("int", hi=3650, nullable=False),
        "manual_fields": Rule("json", nullable=False),
        "created_at": _MOMENT,
        "request_id": _FK,
    },
    "request": {
        "request_no": Rule("code", nullable=False, required=True),
        "bundle_code": Rule("code", nullable=False, required=True),
        "bundle_name": _text(200, nullable=False, required=True),
        "client_id": Rule("id", nullable=False, required=True),
        "village_id": _FK,
        "agent_id": _FK,
        "status": _enum(REQUEST_STATUSES, nullable=False),
        "opened_on": Rule("date", nullable=False, required=True),
        "due_on": _DATE,
        "completed_on": _DATE,
        "trips_saved": Rule("int", hi=1000, nullable=False),
        "note": _text(2000),
        "created_at": _MOMENT,
        "plan": Rule("json", nullable=False),
    },
    "case_document": {
        "case_id": Rule("id", nullable=False, required=True),
        "name": _text(200, nullable=False, required=True),
        "doc_kind": Rule("kind"),
        "original": _FLAG,
        "copies": Rule("int", hi=99, nullable=False),
        "required": _FLAG,
        "status": _enum(DOC_STATUSES, nullable=False),
        "position": Rule("int", hi=10_000, nullable=False),
        "promised_on": _DATE,
        "received_on": _DATE,
        "client_document_id": _FK,
    },
    "case_event": {
        "case_id": Rule("id", nullable=False, required=True),
        "action": _enum(EVENT_ACTIONS, nullable=False, required=True),
        "from_status": _enum(_STATUSES),
        "to_status": _enum(_STATUSES, nullable=False, required=True),
        "actor": _text(100, nullable=False),
        "at": Rule("datetime", nullable=False),
        "desk_at": _MOMENT,
        "reason": _text(2000),
        "payload": Rule("json", nullable=False),
    },
}

LABELS: Mapping[str, str] = {
    "name": "姓名/名称",
    "id_number": "证件号码",
    "sex": "性别",
    "birth_date": "出生日期",
    "phone": "联系电话",
    "address": "地址",
    "village_id": "所属村",
    "household_id": "所属户",
    "status": "状态",
    "outcome": "办结结果",
    "satisfaction": "满意度",
    "review_state": "审核状态",
    "returned_count": "退回次数",
    "action": "操作",
    "from_status": "原状态",
    "to_status": "新状态",
    "actor": "经办人",
    "at": "时间",
    "payload": "操作内容",
    "reason": "原因",
    "doc_kind": "材料类别",
    "sha256": "附件编号",
    "mime": "文件类型",
    "size": "文件大小",
    "promised_days": "承诺时限",
    "due_on": "办结期限",
    "case_no": "办件编号",
    "item_code": "事项编码",
    "item_name": "事项名称",
    "manual_fields": "手填内容",
    "agent_id": "代办员",
    "client_id": "委托人",
    "case_id": "办件",
    "copies": "份数",
    "position": "顺序",
    "promised_on": "承诺补交日期",
    "kind": "类型",
}


def field_problem(entity: str, name: str, value: Any) -> str | None:
    """Why ``value`` cannot be stored in ``entity.name``, or None."""
    rule = FIELDS[entity].get(name)
    if rule is None:
        return bilingual("不是该记录的字段", "not a field of this record")
    if value is None:
        return None if rule.nullable else bilingual("不能为空", "must not be empty")
    problem = _kind_problem(rule, value)
    if problem is None and rule.check is not None:
        problem = rule.check(value)
    return problem


def _identity_problem(record: Mapping[str, Any]) -> str | None:
    """The ID number of a person, or the credit code of an organisation, as the profile screen checks it."""
    number = record.get("id_number")
    if not isinstance(number, str):
        return None
    try:
        parsed = (
            parse_credit_code(number)
            if record.get("kind") == "organisation"
            else parse_resident_id(number)
        )
    except DomainError as exc:
        return exc.bilingual()
    return None if parsed.number == number else _canonical(parsed.number)


def check_values(entity: str, fields: Mapping[str, Any]) -> None:
    """Raise ``BadValue`` for the first value that no desk could store (each field on its own)."""
    if entity not in FIELDS:
        what = entity[:40]
        raise DomainError(
            f"不能同步「{what}」", code="bad_entity", message_en=f"unknown entity {what}"
        )
    for name, value in fields.items():
        if (problem := field_problem(entity, name, value)) is not None:
            raise BadValue(entity, name, problem)


def check_fields(
    entity: str, fields: Mapping[str, Any], *, current: Mapping[str, Any] | None = None
) -> None:
    """Raise ``BadValue`` for the first field a desk could not store; ``current`` is the record before
    the change (None when it is created), for checks that read two fields (kind and ID number)."""
    check_values(entity, fields)
    if current is None:
        missing = [
            n for n, rule in FIELDS[entity].items() if rule.required and fields.get(n) is None
        ]
        if missing:
            raise BadValue(
                entity,
                missing[0],
                bilingual("新建记录时必须填写", "required when the record is created"),
            )
    touches_identity = entity == "client" and ("id_number" in fields or "kind" in fields)
    if (
        touches_identity
        and (problem := _identity_problem({**(current or {}), **fields})) is not None
    ):
        raise BadValue(entity, "id_number", problem)


# Judging a whole page at once (the desk's pull): one pass per field over a column of values. Each
# test here is at least as strict as ``field_problem``; a page that fails any of them is judged
# again record by record, so the bulk pass only decides that nothing in the page needs a closer look.
_SEP = "\n"  # allowed in text, and in no id, sha, code or kind


def _all_text(values: list[Any], max_len: int) -> bool:
    if not all(type(v) is str for v in values):
        return False
    return max(map(len, values)) <= max_len and not _BAD_TEXT.search(_SEP.join(values))


def _all_match(values: list[Any], pattern: re.Pattern[str]) -> bool:
    return all(type(v) is str and pattern.fullmatch(v) for v in values)


def _all_distinct(values: list[Any], problem: Callable[[Any], str | None]) -> bool:
    """Each distinct value judged once (dates, enumerations and phone numbers repeat a lot)."""
    try:
        distinct = set(values)
    except TypeError:  # a list or dict where a value belongs: judged one by one
        return False
    return all(problem(v) is None for v in distinct)


def json_key(value: Any) -> Any:
    """A hashable stand-in for a flat JSON object (types kept: 1, 1.0 and True judge differently),
    or None; events' payloads repeat a few hundred shapes across a township."""
    if type(value) is dict:
        return tuple((k, type(v), v) for k, v in value.items())
    return None


def _all_json(values: list[Any]) -> bool:
    checked: set[Any] = set()
    for value in values:
        if not value and type(value) in (dict, list):  # most payloads and manual fields: {}
            continue
        key = json_key(value)
        try:
            if key in checked:
                continue
        except TypeError:  # nested: judged on its own
            key = None
        if _check_json(value) is not None:
            return False
        if key is not None:
            checked.add(key)
    return True


_PATTERNS = {"id": _ID, "sha": _SHA, "code": _CODE, "kind": _KIND}


def _column_clean(entity: str, name: str, rule: Rule, values: list[Any]) -> bool:
    if rule.check is not None:
        return _all_distinct(values, lambda v: field_problem(entity, name, v))
    if rule.kind == "text":
        return _all_text(values, rule.max_len)
    if rule.kind in _PATTERNS:
        return _all_match(values, _PATTERNS[rule.kind])
    if rule.kind == "int":
        if not all(type(v) is int for v in values):
            return False
        return rule.lo <= min(values) and max(values) <= rule.hi
    if rule.kind == "json":
        return _all_json(values)
    if rule.kind == "bool":  # not by distinct values: 1 == True in a set
        return all(type(v) is bool for v in values)
    if rule.kind == "datetime":  # mostly distinct: judged without the per-value dispatch
        return all(type(v) is str for v in values) and all(
            _check_datetime(v) is None for v in set(values)
        )
    return _all_distinct(values, lambda v: field_problem(entity, name, v))


def page_clean(entity: str, records: list[Mapping[str, Any]]) -> bool:
    """Whether no value of these records (the fields of a page's changes of one entity) has a
    problem ``field_problem`` would name; unknown fields are not judged. False means: look closer."""
    rules = FIELDS.get(entity)
    if rules is None:
        return True
    for name in set().union(*records) & rules.keys():
        rule = rules[name]
        present = [v for r in records if (v := r.get(name)) is not None]
        if not rule.nullable and len(present) < sum(name in r for r in records):
            return False
        if present and not _column_clean(entity, name, rule, present):
            return False
    return True
