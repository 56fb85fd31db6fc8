"""The hub's scans sealed at rest under a key kept outside its data folder; uploads still resume,
scans stored before the key still open."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_desk.core.errors import DomainError
from agent_desk.server import admin
from agent_desk.server.app import Hub, create_app
from agent_desk.server.blobs import LocalBlobStore
from agent_desk.server.config import load_settings
from agent_desk.server.db import HubDB
from agent_desk.server.sealed_blobs import MAGIC, SealedBlobStore
from agent_desk.sync.attachments import blob_path, store_scan, upload_file
from agent_desk.sync.errors import HubRejected
from agent_desk.sync.transport import HubClient
from tests.sync.conftest import V1, HubFixture, ServerThread, make_desk

KEY = bytes.fromhex("11" * 32)
PDF = b"%PDF-1.7\n" + b"\xe5\xbc\xa0\xe4\xb8\x89 620524195803120013 " + os.urandom(200_000)


@pytest.fixture
def sealed_hub(tmp_path: Path) -> Iterator[HubFixture]:
    db = HubDB.open(f"sqlite:///{tmp_path / 'hub.db'}")
    hub = Hub(db, SealedBlobStore(LocalBlobStore(tmp_path / "hub-blobs"), KEY))
    villages = {
        V1: admin.create_village(
            db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
        )
    }
    with ServerThread(create_app(hub)) as server:
        yield HubFixture(hub, f"http://127.0.0.1:{server.port}", villages)
    db.close()


def _objects(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "hub-blobs" / "objects").rglob("*") if p.is_file()]


def test_an_interrupted_upload_resumes_and_the_scan_is_sealed_on_disk(
    sealed_hub: HubFixture, tmp_path: Path
) -> None:
    sealed_hub.add_user("wang")
    desk, sync = make_desk(tmp_path, "a", sealed_hub, "wang")
    client = HubClient(sealed_hub.url, token=sync.tokens().get())
    sha = store_scan(desk.data.attachments, PDF)
    client.upload_chunk(sha, 0, len(PDF), PDF[:100_000])  # the connection "dies"
    assert client.upload_status(sha).offset == 100_000
    upload_file(client, blob_path(desk.data.attachments, sha).read_bytes(), sha, chunk=64_000)
    status = client.upload_status(sha)
    assert status.complete and status.size == len(PDF)
    [stored] = _objects(tmp_path)
    raw = stored.read_bytes()
    assert raw.startswith(MAGIC) and b"620524195803120013" not in raw and PDF[-64:] not in raw
    assert not list((tmp_path / "hub-blobs" / "partial").iterdir())  # no plain copy left
    with sealed_hub.hub.blobs.open(sha) as fh:
        assert fh.read() == PDF
    assert sealed_hub.hub.blobs.size(sha) == len(PDF)
    with pytest.raises(DomainError, match="无法解密"):
        SealedBlobStore(LocalBlobStore(tmp_path / "hub-blobs"), bytes(32)).open(sha)


def test_a_scan_stored_before_the_key_still_opens(tmp_path: Path) -> None:
    plain = LocalBlobStore(tmp_path / "blobs")
    plain.put("a" * 64, PDF)
    sealed = SealedBlobStore(plain, KEY)
    assert sealed.size("a" * 64) == len(PDF) and sealed.read("a" * 64, 0, 9) == PDF[:9]
    sealed.put("b" * 64, PDF)
    assert sealed.open("b" * 64).read() == PDF and sealed.size("b" * 64) == len(PDF)


def test_the_blob_key_comes_from_the_environment_or_a_private_file_outside_the_data_folder(
    tmp_path: Path, monkeypatch
) -> None:
    from agent_desk.server.ops_cli import open_hub

    home = tmp_path / "hub"
    monkeypatch.setenv("AGENT_DESK_HUB_BLOB_KEY", KEY.hex())
    settings = load_settings(None, {"home": home})
    assert settings.blob_key_bytes() == KEY and "11111111" not in str(settings.effective())
    hub = open_hub(settings, check_schema=False)
    try:
        assert isinstance(hub.blobs, SealedBlobStore)
    finally:
        hub.db.close()
    monkeypatch.delenv("AGENT_DESK_HUB_BLOB_KEY")
    inside = home / "blob.key"
    inside.write_text(KEY.hex())
    inside.chmod(0o600)
    with pytest.raises(DomainError, match="不能放在服务器数据文件夹"):
        load_settings(None, {"home": home, "blob_key_file": inside}).blob_key_bytes()
    outside = tmp_path / "etc" / "blob.key"
    outside.parent.mkdir()
    outside.write_text("not hex")
    outside.chmod(0o600)
    with pytest.raises(DomainError, match="64 位十六进制"):
        load_settings(None, {"home": home, "blob_key_file": outside}).blob_key_bytes()


# -- partial uploads are sealed too ------------------------------------------------------------------
ID_NUMBER = b"620524195803120013"


def _hub_files(tmp_path: Path) -> list[Path]:
    """Everything the hub keeps: its database and its blob folder (objects, partials, notes)."""
    return [p for p in tmp_path.glob("hub*") if p.is_file()] + [
        p for p in (tmp_path / "hub-blobs").rglob("*") if p.is_file()
    ]


def _plain_bytes_on_disk(tmp_path: Path, sent: bytes) -> list[str]:
    """Hub files holding the ID number or any 32-byte stretch of what was sent (every 4 KB)."""
    probes = [ID_NUMBER] + [sent[i : i + 32] for i in range(64, len(sent) - 32, 4096)]
    return [str(p) for p in _hub_files(tmp_path) if any(x in p.read_bytes() for x in probes)]


def _desk_client(hub: HubFixture, tmp_path: Path, name: str, user: str) -> HubClient:
    _desk, sync = make_desk(tmp_path, name, hub, user)
    return HubClient(hub.url, token=sync.tokens().get())


def test_an_interrupted_upload_leaves_no_plaintext_of_the_scan_in_the_hub_folder(
    sealed_hub: HubFixture, tmp_path: Path
) -> None:
    sealed_hub.add_user("wang")
    client = _desk_client(sealed_hub, tmp_path, "a", "wang")
    sha = hashlib.sha256(PDF).hexdigest()
    client.upload_chunk(sha, 0, len(PDF), PDF[:60_000])
    client.upload_chunk(sha, 60_000, len(PDF), PDF[60_000:100_000])  # the connection "dies"
    assert list((tmp_path / "hub-blobs" / "partial").iterdir())  # the upload is kept…
    assert _plain_bytes_on_disk(tmp_path, PDF[:100_000]) == []  # …but nothing of it in plain
    assert client.upload_status(sha).offset == 100_000  # plaintext bytes, as the desk counts
    with pytest.raises(HubRejected) as stale:
        client.upload_chunk(sha, 1024, len(PDF), PDF[1024:2048])
    assert stale.value.offset == 100_000
    upload_file(client, PDF, sha, chunk=64_000)
    status = client.upload_status(sha)
    assert status.complete and status.size == len(PDF)
    with sealed_hub.hub.blobs.open(sha) as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == sha
    assert not list((tmp_path / "hub-blobs" / "partial").iterdir())
    assert _plain_bytes_on_disk(tmp_path, PDF) == []


def test_a_tampered_partial_upload_is_refused_and_the_upload_starts_again(
    sealed_hub: HubFixture, tmp_path: Path
) -> None:
    sealed_hub.add_user("wang")
    client = _desk_client(sealed_hub, tmp_path, "a", "wang")
    sha = hashlib.sha256(PDF).hexdigest()
    client.upload_chunk(sha, 0, len(PDF), PDF[:100_000])
    [part] = (tmp_path / "hub-blobs" / "partial").glob("*.part")
    raw = bytearray(part.read_bytes())
    raw[50_000] ^= 0x01  # one bit flipped inside the sealed record, same length
    part.write_bytes(bytes(raw))
    assert client.upload_status(sha).offset == 100_000  # not noticed until the records are opened
    with pytest.raises(HubRejected) as refused:
        upload_file(client, PDF, sha, chunk=64_000)
    assert refused.value.code == "partial_damaged" and "已损坏" in str(refused.value)
    assert client.upload_status(sha).offset == 0  # the damaged partial is gone: start again
    upload_file(client, PDF, sha, chunk=64_000)
    status = client.upload_status(sha)
    assert status.complete and status.size == len(PDF)
    with sealed_hub.hub.blobs.open(sha) as fh:
        assert fh.read() == PDF


def test_a_cut_short_partial_upload_restarts_at_zero(
    sealed_hub: HubFixture, tmp_path: Path
) -> None:
    sealed_hub.add_user("wang")
    client = _desk_client(sealed_hub, tmp_path, "a", "wang")
    sha = hashlib.sha256(PDF).hexdigest()
    client.upload_chunk(sha, 0, len(PDF), PDF[:100_000])
    [part] = (tmp_path / "hub-blobs" / "partial").glob("*.part")
    part.write_bytes(part.read_bytes()[:70_000])  # a disk that lost the end of the file
    assert client.upload_status(sha).offset == 0
    upload_file(client, PDF, sha, chunk=64_000)
    with sealed_hub.hub.blobs.open(sha) as fh:
        assert fh.read() == PDF


def test_a_plain_partial_upload_from_before_the_key_starts_again_and_is_removed(
    tmp_path: Path,
) -> None:
    db = HubDB.open(f"sqlite:///{tmp_path / 'hub.db'}")
    villages = {
        V1: admin.create_village(
            db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
        )
    }
    sha = hashlib.sha256(PDF).hexdigest()
    plain = Hub(db, LocalBlobStore(tmp_path / "hub-blobs"))  # no key: as uploads always were
    with ServerThread(create_app(plain)) as server:
        hub = HubFixture(plain, f"http://127.0.0.1:{server.port}", villages)
        hub.add_user("wang")
        client = _desk_client(hub, tmp_path, "a", "wang")
        client.upload_chunk(sha, 0, len(PDF), PDF[:100_000])
        assert client.upload_status(sha).offset == 100_000
        [part] = (tmp_path / "hub-blobs" / "partial").glob("*.part")
        assert part.read_bytes() == PDF[:100_000]  # without a key the partial is plain, as before
    sealed = Hub(db, SealedBlobStore(LocalBlobStore(tmp_path / "hub-blobs"), KEY))
    with ServerThread(create_app(sealed)) as server:
        client = HubClient(f"http://127.0.0.1:{server.port}", token=client.token)
        assert client.upload_status(sha).offset == 0  # never resumed onto plain bytes
        client.upload_chunk(sha, 0, len(PDF), PDF[:60_000])
        assert _plain_bytes_on_disk(tmp_path, PDF[:100_000]) == []  # the plain copy is gone
        upload_file(client, PDF, sha, chunk=64_000)
        status = client.upload_status(sha)
    assert status.complete and status.size == len(PDF)
    with sealed.blobs.open(sha) as fh:
        assert fh.read() == PDF
    assert _plain_bytes_on_disk(tmp_path, PDF) == []
    db.close()


def test_a_hub_run_without_its_key_restarts_a_sealed_partial_upload(tmp_path: Path) -> None:
    db = HubDB.open(f"sqlite:///{tmp_path / 'hub.db'}")
    villages = {
        V1: admin.create_village(
            db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
        )
    }
    sha = hashlib.sha256(PDF).hexdigest()
    sealed = Hub(db, SealedBlobStore(LocalBlobStore(tmp_path / "hub-blobs"), KEY))
    with ServerThread(create_app(sealed)) as server:
        hub = HubFixture(sealed, f"http://127.0.0.1:{server.port}", villages)
        hub.add_user("wang")
        client = _desk_client(hub, tmp_path, "a", "wang")
        client.upload_chunk(sha, 0, len(PDF), PDF[:100_000])
    plain = Hub(db, LocalBlobStore(tmp_path / "hub-blobs"))  # the operator dropped blob_key
    with ServerThread(create_app(plain)) as server:
        client = HubClient(f"http://127.0.0.1:{server.port}", token=client.token)
        assert client.upload_status(sha).offset == 0  # sealed records are not resumed in plain
        upload_file(client, PDF, sha, chunk=64_000)
        assert client.upload_status(sha).complete
    with plain.blobs.open(sha) as fh:
        assert fh.read() == PDF
    assert not list((tmp_path / "hub-blobs" / "partial").iterdir())
    db.close()
