"""Two writers at once never fork the audit chain: the day's background backup recording itself
while a long roster import is still open waits for it, then links to the import's last entry."""

from __future__ import annotations

import threading
import time

from agent_desk.store import audit
from agent_desk.store.models import Client


def test_a_writer_waits_for_the_open_transaction_and_links_to_its_entries(desk) -> None:
    errors: list[BaseException] = []

    def backup_records_itself() -> None:
        try:
            with desk.db.session() as session:
                audit.append(session, "backup", detail={"file": "x"})
                session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)

    with desk.db.session() as importing:
        importing.add(Client(name="导入中"))
        importing.flush()  # the import's first entry: the chain's tip is taken
        other = threading.Thread(target=backup_records_itself)
        other.start()
        time.sleep(0.5)  # the backup is under way meanwhile (it must wait, not race)
        importing.commit()
    other.join(timeout=30)
    assert errors == []
    with desk.db.engine.connect() as conn:
        checked, broken = audit.verify(conn)
    assert broken is None and checked >= 2
