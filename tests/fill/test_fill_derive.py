"""Derivations and the field vocabulary: in step with the profile types, right for real households."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date
from pathlib import Path

import pytest

import agent_desk
from agent_desk.catalog.fields import DERIVES, PATHS
from agent_desk.core.profile import (
    AgentInfo,
    CaseDocument,
    CaseInfo,
    ClientProfile,
    Household,
    Member,
)
from agent_desk.fill.demo import DEMO_TODAY, demo_client, demo_members
from agent_desk.fill.derive import DERIVATIONS, DeriveEnv, FieldIssues, document_row, handover_row

MEMBERS = "client.household.members"


def derive(
    name: str, value, client: ClientProfile | None = None, item=None, today: date = DEMO_TODAY
):
    return DERIVATIONS[name](value, DeriveEnv(MEMBERS, today, item, client))


def test_every_declared_derivation_is_implemented() -> None:
    assert set(DERIVES) == set(DERIVATIONS)


@pytest.mark.parametrize(
    ("prefix", "kind"),
    [
        ("client", ClientProfile),
        ("client.household", Household),
        ("agent", AgentInfo),
        ("case", CaseInfo),
    ],
)
def test_paths_cover_the_profile_types(prefix: str, kind: type) -> None:
    declared = {
        p.removeprefix(prefix + ".")
        for p in PATHS
        if p.startswith(prefix + ".") and p.count(".") == prefix.count(".") + 1
    }
    fields = {f.name for f in dataclasses.fields(kind)} - {"household"}
    assert declared == fields


def test_id_number_derivations() -> None:
    number = demo_client().id_number
    assert derive("sex_zh", number) == "男"
    assert derive("birth_date", number) == "1944年3月12日"
    assert derive("birth_date_cn", number) == "一九四四年三月十二日"
    assert derive("age", number, today=date(2026, 3, 11)) == 81
    assert derive("age", number, today=date(2026, 3, 12)) == 82
    assert derive("masked_id", number) == number[:6] + "*" * 8 + number[-4:]
    assert derive("id_chars", number) == list(number)
    assert "武山县" in derive("id_region", number)


def test_dates_money_and_lists() -> None:
    assert derive("cn_date", date(2026, 11, 22)) == "二〇二六年十一月二十二日"
    assert derive("iso_date", date(2026, 1, 2)) == "2026-01-02"
    assert derive("money", "1234.5") == "1234.50"
    assert derive("join", ("甲", "乙")) == "甲；乙"
    assert derive("outcome_zh", "refused") == "不予办理"
    assert derive("fee_text", ()) == "不收费"


def test_member_rows_fall_back_to_the_id_number() -> None:
    rows = derive("member_rows", demo_members())
    assert [r["no"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[1]["sex"] == "女" and rows[1]["age"] == 80 and rows[1]["disability"] == "肢体三级"


def test_member_problems_name_the_member() -> None:
    members = list(demo_members())
    members[3] = dataclasses.replace(members[3], id_number="620524197501094225")
    with pytest.raises(FieldIssues) as caught:
        derive("member_rows", members)
    [(path, problem, label, message)] = caught.value.issues
    assert (
        path == f"{MEMBERS}[3].id_number"
        and problem == "invalid"
        and "赵丽" in label
        and "校验码" in message
    )


def test_spouse_and_children_are_relative_to_the_client() -> None:
    head = demo_client()
    assert derive("spouse", demo_members(), head)["name"] == "王秀英"
    assert [r["name"] for r in derive("children", demo_members(), head)] == ["李明"]
    son = dataclasses.replace(head, name="李明", relation_to_head="子")
    assert derive("spouse", demo_members(), son)["name"] == "赵丽"
    assert [r["name"] for r in derive("children", demo_members(), son)] == ["李小龙"]
    with pytest.raises(FieldIssues):
        derive("spouse", (Member("李建国", "户主"),), head)


def test_document_rows_and_checklist(catalog) -> None:
    item = catalog.item("62052400MZ-JF-0001")
    case_docs = (
        CaseDocument(item.documents[0].name, True, 1, True, "received"),
        CaseDocument("补充说明", False, 1, False, "deferred", date(2026, 12, 1)),
    )
    rows = derive("document_checklist", case_docs, item=item)
    assert len(rows) == len(item.documents) + 1
    assert rows[0]["mark"] == "☑" and rows[0]["status"] == "已收" and rows[1]["mark"] == "☐"
    assert rows[-1]["name"] == "补充说明" and rows[-1]["promised_on"] == "2026年12月1日"
    missing = derive("missing_documents", case_docs, item=item)
    assert [r["no"] for r in missing] == list(range(1, len(item.documents) + 1))
    assert document_row(0, item.documents[4], "missing")["deferrable"] == "可容缺"


def test_handover_row_masks_the_id() -> None:
    case = CaseInfo(
        "WS-1", "62052400MZ-JF-0001", "低保", documents=(CaseDocument("身份证", status="missing"),)
    )
    row = handover_row(0, demo_client(), case)
    assert (
        row["masked_id"].count("*") == 8 and row["missing_count"] == 1 and row["accepted_on"] == ""
    )


def test_a_due_date_in_an_estimated_year_prints_as_an_estimate() -> None:
    """2027's schedule is not out: the receipt says the date is 预计 and who decides it."""
    estimated = DERIVATIONS["cn_date_digits"](
        date(2027, 1, 4), DeriveEnv("case.due_on", DEMO_TODAY)
    )
    assert estimated == "2027年1月4日（预计，以国务院公布的放假安排为准）"
    assert (
        DERIVATIONS["cn_date_digits"](date(2026, 12, 18), DeriveEnv("case.due_on", DEMO_TODAY))
        == "2026年12月18日"
    )
    assert (
        DERIVATIONS["cn_date"](date(2027, 1, 4), DeriveEnv("case.accepted_on", DEMO_TODAY))
        == "二〇二七年一月四日"
    )
    case = CaseInfo("WS-1", "62052400MZ-JF-0001", "低保", due_on=date(2027, 1, 4))
    assert handover_row(0, demo_client(), case)["due_on"].endswith("（预计）")


FORBIDDEN = (
    "agent_desk.store",
    "agent_desk.services",
    "agent_desk.ui",
    "agent_desk.sync",
    "agent_desk.server",
    "PySide6",
    "sqlmodel",
    "sqlalchemy",
)


@pytest.mark.parametrize("package", ["catalog", "fill"])
def test_layer_rule(package: str) -> None:
    """catalog and fill import only core (and libraries): the UI and services build on them."""
    root = Path(agent_desk.__file__).parent / package
    for module in root.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not [n for n in names if n.startswith(FORBIDDEN)], (module.name, names)
