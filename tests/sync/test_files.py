"""Attachments (resumable, content-addressed, typed, size-limited), publications, and a no-op sync's cost."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from agent_desk.server import publications
from agent_desk.server.attachments import MAX_SIZE
from agent_desk.store.models import ClientDocument
from agent_desk.sync.attachments import blob_path, store_scan, upload_file
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.publications import published_dir
from agent_desk.sync.transport import HubClient
from tests.sync.conftest import V1, HubFixture, add_client, make_desk

PDF = b"%PDF-1.7\n" + os.urandom(300_000)


def test_upload_resumes_after_interruption_and_is_stored_once(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    client = HubClient(live_hub.url, token=sync.tokens().get())
    sha = store_scan(desk.data.attachments, PDF)
    client.upload_chunk(sha, 0, len(PDF), PDF[:100_000])  # then the connection "dies"
    assert client.upload_status(sha).offset == 100_000
    with pytest.raises(HubRejected) as stale:
        client.upload_chunk(sha, 50_000, len(PDF), PDF[50_000:60_000])
    assert stale.value.offset == 100_000  # the hub says where to resume
    upload_file(client, blob_path(desk.data.attachments, sha).read_bytes(), sha, chunk=64_000)
    status = client.upload_status(sha)
    assert status.complete and status.size == len(PDF)
    with live_hub.hub.blobs.open(
        sha
    ) as fh:  # (no client document holds it, so no desk may download it)
        assert fh.read() == PDF
    upload_file(
        client, blob_path(desk.data.attachments, sha).read_bytes(), sha
    )  # stored once: nothing resent
    assert len(list((tmp_path / "hub-blobs" / "objects").rglob("*"))) == 2  # one folder, one file


def test_upload_refuses_wrong_type_size_and_checksum(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    client = HubClient(live_hub.url, token=sync.tokens().get())
    exe = b"MZ\x90\x00" + b"\x00" * 100
    with pytest.raises(HubRejected) as bad_type:
        client.upload_chunk(hashlib.sha256(exe).hexdigest(), 0, len(exe), exe)
    assert bad_type.value.status == 415 and "JPEG" in str(bad_type.value)
    with pytest.raises(HubRejected) as too_big:
        client.upload_chunk("a" * 64, 0, MAX_SIZE + 1, PDF[:10])
    assert too_big.value.status == 413
    with pytest.raises(HubRejected) as mismatch:
        client.upload_chunk("b" * 64, 0, 20, PDF[:20])
    assert mismatch.value.status == 400 and client.upload_status("b" * 64).offset == 0


def test_sync_uploads_scans_of_client_documents(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    sync.sync_once()
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(5000)
    sha = store_scan(desk.data.attachments, png)
    client_id = add_client(desk, "吴敏", live_hub.villages[V1])
    with desk.db.session() as session:
        from agent_desk.store.outbox import record_change

        doc = ClientDocument(
            client_id=client_id,
            doc_kind="id_card",
            title="身份证",
            sha256=sha,
            filename="id.png",
            mime="image/png",
            size=len(png),
        )
        session.add(doc)
        session.flush()
        record_change(session, doc)
        session.commit()
    assert sync.sync_once().uploaded == 1
    assert live_hub.hub.blobs.exists(sha)
    assert sync.sync_once().uploaded == 0


def test_publications_reach_the_desk_with_a_version(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    catalog = tmp_path / "catalog"
    (catalog / "forms").mkdir(parents=True)
    (catalog / "forms" / "dibao.yaml").write_text("code: 62052400MZ-JF-0001\n", encoding="utf-8")
    first = publications.publish(live_hub.hub.db, live_hub.hub.blobs, "catalog", catalog)
    assert (
        publications.publish(live_hub.hub.db, live_hub.hub.blobs, "catalog", catalog).version
        == first.version
    )
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    assert sync.sync_once().publications == ["catalog"]
    unpacked = published_dir(desk.data.root, "catalog", 1) / "forms" / "dibao.yaml"
    assert unpacked.read_text(encoding="utf-8").startswith("code:")
    (catalog / "forms" / "dibao.yaml").write_text("code: changed\n", encoding="utf-8")
    assert (
        publications.publish(live_hub.hub.db, live_hub.hub.blobs, "catalog", catalog).version == 2
    )
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text("2026-10-10: workday\n", encoding="utf-8")
    publications.publish(live_hub.hub.db, live_hub.hub.blobs, "calendar", calendar)
    assert sorted(sync.sync_once().publications) == ["calendar", "catalog"]
    assert (published_dir(desk.data.root, "calendar", 1) / "calendar.yaml").exists()
    assert sync.sync_once().publications == []


def test_a_sync_with_nothing_to_do_is_small(live_hub: HubFixture, tmp_path: Path) -> None:
    live_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", live_hub, "wang")
    sync.sync_once()
    report = sync.sync_once()
    assert report.pushed == report.pulled == 0
    assert report.bytes_sent + report.bytes_received <= 2048
    assert report.seconds < 0.5


def test_scans_attached_on_one_desk_reach_the_other(live_hub: HubFixture, tmp_path: Path) -> None:
    from agent_desk.services.library import attach_document, document_bytes

    live_hub.add_user("wang")
    live_hub.add_user("li", role="reviewer", township=V1[:9])
    agent, agent_sync = make_desk(tmp_path, "agent", live_hub, "wang")
    reviewer, reviewer_sync = make_desk(tmp_path, "reviewer", live_hub, "li")
    agent_sync.sync_once()
    scan = tmp_path / "身份证.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(20_000))
    client_id = add_client(agent, "吴敏", live_hub.villages[V1])
    with agent.db.session() as session:
        attach_document(
            client_id,
            "id_card",
            "身份证正反面",
            scan,
            session=session,
            attachments=agent.data.attachments,
        )
        session.commit()
    assert agent_sync.sync_once().uploaded == 1
    report = reviewer_sync.sync_once()
    assert report.downloaded == 1
    with reviewer.db.session() as session:
        doc = session.scalars(select(ClientDocument)).one()
        assert document_bytes(reviewer.data.attachments, doc, None) == scan.read_bytes()
    assert reviewer_sync.sync_once().downloaded == 0  # kept: not fetched again


def test_a_scan_is_only_served_within_the_clients_scope(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    from agent_desk.services.library import attach_document
    from tests.sync.conftest import PASSWORD, V3

    live_hub.add_user("wang")
    live_hub.add_user("zhou", villages=(V3,))  # another township's village
    agent, agent_sync = make_desk(tmp_path, "agent", live_hub, "wang")
    agent_sync.sync_once()
    scan = tmp_path / "户口簿.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(10_000))
    client_id = add_client(agent, "吴敏", live_hub.villages[V1])
    with agent.db.session() as session:
        doc = attach_document(
            client_id,
            "household_register",
            "户口簿",
            scan,
            session=session,
            attachments=agent.data.attachments,
        )
        session.commit()
        sha = doc.sha256
    agent_sync.sync_once()
    outsider = HubClient(live_hub.url)
    outsider.set_token(outsider.login("zhou", PASSWORD, None, "pc").token)
    with pytest.raises(HubRejected):
        outsider.download(sha)
    insider = HubClient(live_hub.url)
    insider.set_token(insider.login("wang", PASSWORD, None, "pc2").token)
    assert insider.download(sha) == scan.read_bytes()
