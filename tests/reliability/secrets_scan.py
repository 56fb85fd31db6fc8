"""After a full session, look for secrets in plain text in every file under the data folder and logs.

The session includes a case's printed documents and a hand-over list, their print preview (through
LibreOffice when it is installed) and an "open in Word/WPS". A .docx is a zip, so names in it are
deflated, not visible in its bytes: the scan also reads inside every zip it finds, and reports any
file that is a readable document, PDF or image as it is.
"""

from __future__ import annotations

import io
import logging
import secrets
import zipfile
from pathlib import Path

import keyring

from agent_desk.fill import ConverterChain
from agent_desk.services.backup import make_backup
from agent_desk.services.desk import Desk, open_desk, setup_logging
from agent_desk.services.library import attach_document
from agent_desk.services.printing import prepare_print
from agent_desk.services.settings import save_settings
from agent_desk.services.vault import change_password, setup_password, unlock
from agent_desk.store.crypto import KdfParams
from agent_desk.store.datadir import DataDir
from agent_desk.store.sealed import open_folder, plain_copy, remove_folder
from tests.conftest import build_client
from tests.security.casefiles import AGENT_SETTINGS, NAME, accepted_case, make_documents

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


READABLE = {
    b"PK\x03\x04": "a readable .docx/.xlsx (zip)",
    b"%PDF": "a readable PDF",
    b"\x89PNG": "a readable PNG image",
    b"\xff\xd8\xff": "a readable JPEG image",
}


def scan(root: Path, values: dict[str, str | bytes]) -> list[str]:
    """Every (file, secret) pair where the secret appears in the file's bytes or inside it if it is a
    zip, and every file that any program could read as a document or image."""
    wanted = needles(values)
    leaks = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        content, name = path.read_bytes(), path.relative_to(root)
        leaks += [
            f"{name}: {what}" for magic, what in READABLE.items() if content.startswith(magic)
        ]
        for part, text in [("", content), *_zip_parts(content)]:
            leaks += [
                f"{name}{part}: {label}" for label, needle in wanted.items() if needle in text
            ]
    return leaks


