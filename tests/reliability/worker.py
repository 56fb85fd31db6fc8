"""A desk that writes until it is killed: clients, cases with filled forms, roster imports.

Run as ``python -m tests.reliability.worker DATA_DIR SEED``; the password comes from
``AGENT_DESK_PASSWORD``. After each commit it prints ``SAVED <table> <id>`` — the harness kills it
with SIGKILL at a random moment and then checks that every reported row is there.
"""

from __future__ import annotations

import csv
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from agent_desk.catalog.check import default_catalog_dir
from agent_desk.catalog.loader import load_catalog
from agent_desk.core.identity import make_resident_id
from agent_desk.fill.render import render
from agent_desk.services.cases import open_case
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.desk import open_desk
from agent_desk.services.intake import item_spec
from agent_desk.services.roster import import_clients
from agent_desk.services.vault import unlock
from agent_desk.store.datadir import DataDir
from agent_desk.store.models import GeneratedDocument
from agent_desk.store.sealed import writer_for

SURNAMES, GIVEN = "王李张刘陈杨赵黄周吴", "建国秀英志强桂兰明华玉珍"
TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "common" / "receipt.docx"


def _person(rng: random.Random, n: int) -> ClientInput:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
    rid = make_resident_id("620524", born, rng.randrange(1, 999))
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    return ClientInput(name=name, id_number=rid, phone=f"139{rng.randrange(10**8):08d}")


def _say(*parts: str) -> None:
    print("SAVED", *parts, flush=True)


def write_client(desk, rng: random.Random, n: int) -> None:
    with desk.db.session() as session:
        try:
            client = create_client(_person(rng, n), session=session, actor="worker")
        except Exception:  # a duplicate random ID: not this test's concern
            session.rollback()
            return
        session.commit()
    _say("client", client.id)


def fill_form(desk, rng: random.Random, n: int, spec) -> None:
    with desk.db.session() as session:
        try:
            client = create_client(_person(rng, n), session=session, actor="worker")
        except Exception:
            session.rollback()
            return
        case = open_case(client, spec, session=session, actor="worker")
        out = desk.data.documents / f"{case.case_no}.docx"
        digest = render(TEMPLATE, {"client": {"name": client.name}}, out,
                        write=writer_for(desk.data.documents, desk.cipher))  # sealed, as the app writes it
        doc = GeneratedDocument(case_id=case.id, template=TEMPLATE.name, title="申请表", path=str(out),
                                sha256=digest)  # fmt: skip
        session.add(doc)
        session.commit()
    _say("case", case.id)
    _say("generated_document", doc.id)


def import_roster(desk, rng: random.Random, n: int, folder: Path) -> None:
    path = folder / f"roster-{n}.csv"
    people = [_person(rng, n * 100 + i) for i in range(15)]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "公民身份号码", "联系电话"])
        writer.writerows([p.name, p.id_number, p.phone] for p in people)
    with desk.db.session() as session:
        report = import_clients(path, session=session, actor="worker")
        session.commit()
    if report.created:
        for p in people:
            _say("client_id_number", p.id_number or "")


def main(data_dir: str, seed: str) -> int:
    rng = random.Random(int(seed))
    data = DataDir(Path(data_dir))
    password = os.environ.get("AGENT_DESK_PASSWORD")
    key = unlock(data, password) if password else None
    desk = open_desk(data.root, key=key, actor="worker")
    catalog = load_catalog(default_catalog_dir())
    spec = item_spec(catalog.items[sorted(catalog.items)[0]])
    folder = Path(data_dir).parent / "rosters"
    folder.mkdir(exist_ok=True)
    print("READY", flush=True)
    for n in range(10**6):
        choice = rng.random()
        if choice < 0.6:
            write_client(desk, rng, n)
        elif choice < 0.9:
            fill_form(desk, rng, n, spec)
        else:
            import_roster(desk, rng, n, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
