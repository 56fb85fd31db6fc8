"""Scans are reached through records, never by hash: the hub records who uploaded each scan, tells the
state of a scan only to its uploaders and readers, lets a client document name only a scan its pusher
uploaded or can read, and serves a scan only through a live client document in the reader's scope."""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from agent_desk.server.attachments import may_reference
from agent_desk.server.auth import authenticate
from agent_desk.services.desk import Desk
from agent_desk.services.library import attach_document, remove_document
from agent_desk.store.models import ClientDocument
from agent_desk.sync.attachments import upload_file
from agent_desk.sync.engine import SyncEngine
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.transport import HubClient
from tests.sync.conftest import (
    PASSWORD,
    TOWNSHIP,
    V1,
    V2,
    V3,
    HubFixture,
    add_client,
    edit_client,
    make_desk,
)

BIG = 6 * 1024 * 1024  # a scan of several 1 MB chunks, so sampling it costs less than sending it


def pdf(size: int) -> bytes:
    return b"%PDF-1.7\n" + os.urandom(size - 9)


def hub_client(hub: HubFixture, username: str) -> HubClient:
    client = HubClient(hub.url)
    client.set_token(client.login(username, PASSWORD, None, "pc").token)
    return client


def may_name(hub: HubFixture, client: HubClient, sha: str) -> bool:
    """The push path's check, for the user behind ``client``'s token."""
    with hub.hub.db.reading() as conn:
        return may_reference(conn, authenticate(conn, client.token), sha)


def attached_scan(
    hub: HubFixture, tmp_path: Path, data: bytes
) -> tuple[Desk, SyncEngine, str, str]:
    """wang's desk (village V1) with a client whose ID card scan is ``data``, synced: (desk, sync, client, sha)."""
    hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "wang", hub, "wang")
    sync.sync_once()
    scan = tmp_path / "身份证.pdf"
    scan.write_bytes(data)
    client_id = add_client(desk, "吴敏", hub.villages[V1])
    with desk.db.session() as session:
        sha = attach_document(
            client_id, "id_card", "身份证", scan, session=session, attachments=desk.data.attachments
        ).sha256
        session.commit()
    sync.sync_once()
    assert hub.hub.blobs.exists(sha)
    return desk, sync, client_id, sha


def never_seen(client: HubClient) -> dict[str, Any]:
    """The status of a scan nobody ever uploaded, without its name."""
    return client.upload_status(hashlib.sha256(os.urandom(16)).hexdigest()).model_dump(
        exclude={"sha256"}
    )


