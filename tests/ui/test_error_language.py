"""Core errors carry Chinese and English: the English UI shows the English message."""

from __future__ import annotations

from agent_desk.core.errors import DomainError
from agent_desk.ui.messages import LANGUAGE, RecordingDialogs


def test_a_core_error_is_shown_in_the_ui_language(qtbot) -> None:
    dialogs = RecordingDialogs()
    error = DomainError("身份证号码校验位不对", code="id_check", message_en="ID number check digit")
    before = LANGUAGE["ui"]
    try:
        LANGUAGE["ui"] = "en"
        dialogs.failure(None, error)
        LANGUAGE["ui"] = "zh_CN"
        dialogs.failure(None, error)
    finally:
        LANGUAGE["ui"] = before
    assert [text for _kind, _title, text in dialogs.shown] == [
        "ID number check digit",
        "身份证号码校验位不对",
    ]
