"""Roster import figures: a 10,000-row .xlsx 花名册 into a fresh desk, with progress reported."""

from __future__ import annotations

import random
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

from common import OUT, Row

from agent_desk.core.identity import make_resident_id
from agent_desk.services.desk import open_desk
from agent_desk.services.roster import import_clients
from agent_desk.services.roster_headers import HEADERS
from agent_desk.store.models import Village

ROWS = 10_000
FIELDS = (
    "name",
    "id_number",
    "sex",
    "phone",
    "address",
    "head_name",
    "relation_to_head",
    "village",
)
HEADER = [HEADERS[field][0] for field in FIELDS]  # the first spelling of each: 姓名, 公民身份号码 …
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国秀英桂兰志强红梅海涛丽娟明军"


def roster_rows(count: int, seed: int = 7) -> list[list[str]]:
    """Households of four with a shared head and address, as a village office keeps them."""
    rnd = random.Random(seed)
    rows = []
    for i in range(count):
        born = date(1940, 1, 1) + timedelta(days=rnd.randrange(25_000))
        name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
        head = rows[-(i % 4)][0] if i % 4 else name
        number = make_resident_id("620524", born, (i * 7) % 1000)
        sex = "男" if int(number[16]) % 2 else "女"
        rows.append(
            [
                name,
                number,
                sex,
                f"139{i:08d}",
                f"洛门村{i // 400 + 1}组{i // 4}号",
                head,
                "户主" if i % 4 == 0 else "子",
                "洛门村",
            ]
        )
    unique = {r[1]: r for r in rows}
    return list(unique.values())


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def raw_baseline(rows: list[list[str]], folder: Path) -> float:
    """Bare sqlite3: the same rows inserted into one narrow table, no checks, no keys."""
    import sqlite3

    path = folder / "raw.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, name TEXT, phone TEXT, address TEXT)")
    started = time.perf_counter()
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", ((r[1], r[0], r[3], r[4]) for r in rows))
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def bench_import(count: int) -> list[Row]:
    folder = OUT / "roster-import"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rows = roster_rows(count)
    path = write_xlsx(folder / "花名册.xlsx", rows)
    desk = open_desk(folder / "desk")
    ticks: list[int] = []
    try:
        with desk.db.session() as session:
            session.add(
                Village(
                    code="620524100200",
                    name="洛门村",
                    township_code="620524100",
                    township_name="洛门镇",
                )
            )
            session.commit()
            started = time.perf_counter()
            report = import_clients(
                path,
                session=session,
                actor="bench",
                progress=lambda done, _total: ticks.append(done),
            )
            session.commit()
            elapsed = time.perf_counter() - started
    finally:
        desk.close()
    baseline = raw_baseline(rows, folder)
    ok = elapsed <= 20 and report.created == len(rows) and len(ticks) >= 10
    label = f"roster import, {len(rows):,} rows .xlsx ({len(ticks)} progress reports)"
    return [Row(label, elapsed, "s", "≤ 20 s", ok, baseline)]


def _rows_bomb(path: Path) -> Path:
    """About 1 MB packed: every one of Excel's 1,048,576 rows declared, one cell each (40 MB of XML)."""
    import zipfile

    from openpyxl import Workbook

    Workbook().save(path)
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist() if not n.startswith("xl/worksheets/")}
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 1_048_577)
    )
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        target.writestr("xl/worksheets/sheet1.xml", sheet + rows + b"</sheetData></worksheet>")
    return path


def bench_bomb() -> list[Row]:
    """The guard's answer to a zip bomb; the raw baseline is reading the same file's bytes."""
    from agent_desk.services.roster_read import RosterError, read_rows

    path = _rows_bomb(OUT / "bomb.xlsx")
    started = time.perf_counter()
    try:
        read_rows(path)
        refused = False
    except RosterError:
        refused = True
    elapsed = time.perf_counter() - started
    baseline_start = time.perf_counter()
    path.read_bytes()
    baseline = time.perf_counter() - baseline_start
    path.unlink()
    return [
        Row(
            "zip bomb roster refused (1 MB .xlsx, 1,048,576 rows)",
            elapsed,
            "s",
            "≤ 1 s",
            refused and elapsed <= 1,
            baseline,
        )
    ]


def run(quick: bool) -> list[Row]:
    return bench_bomb() + bench_import(2_000 if quick else ROWS)
