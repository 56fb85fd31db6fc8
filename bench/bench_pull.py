"""A desk's initial pull of a real-shaped township (issue 20), against the same records bulk-inserted.

The township is what ``seed-demo`` makes (villages, households, clients, their scans' metadata,
requests, cases, their documents and events), put into a hub's record store as if its desks had
pushed it; a fresh encrypted (SQLCipher) desk then pulls all of it, as the township's admin, with
the app's default page and batch sizes, from a hub in its own process. Floor, in the same run: the
same rows, already in the desk's storage format, bulk-inserted by the bare driver (``sqlcipher3``
executemany, one transaction, the same 256 MB page cache) into another fresh encrypted desk with
the same schema and the same indexes.

The full township is 100,000 clients and 94,000 cases (≈1.26M records); ``BENCH_PULL_FRACTION``
scales it (default 0.1 for ``make bench``, 0.02 with ``--quick``). The seeded source desk is kept in
bench/out and reused.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sync import hub_process, show  # noqa: E402
from common import OUT, Row  # noqa: E402

from agent_desk.protocol import PARENT_LINK, SYNCED_ENTITIES  # noqa: E402
from agent_desk.server import admin  # noqa: E402
from agent_desk.server import tables as t  # noqa: E402
from agent_desk.server.db import HubDB  # noqa: E402
from agent_desk.services import vault  # noqa: E402
from agent_desk.services.demo import seed_demo  # noqa: E402
from agent_desk.services.demo_catalog import demo_items  # noqa: E402
from agent_desk.services.desk import Desk, open_desk  # noqa: E402
from agent_desk.store.datadir import DataDir  # noqa: E402
from agent_desk.sync.engine import SyncEngine  # noqa: E402
from agent_desk.sync.pull import PULL_CACHE_KIB  # noqa: E402
from agent_desk.sync.run import SyncProgress  # noqa: E402
from agent_desk.sync.tables import entity_fields  # noqa: E402
from tests.sync.keyring_backend import MemoryKeyring  # noqa: E402

FULL_CLIENTS, FULL_CASES = 100_000, 94_000  # seed-demo's shape: ≈1.26M records
PASSWORD = "Bench-pull-2026"
HUB_PASSWORD = "bench-password-1"
TARGET = 1.5  # × the floor
CHUNK = 5000


def source_desk(clients: int, cases: int) -> Path:
    """The township as seed-demo makes it, seeded once and kept (plain: it is only read)."""
    folder = OUT / f"pull-source-{clients}-{cases}"
    if (folder / "seeded").exists():
        return folder
    desk = open_desk(folder)
    with desk.db.session() as session:
        seed_demo(session, demo_items(), clients=clients, cases=cases, seed=20)
        session.commit()
    desk.close()
    (folder / "seeded").write_text("1")
    return folder


def read_records(source: Path) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Each synced table's rows as stored (column names, value tuples), in rowid order."""
    conn = sqlite3.connect(source / "agent_desk.db")
    out = {}
    for entity in SYNCED_ENTITIES:
        cursor = conn.execute(f'SELECT * FROM "{entity}" ORDER BY rowid')
        out[entity] = ([d[0] for d in cursor.description], cursor.fetchall())
    conn.close()
    return out


