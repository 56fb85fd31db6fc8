"""Reading a roster file into rows: .xlsx/.xlsm, old .xls, WPS .et and .csv.

Spreadsheets go through python-calamine (one well-kept reader for every Excel format WPS and
Office write), after a guard: a 300 KB .xlsx can unpack to gigabytes, or name a cell a million
rows down, and either would take the PC's memory before a single row is read. Cells keep their
type, so a number Excel stored instead of the typed text can be told apart from text. A value
merged down several rows (所属村, 户主姓名 of a household) is carried to every row it covers.
"""

from __future__ import annotations

import csv
import io
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

from agent_desk.core.errors import DomainError

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".et")
TEXT_FILES = (".csv", ".txt")
MAX_ROWS = 200_000
MAX_CELLS = 6_000_000  # rows × columns of the sheet's rectangle, as the reader lays it out
MAX_UNPACKED = 256 * 1024 * 1024  # all parts of an .xlsx after unzipping
MAX_FILE = 128 * 1024 * 1024  # a .csv, or an .xls/.et (not compressed)
_CHUNK = 1 << 20
_ROW_REF = re.compile(rb"<row\s[^>]*?\br=\"([0-9]{1,9})\"")
# Only cells in column AA or further: rare in a roster, so the scan stays cheap.
_WIDE_CELL = re.compile(rb"<c\s[^>]*?\br=\"([A-Z]{2,3})[0-9]")


class RosterError(DomainError):
    """The file as a whole cannot be read (not a single row was imported)."""


def read_rows(path: Path) -> list[list[Any]]:
    """Every row of the first sheet, row 1 first; merged values carried down and across."""
    suffix = path.suffix.lower()
    if suffix in SPREADSHEETS:
        return _read_spreadsheet(path)
    if suffix in TEXT_FILES:
        _check_file_size(path)
        return list(csv.reader(io.StringIO(_decode(path.read_bytes()))))
    raise RosterError(
        f"不支持的文件类型「{path.suffix}」，请使用 .xlsx、.xls、.et 或 .csv", code="roster_type"
    )


def _too_big(path: Path, what: str) -> RosterError:
    return RosterError(
        f"{path.name} {what}，不像是花名册（可能已损坏或被恶意构造）；请分批导入或另存后再试",
        code="roster_too_big",
        message_en=f"{path.name}: {what}",
    )


def _check_file_size(path: Path) -> None:
    if path.stat().st_size > MAX_FILE:
        raise _too_big(path, f"超过 {MAX_FILE // 2**20} MB")


