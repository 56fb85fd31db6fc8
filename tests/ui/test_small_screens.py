"""Fits the screens villages have: 1366×768 shows enough rows, the window remembers where it was."""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QApplication, QTableView, QTabWidget, QWidget

from agent_desk.services.settings import Settings, load_settings
from agent_desk.ui.main_window import MainWindow

ROWS = 8
USABLE = (1366, 768 - 40 - 30)  # less the taskbar and the title bar


def _visible_rows(table: QTableView) -> int:
    return table.viewport().height() // table.verticalHeader().defaultSectionSize()


def test_every_table_shows_eight_rows_at_1366_by_768_with_the_navigation(qtbot, window) -> None:
    window.showNormal()
    window.resize(*USABLE)
    seen: dict[str, int] = {}
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        page = window.stack.currentWidget()
        tabs = page.findChildren(QTabWidget) or [None]
        for tab in tabs:
            for index in range(tab.count() if tab else 1):
                if tab:
                    tab.setCurrentIndex(index)
                shown = [t for t in page.findChildren(QTableView) if t.isVisible()]
                # the layout settles after the page is shown, slower on a loaded machine; the rows
                # counted below name any table that stays too short
                with contextlib.suppress(qtbot.TimeoutError):
                    qtbot.waitUntil(
                        lambda shown=shown: all(_visible_rows(t) >= ROWS for t in shown),
                        timeout=3000,
                    )
                for table in page.findChildren(QTableView):
                    if table.isVisible():
                        seen[f"{window.nav.item(row).text()}/{table.objectName() or index}"] = (
                            _visible_rows(table)
                        )
        assert window.nav.isVisible() and window.nav.width() > 80
    assert len(seen) >= 5
    assert {name: rows for name, rows in seen.items() if rows < ROWS} == {}


def test_a_small_screen_opens_maximised_and_the_geometry_is_remembered(
    qtbot, seeded_dir, dialogs
) -> None:
    first = MainWindow(seeded_dir, Settings(), dialogs)  # the offscreen screen is 800×800
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.desk_ready, timeout=10000):
        first.start()
    assert first.isMaximized()
    first.showNormal()
    first.setGeometry(60, 50, 700, 560)
    first.close()
    settings = load_settings(seeded_dir.settings_file)
    again = MainWindow(seeded_dir, settings, dialogs)
    qtbot.addWidget(again)
    again.show()
    assert not again.isMaximized() and (again.width(), again.height()) == (700, 560)


def test_a_case_number_too_wide_for_its_column_is_cut_in_the_middle_with_the_full_text_as_tip(
    qtbot, window
) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QStyleOptionViewItem, QToolTip

    page = window.pages["cases"]
    window.show_page("cases")
    table = page.findChild(QTableView, "caseTable")
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=5000)
    table.setColumnWidth(0, 60)
    index = table.model().index(0, 0)
    qtbot.waitUntil(lambda: str(index.data()).strip("…") != "", timeout=5000)
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    option = QStyleOptionViewItem()
    option.initFrom(table)
    rect = table.visualRect(index)
    event = QHelpEvent(
        QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center())
    )
    assert table.itemDelegate().helpEvent(event, table, option, index)
    assert QToolTip.text() == index.data()


def test_the_sync_tabs_fit_at_1366_by_768_without_scrolling(qtbot, window) -> None:
    """Long tab titles pushed the 同步 lists behind scroll arrows; each says the long text as a tip."""
    from agent_desk.ui.app import install_translators

    translators = install_translators(QApplication.instance(), "zh_CN")
    try:
        window.showNormal()
        window.resize(*USABLE)
        window.show_page("sync")
        tabs = window.pages["sync"].findChild(QTabWidget, "syncLists")
        qtbot.wait(20)
        bar = tabs.tabBar()
        needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        assert needed <= tabs.width(), [bar.tabText(i) for i in range(bar.count())]
        assert all(bar.tabToolTip(i) for i in range(bar.count()))
    finally:
        for translator in translators:
            QApplication.instance().removeTranslator(translator)


def test_larger_fonts_widen_the_columns(qtbot, window) -> None:
    from PySide6.QtCore import QStringListModel

    from agent_desk.ui.widgets import lazy_table_view

    widths = []
    for points in (12, 18):
        parent = QWidget()
        qtbot.addWidget(parent)
        font = parent.font()
        font.setPointSize(points)
        parent.setFont(font)
        table = lazy_table_view(
            parent, QStringListModel(["DB20261204"]), "t", [120], lambda _r: None
        )
        widths.append(table.columnWidth(0))
    assert widths[1] >= widths[0] * 18 / 12 - 1
