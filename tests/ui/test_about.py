"""The About box names the version (one source with --version) and the Qt/PySide6 LGPL notice."""

from __future__ import annotations

from agent_desk import __version__


def test_about_names_the_version_and_the_licences(window, dialogs) -> None:
    window.show_about()
    kind, _title, text = dialogs.shown[-1]
    assert kind == "info" and __version__ in text and "LGPL" in text and "PySide6" in text
    assert "licenses" in text
