"""Small helpers to lay out Chinese government forms with python-docx.

Every piece of text, tag or not, goes into exactly one run, so a ``{{ tag }}`` is never split
across runs. Tables use the built-in "Table Grid" style (all borders), fixed layout and
explicit column widths, so Word and WPS show the same grid a clerk expects on the printed form.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
SIGN = "＿" * 8
DATE_BLANK = "　　　　年　　月　　日"
OPINION = "\n\n经办人：　　　　　　　　（盖章）\n" + DATE_BLANK
ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER,
         "r": WD_ALIGN_PARAGRAPH.RIGHT, "j": WD_ALIGN_PARAGRAPH.JUSTIFY}  # fmt: skip

Cell = str | tuple  # "text" or (text, span) or (text, span, options-dict)


def _set_fonts(rpr, east: str, latin: str = LATIN_FONT) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:cs"), latin)


class Form:
    """One A4 document being built."""

    def __init__(self, *, landscape: bool = False, body_size: float = 10.5, margins_cm: float = 2.0) -> None:
        self.doc = Document()
        self.body_size = body_size
        self._page(landscape, margins_cm)
        self._fonts()

    def _page(self, landscape: bool, margins_cm: float) -> None:
        section = self.doc.sections[0]
        width, height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
        section.page_width, section.page_height = width, height
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(margins_cm))
        section.top_margin = section.bottom_margin = Cm(margins_cm * 0.9)

    def _fonts(self) -> None:
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(defaults, BODY_FONT)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(self.body_size)
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.line_spacing = 1.15

    @property
    def text_width_cm(self) -> float:
        section = self.doc.sections[0]
        return (section.page_width - section.left_margin - section.right_margin) / 360000

    # --- paragraphs --------------------------------------------------------------------------

    def title(self, text: str, size: float = 18, after: float = 6) -> None:
        para = self.doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(after)
        run = para.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
        _set_fonts(run._element.get_or_add_rPr(), TITLE_FONT)

    def para(self, *parts: str | tuple[str, dict], align: str = "j", indent: bool = False,
             size: float | None = None, before: float = 0, after: float = 0, line: float | None = None):
        """One paragraph; each part is one run (``(text, {"bold": True})`` for styled runs)."""
        para = self.doc.add_paragraph()
        _fill_paragraph(para, parts, align, size)
        fmt = para.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if line:
            fmt.line_spacing = line
        if indent:
            fmt.first_line_indent = Pt((size or self.body_size) * 2)
        return para

    def loop(self, tag: str, *parts: str | tuple[str, dict], **kwargs) -> None:
        """A docxtpl paragraph loop: ``{%p for … %}``, the repeated paragraph, ``{%p endfor %}``."""
        self.doc.add_paragraph(f"{{%p {tag} %}}")
        self.para(*parts, **kwargs)
        self.doc.add_paragraph("{%p endfor %}")

    def signatures(self, *pairs: tuple[str, str], before: float = 12) -> None:
        for left, right in pairs:
            self.para(left, "　　　　", right, align="l", before=before)
            before = 8

    # --- tables ------------------------------------------------------------------------------

    def table(self, widths_cm: Sequence[float], *, size: float | None = None) -> Table:
        scale = self.text_width_cm / sum(widths_cm)
        return Table(self, [w * scale for w in widths_cm], size or self.body_size)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.doc.core_properties.author = "代办通 AgentDesk"
        self.doc.core_properties.title = path.stem
        self.doc.core_properties.revision = 1
        buffer = io.BytesIO()
        self.doc.save(buffer)
        path.write_bytes(_reproducible(buffer.getvalue()))


def _reproducible(data: bytes) -> bytes:
    """Same script, same bytes: fixed zip timestamps, so regenerating shows no spurious diff."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def _fill_paragraph(para, parts, align: str, size: float | None) -> None:
    para.alignment = ALIGN[align]
    for part in parts:
        text, style = (part, {}) if isinstance(part, str) else part
        run = para.add_run(text)
        run.bold = style.get("bold")
        if style.get("size") or size:
            run.font.size = Pt(style.get("size") or size)
        if style.get("underline"):
            run.underline = True


class Table:
    """A bordered grid built row by row; a cell may span columns and set its alignment."""

    def __init__(self, form: Form, widths: list[float], size: float) -> None:
        self.widths = widths
        self.size = size
        self.table = form.doc.add_table(rows=0, cols=len(widths))
        self.table.style = form.doc.styles["Table Grid"]
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        _fixed_layout(self.table)
        for column, width in zip(self.table.columns, widths, strict=True):
            column.width = Cm(width)

    def row(self, *cells: Cell, height: float = 0.8, align: str = "c", valign: str = "c"):
        row = self.table.add_row()
        row.height = Cm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        column = 0
        for cell in cells:
            text, span, options = _cell_parts(cell)
            target = row.cells[column]
            if span > 1:
                target = target.merge(row.cells[column + span - 1])
            self._write(target, text, sum(self.widths[column : column + span]), options, align, valign)
            column += span
        if column != len(self.widths):
            raise ValueError(f"row covers {column} of {len(self.widths)} columns: {cells}")
        return row

    def loop(self, tag: str, *cells: Cell, height: float = 0.8) -> None:
        """A docxtpl row loop: ``{%tr for … %}`` row, the repeated row, ``{%tr endfor %}`` row."""
        self.row((f"{{%tr {tag} %}}", len(self.widths)), height=0.1)
        self.row(*cells, height=height)
        self.row(("{%tr endfor %}", len(self.widths)), height=0.1)

    def vmerge(self, first_row: int, last_row: int, column: int) -> None:
        top = self.table.cell(first_row, column)
        top.merge(self.table.cell(last_row, column))

    def _write(self, cell, text: str, width: float, options: dict, align: str, valign: str) -> None:
        cell.width = Cm(width)
        cell.vertical_alignment = {"c": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
                                   "t": WD_CELL_VERTICAL_ALIGNMENT.TOP}[options.get("valign", valign)]  # fmt: skip
        lines = text.split("\n")
        first = cell.paragraphs[0]
        for index, line in enumerate(lines):
            para = first if index == 0 else cell.add_paragraph()
            parts = line.split("\x01")  # \x01 separates runs inside one line
            styled = [(p, {"bold": options.get("bold")}) for p in parts]
            _fill_paragraph(para, styled, options.get("align", align), options.get("size", self.size))


def _cell_parts(cell: Cell) -> tuple[str, int, dict]:
    if isinstance(cell, str):
        return cell, 1, {}
    if len(cell) == 2:
        return cell[0], cell[1], {}
    return cell[0], cell[1], cell[2]


def _fixed_layout(table) -> None:
    props = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)


def label(text: str, span: int = 1) -> tuple[str, int, dict]:
    """A bold, centred label cell."""
    return (text, span, {"bold": True})


def left(text: str, span: int = 1, **options) -> tuple[str, int, dict]:
    return (text, span, {"align": "l", **options})
