"""The hub the crash trials sync with, and the check that a desk and the hub agree after a sync.

One real hub per run (SQLite, uvicorn on 127.0.0.1 in a thread of the harness), reused by every
trial, with a colleague's desk writing to the same village. After a trial the harness syncs the
desk to completion and checks: the hub's pull feed for the desk's user holds exactly the desk's
records (same ids, versions, tombstones and field values, none twice), no op was applied twice,
the outbox is empty, nothing is in conflict, the hub took the whole audit trail, and a second
sync is a no-op that moves nothing and adds nothing to the hub's feed.
"""

from __future__ import annotations

import contextlib
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
from sqlalchemy import func, select
from sqlmodel import col

from agent_desk.core.errors import DomainError
from agent_desk.core.identity import make_resident_id
from agent_desk.protocol import DESK_WRITABLE, MAX_PAGE
from agent_desk.server import admin
from agent_desk.server import tables as t
from agent_desk.server.app import Hub, create_app
from agent_desk.server.blobs import LocalBlobStore
from agent_desk.server.db import HubDB
from agent_desk.services.clients import ClientInput, create_client, update_client
from agent_desk.services.desk import Desk, open_desk
from agent_desk.store.models import Client, OutboxEntry, Village
from agent_desk.store.sync_state import SyncConflict
from agent_desk.sync.apply import to_columns
from agent_desk.sync.engine import SyncEngine
from agent_desk.sync.errors import SyncError
from agent_desk.sync.tables import entity_fields, entity_table
from agent_desk.sync.transport import HubClient
from tests.sync.conftest import ServerThread
from tests.sync.keyring_backend import MemoryKeyring

USER, OTHER_USER, HUB_PASSWORD = "soak", "soak-colleague", "soak-hub-口令-9"
VILLAGE = ("620524100200", "洛门村", "620524100", "洛门镇")
KEYRING_ENV = {
    "PYTHON_KEYRING_BACKEND": "tests.sync.keyring_backend.EnvKeyring"
}  # + AGENT_DESK_TEST_TOKEN
Key = tuple[str, str]  # (entity, id)


@dataclass
class SoakHub:
    db: HubDB
    url: str

    def head(self) -> int:
        with self.db.reading() as conn:
            return int(
                conn.execute(select(t.counter.c.value).where(t.counter.c.name == "seq")).scalar()
                or 0
            )

    def ops_applied_twice(self) -> int:
        c = t.change.c
        twice = (
            select(c.op_id).where(c.op_id.is_not(None)).group_by(c.op_id).having(func.count() > 1)
        )
        with self.db.reading() as conn:
            return int(
                conn.execute(select(func.count()).select_from(twice.subquery())).scalar() or 0
            )

    def conflicts(self) -> int:
        with self.db.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(t.conflict)).scalar() or 0)


@contextlib.contextmanager
def running_hub(folder: Path) -> Iterator[SoakHub]:
    """A hub with one village and one agent of it, serving on a free loopback port until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    db = HubDB.open(f"sqlite:///{folder / 'hub.db'}")
    code, name, township, township_name = VILLAGE
    admin.create_village(
        db, code=code, name=name, township_code=township, township_name=township_name
    )
    for username in (USER, OTHER_USER):
        admin.create_user(
            db, username=username, password=HUB_PASSWORD, role="agent", villages=(code,)
        )
    try:
        with ServerThread(create_app(Hub(db, LocalBlobStore(folder / "blobs")))) as server:
            yield SoakHub(db, f"http://127.0.0.1:{server.port}")
    finally:
        db.close()


@contextlib.contextmanager
def memory_keyring() -> Iterator[None]:
    """Hub tokens of the harness's own syncs stay in memory, never in the OS keyring."""
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def connect(desk: Desk, hub: SoakHub) -> str:
    """Configure the desk for the hub, log in, pull the villages; returns the token for the worker."""
    engine = SyncEngine(desk.db, desk.data, cipher=desk.cipher)
    engine.configure(hub.url, USER, device_name="soak-desk")
    engine.login(HUB_PASSWORD)
    engine.sync_once()
    token = engine.tokens().get()
    engine.close()
    assert token, "no hub token after login"
    return token


class Colleague:
    """A second desk of the same village: its new clients and its notes on anyone's clients reach the
    trial desk through the hub, so the trial desk's pulls have pages to apply while it is killed.
    It writes ``note`` only and the trial desk ``address`` only, so a conflict is a defect, not chance."""

    def __init__(self, folder: Path, hub: SoakHub) -> None:
        self.desk = open_desk(folder)
        self.engine = SyncEngine(self.desk.db, self.desk.data)
        self.engine.configure(hub.url, OTHER_USER, device_name="soak-colleague")
        self.engine.login(HUB_PASSWORD)
        self.engine.sync_once()
        with self.desk.db.session() as session:
            self.village_id = session.scalars(select(col(Village.id))).one()

    def work(self, rng: random.Random, new: int = 40, notes: int = 15) -> None:
        """Register ``new`` clients and write a note on ``notes`` clients already synced, then sync."""
        self.engine.sync_once()  # pull first: notes go on the current versions
        with self.desk.db.session() as session:
            for _ in range(new):
                born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
                number = make_resident_id(
                    "620525", born, rng.randrange(1, 999)
                )  # not the trial desk's region
                with contextlib.suppress(DomainError), session.begin_nested():
                    create_client(
                        ClientInput(
                            name="孙" + rng.choice("立新春梅建华"),
                            id_number=number,
                            extra={"village_id": self.village_id},
                        ),
                        session=session,
                    )
            ids = list(session.scalars(select(col(Client.id)).order_by(func.random()).limit(notes)))
            for client in [session.get(Client, i) for i in ids]:
                assert client is not None
                update_client(
                    client,
                    ClientInput(name=client.name, extra={"note": f"回访{rng.randrange(10**6)}"}),
                    session=session,
                )
            session.commit()
        self.engine.sync_once()

    def close(self) -> None:
        self.engine.close()
        self.desk.close()


