"""TLS by default: no plain http hub but on loopback, a self-signed hub trusted by importing its
certificate (fingerprint shown), and a certificate error that says so in Chinese."""

from __future__ import annotations

import contextlib
import io
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from ipaddress import IPv4Address
from pathlib import Path

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from agent_desk.cli import main
from agent_desk.server import admin
from agent_desk.server.app import Hub, create_app
from agent_desk.server.blobs import LocalBlobStore
from agent_desk.server.db import HubDB
from agent_desk.services.desk import open_desk
from agent_desk.sync.engine import SyncEngine
from agent_desk.sync.tls import HubCertificateError, InsecureHub, check_hub_url, fingerprint
from tests.sync.conftest import PASSWORD, V1, _free_socket


def _self_signed(folder: Path) -> tuple[Path, Path, bytes]:
    """A township's self-signed certificate for 127.0.0.1: (cert.pem, key.pem, DER)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "洛门镇乡镇服务器")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "hub-cert.pem", folder / "hub-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file, cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def https_hub(tmp_path: Path) -> Iterator[tuple[str, Path, bytes]]:
    with serve_https_hub(tmp_path) as hub:
        yield hub


@contextlib.contextmanager
def serve_https_hub(tmp_path: Path) -> Iterator[tuple[str, Path, bytes]]:
    """A hub on 127.0.0.1 with a self-signed certificate: (url, cert.pem, the certificate's DER)."""
    cert_file, key_file, der = _self_signed(tmp_path)
    db = HubDB.open(f"sqlite:///{tmp_path / 'hub.db'}")
    admin.create_village(db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇")
    admin.create_user(db, username="wang", password=PASSWORD, role="agent", villages=(V1,))
    sock = _free_socket()
    config = uvicorn.Config(
        create_app(Hub(db, LocalBlobStore(tmp_path / "blobs"))),
        log_level="error",
        lifespan="off",
        ssl_certfile=str(cert_file),
        ssl_keyfile=str(key_file),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    yield f"https://127.0.0.1:{sock.getsockname()[1]}", cert_file, der
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    db.close()


def test_a_self_signed_hub_is_a_certificate_error_until_its_certificate_is_trusted(
    capsys, https_hub, tmp_path
) -> None:
    url, cert_file, der = https_hub
    desk = open_desk(tmp_path / "desk")
    engine = SyncEngine(desk.db, desk.data, sleep=lambda _s: None)
    engine.configure(url, "wang")
    with pytest.raises(HubCertificateError) as refused:
        engine.login(PASSWORD)
    assert "证书无法验证" in str(refused.value) and "无法连接" not in str(refused.value)
    code = main(["--data-dir", str(tmp_path / "desk"), "sync", "--trust-cert", str(cert_file)])
    out = capsys.readouterr().out
    assert code == 0 and fingerprint(der) in out and len(fingerprint(der)) == 95
    engine.login(PASSWORD)
    assert engine.sync_once() is not None
    desk.close()


def test_a_plain_http_hub_on_the_network_is_refused_in_chinese(
    capsys, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = main(
        [
            "--data-dir",
            str(tmp_path / "desk"),
            "sync",
            "--hub",
            "http://10.1.2.3:8765",
            "--user",
            "wang",
            "--login",
            "--password-stdin",
            "--once",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "https://" in err and "明文" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("url", "allowed", "ok"),
    [
        ("https://hub.example.cn", False, True),
        ("http://127.0.0.1:8765", False, True),
        ("http://localhost:8765", False, True),
        ("http://[::1]:8765", False, True),
        ("http://10.1.2.3:8765", False, False),
        ("http://10.1.2.3:8765", True, True),
        ("ftp://10.1.2.3", True, False),
    ],
)
def test_which_hub_addresses_are_accepted(url: str, allowed: bool, ok: bool) -> None:
    if ok:
        check_hub_url(url, allow_plain_http=allowed)
    else:
        with pytest.raises(InsecureHub):
            check_hub_url(url, allow_plain_http=allowed)


def test_a_file_that_is_not_a_certificate_is_refused(capsys, tmp_path) -> None:
    bogus = tmp_path / "not-a-cert.pem"
    bogus.write_text(
        "-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n", encoding="ascii"
    )
    code = main(["--data-dir", str(tmp_path / "desk"), "sync", "--trust-cert", str(bogus)])
    assert code == 2 and "不是证书文件" in capsys.readouterr().err
    assert not (tmp_path / "desk" / "trusted-hub-cert.pem").exists()
