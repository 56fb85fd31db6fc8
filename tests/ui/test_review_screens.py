"""The review screen (masked ID revealed and recorded, scans shown inline) and the supervision page."""

from __future__ import annotations

from openpyxl import load_workbook
from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from sqlalchemy import select

from agent_desk.services import review
from agent_desk.services.library import attach_to_case_document
from agent_desk.store.models import Case, CaseDocument, ClientChange


def _scans(tmp_path):
    png = tmp_path / "hukou.png"
    image = QImage(1200, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#d0e0f0"))
    image.save(str(png))
    pdf = tmp_path / "bank.pdf"
    writer = QPdfWriter(str(pdf))
    writer.setPageSize(QPageSize(QSizeF(100, 60), QPageSize.Unit.Millimeter))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    painter = QPainter(writer)
    painter.drawText(100, 100, "bank card")
    writer.newPage()
    painter.drawText(100, 100, "page 2")
    painter.end()
    return png, pdf


def _case_with_scans(win, tmp_path) -> tuple[str, str]:
    png, pdf = _scans(tmp_path)
    with win.desk.db.session() as session:
        case = session.scalars(select(Case).where(Case.status == "in_progress")).first()
        docs = session.scalars(
            select(CaseDocument)
            .where(CaseDocument.case_id == case.id)
            .order_by(CaseDocument.position)
        ).all()
        assert len(docs) >= 2
        for doc, source in zip(docs, (png, pdf), strict=False):
            attach_to_case_document(
                doc, case.client_id, source, session=session, attachments=win.desk.data.attachments
            )
        session.commit()
        return case.id, case.client_id


def test_review_screen_reveals_the_id_and_shows_scans(
    qtbot, reviewer, dialogs, tmp_path, monkeypatch
) -> None:
    case_id, client_id = _case_with_scans(reviewer, tmp_path)
    view = reviewer.open_review(case_id)
    qtbot.waitUntil(lambda: view.detail is not None, timeout=5000)
    assert "*" in view.id_label.text()
    view.reveal_button.click()
    qtbot.waitUntil(lambda: "*" not in view.id_label.text(), timeout=5000)
    with reviewer.desk.db.session() as session:
        [seen] = session.scalars(
            select(ClientChange).where(
                ClientChange.client_id == client_id, ClientChange.source == review.REVEAL_SOURCE
            )
        )
        assert seen.actor == "李慧敏" and seen.changes["case_id"] == case_id

    with qtbot.waitSignal(view.scan_shown, timeout=5000) as shown:
        view.documents.selectRow(0)
    assert shown.args == [1] and view.pages_layout.itemAt(0).widget().pixmap().width() <= 560
    with qtbot.waitSignal(view.scan_shown, timeout=10000) as shown:
        view.documents.selectRow(1)
    assert shown.args == [2]  # a PDF scan's pages, drawn by PDFium (no pdftoppm needed)
    view.open_scan.click()
    assert dialogs.opened and dialogs.opened[-1].suffix == ".pdf"


def test_supervision_page_and_ledger_export(qtbot, reviewer, dialogs, tmp_path) -> None:
    page = reviewer.pages["supervision"]
    qtbot.waitUntil(lambda: page.data is not None, timeout=10000)
    with qtbot.waitSignal(page.shown, timeout=10000):
        page.preset.setCurrentIndex(3)  # last 12 months
    f = page.data.figures
    assert f.entrusted > 0 and page.tiles["entrusted"].value.text() == f"{f.entrusted:,}"
    assert sum(v for _l, v in f.by_item) == f.entrusted
    assert page.by_item.bars == f.by_item[: page.by_item.max_rows]  # the longest bars, readable
    assert page.satisfaction.bars[0][0] == "5 stars"
    target = tmp_path / "台账"
    dialogs.next_paths.append(target)
    with qtbot.waitSignal(page.exported, timeout=20000) as done:
        page.export_button.click()
    path, cases = done.args[0]
    assert path.suffix == ".xlsx" and cases == f.entrusted
    sheet = load_workbook(path, read_only=True).active
    assert sum(1 for _r in sheet.iter_rows(values_only=True)) == cases + 1
    assert dialogs.shown[-1][0] == "saved_file"  # with 打开所在文件夹