def sync_and_compare(desk: Desk, hub: SoakHub) -> list[str]:
    """Sync to completion, then compare; every difference found is one problem (first few of each kind)."""
    engine = SyncEngine(desk.db, desk.data, cipher=desk.cipher)
    try:
        try:
            engine.sync_once()
        except SyncError as exc:
            return [f"next sync failed: {exc}"]
        problems = convergence_problems(desk, hub, engine)
        head = hub.head()
        try:
            again = engine.sync_once()
        except SyncError as exc:
            return [*problems, f"second sync failed: {exc}"]
        moved = {
            k: v
            for k, v in vars(again).items()
            if k
            in (
                "pushed",
                "pulled",
                "conflicts",
                "quarantined",
                "uploaded",
                "downloaded",
                "publications",
                "audit_sent",
                "audit_problem",
            )
            and v
        }
        if moved or hub.head() != head:
            problems.append(f"second sync not a no-op: {moved}, hub feed {head} → {hub.head()}")
        return problems
    finally:
        engine.close()


def convergence_problems(desk: Desk, hub: SoakHub, engine: SyncEngine) -> list[str]:
    problems = _queue_problems(desk)
    status = engine.status()
    if status.audit_unsent or status.audit_problem:
        problems.append(
            f"audit trail not taken by the hub: {status.audit_unsent} unsent, {status.audit_problem}"
        )
    token = engine.tokens().get()
    hub_side, twice = hub_records(hub.url, token)
    desk_side = desk_records(desk)
    problems += [f"twice in the hub's feed: {k}" for k in twice[:5]]
    problems += [
        f"on the desk, not on the hub: {k}" for k in sorted(desk_side.keys() - hub_side.keys())[:5]
    ]
    problems += [
        f"on the hub, not on the desk: {k}" for k in sorted(hub_side.keys() - desk_side.keys())[:5]
    ]
    differing = [
        f"{k}: {d}"
        for k in sorted(desk_side.keys() & hub_side.keys())
        if (d := _differences(desk_side[k], hub_side[k]))
    ]
    problems += [f"desk and hub differ: {d}" for d in differing[:5]]
    numbers = Counter(
        r["id_number"] for (e, _), r in hub_side.items() if e == "client" and r["id_number"]
    )
    problems += [
        f"client ID number twice on the hub: …{n[-4:]}" for n, c in numbers.items() if c > 1
    ][:5]
    if (replayed := hub.ops_applied_twice()) != 0:
        problems.append(f"{replayed} ops applied twice on the hub")
    if (conflicts := hub.conflicts()) != 0:
        problems.append(f"{conflicts} conflicts on the hub (the two desks write different fields)")
    return problems


def _queue_problems(desk: Desk) -> list[str]:
    with desk.db.session() as session:
        left = dict(
            session.execute(
                select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)
            ).all()
        )  # type: ignore[arg-type]
        conflicts = session.scalar(select(func.count()).select_from(SyncConflict)) or 0
    return ([f"outbox not empty after sync: {left}"] if left else []) + (
        [f"{conflicts} sync conflicts on the desk"] if conflicts else []
    )


def hub_records(url: str, token: str | None) -> tuple[dict[Key, dict[str, Any]], list[Key]]:
    """Every desk-writable record the user's pull feed holds, from cursor 0, as the desk's column values."""
    client = HubClient(url, token=token)
    found: dict[Key, dict[str, Any]] = {}
    twice: list[Key] = []
    cursor = 0
    try:
        while True:
            page = client.pull(cursor, MAX_PAGE)
            for change in page.changes:
                if change.entity not in DESK_WRITABLE:
                    continue
                key = (change.entity, change.id)
                if key in found:
                    twice.append(key)
                found[key] = _normal(to_columns(change.entity, change.fields)) | {
                    "version": change.version,
                    "deleted": change.deleted,
                }
            cursor = page.cursor
            if not page.more:
                return found, twice
    finally:
        client.close()


def desk_records(desk: Desk) -> dict[Key, dict[str, Any]]:
    found: dict[Key, dict[str, Any]] = {}
    with desk.db.engine.connect() as conn:
        for entity in DESK_WRITABLE:
            names = [*entity_fields(entity), "version", "deleted"]
            for row in conn.execute(select(entity_table(entity))).mappings():
                found[(entity, row["id"])] = _normal({n: row[n] for n in names})
    return found


def _differences(desk: dict[str, Any], hub: dict[str, Any]) -> str:
    if desk["deleted"] and hub["deleted"] and desk["version"] == hub["version"]:
        return ""  # a tombstone on the hub carries no fields
    diff = [f"{n} desk={desk[n]!r} hub={hub.get(n)!r}" for n in desk if desk[n] != hub.get(n)]
    return "; ".join(diff[:3])


def _normal(values: dict[str, Any]) -> dict[str, Any]:
    """Dates and times as ISO text in UTC, so a value read from SQLite equals the one parsed from JSON."""
    return {k: _iso(v) for k, v in values.items()}


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return (
            value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        ).isoformat()
    return value.isoformat() if isinstance(value, date) else value
