"""The first-run wizard and the start path around it: offline, demo, hub address, --demo, closing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import agent_desk.services.demo_first_run as demo_first_run
import agent_desk.ui.app as app_module
from agent_desk.services.first_run import FirstRunChoice, needs_first_run
from agent_desk.store.datadir import DataDir
from agent_desk.ui.app import Language, start_gui
from agent_desk.ui.first_run import HUB, LOGIN, MODE, PASSWORD, ROLE, FirstRunWizard


@pytest.fixture
def wizard(qtbot) -> FirstRunWizard:
    languages: list[str] = []
    wiz = FirstRunWizard(languages.append)
    wiz.languages = languages  # type: ignore[attr-defined]
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def _to(wizard: FirstRunWizard, page_id: int) -> None:
    while wizard.currentId() != page_id:
        assert wizard.currentPage().isComplete(), wizard.currentPage().title()
        wizard.next()


def test_offline_path_collects_role_login_and_local_password(wizard: FirstRunWizard) -> None:
    _to(wizard, ROLE)
    wizard.role_page.reviewer.setChecked(True)
    _to(wizard, HUB)
    assert not wizard.hub_page.isComplete()  # an address, or "offline", is needed
    wizard.hub_page.offline.setChecked(True)
    _to(wizard, LOGIN)
    assert not wizard.login_page.isComplete()
    wizard.login_page.username.setText(" lisi ")
    _to(wizard, PASSWORD)
    page = wizard.password_page
    page.password.setText("short")
    assert not page.isComplete() and "8" in page.problem.text()
    page.password.setText("long enough 1")
    page.repeat.setText("long enough 2")
    assert not page.isComplete() and page.problem.text()
    page.repeat.setText("long enough 1")
    assert page.isComplete() and page.problem.text() == ""
    assert wizard.currentPage().nextId() == -1
    choice = wizard.choice()
    assert (choice.role, choice.hub_url, choice.username, choice.demo) == ("reviewer", "", "lisi", False)
    assert choice.local_password == "long enough 1"
    assert "long enough" not in repr(choice)


def test_hub_address_is_validated_as_typed(wizard: FirstRunWizard) -> None:
    _to(wizard, HUB)
    hub = wizard.hub_page
    hub.address.setText("not an address")
    assert not hub.isComplete() and hub.problem.text()
    hub.address.setText("hub.wushan.gov.cn")
    assert hub.isComplete() and hub.problem.text() == ""
    assert hub.hub_url() == "https://hub.wushan.gov.cn"
    hub.offline.setChecked(True)
    assert hub.hub_url() == "" and not hub.address.isEnabled()


def test_demo_mode_finishes_at_once(wizard: FirstRunWizard) -> None:
    _to(wizard, MODE)
    wizard.mode_page.demo.setChecked(True)
    assert wizard.mode_page.nextId() == -1
    assert wizard.choice() == FirstRunChoice(language="zh_CN", demo=True)


def test_choosing_english_retranslates_every_page(qtbot) -> None:
    app = QApplication.instance()
    language = Language(app, "zh_CN")
    try:
        wiz = FirstRunWizard(language.switch)
        qtbot.addWidget(wiz)
        assert wiz.hub_page.offline.text() == "暂时离线工作"
        wiz.language_page.combo.setCurrentIndex(1)
        assert language.current == "en"
        assert wiz.hub_page.offline.text() == "Work offline for now"
    finally:
        language.switch("en")  # removes the Chinese translators again


@pytest.fixture
def no_translators(monkeypatch) -> None:
    """start_gui installs the Chinese catalogue on the one QApplication; keep other tests in English."""
    monkeypatch.setattr(app_module, "install_translators", lambda _app, _language: [])


def _data(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "desk").ensure()


def test_start_runs_the_wizard_only_without_a_settings_file(qtbot, tmp_path, dialogs, monkeypatch, no_translators) -> None:
    monkeypatch.setattr(demo_first_run, "DEMO_CLIENTS", 30)
    monkeypatch.setattr(demo_first_run, "DEMO_CASES", 40)
    data = _data(tmp_path)
    dialogs.first_run_answer = FirstRunChoice(language="en", demo=True)
    window = start_gui(QApplication.instance(), data, dialogs)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.demo_badge.isVisible(), timeout=20000)
    assert dialogs.shown[0][0] == "first_run"
    stored = json.loads(data.settings_file.read_text(encoding="utf-8"))["values"]
    assert stored["demo"] is True and stored["language"] == "en"
    window.close()
    again = start_gui(QApplication.instance(), data, dialogs)
    qtbot.addWidget(again)
    assert [kind for kind, *_ in dialogs.shown].count("first_run") == 1
    assert again.demo  # a demo desk stays a demo desk
    qtbot.waitUntil(lambda: again.desk is not None, timeout=10000)
    again.close()


def test_closing_the_wizard_starts_nothing_and_stores_nothing(tmp_path, dialogs, no_translators) -> None:
    data = _data(tmp_path)
    dialogs.first_run_answer = None
    assert start_gui(QApplication.instance(), data, dialogs) is None
    assert not data.settings_file.exists()


def test_demo_flag_skips_the_wizard(qtbot, tmp_path, dialogs, monkeypatch, no_translators) -> None:
    monkeypatch.setattr(demo_first_run, "DEMO_CLIENTS", 30)
    monkeypatch.setattr(demo_first_run, "DEMO_CASES", 40)
    data = _data(tmp_path)
    window = start_gui(QApplication.instance(), data, dialogs, demo=True)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.demo_badge.isVisible(), timeout=20000)
    assert all(kind != "first_run" for kind, *_ in dialogs.shown)
    assert needs_first_run(data.settings_file)  # a later real start still asks
    window.close()


def test_the_wizard_password_encrypts_the_desk_and_is_not_asked_again(qtbot, tmp_path, dialogs, no_translators) -> None:
    from agent_desk.services import vault
    from agent_desk.services.first_run import FirstRunChoice, password_problem

    assert password_problem("11111111", "11111111") == "too_simple"
    data = _data(tmp_path)
    dialogs.first_run_answer = FirstRunChoice(language="zh_CN", role="agent", local_password="洛门村-2026")
    window = start_gui(QApplication.instance(), data, dialogs, protect=True)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.desk is not None, timeout=20000)
    assert vault.is_protected(data)
    assert window.desk.cipher is not None
    assert not [s for s in dialogs.shown if s[0] == "password"]  # the wizard's password was enough
    window.close()
