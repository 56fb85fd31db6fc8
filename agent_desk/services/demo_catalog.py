"""The service items the demo seeder opens cases for, taken from the shipped catalog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent_desk.catalog.check import default_catalog_dir
from agent_desk.catalog.loader import load_catalog
from agent_desk.catalog.schema import ServiceItem
from agent_desk.core.errors import DomainError
from agent_desk.fill.demo import demo_value
from agent_desk.fill.manual import item_manual_fields
from agent_desk.services.demo_cases import DemoItem
from agent_desk.services.intake import storable


def _manual(item: ServiceItem) -> dict[str, Any]:
    """A plausible typed value for every manual field, stored as the intake stores it."""
    return {name: storable(demo_value(spec)) for name, spec in item_manual_fields(item).items()}


def demo_items(directory: Path | None = None) -> list[DemoItem]:
    catalog = load_catalog(directory or default_catalog_dir())
    items = [
        DemoItem(
            item.code,
            item.name,
            item.promised_days,
            tuple((d.name, d.original, d.doc_kind) for d in item.documents),
            _manual(item),
        )
        for item in sorted(catalog.items.values(), key=lambda i: i.code)
        if item.applicant != "organisation"  # the demo's clients are residents
    ]
    if not items:
        raise DomainError(
            "事项目录为空，无法生成演示办件",
            code="empty_catalog",
            message_en="the catalog has no items",
        )
    return items
