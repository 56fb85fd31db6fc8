"""A complete demo household, case and agent: for tests, the benchmark and screenshots.

Every profile field is set, so a form that renders blank with this profile has a template or
field-map bug, not missing data. ID numbers are generated with valid check digits.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from agent_desk.catalog.loader import COMMON, Catalog
from agent_desk.catalog.schema import FieldSpec, FormSpec, ServiceItem
from agent_desk.core.identity import make_resident_id
from agent_desk.core.profile import (
    AgentInfo,
    CaseDocument,
    CaseInfo,
    ClientProfile,
    Household,
    Member,
)
from agent_desk.fill.context import build_batch_context, build_context

DEMO_TODAY = date(2026, 11, 23)
REGION = "620524"


def demo_members() -> tuple[Member, ...]:
    people = [
        ("李建国", "户主", date(1944, 3, 12), 123, "务农", None),
        ("王秀英", "配偶", date(1946, 8, 2), 242, "务农", "肢体三级"),
        ("李明", "子", date(1972, 5, 20), 311, "外出务工", None),
        ("赵丽", "儿媳", date(1975, 1, 9), 422, "务农", None),
        ("李小龙", "孙子", date(2010, 9, 1), 515, "学生", None),
    ]
    return tuple(
        Member(
            name,
            relation,
            make_resident_id(REGION, born, seq),
            None,
            born,
            job,
            disability,
            "13909381234",
        )
        for name, relation, born, seq, job, disability in people
    )


def demo_client() -> ClientProfile:
    members = demo_members()
    return ClientProfile(
        name="李建国",
        id_number=members[0].id_number,
        phone="13909381234",
        address="武山县洛门镇蓼阳村三组45号",
        village="蓼阳村",
        township="洛门镇",
        county="武山县",
        ethnicity="汉族",
        marital_status="已婚",
        education="小学",
        bank_name="甘肃武山农村商业银行",
        bank_account="6228480012345678901",
        bank_account_holder="李建国",
        relation_to_head="户主",
        disability=None,
        poverty_status="脱贫户",
        household=Household("甘肃省天水市武山县洛门镇蓼阳村三组45号", "李建国", "农业", members),
    )


DEMO_CREDIT_CODE = "91620524MA71234X51"


def demo_organisation() -> ClientProfile:
    """An enterprise client of a chief service officer (its legal representative is 李建国)."""
    return ClientProfile(
        name="武山县宏达建筑工程有限公司",
        kind="organisation",
        id_number=DEMO_CREDIT_CODE,
        phone="0938-3421234",
        address="甘肃省天水市武山县城关镇北顺路18号",
        village="蓼阳村",
        township="洛门镇",
        county="武山县",
        legal_rep_name="李建国",
        legal_rep_id_number=demo_members()[0].id_number,
        legal_rep_phone="13909381234",
        contact_name="王小明",
        contact_phone="13919385678",
        business_scope="房屋建筑工程施工；市政公用工程施工",
    )


def demo_agent() -> AgentInfo:
    return AgentInfo(
        "张红梅",
        "13893812345",
        make_resident_id(REGION, date(1985, 6, 15), 224),
        "蓼阳村",
        "蓼阳村便民服务室",
    )


def demo_case(item: ServiceItem, today: date = DEMO_TODAY) -> CaseInfo:
    """An accepted, concluded and delivered case, so every common document has its dates."""
    documents = tuple(
        CaseDocument(
            doc.name,
            doc.original,
            doc.copies,
            doc.required,
            "deferred" if doc.deferrable else "received",
            today + timedelta(days=7) if doc.deferrable else None,
        )
        for doc in item.documents
        if doc.required
    )
    return CaseInfo(
        case_no=f"WS-{item.code[8:10]}-20261123-0007",
        item_code=item.code,
        item_name=item.name,
        status="delivered",
        entrusted_on=today,
        accepted_on=today,
        due_on=today + timedelta(days=28),
        concluded_on=today + timedelta(days=14),
        delivered_on=today + timedelta(days=15),
        outcome="approved",
        result="审核通过，自2026年12月起按月发放",
        department=item.department,
        correction_reasons=item.correction_reasons or ("请补充材料",),
        documents=documents,
        note="容缺受理",
    )


def demo_manual(form: FormSpec) -> dict[str, Any]:
    """A valid value for every manual field of ``form``, derived from its declared rules."""
    return {name: demo_value(spec) for name, spec in form.fields.items() if spec.manual is not None}


def demo_value(spec: FieldSpec) -> Any:
    if spec.manual == "choice":
        return list(spec.options[:2]) if spec.multiple else spec.options[0]
    if spec.manual == "bool":
        return True
    if spec.manual == "date":
        return DEMO_TODAY + timedelta(days=10)
    if spec.manual in ("money", "int"):
        value = spec.min if spec.min is not None else Decimal("1200.50")
        return int(value) if spec.manual == "int" else Decimal(value)
    if spec.pattern:
        return next((c for c in _PATTERN_SAMPLES if re.fullmatch(spec.pattern, c)), "120.5")
    return f"示例{spec.label}"


_PATTERN_SAMPLES = ("120.5", "13909381234", "0938-3421000", "A1")


def demo_context(catalog: Catalog, code: str, form_id: str) -> tuple[Path, dict[str, Any]]:
    """(template path, context) of one form filled for the demo household: what a benchmark renders.

    ``code`` is an item code; a common form (``code == "common"``) is filled for the first item.
    """
    item = catalog.item(code) if code != COMMON else next(iter(catalog.items.values()))
    form = (
        catalog.common_forms[form_id]
        if code == COMMON
        else next(f for f in item.forms if f.id == form_id)
    )
    client, agent, case = demo_client(), demo_agent(), demo_case(item)
    if form.scope == "batch":
        context = build_batch_context(
            form, [(client, case)] * 20, agent, demo_manual(form), DEMO_TODAY
        )
    else:
        context = build_context(item, form, client, case, agent, demo_manual(form), DEMO_TODAY)
    return catalog.template_path(form), context
