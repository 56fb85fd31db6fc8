"""A case's papers and a hand-over batch made printable: PDFs in one converter run, in order, with their pages."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import select

from agent_desk.fill import ConverterChain, LibreOfficeConverter
from agent_desk.services.desk import Desk
from agent_desk.services.printing import batch_set, case_set, prepare_print, prepare_set
from agent_desk.store.models import Case, GeneratedDocument
from tests.security.casefiles import accepted_case, make_documents

A4 = (595, 842)


class Counting(LibreOfficeConverter):
    """The real LibreOffice, counting its runs (each run is one soffice start: seconds on a village PC)."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[int] = []

    def convert(self, documents, out_dir):  # noqa: ANN001, ANN201
        self.runs.append(len(documents))
        return super().convert(documents, out_dir)


def _case_with_papers(desk: Desk) -> tuple[str, str, dict[str, str]]:
    case_id, _ = accepted_case(desk)
    make_documents(desk, case_id)
    with desk.db.session() as session:
        kinds = {doc.title: doc.template for doc in session.scalars(select(GeneratedDocument))}
        batch_id = session.get(Case, case_id).batch_id
    return case_id, batch_id, kinds


def test_without_any_converter_the_documents_open_and_the_note_says_what_to_install(
    desk: Desk,
) -> None:
    case_id, _batch, _kinds = _case_with_papers(desk)
    with desk.db.session() as session:
        papers = case_set(session, case_id, desk.data.documents)
    printable = prepare_set("全套", papers, ConverterChain([]))
    assert not printable.printable and printable.page_count == 0
    assert printable.to_open == [path for _title, path in papers] and "请安装" in printable.note


def test_a_case_full_set_is_one_conversion_in_order_with_its_page_count(
    desk: Desk, soffice: str
) -> None:
    case_id, _batch, kinds = _case_with_papers(desk)
    with desk.db.session() as session:
        papers = case_set(session, case_id, desk.data.documents)
    order = [kinds[title] for title, _path in papers]
    assert order[0] == "notice" and order[1] == "proxy_authorisation" and order[-1] == "receipt"
    assert len(order) >= 4 and "application" in order
    with Counting() as converter:
        printable = prepare_set("全套", papers, converter)
        assert converter.runs == [len(papers)]  # one soffice start for the whole set
        assert [doc.title for doc in printable.documents] == [title for title, _path in papers]
        assert (
            printable.page_count
            == sum(len(doc.pages) for doc in printable.documents)
            >= len(papers)
        )
        sizes = {
            (round(p.width_pt), round(p.height_pt))
            for doc in printable.documents
            for p in doc.pages
        }
        assert sizes == {A4}  # every paper portrait A4
        again = prepare_set("全套", papers, converter)
        assert (
            converter.runs == [len(papers)] and again.page_count == printable.page_count
        )  # PDFs reused
        first = papers[0][1]
        os.utime(first, ns=(time.time_ns() + 60 * 10**9,) * 2)  # the notice made again
        prepare_set("全套", papers, converter)
        assert converter.runs == [len(papers), 1]


def test_a_hand_over_batch_starts_with_its_landscape_list(desk: Desk, soffice: str) -> None:
    case_id, batch_id, kinds = _case_with_papers(desk)
    with desk.db.session() as session:
        papers = batch_set(session, batch_id, desk.data.documents)
    order = [kinds[title] for title, _path in papers]
    assert order[0].startswith("handover_list:") and "application" in order
    assert "notice" not in order and "receipt" not in order  # those stay with the client
    with ConverterChain() as converter:
        printable = prepare_set("JJ", papers, converter)
    listed = printable.documents[0].pages
    assert listed and all(page.landscape for page in listed)
    assert all(not page.landscape for doc in printable.documents[1:] for page in doc.pages)


def test_one_document_is_a_set_of_one(desk: Desk, soffice: str, tmp_path: Path) -> None:
    case_id, _batch, _kinds = _case_with_papers(desk)
    with desk.db.session() as session:
        title, path = case_set(session, case_id, desk.data.documents)[0]
    with ConverterChain() as converter:
        printable = prepare_print(path, converter, title=title)
    assert [doc.title for doc in printable.documents] == [title] and printable.documents[
        0
    ].pdf.startswith(b"%PDF")
    assert path.with_suffix(".pdf").is_file()  # kept beside the .docx on a plain desk
