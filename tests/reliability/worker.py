"""A desk that works until it is killed: writes clients, fills forms, imports rosters, or syncs.

Run as ``python -m tests.reliability.worker DATA_DIR SEED WORKLOAD``; the password comes from
``AGENT_DESK_PASSWORD`` and, for the sync workload, the hub token from the test keyring backend
(``AGENT_DESK_TEST_TOKEN``). After each commit it prints ``SAVED <table> <id>`` (``EDITED client
<id> <field> <value>`` for an edit); around each sync ``SYNC begin``, ``SYNC <phase>`` and ``SYNC
end`` (a ``SYNC <phase>`` line per pushed batch or pulled page). The harness kills it with SIGKILL
at a random moment and then checks what was reported.
"""

from __future__ import annotations

import csv
import os
import random
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, text

from agent_desk.catalog.check import default_catalog_dir
from agent_desk.catalog.loader import load_catalog
from agent_desk.core.identity import make_resident_id
from agent_desk.fill.render import render
from agent_desk.services.cases import open_case
from agent_desk.services.clients import ClientInput, create_client, update_client
from agent_desk.services.desk import Desk, open_desk
from agent_desk.services.intake import item_spec
from agent_desk.services.roster import import_clients
from agent_desk.services.vault import unlock
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import Client, GeneratedDocument, Village
from agent_desk.store.sealed import writer_for
from agent_desk.sync.engine import SyncEngine

SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", "建国秀英志强桂兰明华玉珍"
TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "common" / "receipt.docx"
WORKLOADS = ("writes", "fills", "imports", "sync")
SYNC_BATCH, SYNC_PAGE = (
    5,
    20,
)  # small batches and pages: a sync is many commits, a kill lands among them


class Work:
    """What every step needs: the desk, the random source, the form spec and the desk's village."""

    def __init__(self, desk: Desk, rng: random.Random, folder: Path) -> None:
        self.desk, self.rng, self.folder = desk, rng, folder
        self.spec = item_spec(
            (catalog := load_catalog(default_catalog_dir())).items[sorted(catalog.items)[0]]
        )
        with desk.db.session() as session:
            village = session.scalars(select(Village).order_by(Village.code)).first()  # type: ignore[arg-type]
            self.village_id, self.village_name = (
                (village.id, village.name) if village else (None, None)
            )

    def person(self) -> ClientInput:
        rng = self.rng
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
        rid = make_resident_id("620524", born, rng.randrange(1, 999))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        extra = {"village_id": self.village_id} if self.village_id else {}
        return ClientInput(
            name=name, id_number=rid, phone=f"139{rng.randrange(10**8):08d}", extra=extra
        )


def _say(*parts: str) -> None:
    print(*parts, flush=True)


def write_client(work: Work, n: int) -> None:
    with work.desk.db.session() as session:
        try:
            client = create_client(work.person(), session=session, actor="worker")
        except Exception:  # a duplicate random ID: not this test's concern
            session.rollback()
            return
        session.commit()
    _say("SAVED", "client", client.id)


def edit_client(work: Work, n: int) -> None:
    """Change one field of a client already on file; the harness checks the last reported value."""
    with work.desk.db.session() as session:
        found = session.execute(text("SELECT id FROM client ORDER BY random() LIMIT 1")).scalar()
        client = session.get(Client, found) if found else None
        if client is None:
            return
        address = f"{work.village_name or '某'}村{work.rng.randrange(1, 9)}组{n}号"
        update_client(
            client,
            ClientInput(name=client.name, extra={"address": address}),
            session=session,
            actor="worker",
        )
        session.commit()
    _say("EDITED", "client", client.id, "address", address)


def fill_form(work: Work, n: int) -> None:
    desk = work.desk
    with desk.db.session() as session:
        try:
            client = create_client(work.person(), session=session, actor="worker")
        except Exception:
            session.rollback()
            return
        case = open_case(client, work.spec, session=session, actor="worker")
        out = desk.data.documents / f"{case.case_no}.docx"
        digest = render(
            TEMPLATE,
            {"client": {"name": client.name}},
            out,
            write=writer_for(desk.data.documents, desk.cipher),
        )  # sealed, as the app writes it
        doc = GeneratedDocument(
            case_id=case.id, template=TEMPLATE.name, title="申请表", path=str(out), sha256=digest
        )
        session.add(doc)
        session.commit()
    _say("SAVED", "case", case.id)
    _say("SAVED", "generated_document", doc.id)


def import_roster(work: Work, n: int) -> None:
    path = work.folder / f"roster-{n}.csv"
    people = [work.person() for _ in range(15)]
    heads = [people[i - i % 3].name for i in range(15)]  # households of three, made by the import
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "公民身份号码", "联系电话", "家庭住址", "户主姓名", "所属村"])
        writer.writerows(
            [
                p.name,
                p.id_number,
                p.phone,
                f"{n % 9 + 1}组{n}-{i // 3}号",
                head,
                work.village_name or "",
            ]
            for i, (p, head) in enumerate(zip(people, heads, strict=True))
        )
    with work.desk.db.session() as session:
        report = import_clients(path, session=session, actor="worker")
        session.commit()
    if report.created:
        for p in people:
            _say("SAVED", "client_id_number", p.id_number or "")


Step = Callable[[Work, int], None]
MIXES: dict[str, list[tuple[float, Step]]] = {  # workload → (cumulative probability, step)
    "writes": [(0.7, write_client), (1.0, edit_client)],
    "fills": [(1.0, fill_form)],
    "imports": [(1.0, import_roster)],
    "sync": [(0.5, write_client), (0.7, edit_client), (0.95, fill_form), (1.0, import_roster)],
}


def step(work: Work, workload: str, n: int) -> None:
    choice = work.rng.random()
    next(fn for bound, fn in MIXES[workload] if choice < bound)(work, n)


def sync_forever(work: Work) -> None:
    """A burst of changes, then a full sync in small batches and pages, again and again."""
    engine = SyncEngine(
        work.desk.db,
        work.desk.data,
        batch_size=SYNC_BATCH,
        page_size=SYNC_PAGE,
        cipher=work.desk.cipher,
    )
    for n in range(10**6):
        for k in range(work.rng.randrange(3, 30)):
            step(work, "sync", n * 100 + k)
        _say("SYNC", "begin")
        engine.sync_once(progress=lambda p: _say("SYNC", p.phase))  # one line per batch or page
        _say("SYNC", "end")


def main(data_dir: str, seed: str, workload: str = "mixed") -> int:
    rng = random.Random(int(seed))
    data = DataDir(Path(data_dir))
    password = os.environ.get("AGENT_DESK_PASSWORD")
    desk = open_desk(data.root, key=unlock(data, password) if password else None, actor="worker")
    folder = Path(data_dir).parent / "rosters"
    folder.mkdir(exist_ok=True)
    work = Work(desk, rng, folder)
    print("READY", flush=True)
    if workload == "sync":
        sync_forever(work)
    for n in range(10**6):
        step(work, workload if workload in MIXES else rng.choice(WORKLOADS[:3]), n)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
