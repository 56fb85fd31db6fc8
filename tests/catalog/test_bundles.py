"""Bundles (一件事): the shipped ones pass and render; a bad one is refused with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desk.catalog import Catalog
from agent_desk.catalog.bundles import dependency_order
from agent_desk.catalog.check import check_catalog, main

NEWBORN, RETIREMENT, PROJECT = "620524-YJS-0001", "620524-YJS-0002", "620524-YJS-0003"


def test_shipped_bundles_name_their_items_in_order(shipped: Catalog) -> None:
    assert set(shipped.bundles) == {NEWBORN, RETIREMENT, PROJECT}
    newborn = shipped.bundle(NEWBORN)
    assert [shipped.item(c).short_name for c in newborn.item_codes] == [
        "出生医学证明",
        "预防接种证",
        "新生儿落户",
        "居民医保参保",
        "社保卡申领",
    ]
    order = dependency_order(newborn)
    assert order.index("62052400GA-QR-0001") > order.index("62052400WJ-GG-0002")
    project = shipped.bundle(PROJECT)
    assert dependency_order(project) == [
        "62052400FG-QT-0001",
        "62052400ZR-XK-0001",
        "62052400ZJ-XK-0001",
    ]
    assert all(shipped.item(c).applicant == "organisation" for c in project.item_codes)


def _write(tree: Path, text: str) -> Path:
    path = tree / "forms" / "bundles" / "620524-YJS-0009.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BAD_HEAD = "code: 620524-YJS-0009\nname: 坏的一件事\ncategory: 社会保险\nmembers:\n"


def _lines(tree: Path) -> list[str]:
    return [str(p) for p in check_catalog(tree)]


def test_a_dependency_cycle_is_refused_with_file_and_line(tree: Path) -> None:
    path = _write(
        tree,
        BAD_HEAD
        + "  - item: 62052400RS-QR-0001\n"
        + "    after: [62052400RS-JF-0001]\n"
        + "  - item: 62052400RS-JF-0001\n"
        + "    after: [62052400RS-QR-0001]\n",
    )
    problems = _lines(tree)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:6: ") and "循环" in problems[0]
    assert "62052400RS-QR-0001 → 62052400RS-JF-0001 → 62052400RS-QR-0001" in problems[0]


def test_an_unknown_item_is_refused_with_file_and_line(tree: Path) -> None:
    path = _write(
        tree,
        BAD_HEAD
        + "  - item: 62052400RS-QR-0001\n"
        + "  - item: 62052400RS-XK-0099\n"
        + "    after: [62052400RS-QR-0001]\n",
    )
    assert _lines(tree) == [
        f"{path}:6: members.1.item: 事项目录中没有编码为 62052400RS-XK-0099 的事项 (unknown item)"
    ]


def test_an_unknown_predecessor_is_refused(tree: Path) -> None:
    path = _write(
        tree,
        BAD_HEAD
        + "  - item: 62052400RS-QR-0001\n"
        + "  - item: 62052400RS-JF-0001\n"
        + "    after: [62052400ZJ-XK-0001]\n",
    )
    [problem] = _lines(tree)
    assert problem.startswith(f"{path}:7: ") and "不是本一件事的成员" in problem


def test_a_shared_document_no_member_asks_for_is_refused(tree: Path) -> None:
    path = _write(
        tree,
        BAD_HEAD
        + "  - item: 62052400RS-QR-0001\n"
        + "  - item: 62052400RS-JF-0001\n"
        + "shared_documents: [id_card, business_licence]\n",
    )
    assert _lines(tree) == [
        f"{path}:7: shared_documents.1: 共享材料 business_licence 没有任何成员事项需要"
        " (no member item asks for it)"
    ]


def test_an_organisation_item_in_a_person_bundle_is_refused(tree: Path) -> None:
    path = _write(
        tree,
        BAD_HEAD + "  - item: 62052400RS-QR-0001\n" + "  - item: 62052400ZJ-XK-0001\n",
    )
    [problem] = _lines(tree)
    assert problem.startswith(f"{path}:6: ") and "不受理个人的申请" in problem


def test_catalog_check_command_exits_1_on_a_bad_bundle(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tree)]) == 0
    assert "3 个一件事" in capsys.readouterr().out
    _write(tree, BAD_HEAD + "  - item: 62052400RS-QR-0001\n  - item: 62052400XX-XK-0001\n")
    assert main([str(tree)]) == 1
    assert "bundles/620524-YJS-0009.yaml:6:" in capsys.readouterr().out


def test_shipped_bundles_hand_on_what_a_member_produces(shipped: Catalog) -> None:
    assert shipped.bundle(NEWBORN).produced == {"birth_certificate": "62052400WJ-GG-0002"}
    assert shipped.bundle(PROJECT).produced == {
        "project_filing": "62052400FG-QT-0001",
        "planning_permit": "62052400ZR-XK-0001",
    }


def test_a_produced_document_no_other_member_asks_for_is_refused(tree: Path) -> None:
    path = _write(
        tree,
        BAD_HEAD
        + "  - item: 62052400RS-QR-0001\n"
        + "    produces: [employment_record]\n"
        + "  - item: 62052400RS-JF-0001\n"
        + "    after: [62052400RS-QR-0001]\n",
    )
    assert _lines(tree) == [
        f"{path}:6: members.0.produces.0: 产出材料 employment_record 没有其他成员事项需要"
        " (no other member item asks for it)"
    ]
