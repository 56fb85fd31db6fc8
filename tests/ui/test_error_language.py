"""Core errors carry Chinese and English: the English UI shows the English message."""

from __future__ import annotations

import re

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


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_a_weak_password_and_a_missing_pdf_converter_are_explained_in_english(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from agent_desk.services.printing import prepare_set
    from agent_desk.ui.lock import NewHubPasswordDialog
    from agent_desk.ui.printing import PrintJob, show_or_open

    LANGUAGE["ui"] = "en"  # reset after the test (tests/conftest.py)
    dialog = NewHubPasswordDialog("The hub asks for a new password")
    qtbot.addWidget(dialog)
    dialog.new.setText("qq123456")
    dialog.again.setText("qq123456")
    dialog._accept()
    assert dialog.error.text().startswith("One of the 10,000 most common passwords")

    papers = prepare_set("受理回执", [], None)
    status = QLabel()
    show_or_open(_NoOpen(), None, PrintJob(papers), status, direct=False)
    assert status.text() and not HAN.search(status.text()), status.text()


class _NoOpen:
    dialogs = RecordingDialogs()


def test_missing_fields_are_named_in_english(qtbot) -> None:
    from PySide6.QtWidgets import QListWidget

    from agent_desk.fill import MissingField
    from agent_desk.ui.documents_view import show_missing

    LANGUAGE["ui"] = "en"
    shown = QListWidget()
    qtbot.addWidget(shown)
    show_missing(
        shown,
        [
            MissingField("f1", "phone", "联系电话", "client.phone", "missing", "联系电话未填写"),
            MissingField("f1", "id", "身份证号", "client.id_number", "invalid", "身份证号有误：x"),
        ],
    )
    texts = [shown.item(r).text() for r in range(shown.count())]
    assert texts == ["联系电话: missing", "身份证号: not valid"]  # the catalog's label is data
