"""No window opens unless the agent asked: a sync that needs a login shows a 登录 banner instead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.intake_steps import to_print_page


def test_a_sync_without_a_login_shows_a_banner_not_a_password_dialog(
    qtbot, window, dialogs
) -> None:
    page = window.pages["sync"]
    page.engine.configure("http://127.0.0.1:9", "wang")  # configured, but no token stored
    for _attempt in range(2):  # the start-up sync and a retry
        page.sync_now()
        qtbot.waitUntil(lambda: not page.running, timeout=10000)
    assert page.failures == 2
    assert not [s for s in dialogs.shown if s[0] in ("hub_password", "password", "hub")]
    bar = window.sync_bar
    assert bar.banner.isVisible() and bar.login_button.isVisible()
    qtbot.mouseClick(bar.login_button, Qt.MouseButton.LeftButton)  # the agent asks: now the dialog
    assert dialogs.shown[-1][0] == "hub_password"
    assert QApplication.activeModalWidget() is None


def test_the_status_bar_always_shows_what_waits_and_the_conflicts(qtbot, window) -> None:
    page = window.pages["sync"]
    with qtbot.waitSignal(page.status_shown, timeout=5000):
        page.refresh()
    summary = window.sync_bar.summary
    assert summary.isVisible() and "waiting" in summary.text()
    page.engine.configure("http://127.0.0.1:9", "wang")
    page.refresh()  # an earlier refresh may still be on its way: wait for the one after configure
    qtbot.waitUntil(lambda: "conflicts" in summary.text(), timeout=5000)
    assert "last sync never" in summary.text()


def test_enter_on_the_missing_fields_list_fixes_and_never_creates_the_case(
    qtbot, window, dialogs
) -> None:
    from sqlalchemy import func, select

    from agent_desk.store.models import Case, Client

    window._pdf = False
    if window.catalog is None:
        with qtbot.waitSignal(window.catalog_ready, timeout=10000):
            pass
    with window.desk.db.session() as session:
        client_id = session.scalars(select(Client.id).where(Client.bank_name.is_(None))).first()
        cases = session.scalar(select(func.count()).select_from(Case))
    wizard, missing = to_print_page(qtbot, window, client_id, "62052400MZ-JF-0001")
    assert missing
    page = wizard.print_page
    page.missing.setFocus()
    page.missing.setCurrentRow(0)
    qtbot.keyClick(page.missing, Qt.Key.Key_Return)
    window.ops.wait()
    qtbot.wait(50)
    assert wizard.case_id is None and not page.busy
    with window.desk.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == cases
    assert [
        s for s in dialogs.shown if s[0] == "settings"
    ] or wizard.currentPage() is wizard.manual_page
