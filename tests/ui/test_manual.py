"""Expected furniture: F1 opens the Chinese manual (docs/manual/) in the app; file dialogs start in 文档."""

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


def test_file_dialogs_start_in_documents_or_the_desktop(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog

    from agent_desk.ui import messages

    documents = tmp_path / "文档"
    documents.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _kind: str(documents))
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda _p, _t, start, _f: (asked.append(start), ("", ""))[1]
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda _p, _t, start, _f: (asked.append(start), ("", ""))[1]
    )
    dialogs = messages.Dialogs()
    assert dialogs.save_file(None, "导出花名册", "花名册-20261205.xlsx", "*.xlsx") is None
    assert dialogs.open_file(None, "导入花名册", "*.xlsx") is None
    assert asked == [str(documents / "花名册-20261205.xlsx"), str(documents)]


def test_the_manual_explains_one_stop_requests_with_the_buttons_the_desk_shows() -> None:
    """The 一件事 section names each button as the Chinese desk labels it (zh_CN.tsv), so a clerk
    reading it finds the same words on screen."""
    import re

    from agent_desk.paths import manual_file
    from scripts.i18n_fill import ROOT, load_table

    text = manual_file("zh_CN").read_text(encoding="utf-8")
    section = text.split("## 五、一件事与企业项目", 1)[1].split("\n## ", 1)[0]
    table = load_table(ROOT / "zh_CN.tsv")
    for source in (
        "New one-stop &request for the selected client…",
        "&Open the request and its cases",
        "Print the combined &application",
        "&Received for every case",
        "&Accept the selected case now",
        "&Withdraw the whole request…",
        "Review the whole request…",
        "Decisions now",
    ):
        label = re.sub(r"\(&\w\)|…$", "", table[source]).rstrip("…")
        assert label in section, (source, label)
    for topic in (
        "一表申请",
        "前置事项",
        "自动登记为后面办件的已收材料",
        "撤回原因",
        "企业代办委托书",
    ):
        assert topic in section
