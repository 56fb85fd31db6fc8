"""Encryption at rest: the key file, SQLCipher, wrong passwords, password change, migration, attachments."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from agent_desk.services.desk import open_desk
from agent_desk.services.library import attach_document, document_bytes, document_file
from agent_desk.services.vault import (
    DeskLocked,
    change_password,
    remember_key,
    remembered_key,
    setup_password,
    unlock,
)
from agent_desk.store.crypto import KdfParams, WeakPassword, WrongPassword, is_sealed, read_key_file
from agent_desk.store.datadir import DataDir
from agent_desk.store.encrypt import is_plaintext
from agent_desk.store.models import Client
from tests.conftest import build_client
from tests.security.conftest import PASSWORD

JPEG = b"\xff\xd8\xff\xe0" + b"scan of an ID card " * 50


def test_key_file_holds_no_secret(locked_data: DataDir) -> None:
    key = unlock(locked_data, PASSWORD)
    text = locked_data.key_file.read_text(encoding="utf-8")
    assert key.hex() not in text and PASSWORD not in text
    assert key not in locked_data.key_file.read_bytes()
    assert read_key_file(locked_data.key_file).params == KdfParams.light()


def test_encrypted_file_shows_no_plaintext_and_needs_the_key(
    secure_desk, locked_data: DataDir
) -> None:
    with secure_desk.db.session() as session:
        client = build_client(session, name="欧阳秀英")
        id_number = client.id_number
        session.commit()
    secure_desk.close()
    raw = locked_data.database.read_bytes() + b"".join(
        p.read_bytes() for p in locked_data.root.glob("agent_desk.db-*")
    )
    assert not is_plaintext(locked_data.database)
    assert "欧阳秀英".encode() not in raw and id_number.encode() not in raw
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(locked_data.database).execute(
            "SELECT count(*) FROM sqlite_master"
        ).fetchall()
    with pytest.raises(DeskLocked):
        open_desk(locked_data.root)


def test_wrong_password_never_opens_or_harms(secure_desk, locked_data: DataDir) -> None:
    secure_desk.close()
    before = {p: p.read_bytes() for p in (locked_data.database, locked_data.key_file)}
    for attempt in ("", "wrong-password", PASSWORD + " ", PASSWORD.upper()):
        with pytest.raises(WrongPassword):
            unlock(locked_data, attempt)
    assert {p: p.read_bytes() for p in before} == before


def test_password_change_rewraps_without_reencrypting(secure_desk, locked_data: DataDir) -> None:
    secure_desk.close()
    db_bytes = locked_data.database.read_bytes()
    key = unlock(locked_data, PASSWORD)
    change_password(locked_data, PASSWORD, "新的密码-2026")
    assert locked_data.database.read_bytes() == db_bytes
    assert unlock(locked_data, "新的密码-2026") == key
    with pytest.raises(WrongPassword):
        unlock(locked_data, PASSWORD)
    with pytest.raises(WrongPassword):
        change_password(locked_data, "not-it-at-all", "whatever-123")


def test_weak_password_refused(data_home: Path) -> None:
    with pytest.raises(WeakPassword):
        setup_password(DataDir(data_home), "1234", params=KdfParams.light())
    assert not DataDir(data_home).key_file.exists()


def test_remember_on_this_pc_uses_the_keyring(locked_data: DataDir, memory_keyring) -> None:
    key = unlock(locked_data, PASSWORD)
    assert remembered_key(locked_data) is None
    remember_key(locked_data, key)
    assert remembered_key(locked_data) == key
    desk = open_desk(locked_data.root)  # no password asked
    desk.close()
    assert all(key.hex() != v for k, v in memory_keyring.passwords.items() if "token" in k[1])


def test_existing_plain_database_is_migrated_after_a_backup(data_home: Path) -> None:
    plain = open_desk(data_home)
    with plain.db.session() as session:
        names = {build_client(session, name=n).id: n for n in ("张三", "李四", "王五")}
        session.commit()
    plain.close()
    data = DataDir(data_home)
    assert is_plaintext(data.database)
    key = setup_password(data, PASSWORD, params=KdfParams.light())
    assert not is_plaintext(data.database)
    backups = list(data.backups.glob("*pre-encryption*.db"))
    assert backups and not is_plaintext(backups[0])
    desk = open_desk(data_home, key=key)
    with desk.db.session() as session:
        assert {c.id: c.name for c in session.exec(select(Client))} == names
    desk.close()


def test_interrupted_migration_resumes_at_unlock(data_home: Path) -> None:
    plain = open_desk(data_home)
    with plain.db.session() as session:
        build_client(session, name="赵六")
        session.commit()
    plain.close()
    data = DataDir(data_home)
    from agent_desk.store.crypto import new_data_key, wrap, write_key_file

    key = (
        new_data_key()
    )  # the key file is written first; the crash comes before the database is encrypted
    write_key_file(data.key_file, wrap(key, PASSWORD, desk_id="d1", params=KdfParams.light()))
    assert is_plaintext(data.database)
    assert unlock(data, PASSWORD) == key
    assert not is_plaintext(data.database)


def test_attachments_sealed_name_is_plaintext_sha(secure_desk, tmp_path: Path) -> None:
    import hashlib

    scan = tmp_path / "id.jpg"
    scan.write_bytes(JPEG)
    with secure_desk.db.session() as session:
        client = build_client(session)
        doc = attach_document(
            client.id,
            "id_card",
            "身份证",
            scan,
            session=session,
            attachments=secure_desk.data.attachments,
            cipher=secure_desk.cipher,
        )
        session.commit()
    stored = document_file(secure_desk.data.attachments, doc)
    assert doc.sha256 == hashlib.sha256(JPEG).hexdigest() and stored.name.startswith(doc.sha256)
    assert is_sealed(stored) and b"scan of an ID card" not in stored.read_bytes()
    assert document_bytes(secure_desk.data.attachments, doc, secure_desk.cipher) == JPEG


def test_existing_attachments_sealed_when_password_set(data_home: Path, tmp_path: Path) -> None:
    plain = open_desk(data_home)
    scan = tmp_path / "book.jpg"
    scan.write_bytes(JPEG)
    with plain.db.session() as session:
        doc = attach_document(
            build_client(session).id,
            "id_card",
            "户口簿",
            scan,
            session=session,
            attachments=plain.data.attachments,
        )
        session.commit()
    plain.close()
    path = document_file(DataDir(data_home).attachments, doc)
    assert not is_sealed(path)
    key = setup_password(DataDir(data_home), PASSWORD, params=KdfParams.light())
    assert is_sealed(path)
    desk = open_desk(data_home, key=key)
    assert document_bytes(desk.data.attachments, doc, desk.cipher) == JPEG
    desk.close()
