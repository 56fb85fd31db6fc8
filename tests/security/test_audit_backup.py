"""The audit trail (every change and full view, hash-chained, append-only), log masking, backups and restore."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import select

from agent_desk.cli import main
from agent_desk.services.backup import RestoreRefused, daily_backup, make_backup, restore, rotate
from agent_desk.services.clients import ClientInput, update_client
from agent_desk.services.desk import open_desk, setup_logging
from agent_desk.store.audit import record_view, verify
from agent_desk.store.models import AuditEntry, Client
from tests.conftest import build_client


def _entries(desk) -> list[AuditEntry]:
    with desk.db.session() as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.seq)))


def test_every_change_and_full_view_is_chained(desk) -> None:
    with desk.db.session() as session:
        client = build_client(session, name="李秀兰")
        session.commit()
        update_client(
            client,
            ClientInput(name="李秀兰", id_number=client.id_number, phone="13800001111"),
            session=session,
            actor="t",
        )
        record_view(session, "client", client.id, "id_number", actor="王代办", reason="打印委托书")
        session.commit()
    entries = _entries(desk)
    rows = [
        (e.action, r["table"], r["op"], tuple(r.get("fields", ())))
        for e in entries
        for r in e.detail.get("rows", [])
    ]
    assert ("change", "client", "insert", ()) in rows
    assert any(
        op == "update" and "phone" in fields for _a, table, op, fields in rows if table == "client"
    )
    view = next(e for e in entries if e.action == "view_full")
    assert view.action == "view_full" and view.actor == "王代办" and view.entity_id == client.id
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    with desk.db.engine.connect() as conn:
        assert verify(conn) == (len(entries), None)


def test_rolled_back_change_leaves_no_entry(desk) -> None:
    with desk.db.session() as session:
        build_client(session)
        session.rollback()
    assert _entries(desk) == []


def test_trail_is_append_only_and_tampering_is_named(desk, capsys) -> None:
    with desk.db.session() as session:
        for n in range(4):
            build_client(session, name="张" + "一二三四"[n])
            session.commit()
    with desk.db.engine.begin() as conn, pytest.raises(DatabaseError):
        conn.execute(text("UPDATE audit_entry SET actor='x' WHERE seq=2"))
    with desk.db.engine.begin() as conn, pytest.raises(DatabaseError):
        conn.execute(text("DELETE FROM audit_entry WHERE seq=2"))
    assert main(["audit", "verify"]) == 0
    with desk.db.engine.begin() as conn:  # an attacker with the key drops the trigger and edits
        conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        conn.execute(text("UPDATE audit_entry SET actor='someone else' WHERE seq=3"))
    assert main(["audit", "verify"]) == 1
    assert "第 3 条" in capsys.readouterr().out


def test_log_masks_personal_numbers(desk) -> None:
    path = setup_logging(desk.data)
    logging.getLogger("agent_desk.test").warning(
        "client %s phone %s", "62052419600101123X", "13912345678"
    )
    try:
        raise ValueError("bad id 620524196001011234")
    except ValueError:
        logging.getLogger("agent_desk.test").exception("failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = path.read_text(encoding="utf-8")
    assert "62052419600101123X" not in logged and "13912345678" not in logged
    assert "620524196001011234" not in logged and "620524********123X" in logged


def test_daily_backup_rotates(desk) -> None:
    """``keep`` daily copies beside the weekly one (settings.backup_keep)."""
    start = datetime(2026, 11, 1, 9)
    for day in range(10):
        assert daily_backup(desk, keep=3, now=start + timedelta(days=day)) is not None
        assert daily_backup(desk, keep=3, now=start + timedelta(days=day, hours=1)) is None
    assert len(list(desk.data.backups.glob("*-daily-*.db"))) == 3
    assert len(list(desk.data.backups.glob("*-weekly-*.db"))) == 1
    assert (
        rotate(desk.data.backups, "daily", 1)
        and len(list(desk.data.backups.glob("*-daily-*.db"))) == 1
    )


def test_restore_brings_back_the_data_and_keeps_the_current_aside(desk) -> None:
    with desk.db.session() as session:
        kept = build_client(session, name="备份前").id
        session.commit()
    backup = make_backup(desk)
    with desk.db.session() as session:
        build_client(session, name="备份后")
        session.commit()
    desk.close()
    result = restore(desk.data, backup, None)
    assert result.kept_aside is not None and result.kept_aside.exists()
    again = open_desk(desk.data.root)
    with again.db.session() as session:
        assert [c.id for c in session.exec(select(Client))] == [kept]
    with again.db.engine.connect() as conn:
        assert verify(conn)[1] is None
    again.close()


def test_restore_refuses_newer_schema_and_garbage(desk, tmp_path: Path) -> None:
    backup = make_backup(desk)
    con = sqlite3.connect(backup)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    desk.close()
    before = desk.data.database.read_bytes()
    with pytest.raises(RestoreRefused, match="更新版本"):
        restore(desk.data, backup, None)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RestoreRefused):
        restore(desk.data, junk, None)
    assert desk.data.database.read_bytes() == before


def test_encrypted_backup_restores_with_the_key(secure_desk) -> None:
    from agent_desk.services.vault import unlock
    from agent_desk.store.encrypt import is_plaintext
    from tests.security.conftest import PASSWORD

    with secure_desk.db.session() as session:
        kept = build_client(session, name="加密备份").id
        session.commit()
    backup = make_backup(secure_desk)
    assert not is_plaintext(backup)
    secure_desk.close()
    key = unlock(secure_desk.data, PASSWORD)
    restore(secure_desk.data, backup, key)
    again = open_desk(secure_desk.data.root, key=key)
    with again.db.session() as session:
        assert session.get(Client, kept) is not None
    again.close()