def _wire(entity: str, names: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    """A stored row as a desk would have pushed it: ISO datetimes with their zone, JSON decoded."""
    kinds = entity_fields(entity)
    fields = {}
    for name, value in zip(names, row, strict=True):
        if name not in kinds:
            continue
        kind = type(kinds[name]).__name__
        if value is not None and kind == "DateTime":
            value = datetime.fromisoformat(value).replace(tzinfo=UTC).isoformat()
        elif value is not None and kind == "JSON":
            value = json.loads(value)
        elif value is not None and kind == "Boolean":
            value = bool(value)
        fields[name] = value
    return fields


def seed_hub(url: str, records: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> int:
    """Every record into the hub's record store, parents first, with its village; the admin user."""
    db = HubDB.open(url)
    admin.create_user(db, username="admin", password=HUB_PASSWORD, role="admin")
    village_of: dict[str, dict[str, str | None]] = {}
    now, total = datetime.now(UTC), 0
    with db.sequenced() as seq:
        for entity in SYNCED_ENTITIES:
            names, rows = records[entity]
            own: dict[str, str | None] = {}
            batch = []
            for row in rows:
                fields = _wire(entity, names, row)
                record_id = row[names.index("id")]
                if entity == "village":
                    village = record_id
                elif entity in PARENT_LINK:
                    parent, link = PARENT_LINK[entity]
                    village = village_of[parent].get(fields[link])
                else:
                    village = fields.get("village_id")
                own[record_id] = village
                batch.append(
                    {
                        "entity": entity,
                        "id": record_id,
                        "village_id": village,
                        "version": 1,
                        "deleted": False,
                        "seq": seq.next(),
                        "fields": fields,
                        "field_meta": {},
                        "updated_at": now,
                    }
                )
                if len(batch) == CHUNK:
                    seq.conn.execute(insert(t.record), batch)
                    batch = []
            if batch:
                seq.conn.execute(insert(t.record), batch)
            village_of[entity] = own
            total += len(rows)
    db.close()
    return total


def encrypted_desk(folder: Path) -> Desk:
    """A fresh desk at today's schema, encrypted as a real one is."""
    open_desk(folder).close()
    key = vault.setup_password(DataDir(folder), PASSWORD)
    return open_desk(folder, key=key)


def pull(tmp: Path, port: int) -> tuple[float, float, Any, list[tuple[float, SyncProgress]]]:
    """The desk's whole first sync: (wall s, CPU s of this process, report, progress ticks)."""
    desk = encrypted_desk(tmp / "desk")
    engine = SyncEngine(desk.db, desk.data)  # the app's default page and batch sizes
    engine.configure(f"http://127.0.0.1:{port}", "admin")
    engine.login(HUB_PASSWORD)
    ticks: list[tuple[float, SyncProgress]] = []
    started, cpu = time.perf_counter(), time.process_time()
    report = engine.sync_once(progress=lambda p: ticks.append((time.perf_counter() - started, p)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.close()
    desk.close()
    return wall, cpu, report, ticks


def floor(
    tmp: Path, records: dict[str, tuple[list[str], list[tuple[Any, ...]]]]
) -> tuple[float, float]:
    """The same rows, as stored, by the bare driver into a fresh encrypted desk: (wall s, CPU s)."""
    desk = encrypted_desk(tmp / "floor")
    raw = desk.db.engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.execute(f"PRAGMA cache_size=-{PULL_CACHE_KIB}")
    started, cpu = time.perf_counter(), time.thread_time()
    for entity, (names, rows) in records.items():
        quoted = ", ".join(f'"{n}"' for n in names)
        cursor.executemany(
            f'INSERT INTO "{entity}" ({quoted}) VALUES ({", ".join("?" * len(names))})', rows
        )
    raw.commit()
    wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
    cursor.execute("PRAGMA foreign_keys=ON")
    raw.close()
    desk.close()
    return wall, cpu


def bench_township(fraction: float) -> list[Row]:
    clients, cases = round(FULL_CLIENTS * fraction), round(FULL_CASES * fraction)
    records = read_records(source_desk(clients, cases))
    counts = {e: len(rows) for e, (_n, rows) in records.items()}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = f"sqlite:///{tmp / 'hub.db'}"
        total = seed_hub(url, records)
        with hub_process(url, tmp / "hub-dir", workers=1) as port:
            wall, cpu, report, ticks = pull(tmp, port)
        floor_wall, floor_cpu = floor(tmp, records)
    assert report.pulled >= total, (report.pulled, total)  # and the hub's own admin user
    load = os.getloadavg()[0]
    what = f"{total:,} records: " + ", ".join(f"{n:,} {e}" for e, n in counts.items() if n)
    eta = next((p.message for _t, p in ticks if "预计还需" in p.message), "none")
    pages = [t for t, p in ticks if p.phase == "pull"]
    index = [t for t, p in ticks if p.phase == "index"]
    print(
        f"pages stored by {pages[-1]:.1f} s; deferred keys and indexes "
        f"{(index[-1] - index[0]) if index else 0:.1f} s; the rest of the sync "
        f"{wall - (index[-1] if index else pages[-1]):.1f} s",
        flush=True,
    )
    figure = (
        f"initial pull of a real-shaped township ({fraction:g} of 100k clients / 94k cases; {what}), "
        f"encrypted desk, default page and batch sizes, SQLite hub in its own process, load {load:.1f}"
    )
    print(f"progress ticks: {len(ticks)}; e.g. {eta}", flush=True)
    return [
        show(
            Row(
                f"{figure}, wall",
                wall,
                "s",
                f"≤ {TARGET}× floor",
                wall <= TARGET * floor_wall,
                floor_wall,
            )
        ),
        show(
            Row(
                f"{figure}, CPU of the desk process (floor: of the inserting thread)",
                cpu,
                "s",
                f"(≤ {TARGET}× floor)",
                cpu <= TARGET * floor_cpu,
                floor_cpu,
            )
        ),
    ]


def run(quick: bool) -> list[Row]:
    """The suite interface of bench/run.py."""
    keyring.set_keyring(MemoryKeyring())
    fraction = float(os.environ.get("BENCH_PULL_FRACTION", "0.02" if quick else "0.1"))
    return bench_township(fraction)


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    fraction = float(os.environ.get("BENCH_PULL_FRACTION", "0.1"))
    print("figure | value | target | baseline | ratio | ok")
    rows = bench_township(fraction)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
