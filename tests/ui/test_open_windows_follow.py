"""Open windows follow every change: a step in a case window shows in the open profile, a profile
saved shows in the open case window, and no ui module but the app's entry points imports the main
window (pages get a context and a navigator)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

from sqlmodel import select

import agent_desk.ui
from agent_desk.core.case_flow import CaseAction, CaseStatus
from agent_desk.store.models import Case
from agent_desk.ui.labels import status_label

ENTRY_POINTS = {"app", "selftest", "main_window"}  # the composition root and what starts it


def _open_case(window) -> Case:
    with window.desk.db.session() as session:
        return session.scalars(
            select(Case).where(Case.status.in_(["entrusted", "accepted"])).limit(1)
        ).one()


def test_a_step_and_a_saved_profile_show_in_the_other_open_window(qtbot, window, dialogs) -> None:
    case = _open_case(window)
    case_view, profile = window.open_case(case.id), window.open_client(case.client_id)
    qtbot.waitUntil(lambda: case_view.detail is not None and profile.data is not None)
    row = next(i for i, c in enumerate(profile.data.cases) if c.id == case.id)

    dialogs.next_payloads.append({"reason": "委托人不再办理"})
    case_view.request(CaseAction.WITHDRAW)
    withdrawn = status_label(CaseStatus.WITHDRAWN)
    qtbot.waitUntil(lambda: profile.cases.item(row, 2).text() == withdrawn, timeout=5000)

    profile.edits["name"].setText("欧阳明月")
    profile.save()
    qtbot.waitUntil(lambda: _facts(case_view)[1].startswith("欧阳明月"), timeout=5000)


def _facts(view) -> list[str]:
    form = view.facts
    return [
        form.itemAt(r, form.ItemRole.FieldRole).widget().text() for r in range(form.rowCount())
    ][1:]


def test_no_ui_page_imports_the_main_window() -> None:
    """Pages get a DeskContext and a Navigator; the import circle around main_window.py is gone."""
    importers = []
    for module in pkgutil.iter_modules(agent_desk.ui.__path__):
        if module.name in ENTRY_POINTS:
            continue
        source = Path(importlib.util.find_spec(f"agent_desk.ui.{module.name}").origin)
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "agent_desk.ui.main_window":
                importers.append(module.name)
    assert importers == []
