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
from agent_desk.ui.first_run import (
    AGENT,
    HUB,
    LOGIN,
    MODE,
    PASSWORD,
    ROLE,
    VILLAGES,
    FirstRunWizard,
)


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
        before = wizard.currentId()
        wizard.next()
        assert wizard.currentId() != before, f"stuck on page {before}"


def _password(wizard: FirstRunWizard) -> None:
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


def test_online_path_collects_role_login_and_local_password(wizard: FirstRunWizard) -> None:
    _to(wizard, ROLE)
    wizard.role_page.reviewer.setChecked(True)
    _to(wizard, HUB)
    assert not wizard.hub_page.isComplete()  # an address, or "offline", is needed
    wizard.hub_page.address.setText("hub.wushan.gov.cn")
    _to(wizard, LOGIN)
    assert not wizard.login_page.isComplete()
    wizard.login_page.username.setText(" lisi ")
    _password(wizard)
    choice = wizard.choice()
    assert (choice.role, choice.hub_url, choice.username, choice.demo) == (
        "reviewer",
        "https://hub.wushan.gov.cn",
        "lisi",
        False,
    )
    assert choice.local_password == "long enough 1"
    assert "long enough" not in repr(choice)


def _agent(wizard: FirstRunWizard, **values: str) -> None:
    typed = {
        "name": "王建国",
        "phone": "13909381234",
        "id_number": "620524197803150017",
        "service_room": "石桥村便民服务室",
    }
    for key, text in (typed | values).items():
        wizard.agent_page.edits[key].setText(text)


def test_offline_path_asks_no_hub_login_but_the_agent_and_the_villages(
    wizard: FirstRunWizard,
) -> None:
    _to(wizard, HUB)
    wizard.hub_page.offline.setChecked(True)
    assert (
        wizard.hub_page.form.labelForField(wizard.hub_page.address).text() == "Hub &address"
    )  # labelled rows
    wizard.next()
    assert wizard.currentId() == AGENT  # no user name asked
    assert (
        wizard.agent_page.form.labelForField(wizard.agent_page.edits["id_number"]).text()
        == "&ID number"
    )
    assert not wizard.agent_page.isComplete()
    _agent(wizard, id_number="620524197803150018")
    assert not wizard.agent_page.isComplete() and "校验码" in wizard.agent_page.problem.text()
    _agent(wizard)
    assert wizard.agent_page.isComplete() and wizard.agent_page.problem.text() == ""
    wizard.next()
    page = wizard.villages_page
    assert wizard.currentId() == VILLAGES and not page.isComplete()
    page.choose_county("620524")
    assert (
        page.county.currentText() == "武山县（620524）"
        and page.city.currentText() == "天水市（620500）"
    )
    page.township_code.setText("620524100")
    page.township_name.setText("洛门镇")
    page.villages.setPlainText("620525100201 石桥村")
    assert not page.isComplete() and "不在所选的县" in page.problem.text()
    page.villages.setPlainText("620524100201 石桥村\n620524100201=石头村")
    assert not page.isComplete() and "出现两次" in page.problem.text()
    page.villages.setPlainText("620524100201 石桥村\n620524100202=洛门村")
    assert page.isComplete(), page.problem.text()
    _password(wizard)
    choice = wizard.choice()
    assert choice.username == "" and choice.hub_url == ""
    assert choice.setup is not None and choice.setup.agent is not None
    assert choice.setup.villages == {"620524100201": "石桥村", "620524100202": "洛门村"}
    assert choice.setup.townships == {"620524100": "洛门镇"} and choice.setup.agent.name == "王建国"


def test_offline_reviewer_goes_straight_to_the_password(wizard: FirstRunWizard) -> None:
    _to(wizard, ROLE)
    wizard.role_page.reviewer.setChecked(True)
    _to(wizard, HUB)
    wizard.hub_page.offline.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PASSWORD


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


def test_start_runs_the_wizard_only_without_a_settings_file(
    qtbot, tmp_path, dialogs, monkeypatch, no_translators
) -> None:
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


def test_closing_the_wizard_starts_nothing_and_stores_nothing(
    tmp_path, dialogs, no_translators
) -> None:
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
    assert "DEMO DATA" in window.windowTitle()  # the title bar says so too
    assert all(kind != "first_run" for kind, *_ in dialogs.shown)
    assert needs_first_run(data.settings_file)  # a later real start still asks
    window.close()


def test_the_wizard_password_encrypts_the_desk_and_is_not_asked_again(
    qtbot, tmp_path, dialogs, no_translators
) -> None:
    from agent_desk.services import vault
    from agent_desk.services.first_run import FirstRunChoice, password_problem

    assert password_problem("11111111", "11111111") == "too_simple"
    data = _data(tmp_path)
    dialogs.first_run_answer = FirstRunChoice(
        language="zh_CN", role="agent", local_password="洛门村-2026"
    )
    window = start_gui(QApplication.instance(), data, dialogs, protect=True)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.desk is not None, timeout=20000)
    assert vault.is_protected(data)
    assert window.desk.cipher is not None
    assert not [s for s in dialogs.shown if s[0] == "password"]  # the wizard's password was enough
    window.close()


def test_offline_first_run_sets_up_villages_and_agent_without_a_hub(
    qtbot, tmp_path, dialogs, no_translators
) -> None:
    from sqlmodel import select

    from agent_desk.services.desk import open_desk
    from agent_desk.services.desk_setup import AgentDetails, DeskSetup
    from agent_desk.store.models import User, Village

    data = _data(tmp_path)
    setup = DeskSetup(
        agent=AgentDetails("王建国", "13909381234", "620524197803150017", "石桥村便民服务室"),
        townships={"620524100": "洛门镇"},
        villages={"620524100201": "石桥村"},
        county="620524",
    )
    dialogs.first_run_answer = FirstRunChoice(language="zh_CN", role="agent", setup=setup)
    window = start_gui(QApplication.instance(), data, dialogs)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.desk is not None, timeout=20000)
    window.close()
    stored = json.loads(data.settings_file.read_text(encoding="utf-8"))["values"]
    assert stored["agent"]["name"] == "王建国" and "username" not in stored
    desk = open_desk(data.root)
    with desk.db.session() as session:
        village = session.exec(select(Village)).one()
        assert (village.code, village.name, village.township_name, village.county_name) == (
            "620524100201",
            "石桥村",
            "洛门镇",
            "甘肃省天水市武山县",
        )
        assert session.exec(select(User)).one().display_name == "王建国"
    desk.close()
