"""Walking the intake wizard as far as a test needs."""

from __future__ import annotations

from typing import Any


def to_print_page(qtbot: Any, window: Any, client_id: str, item_code: str) -> tuple[Any, list[Any]]:
    """An intake for ``client_id`` walked to its last page, every condition ticked; (wizard, missing)."""
    wizard = window.start_intake(client_id)
    with qtbot.waitSignal(wizard.ready, timeout=5000):
        pass
    wizard.item_page.search.setText(item_code)
    wizard.next()
    for box in wizard.conditions_page.boxes:
        box.setChecked(True)
    wizard.next()
    wizard.next()
    with qtbot.waitSignal(wizard.print_page.checked, timeout=5000) as checked:
        wizard.next()
    return wizard, checked.args[0]
