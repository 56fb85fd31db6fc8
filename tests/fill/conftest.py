"""Fill fixtures: the shipped catalog, the demo profile, and reading a .docx back as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from agent_desk.catalog import Catalog, default_catalog_dir, load_catalog

CATALOG = load_catalog(default_catalog_dir())


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    assert CATALOG.problems == []
    return CATALOG


def docx_text(path: Path) -> str:
    """All paragraph text of the body, tables included, one paragraph per line (python-docx)."""
    document = Document(str(path))
    body = document.element.body
    return "\n".join(Paragraph(p, document).text for p in body.iter(qn("w:p")))


@pytest.fixture(scope="session")
def read_text():
    """``read_text(path) -> str``: the document's text as python-docx reads it."""
    return docx_text
