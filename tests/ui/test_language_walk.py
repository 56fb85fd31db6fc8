"""Every page, window, dialog and menu in the language chosen: no English in zh_CN, no Chinese in en.

Walked offscreen through the real widgets (tests/ui/ui_text.py reads what a user reads); codes such
as PDF, Word/WPS and ID are allowed. Data (client names, item names) is not checked, only the chrome.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from sqlalchemy import select

from agent_desk.services.settings import Settings
from agent_desk.store.models import Case, Client
from agent_desk.ui.app import install_translators
from agent_desk.ui.main_window import MainWindow
from tests.ui.ui_text import chinese_in, english_in, foreign_words, unlabelled

BOTH_LANGUAGES = "语言 / Language"  # the first-run language choice speaks both on purpose


@pytest.fixture(params=["zh_CN", "en"])
def lang_window(request, qtbot, seeded_dir, dialogs) -> Iterator[tuple[str, MainWindow]]:
    app = QApplication.instance()
    translators = install_translators(app, request.param)
    try:
        win = MainWindow(seeded_dir, Settings(language=request.param), dialogs)
        qtbot.addWidget(win)
        win.show()
        with qtbot.waitSignal(win.desk_ready, timeout=10000):
            win.start()
        if win.catalog is None:
            with qtbot.waitSignal(win.catalog_ready, timeout=10000):
                pass
        yield request.param, win
        win.ops.wait()
    finally:
        for translator in translators:
            app.removeTranslator(translator)


def _windows(qtbot, win: MainWindow, *, with_data: bool) -> Iterator[QWidget]:
    """The main window on each page, then each kind of window and dialog the agent can open.

    The profile, case and intake windows show the catalog's and the client's own words (Chinese
    data), so the English walk leaves them out.
    """
    from agent_desk.ui.crash_dialog import CrashDialog
    from agent_desk.ui.first_run import FirstRunWizard
    from agent_desk.ui.lock import PasswordDialog
    from agent_desk.ui.settings_dialog import SettingsDialog

    for row in range(win.nav.count()):
        win.nav.setCurrentRow(row)
        qtbot.wait(20)
        yield win
    if with_data:
        yield from _data_windows(qtbot, win)
    yield SettingsDialog(win.settings, win.data.root, win)
    yield PasswordDialog("unlock", "", win)
    yield CrashDialog(RuntimeError("42"), None, win)  # the technical line names the error class
    yield FirstRunWizard(None, win)
    files = QFileDialog(win)  # Qt's own dialog, translated by qtbase's catalogue and ours
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    yield files


def _data_windows(qtbot, win: MainWindow) -> Iterator[QWidget]:
    with win.desk.db.session() as session:
        client_id = session.scalars(select(Client.id).where(Client.address.is_not(None))).first()
        case_id = session.scalars(select(Case.id)).first()
    profile = win.open_client(client_id)
    qtbot.waitUntil(lambda: profile.data is not None, timeout=5000)
    yield profile
    yield win.open_client(None)
    case = win.open_case(case_id)
    win.ops.wait()
    qtbot.wait(50)
    yield case
    wizard = win.start_intake(client_id)
    with qtbot.waitSignal(wizard.ready, timeout=5000):
        pass
    wizard.item_page.search.setText("62052400MZ-JF-0001")
    for _page in range(4):
        yield wizard
        wizard.next()
        win.ops.wait()
        qtbot.wait(20)
    yield wizard


def test_every_screen_speaks_one_language(qtbot, lang_window) -> None:
    lang, win = lang_window
    found: list[str] = []
    for shown in _windows(qtbot, win, with_data=lang == "zh_CN"):
        wrong = english_in(shown) if lang == "zh_CN" else chinese_in(shown)
        found += [f"{type(shown).__name__}: {line}" for line in wrong if BOTH_LANGUAGES not in line]
    found = sorted(set(found))
    assert not found, "\n".join(found)


def test_roster_questions_and_document_states_speak_the_language(
    qtbot, lang_window, dialogs, tmp_path
) -> None:
    lang, win = lang_window
    dialogs.next_paths.append(tmp_path / "roster.xlsx")
    dialogs.confirm_answer = False
    win.export_roster()
    qtbot.waitUntil(lambda: len(dialogs.shown) >= 2, timeout=10000)
    shown = [f"{title} {text}" for _kind, title, text in dialogs.shown]
    wizard = win.start_intake(_a_client(win))
    with qtbot.waitSignal(wizard.ready, timeout=5000):
        pass
    wizard.item_page.search.setText("62052400MZ-JF-0001")
    wizard.next()
    wizard.next()
    table = wizard.documents_page.table
    combos = [table.cellWidget(r, 2) for r in range(table.rowCount())]
    shown += [c.itemText(i) for c in combos if c is not None for i in range(c.count())]
    assert shown and not [t for t in shown if foreign_words(lang, t.split(str(tmp_path))[0])]


def _a_client(win: MainWindow) -> str:
    with win.desk.db.session() as session:
        return session.scalars(select(Client.id)).first()


def test_every_access_key_goes_to_its_field_and_every_field_has_a_label(qtbot, lang_window) -> None:
    lang, win = lang_window
    found: list[str] = []
    for shown in _windows(qtbot, win, with_data=True):
        found += unlabelled(
            shown, skip=("CaseBoardPage",)
        )  # its search box is being reworked (issue 20)
    found = sorted(set(found))
    assert not found, "\n".join(found)


def test_the_go_menu_names_its_pages(qtbot, lang_window) -> None:
    _lang, win = lang_window
    names = [a.text() for a in win.go_menu.actions()]
    pages = [win.nav.item(row).text() for row in range(win.nav.count())]
    assert pages and set(pages) - {pages[0]} <= set(names)  # 今日待办's count changes after loading
    page_action = next(a for a in win.go_menu.actions() if a.text() == pages[1])
    page_action.trigger()
    assert win.nav.currentRow() == 1 and page_action.shortcut().toString() == "Ctrl+2"
