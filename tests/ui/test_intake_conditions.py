"""The intake's conditions: what the profile proves comes ticked with why; an unmet one leads to 不予受理."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from agent_desk.core.identity import make_resident_id
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.settings import AgentSettings, Settings
from agent_desk.store.models import Case, GeneratedDocument, Village
from agent_desk.sync.settings import SyncSettings

ITEM = "62052400MZ-JF-0003"  # 高龄津贴: 具有本县户籍, 年满80周岁
AGENT = {
    "name": "张红梅",
    "phone": "13893812345",
    "id_number": make_resident_id("620524", date(1985, 6, 15), 224),
    "village": "洛门村",
    "service_room": "洛门村便民服务室",
}


def _client(window, born: date, seq: int) -> str:
    with window.desk.db.session() as session:
        village = session.scalars(select(Village).where(Village.code.like("620524%"))).first()
        client = create_client(
            ClientInput(
                "曾桂兰", make_resident_id("620524", born, seq), extra={"village_id": village.id}
            ),
            session=session,
        )
        session.commit()
        return client.id


def _conditions(qtbot, window, client_id: str):
    window.settings = Settings(sync=SyncSettings(username="zhm"), agent=AgentSettings(**AGENT))
    if window.catalog is None:
        with qtbot.waitSignal(window.catalog_ready, timeout=10000):
            pass
    wizard = window.start_intake(client_id)
    with qtbot.waitSignal(wizard.ready, timeout=5000):
        pass
    wizard.item_page.search.setText(ITEM)
    wizard.next()
    return wizard


def test_conditions_the_profile_proves_come_ticked_with_why(qtbot, window) -> None:
    wizard = _conditions(qtbot, window, _client(window, date(date.today().year - 81, 1, 2), 402))
    page = wizard.conditions_page
    assert [b.isChecked() for b in page.boxes] == [
        True,
        True,
    ]  # 本县户籍 from the village, 80+ from the ID
    assert "81" in page.notes[1].text() and "武山县" in page.notes[0].text()
    assert page.isComplete() and not page.refuse_button.isVisible()
    wizard.close()


def test_an_unmet_condition_leads_to_not_accepted_with_its_notice(qtbot, window) -> None:
    wizard = _conditions(qtbot, window, _client(window, date(date.today().year - 65, 1, 2), 404))
    page = wizard.conditions_page
    assert not page.boxes[1].isChecked() and "未满 80 周岁" in page.notes[1].text()
    assert not page.isComplete() and page.refuse_button.isVisible()
    with qtbot.waitSignal(wizard.refused, timeout=10000) as refused:
        page.refuse_button.click()
    with window.desk.db.session() as session:
        case = session.get(Case, refused.args[0])
        notice = session.scalars(
            select(GeneratedDocument).where(GeneratedDocument.case_id == case.id)
        ).all()
    assert case.status == "not_accepted"
    assert [n.template for n in notice] == ["refusal_notice"]
    from tests.ui.test_agent_workspace import docx_text

    text = docx_text(window.data.documents / notice[0].path)
    assert "不予受理" in text and "未满 80 周岁" in text
    qtbot.waitUntil(lambda: refused.args[0] in window.case_views, timeout=5000)
