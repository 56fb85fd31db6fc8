"""The county deployment as docs/operator.md describes it: the hub with two API workers on
PostgreSQL behind a real nginx (the Debian package) terminating TLS with a test certificate; two
desks sync through it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from agent_desk.server import admin
from agent_desk.server.db import HubDB
from tests.sync.conftest import PASSWORD, V1, HubFixture, add_client, client_fields, make_desk

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _cert(
    name: str,
    issuer_key: ec.EllipticCurvePrivateKey | None,
    issuer: x509.Name | None,
    key: ec.EllipticCurvePrivateKey,
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
    )
    if issuer is None:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        )
    else:
        names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


def _tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """A test county CA and a hub certificate it signed (for 127.0.0.1)."""
    ca_key, hub_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = _cert("测试县 CA", None, None, ca_key)
    hub = _cert("127.0.0.1", ca_key, ca.subject, hub_key)
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "hub.crt", folder / "hub.key"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(hub.public_bytes(pem) + ca.public_bytes(pem))
    paths[2].write_bytes(
        hub_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    paths[2].chmod(0o600)
    return paths


def _wait(url: str, process: subprocess.Popen[bytes], **kwargs: object) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url, timeout=1, **kwargs).status_code == 200:  # type: ignore[arg-type]
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline and process.poll() is None, (
            process.stderr.read() if process.stderr else ""
        )
        time.sleep(0.2)


def _nginx_conf(tmp: Path, listen: int, upstream: int, cert: Path, key: Path) -> Path:
    user = (
        "user root;\n" if os.geteuid() == 0 else ""
    )  # worker processes must reach the temp folders
    temps = "".join(
        f"{kind}_temp_path {tmp / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1; daemon off; pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"};
events {{ worker_connections 256; }}
http {{
    access_log off;
    {temps}
    server {{
        listen 127.0.0.1:{listen} ssl http2;
        ssl_certificate {cert}; ssl_certificate_key {key}; ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 6m;
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
""")
    return conf


@pytest.fixture
def proxied_hub(
    pg_hub_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HubFixture]:
    hub_url = pg_hub_url  # two workers need PostgreSQL
    if NGINX is None:
        pytest.fail("nginx is missing: `make sysdeps` installs nginx-light")
    ca, cert, key = _tls_files(tmp_path)
    db = HubDB.open(hub_url)
    villages = {
        V1: admin.create_village(
            db, code=V1, name="洛门村", township_code=V1[:9], township_name="洛门镇"
        )
    }
    hub_port, tls_port = 22000 + os.getpid() % 4000, 26000 + os.getpid() % 4000
    command = [
        sys.executable,
        "-m",
        "agent_desk",
        "server",
        "--db",
        hub_url,
        "--hub-dir",
        str(tmp_path / "hub"),
        "--port",
        str(hub_port),
        "--workers",
        "2",
        "--behind-proxy",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    hub = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    nginx = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(tmp_path),
            "-c",
            str(_nginx_conf(tmp_path, tls_port, hub_port, cert, key)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait(f"http://127.0.0.1:{hub_port}/health/ready", hub)
        _wait(
            f"https://127.0.0.1:{tls_port}/health/ready",
            nginx,
            verify=ssl.create_default_context(cafile=str(ca)),
        )
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # the desks trust the county CA
        fixture = HubFixture(None, f"https://127.0.0.1:{tls_port}", villages)  # type: ignore[arg-type]
        fixture.add_user = lambda name, **_kw: admin.create_user(
            db,
            username=name,
            password=PASSWORD,
            role="agent",  # type: ignore[method-assign]
            villages=(V1,),
        )
        yield fixture
    finally:
        for process in (nginx, hub):
            process.terminate()
            process.wait(timeout=15)
        db.close()


def test_desks_sync_through_nginx_tls_and_two_workers(
    proxied_hub: HubFixture, tmp_path: Path
) -> None:
    proxied_hub.add_user("wang")
    proxied_hub.add_user("zhao")
    desk_a, sync_a = make_desk(tmp_path, "a", proxied_hub, "wang")
    desk_b, sync_b = make_desk(tmp_path, "b", proxied_hub, "zhao")
    sync_a.sync_once()
    client_id = add_client(desk_a, "张三", proxied_hub.villages[V1])
    assert sync_a.sync_once().pushed == 1
    assert sync_b.sync_once().pulled >= 1
    assert client_fields(desk_b)[client_id]["name"] == "张三"
    with pytest.raises(httpx.ConnectError):  # without the county CA the certificate is not trusted
        httpx.get(f"{proxied_hub.url}/health/live", verify=True, trust_env=False)
    desk_a.close()
    desk_b.close()
