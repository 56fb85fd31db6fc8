"""TLS by default between a desk and its hub.

A desk talks to its hub over https; plain http is accepted only on this computer (loopback) or when
the administrator explicitly allowed it in the desk's settings (``sync.allow_plain_http``, shown as
a warning on the 同步 page). A county's own CA or a hub's self-signed certificate is trusted by
importing it (``agent-desk sync --trust-cert FILE``): the desk shows its SHA-256 fingerprint to
compare with the one the hub prints at start, keeps the certificate in the data folder and verifies
the hub against it (and the system's CAs). A certificate the desk cannot verify is reported as such.
"""

from __future__ import annotations

import hashlib
import ipaddress
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from agent_desk import atomic
from agent_desk.store.datadir import DataDir
from agent_desk.sync.errors import SyncError

TRUSTED_CERT = "trusted-hub-cert.pem"


class InsecureHub(SyncError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"乡镇服务器地址 {url} 不是加密连接（https://），密码和委托人信息会以明文传输，已拒绝。"
            "请改用 https:// 地址；确需在内网使用 http 的，由管理员在设置中明确允许。",
            code="insecure_hub",
            message_en=f"refusing a plain http hub: {url}",
        )


class HubCertificateError(SyncError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"乡镇服务器 {url} 的证书无法验证（不是网络故障）。如服务器使用县里自建或自签名的证书，"
            "请向管理员索取证书文件，核对指纹后用“导入证书”（agent-desk sync --trust-cert 文件）信任它。",
            code="hub_certificate",
            message_en=f"the hub's TLS certificate could not be verified: {url}",
        )


class BadCertificate(SyncError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path.name} 不是证书文件（PEM 或 DER 格式）",
            code="bad_certificate",
            message_en=f"not a certificate: {path}",
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_hub_url(url: str, *, allow_plain_http: bool = False) -> None:
    """https anywhere; http only on loopback or when explicitly allowed."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (
        parts.scheme == "http" and (allow_plain_http or is_loopback(parts.hostname or ""))
    ):
        return
    raise InsecureHub(url)


def is_plain_http(url: str) -> bool:
    """An unencrypted hub off this computer (only ever reached when the admin allowed it)."""
    parts = urlsplit(url)
    return parts.scheme == "http" and not is_loopback(parts.hostname or "")


def fingerprint(der: bytes) -> str:
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _der(raw: bytes, path: Path) -> bytes:
    """The certificate's DER bytes from a PEM or DER file (checked when loaded)."""
    if b"-----BEGIN CERTIFICATE-----" not in raw:
        return raw
    try:
        return ssl.PEM_cert_to_DER_cert(raw.decode("ascii", "replace").strip())
    except ValueError as exc:
        raise BadCertificate(path) from exc


def trust_certificate(data: DataDir, source: Path) -> str:
    """Keep ``source`` as the hub's trusted certificate; returns its SHA-256 fingerprint."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise BadCertificate(source) from exc
    der = _der(raw, source)
    pem = ssl.DER_cert_to_PEM_cert(der)
    try:
        ssl.create_default_context().load_verify_locations(cadata=pem)
    except ssl.SSLError as exc:
        raise BadCertificate(source) from exc
    target = data.root / TRUSTED_CERT
    atomic.write_text(target, pem, encoding="ascii")
    return fingerprint(der)


def trusted_fingerprint(data: DataDir) -> str | None:
    """The SHA-256 fingerprint of the imported certificate, or None."""
    cert = data.root / TRUSTED_CERT
    if not cert.exists():
        return None
    return fingerprint(_der(cert.read_bytes(), cert))


def hub_transport(data: DataDir) -> httpx.HTTPTransport | None:
    """A transport that also trusts the imported certificate, or None for the system's CAs only."""
    cert = data.root / TRUSTED_CERT
    if not cert.exists():
        return None
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=str(cert))
    return httpx.HTTPTransport(verify=context)


def is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(
            seen
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
