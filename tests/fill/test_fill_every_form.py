"""Every shipped item form and every common document renders with the demo profile, values intact."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from agent_desk.catalog import (
    COMMON,
    Catalog,
    FormSpec,
    ServiceItem,
    default_catalog_dir,
    load_catalog,
)
from agent_desk.fill import build_batch_context, build_context, check_fill, render
from agent_desk.fill.demo import (
    DEMO_TODAY,
    demo_agent,
    demo_case,
    demo_client,
    demo_manual,
    demo_organisation,
)

CATALOG = load_catalog(default_catalog_dir())  # parametrisation needs it at collection time

DIBAO = "62052400MZ-JF-0001"
FORMS = [
    pytest.param(code, form.id, id=f"{code}-{form.id}")
    for code, form in CATALOG.forms()
    if code != COMMON
]
COMMON_FORMS = [pytest.param(form_id, id=form_id) for form_id in CATALOG.common_forms]


def context_for(item: ServiceItem, form: FormSpec) -> dict[str, Any]:
    client, agent, case = demo_client(), demo_agent(), demo_case(item)
    if form.id.startswith("org_"):
        client = demo_organisation()
    if form.scope == "batch":
        other = demo_case(CATALOG.item("62052400NY-XK-0001"))
        return build_batch_context(
            form, [(client, case), (client, other)], agent, demo_manual(form), DEMO_TODAY
        )
    assert check_fill(item, form, client, case, agent, demo_manual(form), DEMO_TODAY) == []
    return build_context(item, form, client, case, agent, demo_manual(form), DEMO_TODAY)


def expected_strings(context: dict[str, Any]) -> list[str]:
    """Every printable value of the context: scalars, list entries, and the key cells of rows."""
    found: list[str] = []
    for value in context.values():
        if isinstance(value, bool) or value in ("", None):
            continue
        if isinstance(value, dict):
            found.append(value["name"])
        elif isinstance(value, list):
            for entry in value:
                found += (
                    [entry.get("name") or entry["case_no"]]
                    if isinstance(entry, dict)
                    else [str(entry)]
                )
        else:
            found.append(str(value))
    return found


def render_and_read(
    catalog: Catalog, item: ServiceItem, form: FormSpec, tmp_path: Path, read_text
) -> tuple[str, dict]:
    context = context_for(item, form)
    out = tmp_path / f"{form.id}.docx"
    digest = render(catalog.template_path(form), context, out)
    assert digest == hashlib.sha256(out.read_bytes()).hexdigest()
    text = read_text(out)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    return text, context


@pytest.mark.parametrize(("code", "form_id"), FORMS)
def test_item_form_holds_the_profile(
    catalog: Catalog, code: str, form_id: str, tmp_path: Path, read_text
) -> None:
    item = catalog.item(code)
    form = next(f for f in item.forms if f.id == form_id)
    text, context = render_and_read(catalog, item, form, tmp_path, read_text)
    missing = [value for value in expected_strings(context) if value not in text]
    assert missing == []
    assert "李建国" in text and demo_client().id_number in text


@pytest.mark.parametrize("form_id", COMMON_FORMS)
def test_common_document_holds_the_case(
    catalog: Catalog, form_id: str, tmp_path: Path, read_text
) -> None:
    item = catalog.item(DIBAO)
    text, context = render_and_read(
        catalog, item, catalog.common_forms[form_id], tmp_path, read_text
    )
    assert [value for value in expected_strings(context) if value not in text] == []
    assert "李建国" in text and "张红梅" in text
    if form_id == "org_proxy_authorisation":  # the boxes the representative signs and seals
        assert "法定代表人签字" in text and "单位公章" in text and "91620524MA71234X51" in text


def test_household_table_and_check_boxes(catalog: Catalog, tmp_path: Path, read_text) -> None:
    item = catalog.item(DIBAO)
    text, _ = render_and_read(catalog, item, item.forms[0], tmp_path, read_text)
    for member in demo_client().household.members:
        assert member.name in text and str(member.id_number) in text
    assert "☑ 农村低保" in text and "☐ 城市低保" in text
    assert "☑ 农业" in text and "☐ 非农业" in text
    assert "2026年11月23日" in text


def test_notice_marks_missing_documents(catalog: Catalog, tmp_path: Path, read_text) -> None:
    item = catalog.item(DIBAO)
    text, context = render_and_read(
        catalog, item, catalog.common_forms["notice"], tmp_path, read_text
    )
    assert "☑ 已收" in text and "☐ 容缺后补" in text and "☐ 未交" in text
    assert f"尚缺材料 {len(context['missing'])} 件" in text
    assert "二〇二六年十一月二十三日" in text


def test_old_age_allowance_band_follows_the_age(
    catalog: Catalog, tmp_path: Path, read_text
) -> None:
    item = catalog.item("62052400MZ-JF-0003")
    text, context = render_and_read(catalog, item, item.forms[0], tmp_path, read_text)
    assert context["age"] == 82
    assert "☑ 80—89周岁" in text and "☐ 90—99周岁" in text and "☐ 100周岁及以上" in text


def test_handover_list_lists_every_case(catalog: Catalog, tmp_path: Path, read_text) -> None:
    form = catalog.common_forms["handover_list"]
    text, context = render_and_read(catalog, catalog.item(DIBAO), form, tmp_path, read_text)
    assert context["case_count"] == 2 and "本批共 2 件" in text
    assert "WS-MZ-20261123-0007" in text and "WS-NY-20261123-0007" in text
    masked = demo_client().id_number[:6] + "********" + demo_client().id_number[-4:]
    assert masked in text and demo_client().id_number not in text  # lists show masked IDs only
