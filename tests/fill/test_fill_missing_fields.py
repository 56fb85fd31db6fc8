"""check_fill reports every missing or invalid field before rendering, once per place to fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from agent_desk.catalog import Catalog
from agent_desk.core.identity import make_resident_id
from agent_desk.core.profile import ClientProfile
from agent_desk.fill import (
    FillIncomplete,
    build_batch_context,
    build_context,
    check_batch_fill,
    check_fill,
)
from agent_desk.fill.demo import DEMO_TODAY, demo_agent, demo_case, demo_client, demo_manual

DIBAO = "62052400MZ-JF-0001"


def broken_client() -> ClientProfile:
    client = demo_client()
    members = list(client.household.members)
    members[1] = replace(members[1], id_number=members[1].id_number[:-1] + "0")  # wrong check digit
    members[2] = replace(members[2], id_number=None)
    bad_id = str(client.id_number)[:-1] + ("1" if str(client.id_number)[-1] != "1" else "2")
    return replace(
        client,
        id_number=bad_id,
        phone=None,
        bank_account="",
        household=replace(client.household, members=tuple(members)),
    )


def test_every_problem_is_listed_once(catalog: Catalog) -> None:
    item = catalog.item(DIBAO)
    form = item.forms[0]
    manual = demo_manual(form) | {"annual_income": "一千", "apply_type": "城镇低保", "reason": "  "}
    manual.pop("health")
    missing = check_fill(
        item, form, broken_client(), demo_case(item), demo_agent(), manual, DEMO_TODAY
    )
    by_path = {m.path: m for m in missing}
    assert sorted(by_path) == sorted(
        [
            "client.id_number",
            "client.phone",
            "client.bank_account",
            "client.household.members[1].id_number",
            "client.household.members[2].id_number",
            "manual.annual_income",
            "manual.apply_type",
            "manual.reason",
            "manual.health",
        ]
    )
    assert (
        by_path["client.id_number"].problem == "invalid"
        and "校验码" in by_path["client.id_number"].message
    )
    assert by_path["client.id_number"].label == "公民身份号码"
    assert (
        by_path["client.phone"].problem == "missing" and by_path["client.phone"].label == "联系电话"
    )
    assert by_path["client.household.members[2].id_number"].label == "家庭成员“李明”的身份证号码"
    assert (
        by_path["manual.annual_income"].problem == "invalid"
        and "不是数字" in by_path["manual.annual_income"].message
    )
    assert (
        by_path["manual.apply_type"].problem == "invalid"
        and "农村低保" in by_path["manual.apply_type"].message
    )
    assert (
        by_path["manual.reason"].problem == "missing"
        and by_path["manual.health"].problem == "missing"
    )
    assert {m.source for m in missing} == {"client", "manual"}
    assert all(m.form == "application" for m in missing)


def test_build_context_refuses_with_the_same_list(catalog: Catalog) -> None:
    item = catalog.item(DIBAO)
    form = item.forms[0]
    args = (
        item,
        form,
        broken_client(),
        demo_case(item),
        demo_agent(),
        demo_manual(form),
        DEMO_TODAY,
    )
    with pytest.raises(FillIncomplete) as caught:
        build_context(*args)
    assert caught.value.missing == check_fill(*args)
    assert str(caught.value).startswith(
        "《最低生活保障申请书》还有 5 项需要补充或更正：公民身份号码"
    )


def test_optional_fields_may_be_blank(catalog: Catalog) -> None:
    item = catalog.item("62052400RS-GG-0001")
    form = item.forms[0]
    client = replace(
        demo_client(), education=None, marital_status=None, bank_name=None, bank_account=None
    )
    assert (
        check_fill(item, form, client, demo_case(item), demo_agent(), demo_manual(form), DEMO_TODAY)
        == []
    )
    context = build_context(
        item, form, client, demo_case(item), demo_agent(), demo_manual(form), DEMO_TODAY
    )
    assert context["education"] == "" and context["bank_account"] == ""


def test_manual_values_are_coerced(catalog: Catalog) -> None:
    item = catalog.item("62052400NY-XK-0001")
    form = item.forms[0]
    manual = demo_manual(form) | {
        "floors": "２",
        "neighbours_consulted": "否",
        "site_area": "150.25",
    }
    context = build_context(
        item, form, demo_client(), demo_case(item), demo_agent(), manual, DEMO_TODAY
    )
    assert (
        context["floors"] == 2
        and context["neighbours_consulted"] is False
        and context["site_area"] == "150.25"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("floors", "4", "不能大于 3"),
        ("floors", "1.5", "应为整数"),
        ("site_area", "一百", "格式不对"),
        ("neighbours_consulted", "也许", "应为 是 或 否"),
        ("reason", "理" * 301, "最多 300 个字"),
    ],
)
def test_manual_rules_are_enforced(catalog: Catalog, field: str, value: str, message: str) -> None:
    item = catalog.item("62052400NY-XK-0001")
    form = item.forms[0]
    manual = demo_manual(form) | {field: value}
    [problem] = check_fill(
        item, form, demo_client(), demo_case(item), demo_agent(), manual, DEMO_TODAY
    )
    assert (
        problem.path == f"manual.{field}"
        and problem.problem == "invalid"
        and message in problem.message
    )


def test_money_date_and_multiple_choice(catalog: Catalog) -> None:
    item = catalog.item("62052400MZ-JF-0002")
    form = item.forms[0]
    manual = demo_manual(form) | {"amount": "1,234.56", "causes": "火灾、医疗支出"}
    context = build_context(
        item, form, demo_client(), demo_case(item), demo_agent(), manual, DEMO_TODAY
    )
    assert context["amount"] == "1234.56" and context["amount_cn"] == "壹仟贰佰叁拾肆元伍角陆分"
    assert context["causes"] == ["火灾", "医疗支出"]
    birth = catalog.item("62052400WJ-GG-0001")
    manual = demo_manual(birth.forms[0]) | {"marriage_date": "2001年5月1日"}
    context = build_context(
        birth, birth.forms[0], demo_client(), demo_case(birth), demo_agent(), manual, DEMO_TODAY
    )
    assert context["marriage_date"] == "2001年5月1日" and context["due_date"] == "2026年12月3日"
    assert Decimal(demo_manual(form)["amount"]) >= 1


def test_spouse_must_be_registered(catalog: Catalog) -> None:
    item = catalog.item("62052400WJ-GG-0001")
    client = demo_client()
    alone = replace(
        client, household=replace(client.household, members=client.household.members[:1])
    )
    [problem] = check_fill(
        item,
        item.forms[0],
        alone,
        demo_case(item),
        demo_agent(),
        demo_manual(item.forms[0]),
        DEMO_TODAY,
    )
    assert problem.path == "client.household.members" and problem.label == "配偶信息"


def test_organisation_client_gets_a_message_not_a_crash(catalog: Catalog) -> None:
    item = catalog.item(DIBAO)
    org = replace(demo_client(), kind="organisation", id_number="91620524MA71234567")
    missing = check_fill(
        item,
        item.forms[0],
        org,
        demo_case(item),
        demo_agent(),
        demo_manual(item.forms[0]),
        DEMO_TODAY,
    )
    assert [m.path for m in missing] == ["client.id_number"] and missing[0].problem == "invalid"


def test_agent_details_are_checked_too(catalog: Catalog) -> None:
    item = catalog.item(DIBAO)
    form = catalog.common_forms["proxy_authorisation"]
    agent = replace(demo_agent(), id_number="620524198506152241", phone=None)
    missing = check_fill(item, form, demo_client(), demo_case(item), agent, {}, DEMO_TODAY)
    assert {m.path: m.problem for m in missing} == {
        "agent.id_number": "invalid",
        "agent.phone": "missing",
    }


def test_batch_form_checks(catalog: Catalog) -> None:
    form = catalog.common_forms["handover_list"]
    item = catalog.item(DIBAO)
    batch = [(demo_client(), demo_case(item))]
    [problem] = check_batch_fill(form, batch, demo_agent(), {"batch_no": "批" * 21}, DEMO_TODAY)
    assert problem.path == "manual.batch_no"
    [empty] = check_batch_fill(form, [], demo_agent(), {}, DEMO_TODAY)
    assert empty.path == "batch" and empty.problem == "missing"
    context = build_batch_context(form, batch, demo_agent(), {}, date(2026, 12, 1))
    assert context["today"] == "2026年12月1日" and context["batch_no"] == ""
    assert make_resident_id("620524", date(1944, 3, 12), 123) == demo_client().id_number
