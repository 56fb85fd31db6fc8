"""A village agent's first whole day on a fresh desk with no township hub, through the windows.

First run offline (the agent and the desk's village, no hub login) → roster import adding the
village it names → intake → notice, proxy authorisation, forms and receipt printed → a document
handed in later (补交) → the 容缺 document closes → 办结 with its certificate number → 送达 by post
with its tracking number → 回访 → 归档; every recorded detail shown on the case, the agent named.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from docx import Document
from PySide6.QtWidgets import QApplication, QLabel, QWizard
from sqlalchemy import select

import agent_desk.ui.app as app_module
from agent_desk.core.case_flow import CaseAction
from agent_desk.core.identity import make_resident_id
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import Case, Client, GeneratedDocument, Household, Village
from agent_desk.store.review_queries import AgentNames, ReviewFilter, count_review
from agent_desk.store.sealed import read_file
from agent_desk.ui.app import start_gui
from agent_desk.ui.first_run import AGENT, HUB, PASSWORD, VILLAGES, FirstRunWizard

ITEM = "62052400MZ-JF-0001"  # 最低生活保障
HEAD = make_resident_id("620524", date(1950, 4, 2), 151)
MANUAL = {
    "apply_type": "农村低保",
    "apply_mode": "整户申请",
    "annual_income": "3600.50",
    "health": "健康",
    "assets": "土坯房三间",
    "reason": "家庭收入低",
}


def docx_text(path: Path, cipher) -> str:
    """A printed document of an encrypted desk (sealed at rest: store/sealed.py)."""
    document = Document(io.BytesIO(read_file(path, cipher)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _first_run_offline(qtbot):
    """The real wizard, as the agent fills it; its answer is what the start path receives."""
    wizard = FirstRunWizard(lambda _lang: None)
    qtbot.addWidget(wizard)
    wizard.show()
    while wizard.currentId() != HUB:
        wizard.next()
    wizard.hub_page.offline.setChecked(True)
    wizard.next()
    assert wizard.currentId() == AGENT
    wizard.agent_page.fill(
        {
            "name": "王建国",
            "phone": "13909381234",
            "id_number": "620524197803150017",
            "service_room": "石桥村便民服务室",
        }
    )
    wizard.next()
    assert wizard.currentId() == VILLAGES
    wizard.villages_page.fill("620524", ("620524100", "洛门镇"), "620524100201 石桥村")
    wizard.next()
    assert wizard.currentId() == PASSWORD
    wizard.password_page.password.setText("石桥村-2026")
    wizard.password_page.repeat.setText("石桥村-2026")
    return wizard.choice()


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "花名册.csv"
    rows = [
        "姓名,公民身份号码,性别,联系电话,家庭住址,户主姓名,与户主关系,所属村,民族",
        f"李建国,{HEAD},男,13909385678,洛门镇洛门村三组45号,李建国,户主,洛门村,汉族",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _intake(qtbot, window, client_id: str) -> str:
    wizard = window.start_intake(client_id)
    with qtbot.waitSignal(wizard.ready, timeout=10000):
        pass
    wizard.item_page.search.setText(ITEM)
    wizard.next()
    for box in wizard.conditions_page.boxes:
        box.setChecked(True)
    wizard.next()
    docs = wizard.documents_page
    assert (
        docs.choices()["最低生活保障申请书"].status == "received"
    )  # printed here: never "missing"
    for name in ("申请人及家庭成员居民身份证", "居民户口簿", "家庭财产状况声明"):
        docs.set_status(name, "received")
    docs.set_status("家庭成员收入证明", "deferred", date.today() + timedelta(days=5))
    wizard.next()
    wizard.manual_page.fields.set_values(MANUAL)
    with qtbot.waitSignal(wizard.print_page.checked, timeout=10000) as checked:
        wizard.next()
    assert checked.args[0] == [], [m.path for m in checked.args[0]]
    with qtbot.waitSignal(wizard.case_created, timeout=20000) as created:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    panel = wizard.print_page.documents
    qtbot.waitUntil(lambda: panel.table.rowCount() >= 5, timeout=20000)
    wizard.close()
    return created.args[0]


def _step(qtbot, detail, dialogs, action: CaseAction, payload: dict) -> None:
    dialogs.next_payloads.append(payload)
    with qtbot.waitSignal(detail.acted, timeout=10000):
        detail.request(action)
    qtbot.waitUntil(
        lambda: (
            detail.detail is not None
            and any(e.action == action.value for e in detail.detail.events)
        ),
        timeout=10000,
    )


def _facts(detail) -> dict[str, str]:
    form = detail.facts
    out = {}
    for row in range(form.rowCount()):
        label = form.itemAt(row, form.ItemRole.LabelRole)
        field = form.itemAt(row, form.ItemRole.FieldRole)
        if label and field and isinstance(field.widget(), QLabel):
            out[label.widget().text()] = field.widget().text()
    return out


def test_a_whole_first_day_offline(qtbot, tmp_path, dialogs, monkeypatch) -> None:
    monkeypatch.setattr(app_module, "install_translators", lambda _app, _language: [])
    data = DataDir(tmp_path / "desk").ensure()
    dialogs.first_run_answer = _first_run_offline(qtbot)
    window = start_gui(QApplication.instance(), data, dialogs, lang="en")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.desk is not None and window.catalog is not None, timeout=20000)
    window._pdf = False
    assert list(window.pages)[0] == "today" and window.nav.currentRow() == 0  # 今日待办 first

    # the day's first backup may still be running: the import beside it waits for the audit chain
    dialogs.next_paths.append(_roster(tmp_path))
    window.import_roster()
    qtbot.waitUntil(
        lambda: any(kind == "info" and "新增 1 人" in text for kind, _t, text in dialogs.shown),
        timeout=20000,
    )
    assert any(
        kind == "confirm" and "洛门村" in text for kind, _t, text in dialogs.shown
    )  # offered, with the list
    with window.desk.db.session() as session:
        client = session.scalars(select(Client).where(Client.id_number == HEAD)).one()
        village = session.get(Village, client.village_id)
        assert (village.name, village.township_name) == ("洛门村", "洛门镇")
        client.bank_name, client.bank_account = (
            "武山农商银行",
            "6228480012345678901",
        )  # the profile completed
        session.get(Household, client.household_id).registration_type = "农业"
        session.commit()
        client_id = client.id

    case_id = _intake(qtbot, window, client_id)
    with window.desk.db.session() as session:
        case = session.get(Case, case_id)
        made = {
            g.template
            for g in session.scalars(
                select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
            )
        }
        agent_id = case.agent_id
        assert case.status == "accepted" and case.deferred
    assert {
        "notice",
        "proxy_authorisation",
        "application",
        "check_authorisation",
        "receipt",
    } <= made
    proxy = next(p for p in (window.data.documents / case.case_no).glob("*代办委托书*"))
    assert window.desk.cipher is not None  # the first-run password encrypts the desk
    proxy_text = docx_text(proxy, window.desk.cipher)
    assert "王建国" in proxy_text and "石桥村便民服务室" in proxy_text

    detail = window.open_case(case_id)
    qtbot.waitUntil(lambda: detail.detail is not None, timeout=10000)
    names = [d.name for d in detail.detail.documents]
    for name in (
        "病历、残疾人证等证明材料",
        "家庭成员收入证明",
    ):  # 补交 of an optional one, then the 容缺 one
        detail.documents.selectRow(names.index(name))
        with qtbot.waitSignal(detail.acted, timeout=10000):
            detail.receive_button.click()
        qtbot.waitUntil(
            lambda n=name: detail.detail.documents[names.index(n)].status == "received",
            timeout=10000,
        )
    assert not detail.detail.case.deferred  # 容缺 closed
    assert "action_approve" not in {
        b.objectName() for b in detail.findChildren(type(detail.receive_button))
    }

    _step(qtbot, detail, dialogs, CaseAction.SUBMIT, {})
    _step(
        qtbot,
        detail,
        dialogs,
        CaseAction.CONCLUDE,
        {"outcome": "approved", "certificate_no": "WS-DB-2026-0088"},
    )
    _step(
        qtbot,
        detail,
        dialogs,
        CaseAction.DELIVER,
        {"method": "post", "tracking_no": "9812345678901"},
    )
    with qtbot.waitSignal(detail.printed.generated, timeout=20000) as printed:
        detail.printed.generate(None)
    receipt = next(d for d in printed.args[0].documents if d.template == "delivery_receipt")
    receipt_text = docx_text(window.data.documents / receipt.path, window.desk.cipher)
    assert (
        "☑ 邮政寄递" in receipt_text
        and "9812345678901" in receipt_text
        and "WS-DB-2026-0088" in receipt_text
    )
    _step(
        qtbot,
        detail,
        dialogs,
        CaseAction.FOLLOW_UP,
        {"satisfaction": 5, "comment": "不用跑腿，很方便"},
    )
    _step(qtbot, detail, dialogs, CaseAction.ARCHIVE, {})

    facts = _facts(detail)
    assert facts["Handled by"] == "王建国"
    assert {detail.timeline.item(r, 2).text() for r in range(detail.timeline.rowCount())} == {
        "王建国"
    }
    assert facts["办理结果"].startswith("准予") and facts["证照编号"].startswith("WS-DB-2026-0088")
    assert facts["送达方式"].startswith("邮政寄递") and facts["邮件号"].startswith("9812345678901")
    assert facts["满意度"].startswith("5 分") and facts["回访意见"].startswith("不用跑腿，很方便")
    assert (
        "left" not in facts["Deadline"] and "overdue" not in facts["Deadline"]
    )  # archived: no days left
    assert facts["Entrusted on"] == f"{date.today():%Y-%m-%d}"

    with window.desk.db.session() as session:
        assert (
            AgentNames.load(session).of(agent_id, None) == "王建国"
        )  # by the case's own agent, not its village
        assert (
            count_review(session, ReviewFilter(statuses=("archived",), agent_id=agent_id))[1] == 1
        )
    window.close()
