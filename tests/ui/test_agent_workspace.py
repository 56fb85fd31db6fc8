"""The agent's day, driven through the windows: client, intake, documents, hand-over, conclude, deliver, follow-up."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from agent_desk.core.case_flow import CaseAction
from agent_desk.core.identity import make_resident_id
from agent_desk.services.settings import AgentSettings, Settings, load_settings
from agent_desk.store.models import (
    Case,
    CaseDocument,
    Client,
    ClientDocument,
    GeneratedDocument,
    HandoverBatch,
)
from agent_desk.sync.settings import SyncSettings
from tests.ui.intake_steps import to_print_page

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ITEM = "62052400MZ-JF-0001"
AGENT = {
    "name": "张红梅",
    "phone": "13893812345",
    "id_number": make_resident_id("620524", date(1985, 6, 15), 224),
    "village": "洛门村",
    "service_room": "洛门村便民服务室",
}
HEAD_ID = make_resident_id("620524", date(1944, 3, 12), 357)
SPOUSE_ID = make_resident_id("620524", date(1946, 8, 2), 246)


def docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def desk_window(qtbot, window):
    """The seeded window, with the agent recorded, the catalog loaded and PDF conversion off."""
    window.settings = Settings(sync=SyncSettings(username="zhm"), agent=AgentSettings(**AGENT))
    window._pdf = False
    if window.catalog is None:
        with qtbot.waitSignal(window.catalog_ready, timeout=10000):
            pass
    return window


def _type(view, key: str, text: str) -> None:
    view.edits[key].setText(text)


def _save(qtbot, view) -> str:
    assert view.save_button.isEnabled()
    with qtbot.waitSignal(view.saved, timeout=5000) as saved:
        view.save_button.click()
    with qtbot.waitSignal(view.loaded, timeout=5000):
        pass
    return saved.args[0]


def _profile(qtbot, desk_window):
    view = desk_window.new_client()
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    _type(view, "name", "李建国")
    _type(view, "id_number", HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1"))
    assert view.errors["id_number"].isVisibleTo(view) and not view.save_button.isEnabled()
    _type(view, "id_number", HEAD_ID)
    assert (
        view.derived["sex"].text() == "Male" and view.derived["birth_date"].text() == "1944-03-12"
    )
    assert "武山" in view.derived["birth_place"].text() and int(view.derived["age"].text()) >= 80
    _type(view, "phone", "1390938123")
    assert "手机" in view.errors["phone"].text() or view.errors["phone"].text()
    _type(view, "phone", "13909381234")
    for key, value in (
        ("address", "洛门镇洛门村三组45号"),
        ("ethnicity", "汉族"),
        ("bank_name", "武山农商银行"),
        ("bank_account", "6228480012345678901"),
    ):
        _type(view, key, value)
    view.village.setCurrentIndex(1)
    return view, _save(qtbot, view)


def _household_and_library(qtbot, desk_window, dialogs, view, tmp_path: Path) -> None:
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.start_household_button.click()
    assert view.add_member_button.isEnabled() and view.members.rowCount() == 1
    view.registration_type.setCurrentText("农业")
    _save(qtbot, view)
    view.add_member_button.click()
    member = view.member_views[-1]
    qtbot.waitUntil(lambda: member.data is not None, timeout=5000)
    _type(member, "name", "王秀英")
    _type(member, "id_number", SPOUSE_ID)
    member.relation.setCurrentText("配偶")
    _save(qtbot, member)
    qtbot.waitUntil(lambda: view.members.rowCount() == 2, timeout=5000)
    scan = tmp_path / "户口簿.png"
    scan.write_bytes(PNG)
    dialogs.next_paths.append(scan)
    view.kind.setCurrentIndex(view.kind.findData("household_register"))
    view.findChild(type(view.save_button), "attachScan").click()
    qtbot.waitUntil(lambda: view.library.rowCount() == 1, timeout=5000)
    fake = tmp_path / "virus.jpg"
    fake.write_bytes(b"MZ\x90\x00 no image")
    dialogs.next_paths.append(fake)
    view.attach()
    qtbot.waitUntil(
        lambda: any(kind == "error" and "不是照片" in text for kind, _t, text in dialogs.shown),
        timeout=5000,
    )


def _intake(qtbot, desk_window, client_id: str):
    wizard = desk_window.start_intake(client_id)
    with qtbot.waitSignal(wizard.ready, timeout=5000):
        pass
    wizard.item_page.search.setText("dibao")
    assert wizard.item.code == ITEM
    wizard.next()
    assert not wizard.conditions_page.isComplete()
    for box in wizard.conditions_page.boxes:
        box.setChecked(True)
    wizard.next()
    docs = wizard.documents_page
    assert docs.choices()["居民户口簿"].status == "received"  # from the library
    for name in (
        "申请人及家庭成员居民身份证",
        "最低生活保障申请书",
        "家庭经济状况核对授权书",
        "家庭财产状况声明",
    ):
        docs.set_status(name, "received")
    docs.set_status("家庭成员收入证明", "deferred", date.today() + timedelta(days=10))
    wizard.next()
    manual = wizard.manual_page
    assert not manual.isComplete()
    manual.fields.set_values(
        {
            "apply_type": "农村低保",
            "apply_mode": "整户申请",
            "annual_income": "3600.5",
            "health": "健康",
            "assets": "土坯房三间",
            "reason": "家庭收入低",
        }
    )
    manual.fields.set_values({"annual_income": "abc"})
    assert not manual.isComplete() and "数字" in manual.fields.errors["annual_income"].text()
    manual.fields.set_values({"annual_income": "3600.50"})
    assert manual.isComplete()
    with qtbot.waitSignal(wizard.print_page.checked, timeout=5000) as checked:
        wizard.next()
    assert checked.args[0] == []
    with qtbot.waitSignal(wizard.case_created, timeout=10000) as created:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    return wizard, created.args[0]


def test_a_whole_intake_as_an_agent_does_it(qtbot, desk_window, dialogs, tmp_path: Path) -> None:
    window = desk_window
    view, client_id = _profile(qtbot, window)
    _household_and_library(qtbot, window, dialogs, view, tmp_path)
    wizard, case_id = _intake(qtbot, window, client_id)
    with window.desk.db.session() as session:
        case = session.get(Case, case_id)
        assert (
            case.status == "accepted"
            and case.deferred
            and case.manual_fields["annual_income"] == "3600.50"
        )
        docs = {
            d.name: d
            for d in session.scalars(select(CaseDocument).where(CaseDocument.case_id == case_id))
        }
        assert (
            docs["家庭成员收入证明"].status == "deferred" and docs["居民户口簿"].client_document_id
        )
        generated = session.scalars(
            select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
        ).all()
        assert (
            session.scalars(select(ClientDocument).where(ClientDocument.client_id == client_id))
            .one()
            .doc_kind
            == "household_register"
        )
    assert {g.template for g in generated} == {
        "notice",
        "proxy_authorisation",
        "application",
        "check_authorisation",
        "receipt",
    }
    for row in generated:
        text = docx_text(window.data.documents / row.path)
        assert "李建国" in text and (
            case.case_no in text or row.template in ("application", "check_authorisation")
        )
    assert "王秀英" in docx_text(
        window.data.documents / next(g.path for g in generated if g.template == "application")
    )
    panel = wizard.print_page.documents
    qtbot.waitUntil(lambda: panel.table.rowCount() == 5, timeout=5000)
    panel.buttons["open"].click()
    assert dialogs.opened[-1].suffix == ".docx" and dialogs.opened[-1].exists()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()

    handover = window.pages["handover"]
    window.show_page("handover")
    qtbot.waitUntil(lambda: any(r.id == case_id for r in handover.state.candidates), timeout=5000)
    handover.tick([case.case_no])
    assert handover.ticked_ids() == [case_id]
    with qtbot.waitSignal(handover.batch_done, timeout=10000) as made:
        handover.findChild(type(view.save_button), "createBatch").click()
    qtbot.waitUntil(
        lambda: bool(handover.state.batches) and handover.state.batches[0][0].id == made.args[0],
        timeout=5000,
    )
    handover.batches.selectRow(0)
    handover.print_list()
    qtbot.waitUntil(lambda: dialogs.opened[-1].name.startswith("JJ"), timeout=5000)
    assert case.case_no in docx_text(dialogs.opened[-1]) and "李建国" in docx_text(
        dialogs.opened[-1]
    )
    with qtbot.waitSignal(handover.submitted, timeout=5000):
        handover.submit()

    detail = window.open_case(case_id)
    qtbot.waitUntil(
        lambda: detail.detail is not None and detail.detail.case.status == "in_progress",
        timeout=5000,
    )
    promised = [d.name for d in detail.detail.documents].index("家庭成员收入证明")
    detail.documents.selectRow(promised)
    with qtbot.waitSignal(detail.acted, timeout=5000):  # 补交: the 容缺 document arrives
        detail.receive_button.click()
    qtbot.waitUntil(lambda: not detail.detail.case.deferred, timeout=5000)
    assert detail.documents.item(promised, 2).text().startswith("Received ")
    steps = (
        (CaseAction.CONCLUDE, {"outcome": "approved", "result": "自12月起按月发放"}),
        (CaseAction.DELIVER, {"method": "agent"}),
        (CaseAction.FOLLOW_UP, {"satisfaction": 4, "comment": "很方便"}),
    )
    for action, payload in steps:
        dialogs.next_payloads.append(payload)
        with qtbot.waitSignal(detail.acted, timeout=5000):
            detail.request(action)
        qtbot.waitUntil(lambda: detail.detail.case.status != "in_progress", timeout=5000)
    with qtbot.waitSignal(detail.printed.generated, timeout=10000) as made_docs:
        detail.printed.buttons["generate"].click()
    assert made_docs.args[0].missing == [] and "delivery_receipt" in {
        d.template for d in made_docs.args[0].documents
    }
    with window.desk.db.session() as session:
        case = session.get(Case, case_id)
        batch = session.scalars(
            select(HandoverBatch).where(HandoverBatch.id == case.batch_id)
        ).one()
        receipt = session.scalars(
            select(GeneratedDocument).where(
                GeneratedDocument.case_id == case_id,
                GeneratedDocument.template == "delivery_receipt",
            )
        ).one()
    assert (
        case.status == "delivered"
        and case.outcome == "approved"
        and case.result == "自12月起按月发放"
    )
    assert (
        case.delivered_on == date.today()
        and case.satisfaction == 4
        and case.follow_up_comment == "很方便"
    )
    assert batch.submitted_at is not None
    text = docx_text(window.data.documents / receipt.path)
    assert case.case_no in text and "☑ 代送上门" in text


def test_missing_fields_are_listed_with_a_jump_to_fix(qtbot, desk_window, dialogs) -> None:
    window = desk_window
    window.settings = Settings(sync=SyncSettings(username="zhm"))  # no agent phone etc.
    with window.desk.db.session() as session:
        client = session.scalars(select(Client).where(Client.bank_name.is_(None))).first()
        client_id = client.id
    wizard, missing = to_print_page(qtbot, window, client_id, "62052400MZ-JF-0001")
    paths = {m.path for m in missing}
    assert {"agent.phone", "client.bank_name", "manual.apply_type"} <= paths
    page = wizard.print_page
    rows = {
        page.missing.item(r).data(256)[0]: page.missing.item(r) for r in range(page.missing.count())
    }
    page.fix(rows["agent.phone"])
    assert dialogs.shown[-1][0] == "settings"
    page.fix(rows["client.bank_name"])
    view = window.profile_views[client_id]
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    assert view.isVisible()
    page.fix(rows["manual.apply_type"])
    assert wizard.currentPage() is wizard.manual_page


def test_settings_are_saved_and_font_applied(qtbot, desk_window, dialogs) -> None:
    from PySide6.QtWidgets import QApplication

    from agent_desk.services.agent_identity import stored_agent_id
    from agent_desk.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(desk_window.settings, desk_window.data.root, desk_window)
    qtbot.addWidget(dialog)
    dialog.font_size.setCurrentIndex(dialog.font_size.findData(18))
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.agent["phone"].setText("13800001111")
    dialog.agent["id_number"].setText("620524197803150017")
    chosen = dialog.result_settings()
    assert (chosen.font_size, chosen.language, chosen.agent.phone) == (
        18,
        "en",
        "13800001111",
    )
    before = QApplication.font().pointSize()
    dialogs.next_settings.append(chosen)
    desk_window.show_settings()
    desk_window.ops.wait()
    qtbot.waitUntil(lambda: desk_window.data.settings_file.exists(), timeout=5000)
    assert load_settings(desk_window.data.settings_file).agent.phone == "13800001111"
    saved = desk_window.data.settings_file.read_text(encoding="utf-8")
    assert "620524197803150017" not in saved  # the agent's ID number: the encrypted database only
    with desk_window.desk.db.session() as session:
        assert stored_agent_id(session) == "620524197803150017"
    assert QApplication.font().pointSize() == 18 and dialogs.shown[-1][0] == "info"
    desk_window.settings = Settings(font_size=before)
    desk_window.apply_font()
