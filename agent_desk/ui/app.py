"""Starting the GUI: application, translations (Chinese by default), first run, font size, crashes."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QThread, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from agent_desk.services.first_run import DeskHooks, FirstRunHooks, apply_first_run, needs_first_run
from agent_desk.services.settings import Settings, load_settings
from agent_desk.store.datadir import DataDir, resolve_data_dir
from agent_desk.ui.fonts import apply_font
from agent_desk.ui.main_window import MainWindow
from agent_desk.ui.messages import LANGUAGE, Dialogs

# Nothing here imports the database layer, the region tables, cryptography or the docx stack: they
# load in the background after the window shows (tests/ui/test_start_imports.py keeps it so).

log = logging.getLogger(__name__)
I18N = Path(__file__).with_name("i18n")
STARTED = time.perf_counter()
EXIT_DB_REFUSED = 2


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Our strings are written in English; zh_CN (the default) loads the Chinese catalogue and Qt's own."""
    translators: list[QTranslator] = []
    LANGUAGE["ui"] = language
    if language == "en":
        return translators
    ours = QTranslator(app)
    if ours.load(str(I18N / f"agent_desk_{language}.qm")):
        translators.append(ours)
    else:
        log.warning("translation %s missing; the UI stays in English", language)
    qt_base = QTranslator(app)
    if qt_base.load(
        QLocale(language),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        translators.append(qt_base)
    for translator in translators:
        app.installTranslator(translator)
    return translators


class Language:
    """The installed translators, switchable while the first-run wizard is open."""

    def __init__(self, app: QApplication, language: str) -> None:
        self.app, self.current = app, language
        self.translators = install_translators(app, language)

    def switch(self, language: str) -> None:
        if language == self.current:
            return
        for translator in self.translators:
            self.app.removeTranslator(translator)
        self.current, self.translators = language, install_translators(self.app, language)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("AgentDesk")
    app.setOrganizationName("AgentDesk")
    app.setWindowIcon(
        QIcon(str(Path(__file__).with_name("icons") / "agent-desk.png"))
    )  # installer/icon/agent-desk.svg
    return app


def desk_settings(
    language: Language,
    data: DataDir,
    dialogs: Dialogs,
    *,
    demo: bool,
    hooks: FirstRunHooks | None = None,
) -> Settings | None:
    """The stored settings; on a first start the wizard's answers (None when it was closed).

    ``--demo`` skips the wizard and leaves no settings file, so a later real start still asks.
    """
    if demo or not needs_first_run(data.settings_file):
        return load_settings(data.settings_file)
    choice = dialogs.first_run(None, language.switch)
    if choice is None:
        log.info("first-run wizard closed; nothing stored")
        return None
    return apply_first_run(choice, data, hooks)


def start_gui(
    app: QApplication,
    data: DataDir,
    dialogs: Dialogs,
    *,
    demo: bool = False,
    lang: str | None = None,
    hooks: FirstRunHooks | None = None,
    protect: bool = False,
) -> MainWindow | None:
    """Everything before the event loop: language, first run, the window opening its database.

    ``protect`` asks for the local-data password (and locks when idle); demo data is not protected.
    """
    language = Language(app, lang or _stored_language(data))
    hooks = hooks if hooks is not None else DeskHooks()
    settings = desk_settings(language, data, dialogs, demo=demo, hooks=hooks)
    if settings is None:
        return None
    language.switch(lang or settings.language)
    apply_font(app, settings)
    key = hooks.key if isinstance(hooks, DeskHooks) else None
    window = MainWindow(
        data,
        settings,
        dialogs,
        demo=demo or settings.demo,
        protect=protect and not (demo or settings.demo),
        key=key,
    )
    window.open_refused.connect(lambda _exc: _refused(app, window))
    window.show()
    log.info("window shown %.0f ms after start", (time.perf_counter() - STARTED) * 1000)
    window.start()
    return window


def _stored_language(data: DataDir) -> str:
    return load_settings(data.settings_file).language if data.settings_file.exists() else "zh_CN"


def _refused(app: QApplication, window: MainWindow) -> None:
    """The database was not opened (too new, corrupt, locked): close without touching it."""
    window.close()
    app.exit(EXIT_DB_REFUSED)


def run_gui(
    *,
    data_dir: str | None = None,
    demo: bool = False,
    lang: str | None = None,
    verbose: bool = False,
    quit_when_ready: bool = False,
) -> int:
    from agent_desk.services.desk import setup_logging
    from agent_desk.store.sealed import sweep_stale

    app = make_app()
    data = resolve_data_dir(data_dir).ensure()
    dialogs = Dialogs(setup_logging(data, verbose=verbose))
    sweep_stale()  # decrypted copies a killed session left in the temp folder (store/sealed.py)
    _install_excepthook(dialogs)
    window = start_gui(app, data, dialogs, demo=demo, lang=lang, protect=not quit_when_ready)
    if window is None:
        return 0
    if quit_when_ready:
        _report_start(app, window)
    return app.exec()


def _report_start(app: QApplication, window: MainWindow) -> None:
    """For the start-time benchmark and the bundle check: print when shown and ready, then quit."""

    def say(what: str) -> None:
        if sys.stdout is not None:  # a windowed Windows build has no console
            print(f"{what} {(time.perf_counter() - STARTED) * 1000:.0f} ms", flush=True)

    QTimer.singleShot(0, lambda: say("shown"))
    window.desk_ready.connect(lambda: (say("ready"), QTimer.singleShot(0, window.close)))


def _install_excepthook(dialogs: Dialogs) -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught", exc_info=(kind, exc, tb))
        app = QApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            return  # a dialog may only be shown from the UI thread; the log has it
        dialogs.failure(QApplication.activeWindow(), exc)

    sys.excepthook = hook
