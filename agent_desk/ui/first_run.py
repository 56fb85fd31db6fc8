"""The first-run wizard: language, demo or real desk, role, hub address, login, local password.

It only gathers answers into a FirstRunChoice; services/first_run.py stores the settings and hands
the passwords to their hooks. Texts are set in ``retranslate`` so choosing English on the first
page changes every page at once (Qt sends LanguageChange when a translator is installed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from agent_desk.protocol.roles import HELPER_ROLES
from agent_desk.services.desk_setup import DeskSetup
from agent_desk.services.first_run import FirstRunChoice, normalise_hub_url, password_problem
from agent_desk.ui.first_run_offline import AgentPage, VillagesPage, form_row

LANGUAGES = (("zh_CN", "中文（简体）"), ("en", "English"))
LANGUAGE, MODE, ROLE, HUB, LOGIN, PASSWORD, AGENT, VILLAGES = range(8)


def _note(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    return label


class LanguagePage(QWizardPage):
    def __init__(self, on_language: Callable[[str], None]) -> None:
        super().__init__()
        self.combo = QComboBox(self)
        self.combo.setObjectName("language")
        for code, name in LANGUAGES:
            self.combo.addItem(name, code)
        self.combo.currentIndexChanged.connect(lambda _i: on_language(self.language()))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("语言 / Language", self))
        layout.addWidget(self.combo)

    def language(self) -> str:
        return str(self.combo.currentData())

    def retranslate(self) -> None:
        self.setTitle(self.tr("Welcome to AgentDesk"))
        self.setSubTitle(self.tr("Choose the language of the program."))


class ModePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.real = QRadioButton(self)
        self.real.setObjectName("modeReal")
        self.demo = QRadioButton(self)
        self.demo.setObjectName("modeDemo")
        self.real.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.real)
        group.addButton(self.demo)
        self.demo_note = _note(self)
        self.demo.toggled.connect(lambda _on: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        for widget in (self.real, self.demo, self.demo_note):
            layout.addWidget(widget)

    def retranslate(self) -> None:
        self.setTitle(self.tr("How will you use this computer?"))
        self.real.setText(self.tr("Set up this desk for my work"))
        self.demo.setText(self.tr("Try AgentDesk with sample data (demo)"))
        self.demo_note.setText(
            self.tr(
                "Demo data is made up and marked “DEMO DATA” in the window. "
                "Do not enter real clients into a demo desk."
            )
        )

    def nextId(self) -> int:  # noqa: N802
        return -1 if self.demo.isChecked() else ROLE


class RolePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.agent = QRadioButton(self)
        self.agent.setObjectName("roleAgent")
        self.chief = QRadioButton(
            self
        )  # 首席服务官 (issue 21): the agent's workspace, a wider area
        self.chief.setObjectName("roleChiefOfficer")
        self.reviewer = QRadioButton(self)
        self.reviewer.setObjectName("roleReviewer")
        self.agent.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.agent)
        layout.addWidget(self.chief)
        layout.addWidget(self.reviewer)

    def role(self) -> str:
        if self.chief.isChecked():
            return "chief_officer"
        return "reviewer" if self.reviewer.isChecked() else "agent"

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your role"))
        self.agent.setText(self.tr("Village proxy agent or hall helper"))
        self.chief.setText(self.tr("Chief service officer (township or county hall)"))
        self.reviewer.setText(self.tr("Township reviewer"))


class HubPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.address = QLineEdit(self)
        self.address.setObjectName("hubAddress")
        self.offline = QCheckBox(self)
        self.offline.setObjectName("workOffline")
        self.problem = _note(self)
        self.problem.setObjectName("hubProblem")
        self.problem.setStyleSheet("color: #c0392b;")
        self.address.textChanged.connect(self._changed)
        self.offline.toggled.connect(self._changed)
        self.form = QFormLayout(self)
        self.labels = {self.address: form_row(self.form, self.address)}
        self.form.addRow(self.offline)
        self.form.addRow(self.problem)

    def hub_url(self) -> str:
        return "" if self.offline.isChecked() else (normalise_hub_url(self.address.text()) or "")

    def nextId(self) -> int:  # noqa: N802
        """Offline needs no hub login: an agent sets up their own details and villages instead."""
        if not self.offline.isChecked():
            return LOGIN
        wizard = self.wizard()
        reviewer = (
            isinstance(wizard, FirstRunWizard) and wizard.role_page.role() not in HELPER_ROLES
        )
        return PASSWORD if reviewer else AGENT

    def _changed(self) -> None:
        self.address.setEnabled(not self.offline.isChecked())
        bad = (
            not self.offline.isChecked()
            and bool(self.address.text().strip())
            and not self.hub_url()
        )
        self.problem.setText(
            self.tr("This is not a hub address, e.g. https://hub.example.gov.cn") if bad else ""
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.offline.isChecked() or self.hub_url())

    def retranslate(self) -> None:
        self.setTitle(self.tr("Township hub"))
        self.setSubTitle(
            self.tr(
                "The hub address comes from the township. Without it the desk works "
                "offline and syncs once an address is set."
            )
        )
        self.labels[self.address].setText(self.tr("Hub &address"))
        self.offline.setText(self.tr("Work offline for now"))
        self._changed()


class LoginPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = _note(self)
        self.username.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.form = QFormLayout(self)
        self.labels = {
            field: form_row(self.form, field) for field in (self.username, self.password)
        }
        self.form.addRow(self.note)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.username.text().strip())

    def nextId(self) -> int:  # noqa: N802
        return PASSWORD

    def retranslate(self) -> None:
        self.setTitle(self.tr("Your login"))
        self.note.setText(self.tr("The password is checked by the hub at the first sync."))
        for field, text in (
            (self.username, self.tr("&User name")),
            (self.password, self.tr("Hub &password")),
        ):
            self.labels[field].setText(text)


class PasswordPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.password = QLineEdit(self)
        self.password.setObjectName("localPassword")
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("localPasswordRepeat")
        for edit in (self.password, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._changed)
        self.problem = _note(self)
        self.problem.setObjectName("passwordProblem")
        self.form = QFormLayout(self)
        self.labels = {field: form_row(self.form, field) for field in (self.password, self.repeat)}
        self.form.addRow(self.problem)

    def _problem(self) -> str | None:
        return password_problem(self.password.text(), self.repeat.text())

    def _changed(self) -> None:
        texts = {
            "too_short": self.tr("At least 8 characters."),
            "mismatch": self.tr("The two passwords differ."),
            "too_simple": self.tr("Too simple: not only one or two repeated digits."),
        }
        problem = self._problem() if self.password.text() else None
        self.problem.setText(texts.get(problem or "", ""))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self._problem() is None

    def nextId(self) -> int:  # noqa: N802
        return -1

    def retranslate(self) -> None:
        self.setTitle(self.tr("Protect the data on this computer"))
        self.setSubTitle(
            self.tr(
                "Clients' ID numbers and family details are kept on this computer. "
                "This password will be asked when AgentDesk opens. Write it down and keep it safe."
            )
        )
        for field, text in (
            (self.password, self.tr("&Password")),
            (self.repeat, self.tr("&Repeat")),
        ):
            self.labels[field].setText(text)
        self._changed()


class FirstRunWizard(QWizard):
    """Shown once, when the settings file does not exist yet."""

    def __init__(
        self, on_language: Callable[[str], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.on_language = on_language or (lambda _lang: None)
        self.language_page = LanguagePage(self._language_chosen)
        self.mode_page, self.role_page = ModePage(), RolePage()
        self.hub_page, self.login_page, self.password_page = HubPage(), LoginPage(), PasswordPage()
        self.agent_page, self.villages_page = AgentPage(), VillagesPage(next_id=PASSWORD)
        for page_id, page in enumerate(self.all_pages()):
            self.setPage(page_id, page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.resize(560, 420)
        self.retranslate()

    def all_pages(self) -> list[Any]:
        return [
            self.language_page,
            self.mode_page,
            self.role_page,
            self.hub_page,
            self.login_page,
            self.password_page,
            self.agent_page,
            self.villages_page,
        ]

    def _language_chosen(self, language: str) -> None:
        self.on_language(language)
        self.retranslate()  # also when no translator changed (tests, English ↔ missing catalogue)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("AgentDesk – first start"))
        for page in self.all_pages():
            page.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choice(self) -> FirstRunChoice:
        demo = self.mode_page.demo.isChecked()
        language = self.language_page.language()
        if demo:
            return FirstRunChoice(language=language, demo=True)
        offline = not self.hub_page.hub_url()
        return FirstRunChoice(
            language=language,
            role=self.role_page.role(),
            hub_url=self.hub_page.hub_url(),
            username="" if offline else self.login_page.username.text().strip(),
            login_password="" if offline else self.login_page.password.text(),
            local_password=self.password_page.password.text(),
            setup=self._setup() if offline else None,
        )

    def _setup(self) -> DeskSetup | None:
        if self.role_page.role() not in HELPER_ROLES:
            return None
        return dataclasses.replace(self.villages_page.setup(), agent=self.agent_page.agent())
