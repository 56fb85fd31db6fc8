"""The bundles' combined application forms (一表申请) render with the profile, values intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desk.catalog import Catalog, default_catalog_dir, load_catalog
from agent_desk.fill import build_context, check_fill, render
from agent_desk.fill.demo import DEMO_TODAY, demo_agent, demo_case, demo_client, demo_manual

NEWBORN, RETIREMENT = "620524-YJS-0001", "620524-YJS-0002"


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(default_catalog_dir())


@pytest.mark.parametrize("code", [NEWBORN, RETIREMENT])
def test_combined_application_renders_with_the_profile(
    shipped: Catalog, code: str, tmp_path: Path, read_text
) -> None:
    bundle = shipped.bundle(code)
    assert bundle.form is not None
    item = shipped.item(bundle.item_codes[0])
    client, agent, case = demo_client(), demo_agent(), demo_case(item)
    manual = demo_manual(bundle.form)
    assert check_fill(item, bundle.form, client, case, agent, manual, DEMO_TODAY) == []
    context = build_context(item, bundle.form, client, case, agent, manual, DEMO_TODAY)
    out = tmp_path / "combined.docx"
    render(shipped.template_path(bundle.form), context, out)
    text = read_text(out)
    assert "{{" not in text and "李建国" in text and client.id_number in text
    assert "一件事" in text
