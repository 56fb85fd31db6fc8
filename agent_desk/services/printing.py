"""Getting generated documents ready to preview and print: their PDFs, in memory, with page sizes.

Qt cannot draw a .docx, so each one is converted to PDF (LibreOffice, WPS or Word: fill/converters)
and PDFium draws its pages (fill/pages.py) at the preview's or the printer's resolution. A set (a
case's papers, a hand-over batch) is converted in one converter run and printed as one job.
Without any converter the agent opens the .docx in the system's editor and prints from there; the
note says what to install. Everything here runs off the UI thread.

The PDF is kept beside its .docx and reused while the .docx is unchanged. On an encrypted desk it is
sealed like the .docx (store/sealed.py): the .docx is decrypted into a scratch folder for the
converter, and that folder is removed before ``prepare_set`` returns, error or not.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from agent_desk.core.errors import DomainError
from agent_desk.fill import PdfConverter, PdfUnavailable
from agent_desk.fill.pages import PageSize, page_sizes
from agent_desk.store.case_queries import batch_case_ids, generated_by_template, generated_documents
from agent_desk.store.crypto import BlobCipher
from agent_desk.store.models import GeneratedDocument
from agent_desk.store.sealed import plain_copy, read_file, scratch, writer_for

# A case's papers in the order they are handed over: what the client keeps first, then what the
# client signs, the forms, and the receipt. Later papers (delivery receipt, correction notice) are
# printed one at a time.
CASE_SET_ORDER = {
    "notice": 0,
    "proxy_authorisation": 1,
    "org_proxy_authorisation": 1,
    "receipt": 3,
    "org_receipt": 3,
}
LATER_PAPERS = {"delivery_receipt", "correction_notice"}
CLIENT_PAPERS = {
    "notice",
    "receipt",
    "org_receipt",
}  # stay with the client: not carried to the township
_CONVERTING = threading.Lock()


@dataclass(frozen=True)
class PrintDocument:
    """One document of a set: its PDF (bytes, so an encrypted desk keeps no plain copy) and its pages."""

    title: str
    docx: Path
    pdf: bytes
    pages: list[PageSize]


@dataclass(frozen=True)
class PrintSet:
    """What is printed as one job; ``documents`` is empty when nothing can be previewed (see ``note``)."""

    title: str
    documents: list[PrintDocument] = field(default_factory=list)
    note: str = ""
    note_en: str = ""  # the note in English, for the English UI
    to_open: list[Path] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        return sum(len(doc.pages) for doc in self.documents)

    @property
    def printable(self) -> bool:
        return self.page_count > 0


def _fresh(target: Path, source: Path) -> bool:
    return target.exists() and target.stat().st_mtime_ns >= source.stat().st_mtime_ns


def prepare_set(
    title: str,
    documents: Sequence[tuple[str, Path]],
    converter: PdfConverter | None,
    *,
    cipher: BlobCipher | None = None,
    open_folder: Path | None = None,
) -> PrintSet:
    """PDFs and page sizes of ``documents`` (title, stored .docx), in order, converted in one run.

    Without a converter: the files the system's editor opens instead, with a note naming what to
    install. On an encrypted desk those are decrypted copies in ``open_folder`` (store/sealed.open_folder:
    outside the data folder, removed when the app closes).
    """
    if cipher is not None and open_folder is None:
        raise ValueError("an encrypted desk needs a folder for the files it opens outside the app")
    absent = [name for name, path in documents if not path.is_file()]
    if absent:
        raise DomainError(
            f"本机没有「{'、'.join(absent)}」的文件（可能是在另一台电脑上生成的），请先重新生成文书。",
            code="document_absent",
            message_en=f"no local file for {absent}",
        )
    if converter is None or not converter.available:
        opened = [_openable(path, cipher, open_folder) for _title, path in documents]
        missing = PdfUnavailable()
        return PrintSet(title, note=str(missing), note_en=missing.message_en, to_open=opened)
    pdfs = pdfs_for([path for _title, path in documents], converter, cipher)
    return PrintSet(
        title,
        [
            PrintDocument(name, path, pdf, page_sizes(pdf, name))
            for (name, path), pdf in zip(documents, pdfs, strict=True)
        ],
    )


def prepare_print(
    docx: Path,
    converter: PdfConverter | None,
    *,
    title: str = "",
    cipher: BlobCipher | None = None,
    open_folder: Path | None = None,
) -> PrintSet:
    """One document as a set of one."""
    name = title or docx.stem
    return prepare_set(name, [(name, docx)], converter, cipher=cipher, open_folder=open_folder)


def _openable(path: Path, cipher: BlobCipher | None, open_folder: Path | None) -> Path:
    return path if cipher is None or open_folder is None else plain_copy(path, cipher, open_folder)


def pdfs_for(
    documents: Sequence[Path], converter: PdfConverter, cipher: BlobCipher | None = None
) -> list[bytes]:
    """Each .docx's PDF, converting (in one run) only those whose .docx is newer than its PDF.

    One conversion at a time: the background conversion after generating and a preview asked for
    meanwhile would otherwise both convert (and share one LibreOffice profile).
    """
    with _CONVERTING:
        stale = list(
            dict.fromkeys(doc for doc in documents if not _fresh(doc.with_suffix(".pdf"), doc))
        )
        if stale:
            _convert(stale, converter, cipher)
    return [read_file(doc.with_suffix(".pdf"), cipher) for doc in documents]


def _convert(documents: list[Path], converter: PdfConverter, cipher: BlobCipher | None) -> None:
    """Through a scratch folder: plain inputs for the converter, numbered so equal names never clash."""
    with scratch() as work:
        inputs = work / "in"
        inputs.mkdir()
        copies = []
        for number, doc in enumerate(documents):
            copies.append(inputs / f"{number:03d}-{doc.name}")
            copies[-1].write_bytes(read_file(doc, cipher))
        made = converter.convert(copies, work / "pdf")
        for doc, pdf in zip(documents, made, strict=True):
            writer_for(doc.parent, cipher)(doc.with_suffix(".pdf"), pdf.read_bytes())


# -- which documents make a set -------------------------------------------------------------------
def _kind(document: GeneratedDocument) -> str:
    return document.template.split(":", 1)[0]


def _case_papers(session: Session, case_id: str) -> list[GeneratedDocument]:
    current = [
        doc
        for doc in generated_documents(session, case_id)
        if not doc.deleted and _kind(doc) not in LATER_PAPERS
    ]
    return sorted(
        current, key=lambda doc: CASE_SET_ORDER.get(_kind(doc), 2)
    )  # stable: forms keep their order


def case_set(session: Session, case_id: str, documents_dir: Path) -> list[tuple[str, Path]]:
    """A case's papers for 打印全套: notice, proxy authorisation, forms, receipt (as far as they exist)."""
    return [(doc.title, documents_dir / doc.path) for doc in _case_papers(session, case_id)]


def batch_set(session: Session, batch_id: str, documents_dir: Path) -> list[tuple[str, Path]]:
    """A hand-over batch: its list, then each case's proxy authorisation and forms, in the list's order."""
    listed = generated_by_template(session, None, f"handover_list:{batch_id}")
    papers = [(listed.title, documents_dir / listed.path)] if listed is not None else []
    for case_id in batch_case_ids(session, batch_id):
        papers.extend(
            (doc.title, documents_dir / doc.path)
            for doc in _case_papers(session, case_id)
            if _kind(doc) not in CLIENT_PAPERS
        )
    return papers
