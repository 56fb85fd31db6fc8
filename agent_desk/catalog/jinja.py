"""The one Jinja environment templates are checked and rendered with.

The lint and the renderer must agree on filters, or a template that passes ``catalog check``
could still fail at the printer. Autoescape is always on: docxtpl's default (off) silently
drops text after ``&`` or ``<`` (python-docx-template #557).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

CHECKED, UNCHECKED = "☑", "☐"
_NO_OPTION = object()


def box(value: Any, option: Any = _NO_OPTION) -> str:
    """☑ or ☐: ``{{ sex|box('男') }}男`` for a choice, ``{{ flag|box }}`` for a yes/no field."""
    if option is _NO_OPTION:
        return CHECKED if value else UNCHECKED
    if isinstance(value, list | tuple | set | frozenset):
        return CHECKED if option in value else UNCHECKED
    return CHECKED if value == option else UNCHECKED


def blank(value: Any, width: int = 6) -> Any:
    """The value, or a run of full-width underscores to write on by hand when it is empty."""
    if value is None or value == "":
        return "＿" * width
    return value


def make_env() -> Environment:
    """A fresh environment (docxtpl mutates ``autoescape`` on the one it is given)."""
    env = Environment(autoescape=True)
    env.filters["box"] = box
    env.filters["blank"] = blank
    return env