def test_status_tells_an_outsider_nothing_of_a_scan_nor_of_an_upload(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    _desk, _sync, _client, sha = attached_scan(live_hub, tmp_path, pdf(30_000))
    live_hub.add_user("zhou", villages=(V3,))  # another township
    live_hub.add_user("limh", role="reviewer", township=TOWNSHIP)
    zhou, wang = hub_client(live_hub, "zhou"), hub_client(live_hub, "wang")
    assert zhou.upload_status(sha).model_dump(exclude={"sha256"}) == never_seen(zhou)
    assert (
        wang.upload_status(sha).complete
        and hub_client(live_hub, "limh").upload_status(sha).complete
    )
    half = pdf(200_000)
    half_sha = hashlib.sha256(half).hexdigest()
    wang.upload_chunk(half_sha, 0, len(half), half[:100_000])  # wang's upload, interrupted
    assert wang.upload_status(half_sha).offset == 100_000
    assert zhou.upload_status(half_sha).model_dump(exclude={"sha256"}) == never_seen(zhou)


def test_a_second_uploader_proves_the_scan_without_sending_it_all(
    live_hub: HubFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = pdf(BIG)
    _desk, _sync, _client, sha = attached_scan(live_hub, tmp_path, data)
    live_hub.add_user("li", villages=(V2,))  # same content scanned again in the next village
    li = hub_client(live_hub, "li")
    assert not li.upload_status(sha).complete and not may_name(live_hub, li, sha)
    sent: list[int] = []
    real = li.upload_chunk

    def counted(sha: str, offset: int, total: int, piece: bytes) -> Any:
        sent.append(len(piece))
        return real(sha, offset, total, piece)

    monkeypatch.setattr(li, "upload_chunk", counted)
    upload_file(li, data, sha)
    assert li.upload_status(sha).complete and may_name(live_hub, li, sha)
    assert len(sent) == 4 and sum(sent) <= 4 * 1024 * 1024 < len(
        data
    )  # the first chunk and three samples
    stored = [p.name for p in (tmp_path / "hub-blobs" / "objects").rglob("*") if p.is_file()]
    assert stored == [sha] and not list(
        (tmp_path / "hub-blobs" / "partial").iterdir()
    )  # still stored once


def test_a_sha256_or_a_first_chunk_alone_makes_nobody_an_uploader(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    data = pdf(BIG)
    _desk, _sync, _client, sha = attached_scan(live_hub, tmp_path, data)
    live_hub.add_user("zhou", villages=(V3,))
    zhou = hub_client(live_hub, "zhou")
    fake = data[:1024] + os.urandom(BIG - 1024)  # knows the sha256 and the header, not the scan
    with pytest.raises(HubRejected) as guessed:
        upload_file(zhou, fake, sha)
    assert guessed.value.code == "checksum" and not may_name(live_hub, zhou, sha)
    leaked = data[: 1024 * 1024] + os.urandom(BIG - 1024 * 1024)  # holds the first chunk only
    with pytest.raises(HubRejected) as sampled:
        upload_file(zhou, leaked, sha)
    assert sampled.value.code == "checksum" and not may_name(live_hub, zhou, sha)
    assert (
        zhou.upload_chunk(sha, 0, BIG, data[: 1024 * 1024]).offset == 1024 * 1024
    )  # no more shortcut: in order
    with pytest.raises(HubRejected):
        upload_file(zhou, leaked, sha)  # resumes at 1 MB: the rest is wrong
    assert not may_name(live_hub, zhou, sha)
    upload_file(zhou, data, sha)  # the whole scan: now zhou shows he has it
    assert may_name(live_hub, zhou, sha) and zhou.upload_status(sha).complete


def test_a_scan_may_be_named_by_its_uploaders_and_readers_only(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync, _client, sha = attached_scan(live_hub, tmp_path, pdf(40_000))
    live_hub.add_user("wu", villages=(V1,))  # wang's colleague in the same village
    live_hub.add_user("li", villages=(V2,))
    live_hub.add_user("limh", role="reviewer", township=TOWNSHIP)
    live_hub.add_user("boss", role="admin")
    names = {
        user: may_name(live_hub, hub_client(live_hub, user), sha)
        for user in ("wang", "wu", "li", "limh", "boss")
    }
    assert names == {"wang": True, "wu": True, "li": False, "limh": True, "boss": True}
    with desk.db.session() as session:
        remove_document(session.scalars(select(ClientDocument)).one(), session=session)
        session.commit()
    sync.sync_once()
    assert may_name(live_hub, hub_client(live_hub, "wang"), sha)  # still its uploader
    assert not may_name(
        live_hub, hub_client(live_hub, "wu"), sha
    )  # no live document names it any more


def test_a_scan_is_not_served_through_a_deleted_or_moved_document(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    desk, sync, client_id, sha = attached_scan(live_hub, tmp_path, pdf(40_000))
    live_hub.add_user("wu", villages=(V1,))
    live_hub.add_user("li", villages=(V2,))
    live_hub.add_user("wang2", villages=(V1, V2))  # serves both villages, so can move the client
    wu, li = hub_client(live_hub, "wu"), hub_client(live_hub, "li")
    assert wu.download(sha).startswith(b"%PDF")
    with pytest.raises(HubRejected):
        li.download(sha)
    mover, mover_sync = make_desk(tmp_path, "wang2", live_hub, "wang2")
    mover_sync.sync_once()
    edit_client(
        mover, client_id, village_id=live_hub.villages[V2]
    )  # the family moved to the next village
    mover_sync.sync_once()
    with pytest.raises(HubRejected) as gone:
        wu.download(sha)
    assert gone.value.status == 404 and not wu.upload_status(sha).complete
    assert li.download(sha).startswith(b"%PDF") and li.upload_status(sha).complete
    with mover.db.session() as session:
        remove_document(session.scalars(select(ClientDocument)).one(), session=session)
        session.commit()
    mover_sync.sync_once()
    with pytest.raises(HubRejected) as deleted:
        li.download(sha)
    assert deleted.value.status == 404


def test_a_document_naming_another_townships_scan_is_refused(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    _desk, _sync, _client, sha = attached_scan(live_hub, tmp_path, pdf(40_000))
    live_hub.add_user("zhou", villages=(V3,))
    desk, sync = make_desk(tmp_path, "zhou", live_hub, "zhou")
    sync.sync_once()
    own_client = add_client(desk, "赵六", live_hub.villages[V3])
    sync.sync_once()
    zhou = HubClient(live_hub.url, token=sync.tokens().get())
    fields = {
        "client_id": own_client,
        "doc_kind": "id_card",
        "title": "身份证",
        "sha256": sha,
        "filename": f"{sha}.pdf",
        "mime": "application/pdf",
        "size": 40_000,
        "added_at": datetime.now(timezone.utc).isoformat(),
    }
    op = {
        "op_id": uuid.uuid4().hex,
        "entity": "client_document",
        "entity_id": uuid.uuid4().hex,
        "op": "upsert",
        "fields": fields,
        "base_version": 0,
    }
    result = zhou.push([op]).results[0]
    assert result.status == "refused" and "扫描件" in (result.reason or "")
    with pytest.raises(HubRejected):
        zhou.download(sha)
