"""Nothing typed is lost: closing with unsaved edits asks 保存 / 不保存 / 取消, and a cleared field clears."""

from __future__ import annotations

from sqlalchemy import select

from agent_desk.services.clients import ClientInput, update_client
from agent_desk.store.models import Client


def _client_with_address(window) -> str:
    with window.desk.db.session() as session:
        return session.scalars(select(Client.id).where(Client.address.is_not(None))).first()


def _open(qtbot, window, client_id: str):
    view = window.open_client(client_id)
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    return view


def _address(window, client_id: str) -> str | None:
    with window.desk.db.session() as session:
        return session.get(Client, client_id).address


def test_closing_a_profile_with_edits_asks_and_cancel_keeps_it_open(qtbot, window, dialogs) -> None:
    client_id = _client_with_address(window)
    view = _open(qtbot, window, client_id)
    view.close()  # nothing typed: closes without a question
    assert not view.isVisible() and not [s for s in dialogs.shown if s[0] == "ask_save"]
    view = _open(qtbot, window, client_id)
    view.edits["note"].setText("下午再来补材料")
    dialogs.save_answer = "cancel"
    view.close()
    assert view.isVisible() and dialogs.shown[-1][0] == "ask_save"
    dialogs.save_answer = "save"
    view.close()
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=5000)
    with window.desk.db.session() as session:
        assert session.get(Client, client_id).note == "下午再来补材料"


def test_quitting_with_an_edited_profile_asks_and_can_save(qtbot, window, dialogs) -> None:
    client_id = _client_with_address(window)
    view = _open(qtbot, window, client_id)
    view.edits["note"].setText("电话打不通")
    dialogs.save_answer = "cancel"
    window.close()
    assert window.isVisible() and view.isVisible()
    dialogs.save_answer = "save"
    window.close()
    assert not window.isVisible()
    from agent_desk.services.desk import open_desk

    desk = open_desk(window.data.root)
    try:
        with desk.db.session() as session:
            assert session.get(Client, client_id).note == "电话打不通"
    finally:
        desk.close()


def test_clearing_an_address_in_the_profile_clears_it(qtbot, window) -> None:
    client_id = _client_with_address(window)
    view = _open(qtbot, window, client_id)
    view.edits["address"].setText("")
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.save()
    assert _address(window, client_id) is None
    assert not view.is_dirty()


def test_an_explicit_clear_empties_the_phone_but_a_blank_roster_cell_does_not(window) -> None:
    with window.desk.db.session() as session:
        client = session.scalars(select(Client).where(Client.phone.is_not(None))).first()
        blank = ClientInput(name=client.name, id_number=client.id_number, phone=None)
        assert update_client(client, blank, session=session) == {}
        cleared = ClientInput(
            name=client.name, id_number=client.id_number, phone=None, clear=frozenset({"phone"})
        )
        changes = update_client(client, cleared, session=session)
        session.commit()
        assert changes["phone"][1] is None and client.phone is None
