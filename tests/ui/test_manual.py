"""F1: the Chinese user manual (docs/manual/), shown in the app."""

from __future__ import annotations


def test_f1_opens_the_chinese_manual_in_the_app(qtbot, window, dialogs) -> None:
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: any(kind == "manual" for kind, _t, _x in dialogs.shown), timeout=5000)
    _kind, _title, text = next(s for s in dialogs.shown if s[0] == "manual")
    assert text.startswith("# 代办通 操作手册") and "保存 / 不保存 / 取消" in text


def test_the_manual_renders_in_a_window_of_its_own(qtbot) -> None:
    from agent_desk.paths import manual_file
    from agent_desk.ui.messages import Dialogs

    dialogs = Dialogs()
    dialogs.show_manual(None, "操作手册", manual_file("zh_CN").read_text(encoding="utf-8"))
    viewer = dialogs.manual_viewer
    qtbot.addWidget(viewer)
    assert "今日待办" in viewer.toPlainText() and "#" not in viewer.toPlainText().splitlines()[0]
