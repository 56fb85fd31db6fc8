"""The dependency rule of DESIGN.md §4, checked on the source: core ← store/catalog/fill ← services ← ui."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import agent_desk

PACKAGE = Path(agent_desk.__file__).parent
ROOT = Path(__file__).resolve().parents[1]


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    package = ".".join(("agent_desk", *path.relative_to(PACKAGE).parent.parts))
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: str) -> set[str]:
    """Every module the source imports, made absolute, including imports inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _offenders_in(imports: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(m for m in imports if any(m == f or m.startswith(f + ".") for f in forbidden))


def _offenders(layers: set[str], forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for path in _modules():
        if _layer(path) not in layers:
            continue
        if hits := _offenders_in(_imports(path), forbidden):
            bad[str(path.relative_to(PACKAGE))] = hits
    return bad


def test_the_walk_sees_the_package() -> None:
    layers = {_layer(p) for p in _modules()}
    assert {"core", "store", "services", "cli"} <= layers
    assert "sqlmodel" in _imports(PACKAGE / "store" / "models.py")


def test_only_ui_imports_pyside6() -> None:
    layers = {_layer(p) for p in _modules()} - {"ui"}
    assert _offenders(layers, ("PySide6", "shiboken6")) == {}
    assert _offenders(layers - {"cli"}, ("agent_desk.ui",)) == {}


def test_the_cli_loads_the_ui_only_for_the_gui_command() -> None:
    """`agent-desk db check` on a server without Qt must work: no module-level import of ui."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    top = ast.Module(
        body=[n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)], type_ignores=[]
    )
    assert (
        _offenders_in(_imports_in(ast.unparse(top), "agent_desk"), ("agent_desk.ui", "PySide6"))
        == []
    )


def test_core_is_pure() -> None:
    forbidden = (
        "agent_desk.store",
        "agent_desk.services",
        "agent_desk.ui",
        "agent_desk.catalog",
        "agent_desk.fill",
        "agent_desk.sync",
        "agent_desk.server",
        "sqlalchemy",
        "sqlmodel",
        "alembic",
    )
    assert _offenders({"core"}, forbidden) == {}


@pytest.mark.parametrize("layer", ["store", "catalog", "fill"])
def test_lower_layers_do_not_reach_up(layer) -> None:
    forbidden = (
        "agent_desk.services",
        "agent_desk.sync",
        "agent_desk.ui",
        "agent_desk.server",
        "agent_desk.cli",
    )
    assert _offenders({layer}, forbidden) == {}


def test_relative_and_nested_imports_are_seen() -> None:
    source = "from ..ui import app\nfrom . import clients\ndef f():\n    import PySide6.QtCore\n"
    found = _imports_in(source, "agent_desk.services")
    assert {"agent_desk.ui", "agent_desk.services.clients", "PySide6.QtCore"} <= found
    assert _offenders_in(found, ("PySide6", "agent_desk.ui")) == [
        "PySide6.QtCore",
        "agent_desk.ui",
        "agent_desk.ui.app",
    ]


def test_the_protocol_stands_on_core_alone() -> None:
    """Desk and hub import the one rule set; it must not pull either side (or the database) in."""
    forbidden = (
        "agent_desk.store",
        "agent_desk.services",
        "agent_desk.ui",
        "agent_desk.catalog",
        "agent_desk.fill",
        "agent_desk.sync",
        "agent_desk.server",
        "sqlalchemy",
        "sqlmodel",
    )
    assert {"protocol"} <= {_layer(p) for p in _modules()}
    assert _offenders({"protocol"}, forbidden) == {}


def test_the_protocol_rules_cover_exactly_the_desk_tables() -> None:
    """One schema: every column a desk syncs has a rule, and every rule a column."""
    from agent_desk.protocol import DESK_WRITABLE, SKIPPED
    from agent_desk.protocol.values import FIELDS
    from agent_desk.store import models

    for entity in DESK_WRITABLE:
        columns = {c.name for c in models.SQLModel.metadata.tables[entity].columns} - SKIPPED
        assert set(FIELDS[entity]) == columns, entity


def test_the_desk_imports_none_of_the_hubs_packages() -> None:
    """The desk bundle leaves the hub's packages out (installer/agent_desk.spec): a desk module that
    imports one crashes the frozen app at start (orjson in the protocol did, once)."""
    hub_only = (
        "orjson",
        "fastapi",
        "starlette",
        "uvicorn",
        "psycopg",
        "boto3",
        "botocore",
        "prometheus_client",
        "pydantic_settings",
    )
    desk = {"core", "protocol", "store", "catalog", "fill", "services", "sync", "ui"}
    assert _offenders(desk, hub_only) == {}


def test_the_desk_bundle_ships_every_template_folder() -> None:
    """installer/agent_desk.spec lists the shipped template folders one by one; a new one left out
    (templates/bundles, once) makes every form of the frozen app fail its catalog check."""
    spec = (ROOT / "installer" / "agent_desk.spec").read_text(encoding="utf-8")
    folders = sorted(
        p.name for p in (ROOT / "templates").iterdir() if p.is_dir() and not p.name.startswith("_")
    )
    assert folders and all(f'"templates/{name}"' in spec for name in folders), folders
