"""Qt's own dialog texts that qtbase's zh_CN catalogue lacks in this Qt version.

Qt changed some source texts (``&Look in:`` was ``Look in:``) without updating the Chinese
catalogue, so the file dialog showed English. pyside6-lupdate reads the literals below into our
catalogue under Qt's own contexts; our translator then answers where qtbase's has no entry.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _mark_for_lupdate() -> (
    None
):  # pragma: no cover - never called; pyside6-lupdate reads the literals
    QCoreApplication.translate("QFileDialog", "&Look in:")
    QCoreApplication.translate("QFileDialog", "Files of &type:")
    QCoreApplication.translate("QFileDialog", "File &name:")
