"""Text that breaks naive XML templating comes out exactly as typed (autoescape, newlines, emoji)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from agent_desk.catalog import Catalog
from agent_desk.fill import build_context, render
from agent_desk.fill.demo import DEMO_TODAY, demo_agent, demo_case, demo_client, demo_manual
from agent_desk.fill.render import bare_docxtpl_render

LONG_NAME = "阿卜杜热合曼·买买提艾力·吐尔逊阿依古丽"
ADDRESS = "A&B <东区> \"甲\" '乙' 🐂🌾 蓼阳村&三组 </w:t> {{ not_a_tag }}"
REASON = "a < b && c > d\n第二行：‘单引号’ “双引号” 🐑\n第三行 &amp; 结束"
AWKWARD = [LONG_NAME, ADDRESS, REASON, "Tom & Jerry <养殖> 合作社"]


def awkward_profile():
    client = demo_client()
    members = (replace(client.household.members[0], name=LONG_NAME), *client.household.members[1:])
    household = replace(client.household, members=members, address=ADDRESS)
    return replace(
        client,
        name=LONG_NAME,
        address=ADDRESS,
        bank_name="Tom & Jerry <养殖> 合作社",
        household=household,
    )


def test_the_name_is_twenty_characters_with_dots() -> None:
    assert len(LONG_NAME) == 20 and LONG_NAME.count("·") == 2


@pytest.mark.parametrize(
    ("code", "form_index"), [("62052400MZ-JF-0001", 0), ("62052400MZ-JF-0002", 0)]
)
def test_awkward_values_survive_rendering(
    catalog: Catalog, code: str, form_index: int, tmp_path: Path, read_text
) -> None:
    item = catalog.item(code)
    form = item.forms[form_index]
    manual = demo_manual(form) | {"reason": REASON}
    context = build_context(
        item, form, awkward_profile(), demo_case(item), demo_agent(), manual, DEMO_TODAY
    )
    out = tmp_path / "awkward.docx"
    render(catalog.template_path(form), context, out)
    text = read_text(out)
    for value in AWKWARD:
        assert value in text, value


def test_common_documents_keep_awkward_text(catalog: Catalog, tmp_path: Path, read_text) -> None:
    item = catalog.item("62052400MZ-JF-0001")
    client = awkward_profile()
    for form_id in ("notice", "receipt", "proxy_authorisation"):
        form = catalog.common_forms[form_id]
        context = build_context(item, form, client, demo_case(item), demo_agent(), {}, DEMO_TODAY)
        render(catalog.template_path(form), context, tmp_path / f"{form_id}.docx")
        assert LONG_NAME in read_text(tmp_path / f"{form_id}.docx")
    assert ADDRESS in read_text(tmp_path / "proxy_authorisation.docx")


def test_same_text_as_bare_docxtpl(catalog: Catalog, tmp_path: Path, read_text) -> None:
    """The cached renderer must print exactly what docxtpl itself prints."""
    item = catalog.item("62052400MZ-JF-0001")
    form = item.forms[0]
    manual = demo_manual(form) | {"reason": REASON}
    context = build_context(
        item, form, awkward_profile(), demo_case(item), demo_agent(), manual, DEMO_TODAY
    )
    render(catalog.template_path(form), context, tmp_path / "ours.docx")
    bare_docxtpl_render(catalog.template_path(form), context, tmp_path / "bare.docx")
    assert read_text(tmp_path / "ours.docx") == read_text(tmp_path / "bare.docx")
