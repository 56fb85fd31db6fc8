"""Catalog fixtures: the shipped catalog, and a writable copy of it to break in each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent_desk.catalog import Catalog, default_catalog_dir, load_catalog

FORMS = default_catalog_dir()
TEMPLATES = FORMS.parent / "templates"


@pytest.fixture(scope="session")
def shipped() -> Catalog:
    return load_catalog(FORMS)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of forms/ and templates/ (the root that contains both)."""
    root = tmp_path / "cat"
    shutil.copytree(FORMS, root / "forms")
    shutil.copytree(TEMPLATES, root / "templates", ignore=shutil.ignore_patterns("_build"))
    return root