def _zip_parts(content: bytes) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [(f" › {info.filename}", archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def full_session(folder: Path) -> tuple[DataDir, dict[str, str | bytes]]:
    """Password set, clients written, a scan attached, a case's documents and a hand-over list made,
    printed and opened, logs written, a backup, a password change."""
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
        attach_document(
            client.id,
            "id_card",
            "身份证",
            scan_file,
            session=session,
            attachments=data.attachments,
            cipher=desk.cipher,
        )
        session.commit()
        id_number, phone = client.id_number or "", client.phone or ""
    logging.getLogger("agent_desk.session").info("saved client %s phone %s", id_number, phone)
    printed = _print_and_open(desk)
    make_backup(desk)
    desk.close()
    change_password(data, PASSWORD, NEW_PASSWORD)
    unlock(data, NEW_PASSWORD)
    for handler in logging.getLogger().handlers:
        handler.flush()
    plain = {
        "password": PASSWORD,
        "new password": NEW_PASSWORD,
        "data key": key,
        "hub token": token,
        "ID number": id_number,
        "phone": phone,
        "client name": "欧阳秀英",
    } | printed
    return data, plain


def _print_and_open(desk: Desk) -> dict[str, str | bytes]:
    """What the agent does with a case's papers: make them, print preview each, open one in Word/WPS."""
    save_settings(desk.data.settings_file, AGENT_SETTINGS)
    case_id, id_number = accepted_case(desk)
    documents = make_documents(desk, case_id)
    viewer = open_folder()  # as the window's: outside the data folder, removed when it closes
    try:
        with ConverterChain() as converter:
            for path in documents:
                prepare_print(path, converter, cipher=desk.cipher, open_folder=viewer)
        plain_copy(documents[0], desk.cipher, viewer)
    finally:
        remove_folder(viewer)
    return {"printed client": NAME, "printed ID number": id_number}


# -- beyond the desk's folder: plain backups from before the password, crash reports, the hub --------
HUB_PASSWORD = "乡镇同步-Pa55word-3"
BLOB_KEY = "5a" * 32


def plain_backup_then_password(folder: Path) -> tuple[DataDir, dict[str, str | bytes]]:
    """A desk used without a password (a backup taken then), then given one: every older backup
    must be encrypted too."""
    data = DataDir(folder / "was-plain").ensure()
    desk = open_desk(data.root)
    with desk.db.session() as session:
        client = build_client(session, name="司马光明")
        session.commit()
        id_number = client.id_number or ""
    make_backup(desk)
    desk.close()
    setup_password(data, PASSWORD, params=KdfParams.light())
    return data, {"ID number (old backup)": id_number, "client name (old backup)": "司马光明"}


def crash_report_file(folder: Path, data: DataDir, plain: dict[str, str | bytes]) -> Path:
    """The report the crash dialog shows and copies, for an error carrying personal data."""
    from agent_desk.ui.crash_dialog import crash_report

    id_number, phone = str(plain["ID number"]), str(plain["phone"])
    try:
        raise RuntimeError(f"保存失败：身份证 {id_number} 电话 {phone}")
    except RuntimeError as exc:
        report = crash_report(exc, data.logs / "agent-desk.log")
    path = folder / "crash-report.txt"
    path.write_text(report, encoding="utf-8")
    return path


def hub_session(folder: Path) -> tuple[Path, dict[str, str | bytes]]:
    """A desk syncs a client and a scan of their ID card to a hub with its own data folder (SQLite,
    scans sealed with a blob key, access log); returns the hub's folder and what must not appear
    in it (the personal data only outside its database)."""
    from agent_desk.server import admin
    from agent_desk.server.app import Hub, create_app
    from agent_desk.server.config import load_settings
    from agent_desk.server.db import HubDB
    from agent_desk.server.ops_cli import blob_store
    from agent_desk.sync.engine import SyncEngine
    from tests.sync.conftest import ServerThread, add_client

    home = folder / "hub"
    settings = load_settings(None, {"home": home, "blob_key": BLOB_KEY})
    db = HubDB.open(settings.database_url())
    hub = Hub(db, blob_store(settings, db.engine))
    code = "620524100200"
    village = admin.create_village(
        db, code=code, name="洛门村", township_code=code[:9], township_name="洛门镇"
    )
    admin.create_user(db, username="agent1", password=HUB_PASSWORD, role="agent", villages=(code,))
    desk = open_desk(folder / "hub-desk")
    scan_file = folder / "hub-id.png"
    scan_file.write_bytes(b"\x89PNG\r\n\x1a\n" + "身份证 诸葛秀兰 13909381234".encode() * 50)
    try:
        with ServerThread(create_app(hub, settings=settings)) as server:
            engine = SyncEngine(desk.db, desk.data, sleep=lambda _s: None)
            engine.configure(f"http://127.0.0.1:{server.port}", "agent1")
            engine.login(HUB_PASSWORD)
            engine.sync_once()  # the villages
            client_id = add_client(desk, "诸葛秀兰", village, phone="13909381234")
            with desk.db.session() as session:
                attach_document(
                    client_id,
                    "id_card",
                    "身份证",
                    scan_file,
                    session=session,
                    attachments=desk.data.attachments,
                )
                session.commit()
            assert engine.sync_once().uploaded == 1
            token = engine.tokens().get() or ""
    finally:
        desk.close()
        db.close()
    return home, {
        "hub password": HUB_PASSWORD,
        "hub login token": token,
        "blob key": BLOB_KEY,
        "scanned name": "诸葛秀兰",
        "scanned phone": "13909381234",
    }


def scan_hub(home: Path, hub_secrets: dict[str, str | bytes]) -> list[str]:
    """The hub's database holds the synced records (its disk is encrypted by the operator, see
    docs/operator.md): it is searched for passwords, keys and tokens only; every other file there
    (sealed scans, logs, backups) for personal data too."""
    database = home / "hub.db"
    secret = {k: v for k, v in hub_secrets.items() if not k.startswith("scanned")}
    leaks = [
        f"hub.db: {label}"
        for label, needle in needles(secret).items()
        if needle in database.read_bytes()
    ]
    for path in sorted(
        p for p in home.rglob("*") if p.is_file() and not p.name.startswith("hub.db")
    ):
        content = path.read_bytes()
        leaks += [
            f"hub/{path.relative_to(home)}: {label}"
            for label, needle in needles(hub_secrets).items()
            if needle in content
        ]
        leaks += [
            f"hub/{path.relative_to(home)}: {what}"
            for magic, what in READABLE.items()
            if content.startswith(magic)
        ]
    return leaks


def full_scan(folder: Path) -> list[str]:
    """Everything `make soak` and the test check: the desk's folder after a full session, a desk
    whose plain backups predate its password, a crash report, and the hub's folder and logs."""
    data, plain = full_session(folder)
    hub_home, hub_secrets = hub_session(folder)
    report = crash_report_file(folder, data, plain)
    was_plain, old = plain_backup_then_password(folder)
    leaks = scan(data.root, plain)
    leaks += scan(was_plain.root, old)
    leaks += [
        f"crash report: {label}" for label, n in needles(plain).items() if n in report.read_bytes()
    ]
    return leaks + scan_hub(hub_home, hub_secrets)