def guard_zip(path: Path) -> None:
    """Refuse an .xlsx whose parts unpack too big or whose sheets reach too far, before parsing.

    The declared sizes are checked first (instant); then each worksheet is unpacked as a stream,
    counting bytes (sizes in the zip can lie) and reading the row and cell references.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNPACKED:
                raise _too_big(path, f"解压后超过 {MAX_UNPACKED // 2**20} MB")
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _scan_sheet(path, archive, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _corrupt(path, exc) from exc


def _scan_sheet(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    unpacked, rows, columns, tail = 0, 0, 0, b""
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            unpacked += len(chunk)
            if unpacked > MAX_UNPACKED:
                raise _too_big(path, f"解压后超过 {MAX_UNPACKED // 2**20} MB")
            text = tail + chunk
            rows = max(rows, max(map(int, _ROW_REF.findall(text)), default=0))
            wide = max(map(_column_number, _WIDE_CELL.findall(text)), default=0)
            columns = max(columns, 26, wide)
            if rows > MAX_ROWS + 100 or rows * columns > MAX_CELLS:
                raise _too_big(path, f"的表格延伸到第 {rows} 行、第 {columns} 列")
            tail = text[-256:]


# BIFF cell records (row at offset 0, column at offset 2): BLANK, NUMBER, LABEL, BOOLERR, RK,
# LABELSST, FORMULA, RSTRING; MULRK and MULBLANK name their last column in their final 2 bytes.
_CELL_RECORDS = frozenset({0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00D6})
_MULTI_CELL_RECORDS = frozenset({0x00BD, 0x00BE})
_BOUNDSHEET, _EOF = 0x0085, 0x000A


def guard_biff(path: Path) -> None:
    """Refuse an old .xls/.et whose first sheet reaches too far, before the reader lays it out.

    calamine turns a sheet into one dense rectangle from A1 to its farthest cell: a 5 KB .xls with
    one cell at IV65536 took 1 GB before the rectangle check after it could run. The cell records
    of the first sheet are read here (olefile for the compound file, then the BIFF records) to find
    that corner first; anything that is not a compound file is left to the reader to refuse.
    """
    import olefile

    try:
        if not olefile.isOleFile(str(path)):
            return
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return
            stream = ole.openstream(name).read()
        rows, columns = _biff_extent(stream)
    except (OSError, ValueError, struct.error) as exc:
        raise _corrupt(path, exc) from exc
    if rows > MAX_ROWS + 100 or rows * columns > MAX_CELLS:
        raise _too_big(path, f"的表格延伸到第 {rows} 行、第 {columns} 列")


def _biff_extent(stream: bytes) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell of the workbook's first sheet."""
    first_sheet = _first_sheet_offset(stream)
    if first_sheet is None:
        return 0, 0
    # One unpack per record (header and the row/column that follow): 0.5 s for 400k cells.
    record = struct.Struct("<HHHH").unpack_from
    cells, multi = _CELL_RECORDS, _MULTI_CELL_RECORDS
    rows = columns = 0
    at, end = first_sheet, len(stream) - 8
    while at <= end:
        kind, size, row, column = record(stream, at)
        if kind in cells:
            if row >= rows:
                rows = row + 1
            if column >= columns:
                columns = column + 1
        elif kind in multi and size >= 6:
            (column,) = struct.unpack_from("<H", stream, at + 2 + size)
            rows, columns = max(rows, row + 1), max(columns, column + 1)
        elif kind == _EOF and at != first_sheet:
            break
        at += 4 + size
    return rows, columns


def _first_sheet_offset(stream: bytes) -> int | None:
    """Where the first sheet's records start, from the workbook globals' first BOUNDSHEET."""
    at, end = 0, len(stream) - 4
    while at <= end:
        kind, size = struct.unpack_from("<HH", stream, at)
        if kind == _BOUNDSHEET and size >= 4:
            (offset,) = struct.unpack_from("<I", stream, at + 4)
            return offset if offset < len(stream) else None
        if kind == _EOF:
            return None
        at += 4 + size
    return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _corrupt(path: Path, exc: BaseException) -> RosterError:
    return RosterError(
        f"无法读取表格文件 {path.name}：文件已损坏，或不是 Excel/WPS 表格",
        code="roster_corrupt",
        message_en=f"{type(exc).__name__}: {exc}",
    )


def _read_spreadsheet(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    if zipfile.is_zipfile(path):
        guard_zip(path)
    else:
        _check_file_size(path)
        guard_biff(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        try:
            sheet = book.get_sheet_by_index(0)
            if sheet.total_height * max(sheet.total_width, 1) > MAX_CELLS:
                raise _too_big(path, f"有 {sheet.total_height} 行、{sheet.total_width} 列")
            rows = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        finally:
            book.close()
    except RosterError:
        raise
    except Exception as exc:  # the reader raises its own types for every kind of damage
        raise _corrupt(path, exc) from exc
    return carry_merged(rows, merged)


Span = tuple[tuple[int, int], tuple[int, int]]


def carry_merged(rows: list[list[Any]], merged: list[Span]) -> list[list[Any]]:
    """Give every row a merged range covers the range's value; rows with nothing of their own stay empty."""
    own = [any(_filled(v) for v in row) for row in rows]
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            if not own[r]:
                continue
            row = rows[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                if not _filled(row[c]):
                    row[c] = value
    return rows


def _filled(value: Any) -> bool:
    return value is not None and value != ""


def _decode(raw: bytes) -> str:
    """Excel in China saves CSV as GBK; try UTF-8 (with BOM) first, then GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 .xlsx", code="roster_encoding")
