"""After a full session, look for secrets in plain text in every file under the data folder and logs."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import keyring

from agent_desk.services.backup import make_backup
from agent_desk.services.desk import open_desk, setup_logging
from agent_desk.services.library import attach_document
from agent_desk.services.vault import change_password, setup_password, unlock
from agent_desk.store.crypto import KdfParams
from agent_desk.store.datadir import DataDir
from tests.conftest import build_client

PASSWORD, NEW_PASSWORD = "泄露检查-Pa55word", "second-Pa55word-二"


def needles(values: dict[str, str | bytes]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for label, value in values.items():
        if isinstance(value, bytes):
            found[f"{label} (raw)"] = value
            found[f"{label} (hex)"] = value.hex().encode()
            found[f"{label} (HEX)"] = value.hex().upper().encode()
        else:
            found[f"{label} (utf-8)"] = value.encode()
            found[f"{label} (utf-16)"] = value.encode("utf-16-le")
    return found


def scan(root: Path, values: dict[str, str | bytes]) -> list[str]:
    """Every (file, secret) pair where the secret appears in the file's bytes."""
    wanted = needles(values)
    leaks = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        content = path.read_bytes()
        leaks += [f"{path.relative_to(root)}: {label}" for label, needle in wanted.items() if needle in content]
    return leaks


def full_session(folder: Path) -> tuple[DataDir, dict[str, str | bytes]]:
    """Password set, clients written, a scan attached, logs written, a backup, a password change."""
    data = DataDir(folder / "desk").ensure()
    key = setup_password(data, PASSWORD, params=KdfParams.light())
    token = secrets.token_urlsafe(32)
    keyring.set_password("AgentDesk", "hub-token:agent1", token)  # as the sync login keeps it
    desk = open_desk(data.root, key=key, actor="代办员")
    setup_logging(data)
    scan_file = folder / "id.jpg"
    scan_file.write_bytes(b"\xff\xd8\xff\xe0" + "身份证扫描 欧阳秀英".encode() * 100)
    with desk.db.session() as session:
        client = build_client(session, name="欧阳秀英")
        attach_document(client.id, "id_card", "身份证", scan_file, session=session, attachments=data.attachments,
                        cipher=desk.cipher)  # fmt: skip
        session.commit()
        id_number, phone = client.id_number or "", client.phone or ""
    logging.getLogger("agent_desk.session").info("saved client %s phone %s", id_number, phone)
    make_backup(desk)
    desk.close()
    change_password(data, PASSWORD, NEW_PASSWORD)
    unlock(data, NEW_PASSWORD)
    for handler in logging.getLogger().handlers:
        handler.flush()
    plain = {"password": PASSWORD, "new password": NEW_PASSWORD, "data key": key, "hub token": token,
             "ID number": id_number, "phone": phone, "client name": "欧阳秀英"}  # fmt: skip
    return data, plain
