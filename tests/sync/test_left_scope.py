"""Issue 5: a record that moves to another village leaves the desks of the village it left.

An agent of village 1 (wang), an agent of village 2 (zhou) and the township's reviewer (li, who
serves both) sync through a real hub; li moves a client and its case to village 2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlmodel import SQLModel

from agent_desk.catalog import default_catalog_dir, load_catalog
from agent_desk.core.identity import make_resident_id
from agent_desk.protocol import Change
from agent_desk.server import tables as t
from agent_desk.services.cases import apply_action, open_case, set_document_status
from agent_desk.services.clients import ClientInput, create_client
from agent_desk.services.desk import Desk
from agent_desk.services.intake import item_spec
from agent_desk.services.library import attach_document
from agent_desk.store import audit
from agent_desk.store.case_queries import case_documents
from agent_desk.store.models import (
    AuditEntry,
    Case,
    CaseDocument,
    CaseEvent,
    Client,
    ClientDocument,
    ClientSearchKey,
    GeneratedDocument,
    OutboxEntry,
)
from agent_desk.store.outbox import record_change
from agent_desk.store.queries import search_client_ids
from agent_desk.store.sync_state import SyncConflict
from agent_desk.sync.apply import PageApplier, lenient_session
from agent_desk.sync.engine import SyncEngine
from agent_desk.sync.run import SyncReport
from tests.sync.conftest import (
    TOWNSHIP,
    V1,
    V2,
    HubFixture,
    add_case,
    add_client,
    edit_client,
    make_desk,
)
from tests.sync.test_hub_rules import login

ITEM = "62052400MZ-JF-0001"


def _client_with_case(
    desk: Desk, village_id: str, tmp_path: Path, name: str = "单雄信"
) -> tuple[str, str]:
    """A client with a scan in their library and an accepted case (documents, events, a printed form)."""
    scan = tmp_path / f"{name}.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(5_000))
    item = load_catalog(default_catalog_dir()).item(ITEM)
    with desk.db.session() as session:
        client = create_client(
            ClientInput(
                name,
                make_resident_id("620524", date(1980, 1, 1), 123),
                extra={"village_id": village_id},
            ),
            session=session,
        )
        session.flush()
        attach_document(
            client.id, "id_card", "身份证", scan, session=session, attachments=desk.data.attachments
        )
        case = open_case(client, item_spec(item), session=session, actor="王建国")
        for doc in case_documents(session, case.id):
            set_document_status(doc, "received", session=session)
        apply_action(case, "accept", {}, session=session, actor="王建国")
        session.add(
            GeneratedDocument(
                case_id=case.id, template="申请表", title="申请表", path="x.docx", sha256="0" * 64
            )
        )
        session.commit()
        return client.id, case.id


def _move(desk: Desk, model: type[SQLModel], record_id: str, village_id: str) -> None:
    with desk.db.session() as session:
        row = session.get(model, record_id)
        assert row is not None
        row.village_id = village_id  # type: ignore[attr-defined]
        session.add(row)
        record_change(session, row, {"village_id": village_id})
        session.commit()


def _holdings(desk: Desk, client_id: str, case_id: str) -> dict[str, int]:
    """How many rows of the client and its case this desk holds, table by table (search keys: whether any)."""
    counted = {
        "client": (Client.id, client_id),
        "client_document": (ClientDocument.client_id, client_id),
        "client_search_key": (ClientSearchKey.client_id, client_id),
        "case": (Case.id, case_id),
        "case_event": (CaseEvent.case_id, case_id),
        "case_document": (CaseDocument.case_id, case_id),
        "generated_document": (GeneratedDocument.case_id, case_id),
    }
    with desk.db.session() as session:
        found = {
            name: int(session.scalar(select(func.count()).where(column == value)) or 0)
            for name, (column, value) in counted.items()
        }
    found["client_search_key"] = min(found["client_search_key"], 1)
    return found


def _outbox(desk: Desk) -> list[tuple[str, str]]:
    with desk.db.session() as session:
        return [(e.entity, e.state) for e in session.scalars(select(OutboxEntry))]


def _found(desk: Desk, text: str) -> list[str]:
    with desk.db.session() as session:
        return search_client_ids(session, text)


@dataclass
class Town:
    """wang serves village 1; li reviews the township (villages 1 and 2) and moves records."""

    hub: HubFixture
    wang: Desk
    wang_sync: SyncEngine
    li: Desk
    li_sync: SyncEngine

    def share(self) -> None:
        """wang's records go up, and down to li's desk."""
        self.wang_sync.sync_once()
        self.li_sync.sync_once()

    def move(self, code: str, *records: tuple[type[SQLModel], str]) -> SyncReport:
        """li moves the records to village ``code`` and syncs."""
        for model, record_id in records:
            _move(self.li, model, record_id, self.hub.villages[code])
        return self.li_sync.sync_once()


def _town(hub: HubFixture, tmp_path: Path) -> Town:
    hub.add_user("wang", villages=(V1,))
    hub.add_user("li", role="reviewer", township=TOWNSHIP)
    wang, wang_sync = make_desk(tmp_path, "wang", hub, "wang")
    li, li_sync = make_desk(tmp_path, "li", hub, "li")
    wang_sync.sync_once()
    return Town(hub, wang, wang_sync, li, li_sync)


def test_a_moved_client_and_case_leave_the_old_villages_desk_and_reach_the_new_one(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    town = _town(live_hub, tmp_path)
    wang, wang_sync, li, li_sync = town.wang, town.wang_sync, town.li, town.li_sync
    live_hub.add_user("zhou", villages=(V2,))
    zhou, zhou_sync = make_desk(tmp_path, "zhou", live_hub, "zhou")
    client_id, case_id = _client_with_case(wang, live_hub.villages[V1], tmp_path)
    town.share()
    before = _holdings(wang, client_id, case_id)
    assert (
        before["case_event"] == 2 and before["case_document"] > 0 and before["client_document"] == 1
    )
    assert before["client_search_key"] > 0 and before["generated_document"] == 1
    synced = {**before, "generated_document": 0}  # printed forms stay on the desk that printed them
    assert _holdings(li, client_id, case_id) == synced
    zhou_sync.sync_once()
    assert set(_holdings(zhou, client_id, case_id).values()) == {0}

    assert town.move(V2, (Client, client_id), (Case, case_id)).pushed == 2
    with live_hub.hub.db.reading() as conn:  # on the hub the children moved with their parents
        r = t.record.c
        moved = conn.execute(
            select(r.entity, r.village_id).where(
                r.entity.in_(["case_event", "case_document", "client_document"])
            )
        ).all()
        assert {v for _e, v in moved} == {live_hub.villages[V2]} and len(moved) == sum(
            before[e] for e in ("case_event", "case_document", "client_document")
        )
        assert conn.execute(select(func.count()).select_from(t.departure)).scalar_one() == 2

    audit_before = _audit_count(wang)
    report = wang_sync.sync_once()
    assert report.left_scope == 2 and "已转到其他村" in report.summary_zh()
    assert set(_holdings(wang, client_id, case_id).values()) == {
        0
    }  # gone, children and search keys too
    assert (
        _found(wang, "单雄信") == [] and _outbox(wang) == []
    )  # not a delete of the user's: nothing to push
    with wang.db.session() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))[audit_before:]  # type: ignore[arg-type]
        logged = [e for e in entries if e.detail.get("cause") == "left_scope"]
        assert len(logged) == 1 and {(r["table"], r["id"]) for r in logged[0].detail["rows"]} >= {
            ("client", client_id),
            ("case", case_id),
        }
        assert audit.verify(session.connection())[1] is None

    zhou_report = zhou_sync.sync_once()
    assert (
        zhou_report.left_scope == 0 and zhou_report.downloaded == 1
    )  # the scan too: its village is zhou's now
    assert _holdings(zhou, client_id, case_id) == synced
    assert _found(zhou, "单雄信") == [client_id]

    assert li_sync.sync_once().left_scope == 0  # the reviewer serves both villages: nothing leaves
    assert _holdings(li, client_id, case_id) == synced

    town.move(
        V1, (Client, client_id), (Case, case_id)
    )  # it comes back: the desk it left gets it again, whole
    wang_sync.sync_once()
    assert _holdings(wang, client_id, case_id) == synced
    assert zhou_sync.sync_once().left_scope == 2 and set(
        _holdings(zhou, client_id, case_id).values()
    ) == {0}


def _audit_count(desk: Desk) -> int:
    with desk.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_an_unpushed_edit_of_a_moved_client_is_set_aside_then_the_client_goes(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    town = _town(live_hub, tmp_path)
    wang, wang_sync = town.wang, town.wang_sync
    client_id = add_client(wang, "吴敏", live_hub.villages[V1], phone="13800000001")
    town.share()
    edit_client(wang, client_id, phone="13900000002")  # offline, while li moves the client away
    town.move(V2, (Client, client_id))

    # One sync round: the edit goes up and is refused, then the page read after it takes the client
    # away (a steady desk pushes before it pulls; the hub's answer decides, not the desk's guess).
    report = wang_sync.sync_once()
    assert report.quarantined == 1 and report.left_scope == 1
    [held] = wang_sync.quarantined_ops()
    assert held.entity_id == client_id and "已不在您负责的村" in (held.last_error or "")
    assert held.fields.get("phone") == "13900000002"  # what was typed stays readable on 同步

    report = wang_sync.sync_once()
    assert report.left_scope == 0
    assert _found(wang, "吴敏") == []
    with wang.db.session() as session:
        assert session.get(Client, client_id) is None
    [still] = wang_sync.quarantined_ops()  # the set-aside change stays visible with its reason
    assert still.op_id == held.op_id and still.last_error == held.last_error
    assert _outbox(wang) == [("client", "quarantined")]
    town.li_sync.sync_once()
    with town.li.db.session() as session:  # the hub never took the refused edit
        client = session.get(Client, client_id)
        assert client is not None and client.phone == "13800000001"


def test_a_client_whose_case_stays_is_kept_until_the_case_moves_too(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    town = _town(live_hub, tmp_path)
    client_id = add_client(town.wang, "吴敏", live_hub.villages[V1])
    case_id = add_case(town.wang, client_id, live_hub.villages[V1], "2026-0001")
    town.share()
    town.move(V2, (Client, client_id))
    assert town.wang_sync.sync_once().left_scope == 0
    with town.wang.db.session() as session:  # the case in village 1 still shows its client
        assert session.get(Client, client_id) is not None and session.get(Case, case_id) is not None
    town.move(V2, (Case, case_id))
    assert town.wang_sync.sync_once().left_scope == 2
    with town.wang.db.session() as session:
        assert session.get(Client, client_id) is None and session.get(Case, case_id) is None


def _feed(http: httpx.Client, cursor: int, limit: int) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while True:
        page = http.get("/sync/pull", params={"cursor": cursor, "limit": limit}).json()
        assert page["cursor"] >= cursor and len(page["changes"]) <= limit
        seen += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            return seen


def test_departures_interleaved_with_changes_page_without_loss(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    town = _town(live_hub, tmp_path)
    v1 = live_hub.villages[V1]
    c = [
        add_client(town.wang, name, v1)
        for name in ["赵甲", "钱乙", "孙丙", "李丁", "周戊", "吴己", "郑庚", "王辛"]
    ]
    town.share()
    http = login(live_hub, "wang")
    start = http.get("/sync/pull", params={"cursor": 0, "limit": 5000}).json()["cursor"]

    # a helper serving both villages (a reviewer may move records but not edit them) makes these
    # changes, one sync each so their seqs interleave: moves away, edits wang sees, a new
    # client, a move and an edit in one batch, a move away and back, an edit after a move
    live_hub.add_user("zhang", villages=(V1, V2))
    helper, helper_sync = make_desk(tmp_path, "zhang", live_hub, "zhang")
    helper_sync.sync_once()
    steps = [
        [("move", c[0], V2)],
        [("edit", c[1])],
        [("move", c[2], V2)],
        [("new", v1)],
        [("move", c[3], V2), ("edit", c[4])],
        [("move", c[5], V2)],
        [("edit", c[6])],
        [("move", c[5], V1)],
        [("move", c[7], V2)],
        [("edit", c[7])],
        [("edit", c[1])],
    ]
    for number, step in enumerate(steps):
        for action, *args in step:
            if action == "move":
                _move(helper, Client, args[0], live_hub.villages[args[1]])
            elif action == "edit":
                edit_client(helper, args[0], note=f"第{number}次")
            else:
                add_client(helper, "新客户", args[0])
        assert helper_sync.sync_once().pushed == len(step)

    whole = _feed(http, start, 5000)
    left = [e["id"] for e in whole if e.get("left_scope")]
    assert sorted(left) == sorted([c[0], c[2], c[3], c[7]])  # c[5] came back: no removal for it
    changed = {e["id"] for e in whole if not e.get("left_scope") and e["entity"] == "client"}
    assert changed >= {c[1], c[4], c[5], c[6]} and not changed & set(left)
    for limit in (1, 2, 3):
        paged = _feed(http, start, limit)
        assert paged == whole and [e["seq"] for e in paged] == sorted({e["seq"] for e in paged})

    town.wang_sync.page_size = 2
    town.wang_sync.sync_once()
    with town.wang.db.session() as session:
        kept = {cl.id for cl in session.scalars(select(Client))}
    assert kept == set(c) - set(left) | (changed - set(c))


def test_a_desk_that_predates_left_scope_skips_the_entry(
    live_hub: HubFixture, tmp_path: Path
) -> None:
    """An older desk's Change model has no ``left_scope``: the entry must read as nothing to do."""
    town = _town(live_hub, tmp_path)
    wang = town.wang
    client_id = add_client(wang, "吴敏", live_hub.villages[V1])
    other_id = add_client(wang, "钱二", live_hub.villages[V1])
    town.share()
    town.move(V2, (Client, client_id), (Client, other_id))
    with wang.db.session() as session:  # this desk never held the second one
        session.execute(
            ClientSearchKey.__table__.delete().where(ClientSearchKey.client_id == other_id)
        )  # type: ignore[attr-defined]
        session.execute(Client.__table__.delete().where(Client.id == other_id))  # type: ignore[attr-defined]
        session.commit()
    cursor = town.wang_sync.status().cursor
    entries = login(live_hub, "wang").get("/sync/pull", params={"cursor": cursor}).json()["changes"]
    assert len(entries) == 2 and all(e["left_scope"] for e in entries)
    old_view = [
        Change.model_validate({k: v for k, v in e.items() if k != "left_scope"}) for e in entries
    ]
    with lenient_session(wang.db.engine) as session:
        assert PageApplier(session).apply(old_view) == 0
        session.commit()
    with wang.db.session() as session:
        client = session.get(Client, client_id)
        assert client is not None and not client.deleted and session.get(Client, other_id) is None
        assert session.scalar(select(func.count()).select_from(SyncConflict)) == 0
