"""What a user reads on a window: the texts the language walk checks (no data cells, only the chrome)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QTableView,
    QTabWidget,
    QTreeView,
    QWidget,
    QWizard,
)

# Codes and names a Chinese screen shows as they are.
ALLOWED = {
    "PDF",
    "Word",
    "WPS",
    "ID",
    "Excel",
    "Ctrl",
    "Alt",
    "Shift",
    "Enter",
    "Esc",
    "Tab",
    "xlsx",
    "xls",
    "docx",
    "csv",
    "http",
    "https",
    "AgentDesk",
    "Qt",
    "PySide",
    "LibreOffice",
    "OK",
    "PgUp",
    "PgDown",
    "Del",
    "Backspace",
    "Home",
    "End",
    "Space",
    "Ins",
    "MIT",
    "LGPL",
    "GPL",
    "BSD",
    "Apache",
    "License",
    "SQLite",
    "PostgreSQL",
    "Python",
    "FastAPI",
    "SQLCipher",
    "keyring",
    "Win",
    "Windows",
    "Linux",
    "macOS",
    "png",
    "jpg",
    "jpeg",
    "tif",
    "tiff",
    "bmp",
    "pdf",
    "doc",
    "txt",
    "json",
    "zip",
    "exe",
    "Unicode",
    "UTF",
    "GB",
    "KB",
    "MB",
    "TB",
    "dibao",
    "db",
    "RuntimeError",
}
LATIN_WORD = re.compile(r"(?<![\w./:@-])[A-Za-z]{2,}(?![\w/:@-])")
HAN = re.compile(r"[\u4e00-\u9fff]")
MNEMONIC = re.compile(r"&[^&\s]")
TAG = re.compile(r"<[^>]+>|&nbsp;|&amp;|&lt;|&gt;")


def _clean(text: str) -> str:
    return TAG.sub(" ", text).replace("&", "")


def texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every label, button, title, header, menu entry and hint under ``root``."""
    yield "title", root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        name = f"{type(widget).__name__}#{widget.objectName()}"
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit):
            yield name, widget.placeholderText()
        elif isinstance(widget, QTabWidget):
            yield from ((name, widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, QMenu):
            yield from ((name, a.text()) for a in widget.actions())
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            model, header = (
                widget.model(),
                widget.header() if isinstance(widget, QTreeView) else widget.horizontalHeader(),
            )
            for column in range(header.count()):
                yield name, str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        if isinstance(widget, QWizard):
            yield from (
                (name, widget.buttonText(b))
                for b in (
                    QWizard.WizardButton.NextButton,
                    QWizard.WizardButton.BackButton,
                    QWizard.WizardButton.FinishButton,
                    QWizard.WizardButton.CancelButton,
                )
            )
        if isinstance(widget, QListWidget) and widget.objectName() == "navigation":
            yield from ((name, widget.item(i).text()) for i in range(widget.count()))
        if isinstance(widget, QComboBox) and widget.objectName().startswith("choice"):
            yield from ((name, widget.itemText(i)) for i in range(widget.count()))
        tip = widget.toolTip()
        if tip:
            yield f"{name}.toolTip", tip


def foreign_words(lang: str, text: str) -> list[str]:
    """The words of ``text`` a screen in ``lang`` should not show."""
    if lang == "en":
        return HAN.findall(text)
    return [w for w in LATIN_WORD.findall(_clean(text)) if w not in ALLOWED]


def english_in(root: QWidget) -> list[str]:
    """Texts that show Latin words a Chinese screen should not (codes like PDF are allowed)."""
    found = []
    for where, text in texts(root):
        if foreign_words("zh_CN", text):
            found.append(f"{where}: {text!r}")
    return sorted(set(found))


def chinese_in(root: QWidget) -> list[str]:
    return sorted({f"{where}: {text!r}" for where, text in texts(root) if HAN.search(text)})


def unlabelled(root: QWidget, skip: tuple[str, ...] = ()) -> list[str]:
    """Labels whose access key (&N) has no field to go to, and inputs no label names."""
    labels = root.findChildren(QLabel)
    buddies = {id(label.buddy()) for label in labels if label.buddy() is not None}
    found = [
        f"{type(root).__name__}: label {label.text()!r} has an access key but no field"
        for label in labels
        if MNEMONIC.search(label.text()) and label.buddy() is None
    ]
    for edit in root.findChildren(QLineEdit):
        if (
            isinstance(edit.parent(), QComboBox | QAbstractSpinBox)
            or edit.isReadOnly()
            or edit.isHidden()
        ):
            continue
        if type(edit.parent()).__name__ in skip:
            continue
        if id(edit) not in buddies and not edit.accessibleName():
            found.append(f"{type(root).__name__}: field {edit.objectName()} has no label")
    return found
