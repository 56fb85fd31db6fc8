"""Starting the GUI: application, translations (Chinese by default), font size, crash handling."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from agent_desk.services.desk import setup_logging
from agent_desk.services.settings import Settings, load_settings
from agent_desk.store.datadir import resolve_data_dir
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import Dialogs

log = logging.getLogger(__name__)
I18N = Path(__file__).with_name("i18n")
STARTED = time.perf_counter()


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Our strings are written in English; zh_CN (the default) loads the Chinese catalogue and Qt's own."""
    translators: list[QTranslator] = []
    if language == "en":
        return translators
    ours = QTranslator(app)
    if ours.load(str(I18N / f"agent_desk_{language}.qm")):
        translators.append(ours)
    else:
        log.warning("translation %s missing; the UI stays in English", language)
    qt_base = QTranslator(app)
    if qt_base.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt_base)
    for translator in translators:
        app.installTranslator(translator)
    return translators


def apply_font(app: QApplication, settings: Settings) -> None:
    font = QFont(app.font())
    font.setPointSize(settings.font_size)
    app.setFont(font)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("AgentDesk")
    app.setOrganizationName("AgentDesk")
    return app


def run_gui(*, data_dir: str | None = None, demo: bool = False, lang: str | None = None, verbose: bool = False) -> int:
    app = make_app()
    data = resolve_data_dir(data_dir).ensure()
    log_path = setup_logging(data, verbose=verbose)
    settings = load_settings(data.settings_file)
    install_translators(app, lang or settings.language)
    apply_font(app, settings)
    dialogs = Dialogs(log_path)
    window = MainWindow(data, settings, dialogs, demo=demo, protect=True)
    _install_excepthook(dialogs, window)
    window.show()
    log.info("window shown %.0f ms after start", (time.perf_counter() - STARTED) * 1000)
    window.start()
    return app.exec()


def _install_excepthook(dialogs: Dialogs, window: MainWindow) -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught", exc_info=(kind, exc, tb))
        dialogs.failure(window, exc)

    sys.excepthook = hook
