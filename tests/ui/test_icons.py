"""Icons drawn for this project: every navigation entry has one, rendered from an SVG in the repo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtSvg import QSvgRenderer

import agent_desk.ui

NAV = Path(agent_desk.ui.__file__).with_name("icons") / "nav"


def test_every_page_in_the_navigation_has_its_icon(window) -> None:
    keys = list(window.pages)
    assert {"today", "clients", "cases", "handover", "sync"} <= set(keys)
    missing = [k for row, k in enumerate(keys) if window.nav.item(row).icon().isNull()]
    assert missing == []


def test_each_icon_is_rendered_from_a_valid_svg_source() -> None:
    svgs = sorted(NAV.glob("*.svg"))
    assert {p.stem for p in svgs} >= {"today", "clients", "cases", "handover", "review", "sync"}
    assert [p.name for p in svgs if not QSvgRenderer(str(p)).isValid()] == []
    assert [p.name for p in svgs if not p.with_suffix(".png").exists()] == []  # `make icon`
