"""The shipped catalog loads clean; each kind of broken YAML is reported at its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent_desk.catalog import Catalog, Problem, load_catalog
from agent_desk.core.errors import DomainError

BASE = "62052400MZ-JF-0003.yaml"  # 高龄津贴: small, with manual fields and a template
NEW_CODE = "62052400MZ-JF-0099"


def items_dir(tree: Path) -> Path:
    return tree / "forms" / "items"


def write_variant(tree: Path, old: str, new: str, name: str = "zz-broken.yaml") -> tuple[Path, str]:
    """A copy of the base item with one edit and a fresh code, so only the edit is wrong."""
    text = (items_dir(tree) / BASE).read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {BASE}"
    text = text.replace("code: 62052400MZ-JF-0003", f"code: {NEW_CODE}").replace(old, new, 1)
    path = items_dir(tree) / name
    path.write_text(text, encoding="utf-8")
    return path, text


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def problems_in(catalog: Catalog, path: Path) -> list[Problem]:
    return [p for p in catalog.problems if Path(p.file).name == path.name]


def test_shipped_catalog_is_clean(shipped: Catalog) -> None:
    assert shipped.problems == []
    assert len(shipped.items) >= 8
    assert len({item.department for item in shipped.items.values()}) >= 6
    assert set(shipped.common_forms) == {
        "notice",
        "proxy_authorisation",
        "receipt",
        "correction_notice",
        "delivery_receipt",
        "handover_list",
        "refusal_notice",
        "org_proxy_authorisation",
        "org_receipt",
    }
    assert shipped.version == "2026.11.1"


def test_shipped_codes_follow_the_county_rule(shipped: Catalog) -> None:
    for code, item in shipped.items.items():
        assert re.fullmatch(r"620524\d\d[A-Z]{2}-[A-Z]{2}-\d{4}", code)
        assert item.promised_days <= item.legal_days


def test_item_lookup_and_search(shipped: Catalog) -> None:
    assert shipped.item("62052400MZ-JF-0001").short_name == "低保申请"
    assert [i.code for i in shipped.find_items("宅基地")] == ["62052400NY-XK-0001"]
    with pytest.raises(DomainError, match="62052400XX-XX-0000"):
        shipped.item("62052400XX-XX-0000")


BROKEN = [
    pytest.param(
        "legal_days: 20", "legal_days: 二十", "legal_days:", "legal_days: 应为整数", id="wrong-type"
    ),
    pytest.param(
        "      phone: client.phone",
        "      phone: client.phoen",
        "client.phoen",
        "未知的字段路径 'client.phoen'，是否应为 'client.phone'",
        id="unknown-path",
    ),
    pytest.param(
        "promised_days: 10",
        "promised_days: 25",
        "promised_days:",
        "超过法定时限",
        id="promised>legal",
    ),
    pytest.param(
        "template: items/62052400MZ-JF-0003/application.docx",
        "template: items/nowhere/gone.docx",
        "gone.docx",
        "模板文件不存在",
        id="missing-template",
    ),
    pytest.param(
        "fees: []", "fees: []\nfee_note: 免费", "fee_note", "fee_note: 未知的字段", id="unknown-key"
    ),
    pytest.param(
        "contact_phone: 0938-3422100",
        "contact_phone: 0938-3422100\ncontact_phone: 0938-1",
        "contact_phone: 0938-1",
        "重复的键 'contact_phone'",
        id="duplicate-key",
    ),
    pytest.param(
        "sex: {path: client.id_number, derive: sex_zh}",
        "sex: {path: client.name, derive: sex_zh}",
        "sex: {path: client.name",
        "派生方式 sex_zh 需要 id",
        id="derive-wrong-kind",
    ),
    pytest.param(
        "derive: sex_zh}",
        "derive: gender}",
        "derive: gender",
        "未知的派生方式 'gender'",
        id="unknown-derive",
    ),
    pytest.param(
        "type: 行政给付",
        "type: 行政许可",
        "code:",
        "编码中的类型 JF 与事项类型 行政许可",
        id="type-code",
    ),
    pytest.param(
        "guardian_name: {manual: text, label: 代理人（赡养人）姓名, required: false, max_length: 30}",
        "guardian_name: {manual: choice, label: 代理人}",
        "guardian_name:",
        "options",
        id="choice-no-options",
    ),
    pytest.param(
        "doc_kind: photo",
        "doc_kind: selfie",
        "doc_kind: selfie",
        "材料种类 'selfie'",
        id="unknown-doc-kind",
    ),
    pytest.param(
        "name: 高龄老人津贴发放",
        "name: 高龄: 津贴",
        "name: 高龄: 津贴",
        "YAML 格式错误",
        id="malformed-yaml",
    ),
    pytest.param(
        "      today: today",
        "      today: batch",
        "today: batch",
        "case 表单的路径只能以",
        id="batch-path-in-case",
    ),
    pytest.param(
        "      age: {path: client.id_number, derive: age}",
        "      age: {path: manual.nothing}",
        "manual.nothing",
        "没有名为 'nothing' 的手工录入字段",
        id="unknown-manual-ref",
    ),
]


@pytest.mark.parametrize(("old", "new", "needle", "message"), BROKEN)
def test_broken_item_is_reported_at_its_line(
    tree: Path, old: str, new: str, needle: str, message: str
) -> None:
    path, text = write_variant(tree, old, new)
    catalog = load_catalog(tree)
    problems = problems_in(catalog, path)
    assert problems, catalog.problems
    assert any(p.line == line_of(text, needle) and message in p.message for p in problems), problems
    assert NEW_CODE not in catalog.items
    assert len(catalog.items) == 18  # the rest still loads


def test_bad_code_pattern(tree: Path) -> None:
    path, _text = write_variant(tree, "name: 高龄老人津贴发放", "name: 高龄老人津贴发放")
    path.write_text(
        path.read_text(encoding="utf-8").replace(NEW_CODE, "6205240MZ-JF-3"), encoding="utf-8"
    )
    [problem] = problems_in(load_catalog(tree), path)
    assert problem.line == 1 and "不符合规则" in problem.message


def test_duplicate_code_names_the_first_file(tree: Path) -> None:
    copy = items_dir(tree) / "zz-copy.yaml"
    copy.write_text((items_dir(tree) / BASE).read_text(encoding="utf-8"), encoding="utf-8")
    catalog = load_catalog(tree)
    [problem] = catalog.problems
    assert Path(problem.file).name == "zz-copy.yaml" and problem.line == 1
    assert "重复" in problem.message and BASE in problem.message
    assert catalog.item_files["62052400MZ-JF-0003"].endswith(BASE)


def test_problem_prints_file_line_message(tree: Path) -> None:
    path, text = write_variant(tree, "legal_days: 20", "legal_days: -1")
    [problem] = problems_in(
        load_catalog(tree / "forms"), path
    )  # the forms/ folder itself works too
    assert str(problem) == f"{path}:{line_of(text, 'legal_days')}:{str(problem).split(':', 2)[2]}"
    assert str(problem).startswith(f"{path}:{line_of(text, 'legal_days')}: legal_days")


def test_broken_common_form_keeps_the_others(tree: Path) -> None:
    common = tree / "forms" / "common.yaml"
    text = common.read_text(encoding="utf-8").replace(
        "      phone: client.phone", "      phone: client.fone"
    )
    common.write_text(text, encoding="utf-8")
    catalog = load_catalog(tree)
    [problem] = catalog.problems
    assert problem.line == line_of(text, "client.fone") and "client.fone" in problem.message
    assert "receipt" not in catalog.common_forms and "notice" in catalog.common_forms


def test_missing_catalog_yaml_is_reported(tree: Path) -> None:
    (tree / "forms" / "catalog.yaml").unlink()
    catalog = load_catalog(tree / "forms")
    assert any(
        p.file.endswith("catalog.yaml") and "catalog.yaml" in p.message for p in catalog.problems
    )
    assert len(catalog.items) == 18  # items still load; only category/doc-kind checks are skipped


def test_empty_and_undecodable_files(tree: Path) -> None:
    (items_dir(tree) / "zz-empty.yaml").write_text("", encoding="utf-8")
    (items_dir(tree) / "zz-gbk.yaml").write_bytes("name: 低保".encode("gbk"))
    catalog = load_catalog(tree)
    files = sorted(Path(p.file).name for p in catalog.problems)
    assert files == ["zz-empty.yaml", "zz-gbk.yaml"]
    assert len(catalog.items) == 18


def test_shared_manual_fields_must_agree(tree: Path) -> None:
    path = items_dir(tree) / "62052400NY-XK-0001.yaml"
    text = path.read_text(encoding="utf-8")
    pledge_line = "      site_location: {manual: text, label: 拟建房地址（组、地名）, max_length: 60}\n      name:"
    assert pledge_line in text
    text = text.replace(pledge_line, pledge_line.replace("max_length: 60", "max_length: 10"))
    path.write_text(text, encoding="utf-8")
    [problem] = load_catalog(tree).problems
    lines = [
        n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith("site_location:")
    ]
    assert problem.line == lines[-1] and "定义必须一致" in problem.message
