"""The crash report goes into chats with the township: no ID, phone, card number or SQL values in it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from agent_desk.core.identity import make_resident_id
from agent_desk.store.db import make_engine
from agent_desk.ui.crash_dialog import CrashDialog

ID_NUMBER = make_resident_id("620524", date(1958, 3, 12), 17)
PHONE = "13909381234"
CARD = "6228480402564890018"
NAME = "王建国"


def _crash_with_personal_data() -> BaseException:
    client = {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "bank_account": CARD}
    try:
        raise ValueError(f"cannot save {client}: {ID_NUMBER} / {PHONE} / {CARD}")
    except ValueError as exc:
        return exc


def _database_crash(tmp_path: Path) -> BaseException:
    """What SQLAlchemy raises with the statement's values: a duplicate client."""
    engine = make_engine(tmp_path / "crash.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE c (name TEXT, id_number TEXT UNIQUE)"))
        conn.execute(text("INSERT INTO c VALUES (:n, :i)"), {"n": NAME, "i": ID_NUMBER})
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO c VALUES (:n, :i)"), {"n": NAME, "i": ID_NUMBER})
    except sa_exc.IntegrityError as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("no error")


@pytest.mark.parametrize("make", ["message", "database"])
def test_the_crash_report_and_dialog_hold_no_personal_numbers(qtbot, tmp_path, make) -> None:
    log = tmp_path / "logs" / "agent_desk.log"
    log.parent.mkdir()
    log.write_text(f"ERROR something with {ID_NUMBER} and {PHONE}\n", encoding="utf-8")
    exc = _crash_with_personal_data() if make == "message" else _database_crash(tmp_path)
    dialog = CrashDialog(exc, log)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    shown = dialog.summary.text() + dialog.details.toPlainText() + QApplication.clipboard().text()
    assert type(exc).__name__ in shown and "Traceback" in shown  # still useful to the township
    for secret in (ID_NUMBER, ID_NUMBER[6:14], PHONE, CARD):
        assert secret not in shown
    if make == "database":
        assert NAME not in shown  # the statement's values are not in the error at all
    else:
        assert ID_NUMBER[:6] + "********" + ID_NUMBER[-4:] in shown  # masked, not dropped
