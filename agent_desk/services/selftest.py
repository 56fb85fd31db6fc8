"""``agent-desk selftest``: prove an installed copy works, without touching the user's data.

Frozen builds fail in ways source runs never do — a template or the catalog left out, a keyring
backend lost because its entry point metadata was not bundled (jaraco/keyring #324, #591). The
check seeds a small demo desk in a temporary folder, fills one form to .docx, seals it as an
encrypted desk keeps documents and opens it back, draws a page with PDFium (converting the form
when a converter is installed), and asks the keyring which backend it found.
"""

from __future__ import annotations

import io
import platform
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from keyring.errors import KeyringError
from sqlmodel import select

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.errors import DomainError
from agent_desk.fill.demo import demo_agent
from agent_desk.services.demo import seed_demo
from agent_desk.services.demo_catalog import demo_items
from agent_desk.services.desk import open_desk
from agent_desk.services.intake import generate_case_documents
from agent_desk.store.crypto import BlobCipher, new_data_key
from agent_desk.store.models import Case
from agent_desk.store.sealed import read_file, scratch, write_file

NATIVE_BACKENDS = {
    "Windows": "keyring.backends.Windows",
    "Darwin": "keyring.backends.macOS",
    "Linux": "keyring.backends.SecretService",
}


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def seed_desk(root: Path) -> Check:
    desk = open_desk(root)
    try:
        with desk.db.session() as session:
            counts = seed_demo(session, demo_items(), clients=40, cases=80, seed=3)
            session.commit()
    finally:
        desk.close()
    return Check("demo desk", True, ", ".join(f"{k} {v}" for k, v in counts.items()))


def fill_one_form(root: Path) -> Check:
    """Fill the first case whose forms are complete; the .docx must be a real Word file."""
    catalog = load_catalog(default_catalog_dir())
    if catalog.problems:
        return Check(
            "fill a form",
            False,
            f"catalog has {len(catalog.problems)} problems: {catalog.problems[0]}",
        )
    desk = open_desk(root)
    try:
        with desk.db.session() as session:
            for case in session.exec(select(Case).limit(40)).all():
                out = generate_case_documents(
                    case.id,
                    catalog,
                    demo_agent(),
                    session=session,
                    documents_dir=desk.data.documents,
                    today=date.today(),
                )
                if out.documents:
                    path = desk.data.documents / out.documents[0].path
                    _check_docx(read_file(path, desk.cipher))
                    return Check(
                        "fill a form",
                        True,
                        f"{case.item_name}: {path.name} ({path.stat().st_size} bytes)",
                    )
    finally:
        desk.close()
    return Check("fill a form", False, "no seeded case had a complete form")


def _check_docx(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        docx.getinfo("word/document.xml")


def seal_a_document(root: Path) -> Check:
    """A filled form kept as an encrypted desk keeps it: no longer a .docx on disk, opened back whole."""
    found = sorted((root / "documents").rglob("*.docx"))
    if not found:
        return Check("sealed document", False, "no filled form to seal")
    plain, cipher = found[0].read_bytes(), BlobCipher(new_data_key())
    with scratch() as work:
        target = work / found[0].name
        write_file(target, plain, cipher)
        stored = target.read_bytes()
        _check_docx(read_file(target, cipher))
        opened = read_file(target, cipher) == plain and not stored.startswith(b"PK")
    return Check(
        "sealed document", opened, f"{found[0].name}: {len(stored)} bytes sealed, opened back"
    )


def print_pages(root: Path) -> Check:
    """PDFium loads (it draws every printed page), and which converter printing will use on this PC."""
    from agent_desk.fill import ConverterChain
    from agent_desk.fill.pages import blank_pdf, render_pages
    from agent_desk.fill.pdf_errors import install_advice
    from agent_desk.services.printing import pdfs_for

    found = sorted((root / "documents").rglob("*.docx"))[:1]
    with ConverterChain() as chain:
        if chain.available and found:
            pdf, source = pdfs_for(found, chain)[0], f"{found[0].name} converted by {chain.name}"
        else:
            pdf, source = (
                blank_pdf(),
                f"a blank page (no PDF converter on this PC: {install_advice()})",
            )
    page = render_pages(pdf, 150, limit=1)[0]
    return Check(
        "print pages",
        page.width > 0,
        f"{source}; page 1 drawn at 150 dpi ({page.width}×{page.height})",
    )


def keyring_backend() -> Check:
    """The backend keyring chose; the fail backend means secrets could not be kept."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    for inner in getattr(backend, "backends", []) or []:  # the chainer: name what it chains
        name += f" [{type(inner).__module__}.{type(inner).__name__}]"
    native = NATIVE_BACKENDS.get(platform.system(), "")
    if isinstance(backend, fail.Keyring):
        return Check(
            "keyring", False, f"{name}: no usable backend (native one would be {native or '-'})"
        )
    service, user = "AgentDesk self-test", "selftest"
    keyring.set_password(service, user, "代办通-check")
    read_back = keyring.get_password(service, user)
    keyring.delete_password(service, user)
    return Check(
        "keyring",
        read_back == "代办通-check",
        f"{name}: stored, read back and deleted a test secret",
    )


def run_checks(root: Path, extra: list[Callable[[Path], Check]] | None = None) -> list[Check]:
    """Every check in order; a check that raises is a failed check, the others still run."""
    results: list[Check] = []
    checks = [
        seed_desk,
        fill_one_form,
        seal_a_document,
        print_pages,
        lambda _root: keyring_backend(),
    ]
    for check in [*checks, *(extra or [])]:
        try:
            results.append(check(root))
        except (DomainError, OSError, KeyError, ValueError, KeyringError) as exc:
            results.append(
                Check(getattr(check, "__name__", "check"), False, f"{type(exc).__name__}: {exc}")
            )
        if not results[-1].ok and results[-1].name == "demo desk":
            break
    return results
