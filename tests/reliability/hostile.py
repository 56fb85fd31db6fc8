"""A corpus of hostile inputs for the desk; each must end in a clear (Chinese) error and change nothing.

``run_corpus(desk, folder)`` returns (inputs tried, failures). A clear error is a DomainError (or a
catalog problem) whose message has Chinese text; "nothing changed" means every table's row count
and the audit trail are as before.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from agent_desk.catalog.loader import load_catalog
from agent_desk.core.errors import DomainError
from agent_desk.core.identity import make_resident_id
from agent_desk.fill.render import compile_template
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.library import attach_document, document_file, store_blob
from agent_desk.services.roster import import_clients
from agent_desk.store.models import ClientDocument

CJK = re.compile(r"[\u4e00-\u9fff]")
GOOD_ID = make_resident_id("620524", date(1970, 5, 4), 123)
Case = tuple[str, Callable[[Any, Path], Any]]


def _bad_ids() -> Iterator[str]:
    wrong_check = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
    yield from [
        wrong_check,
        GOOD_ID[:-1],
        GOOD_ID + "1",
        GOOD_ID[:17] + "Y",
        "62052419700504123",
        "abcdefghijklmnopqr",
        "620524 1970 0504 12",
        "６２０５２４１９７００５０４１２３",
        "999999197005041230",
        "620524300001011234",
        "620524197013011234",
        "620524197002301234",
        "000000000000000000",
        "62052419700504123X1",
        "' OR 1=1 --",
        "620524\x00197005041230",
        "6205241970050412\u200b30",
        "-620524197005041230",
        "1e18",
        "NaN",
        "62052419700504123\n",
        "<script>alert(1)</script>",
        "𠀀" * 18,
        "620524" + "9" * 12,
    ]


def _bad_names() -> Iterator[str]:
    yield from [
        "",
        " ",
        "\x00",
        "王\x00建国",
        "王\x07建国",
        "王\x1b[31m建国",
        "Robert'); DROP TABLE client;--",
        "王'; DELETE FROM client; --",
        "1 OR 1=1",
        "王" * 200,
        "王" * 10_000_000,
        "\u202e国建王",
        "王\u200b建国",
        "../../etc/passwd",
        "%00",
        "{{ 7*7 }}",
        "${jndi:ldap://x}",
        "王\x7f建国",
        "😀😀",
        "\ufeff王建国\ufeff\ufeff\ufeff" * 20,
    ]


def _bad_phones() -> Iterator[str]:
    yield from [
        "1",
        "1391234567a",
        "139123456789012345",
        "+86 139 1234 5678 ext 99999999",
        "电话号码",
        "\x00139",
        "13912345678; DROP TABLE client",
        "0" * 100,
        "１３９１２３４５６７８x",
        "1" * 1_000_000,
    ]


def _client(
    name: str = "王建国", id_number: str | None = GOOD_ID, phone: str | None = None
) -> Callable[[Any, Path], Any]:
    return lambda session, _f: create_client(
        ClientInput(name=name, id_number=id_number, phone=phone), session=session
    )


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buf.getvalue()


CORRUPT_OFFICE = {
    "empty": b"",
    "text": b"just some text",
    "pk-header-only": b"PK\x03\x04",
    "truncated-zip": _zip({"a": b"x" * 100})[:60],
    "zip-without-parts": _zip({"hello.txt": b"hi"}),
    "bad-xml": _zip(
        {
            "word/document.xml": b"<w:document><unclosed",
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook",
        }
    ),
    "html": b"<html><body>not office</body></html>",
    "exe": b"MZ\x90\x00" + b"\x00" * 200,
    "pdf": b"%PDF-1.4 fake",
    "random": bytes(range(256)) * 20,
}


def _roster(folder: Path, name: str, data: bytes) -> Callable[[Any, Path], Any]:
    return lambda session, _f: import_clients(_write(folder, name, data), session=session)


def _template(folder: Path, name: str, data: bytes) -> Callable[[Any, Path], Any]:
    return lambda _s, _f: compile_template(_write(folder, name, data))


BROKEN_YAML = [
    "code: [unclosed",
    "a: b: c",
    "\t- tab indented",
    "code: 1\ncode: 2\n: :",
    "!!python/object:os.system ls",
    "&a [*a, *a]\nx: *b",
    "{{{{",
    "- - - -\n  - x\n -y",
    'name: "unterminated',
    "\x00\x01\x02",
]


def _yaml(folder: Path, n: int, source: str) -> Callable[[Any, Path], Any]:
    def run(_s: Any, _f: Path) -> None:
        root = folder / f"yaml{n}" / "forms"
        _write(root / "items", "bad.yaml", source.encode("utf-8", "surrogatepass"))
        catalog = load_catalog(root)
        if not catalog.problems:
            raise AssertionError("broken YAML loaded without a problem")
        raise DomainError("事项目录有错误：" + str(catalog.problems[0]), code="catalog_problem")

    return run


def _traversal(name: str) -> Callable[[Any, Path], Any]:
    doc = ClientDocument(
        client_id="x", doc_kind="id_card", title="t", sha256="a" * 64, filename=name
    )
    return lambda _s, folder: document_file(folder / "attachments", doc)


def _attach(
    folder: Path, name: str, data: bytes | None, size: int = 0
) -> Callable[[Any, Path], Any]:
    def run(session: Any, _f: Path) -> None:
        path = folder / "uploads" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            with path.open("wb") as handle:  # sparse: as big as it claims, without writing it
                handle.truncate(size)
        else:
            path.write_bytes(data)
        attach_document(
            "no-such-client",
            "id_card",
            "t",
            path,
            session=session,
            attachments=folder / "attachments",
        )

    return run


def corpus(folder: Path) -> list[Case]:
    cases: list[Case] = [(f"id:{s[:30]!r}", _client(id_number=s)) for s in _bad_ids()]
    cases += [(f"name:{s[:30]!r}", _client(name=s)) for s in _bad_names()]
    cases += [(f"phone:{s[:30]!r}", _client(phone=s)) for s in _bad_phones()]
    for kind, data in CORRUPT_OFFICE.items():
        cases.append((f"xlsx:{kind}", _roster(folder, f"roster-{kind}.xlsx", data)))
        cases.append((f"docx:{kind}", _template(folder, f"tpl-{kind}.docx", data)))
    cases += [(f"yaml:{n}", _yaml(folder, n, s)) for n, s in enumerate(BROKEN_YAML)]
    for name in (
        "../../../etc/passwd",
        "..\\..\\windows\\system32\\cmd.exe",
        "/etc/shadow",
        "a" * 64 + "/../../x",
        "C:\\boot.ini",
        "a" * 64 + ".jpg\x00.exe",
        "",
        "..",
        "a" * 63 + ".jpg",
        "A" * 64 + ".JPG",
    ):
        cases.append((f"traversal:{name[:30]!r}", _traversal(name)))
    cases += [
        ("upload:21MB", _attach(folder, "huge.jpg", None, 21 * 1024 * 1024)),
        ("upload:2GB", _attach(folder, "huger.jpg", None, 2 * 1024**3)),
        ("upload:empty", _attach(folder, "empty.jpg", b"")),
        ("upload:exe-as-jpg", _attach(folder, "evil.jpg", b"MZ\x90\x00" * 100)),
        ("upload:html-as-png", _attach(folder, "x.png", b"<html>" * 100)),
        ("upload:missing", lambda s, f: store_blob(f / "attachments", f / "does-not-exist.jpg")),
    ]
    return cases


def _snapshot(session: Any) -> dict[str, int]:
    names = [
        r[0] for r in session.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
    ]
    return {n: session.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names}


def run_corpus(desk: Any, folder: Path) -> tuple[int, list[str]]:
    """Try every input in its own transaction; returns (tried, failures)."""
    failures: list[str] = []
    cases = corpus(folder)
    for label, attempt in cases:
        with desk.db.session() as session:
            before = _snapshot(session)
            try:
                attempt(session, folder)
                session.flush()
                failures.append(f"{label}: accepted")
            except DomainError as exc:
                if not CJK.search(str(exc)):
                    failures.append(f"{label}: error without a Chinese message: {exc}")
            except Exception as exc:  # a bug: the user would see a crash dialog, not a clear error
                failures.append(f"{label}: {type(exc).__name__}: {str(exc)[:120]}")
            session.rollback()
            if _snapshot(session) != before:
                failures.append(f"{label}: changed the database")
    return len(cases), failures
