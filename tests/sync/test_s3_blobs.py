"""Scans in S3-compatible storage, tested against moto in server mode (a real HTTP S3 endpoint):
a resumed multipart upload through the hub, and two hub workers receiving the same scan at once."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import moto.server as moto_server
import pytest

from agent_desk.server import admin
from agent_desk.server.app import Hub, create_app
from agent_desk.server.config import load_settings
from agent_desk.server.db import HubDB
from agent_desk.server.ops_cli import blob_store
from agent_desk.server.s3_blobs import PART_MIN, S3BlobStore
from agent_desk.server.sealed_blobs import MAGIC, SealedBlobStore
from agent_desk.sync.attachments import upload_file
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.transport import HubClient
from tests.sync.conftest import PASSWORD, V1, HubFixture, ServerThread

BUCKET = "agent-desk"
KEY = bytes.fromhex("22" * 32)
ID_NUMBER = b"620524195803120013"


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    monkeypatch.setenv("AGENT_DESK_HUB_S3_ACCESS_KEY", "test-key")
    monkeypatch.setenv("AGENT_DESK_HUB_S3_SECRET_KEY", "test-secret")
    endpoint = f"http://{host}:{port}"
    httpx.post(f"{endpoint}/moto-api/reset")  # moto keeps its buckets per process: start empty
    yield endpoint
    server.stop()


def _s3_hub(hub_url: str, endpoint: str, home: Path) -> Hub:
    settings = load_settings(
        overrides={"db": hub_url, "home": str(home), "blob_store": "s3", "s3_endpoint": endpoint}
    )
    db = HubDB.open(settings.database_url())
    store = blob_store(settings, db.engine)
    assert isinstance(store.inner if isinstance(store, SealedBlobStore) else store, S3BlobStore)
    with contextlib.suppress(store.client.exceptions.BucketAlreadyOwnedByYou):  # the second hub
        store.client.create_bucket(Bucket=BUCKET)
    return Hub(db, store)


def _pdf(size: int) -> tuple[bytes, str]:
    data = b"%PDF-1.7\n" + os.urandom(size - 9)
    return data, hashlib.sha256(data).hexdigest()


def test_a_large_scan_resumes_in_multipart_and_lands_under_its_content_key(
    hub_url: str, s3_endpoint: str, tmp_path: Path
) -> None:
    hub = _s3_hub(hub_url, s3_endpoint, tmp_path / "hub")
    admin.create_village(
        hub.db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
    )
    fixture_users = HubFixture(hub, "", {})
    fixture_users.add_user("wang")
    pdf, sha = _pdf(PART_MIN + 3 * 1024 * 1024)  # two parts: one full, the tail as the last
    with ServerThread(create_app(hub)) as server:
        client = HubClient(f"http://127.0.0.1:{server.port}")
        client.set_token(client.login("wang", PASSWORD, None, "desk").token)
        for offset in range(0, 4 * 1024 * 1024, 1024 * 1024):  # 4 MB, then the connection "dies"
            client.upload_chunk(sha, offset, len(pdf), pdf[offset : offset + 1024 * 1024])
        assert client.upload_status(sha).offset == 4 * 1024 * 1024
        with pytest.raises(HubRejected) as stale:
            client.upload_chunk(sha, 1024, len(pdf), pdf[1024:2048])
        assert stale.value.offset == 4 * 1024 * 1024  # the hub says where to resume
        upload_file(client, pdf, sha, chunk=1024 * 1024)
        status = client.upload_status(sha)
    assert status.complete and status.size == len(pdf)
    with hub.blobs.open(sha) as fh:
        assert fh.read() == pdf
    keys = [o["Key"] for o in hub.blobs.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]  # type: ignore[attr-defined]
    assert keys == [f"objects/{sha[:2]}/{sha}"]  # no partial left behind
    hub.db.close()


def _bucket_contents(store: SealedBlobStore) -> dict[str, bytes]:
    client = store.client
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    return {k: client.get_object(Bucket=BUCKET, Key=k)["Body"].read() for k in keys}


def test_a_sealed_hub_keeps_no_plaintext_of_an_upload_under_way_in_the_bucket(
    hub_url: str, s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_DESK_HUB_BLOB_KEY", KEY.hex())
    hub = _s3_hub(hub_url, s3_endpoint, tmp_path / "hub")
    assert isinstance(hub.blobs, SealedBlobStore)
    admin.create_village(
        hub.db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
    )
    HubFixture(hub, "", {}).add_user("wang")
    pdf, _ = _pdf(PART_MIN + 3 * 1024 * 1024)
    pdf = pdf[:9] + ID_NUMBER + pdf[9 + len(ID_NUMBER) :]
    sha = hashlib.sha256(pdf).hexdigest()
    probes = [ID_NUMBER] + [pdf[i : i + 32] for i in range(64, 6 * 1024 * 1024, 64 * 1024)]
    with ServerThread(create_app(hub)) as server:
        client = HubClient(f"http://127.0.0.1:{server.port}")
        client.set_token(client.login("wang", PASSWORD, None, "desk").token)
        for offset in range(0, 6 * 1024 * 1024, 1024 * 1024):  # past one S3 part, then it "dies"
            client.upload_chunk(sha, offset, len(pdf), pdf[offset : offset + 1024 * 1024])
        assert client.upload_status(sha).offset == 6 * 1024 * 1024  # plaintext bytes
        under_way = _bucket_contents(hub.blobs)
        assert any("/partial/" in f"/{k}" for k in under_way)
        assert [k for k, v in under_way.items() if any(p in v for p in probes)] == []
        upload_file(client, pdf, sha, chunk=1024 * 1024)
        status = client.upload_status(sha)
    assert status.complete and status.size == len(pdf)
    with hub.blobs.open(sha) as fh:
        assert fh.read() == pdf
    [(key, stored)] = _bucket_contents(hub.blobs).items()
    assert key == f"objects/{sha[:2]}/{sha}" and stored.startswith(MAGIC)
    assert not any(p in stored for p in probes)
    hub.db.close()


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "sealed"])
def test_two_hub_workers_receive_the_same_scan_at_once(
    hub_url: str, s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sealed: bool
) -> None:
    """Two hubs on one database and one bucket (two workers, or two hosts); two desks send one scan."""
    if sealed:
        monkeypatch.setenv("AGENT_DESK_HUB_BLOB_KEY", KEY.hex())
    first = _s3_hub(hub_url, s3_endpoint, tmp_path / "a")
    if hub_url.startswith(
        "postgresql"
    ):  # its own engine and S3 client: the advisory lock is shared
        second = _s3_hub(hub_url, s3_endpoint, tmp_path / "b")
    else:  # a SQLite hub is one process: one store, one set of thread locks
        second = Hub(HubDB.open(hub_url, migrate=False), first.blobs)
    admin.create_village(
        first.db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
    )
    users = HubFixture(first, "", {})
    users.add_user("wang")
    users.add_user("li")
    pdf, sha = _pdf(2 * 1024 * 1024)
    with ServerThread(create_app(first)) as a, ServerThread(create_app(second)) as b:
        clients = []
        for name, server in (("wang", a), ("li", b)):
            client = HubClient(f"http://127.0.0.1:{server.port}")
            client.set_token(client.login(name, PASSWORD, None, name).token)
            clients.append(client)
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(lambda c: upload_file(c, pdf, sha, chunk=512 * 1024), clients))
        assert len(done) == 2 and all(c.upload_status(sha).complete for c in clients)
    with first.blobs.open(sha) as fh:
        assert fh.read() == pdf
    keys = [o["Key"] for o in first.blobs.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]  # type: ignore[attr-defined]
    assert keys == [f"objects/{sha[:2]}/{sha}"]
    stored = first.blobs.client.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()  # type: ignore[attr-defined]
    assert stored.startswith(MAGIC) == sealed
    first.db.close()
    second.db.close()
