"""`agent-desk server check-records`: records a hub accepted before it checked every op are listed by
today's rules and, with --fix, repaired (or tombstoned) in the feed, so every desk receives the repair."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select

from agent_desk.cli import main
from agent_desk.server import tables as t
from agent_desk.store.models import Case, Client
from agent_desk.store.sync_state import SyncSetAside
from tests.sync.conftest import V1, HubFixture, make_desk


def _plant(hub: HubFixture, entity: str, fields: dict[str, Any]) -> str:
    """A record written straight into the hub, as an older hub accepted it."""
    record_id, village = uuid.uuid4().hex, hub.villages[V1]
    with hub.hub.db.sequenced() as seq:
        number, now = seq.next(), datetime.now(UTC)
        row = {
            "entity": entity,
            "id": record_id,
            "village_id": village,
            "version": 1,
            "deleted": False,
        }
        seq.conn.execute(
            insert(t.record).values(
                row | {"seq": number, "fields": fields, "field_meta": {}, "updated_at": now}
            )
        )
        seq.conn.execute(
            insert(t.change).values(
                seq=number,
                entity=entity,
                entity_id=record_id,
                village_id=village,
                version=1,
                fields=fields,
                deleted=False,
                at=now,
            )
        )
    return record_id


def test_old_poison_is_listed_repaired_and_reaches_the_desks(
    live_hub: HubFixture, tmp_path, capsys
) -> None:
    live_hub.add_user("wang")
    village = live_hub.villages[V1]
    naive = _plant(
        live_hub,
        "client",
        {"name": "钱", "village_id": village, "created_at": "2026-12-01T08:00:00"},
    )
    client = _plant(live_hub, "client", {"name": "孙", "village_id": village})
    case_fields = {
        "case_no": "DB1",
        "client_id": client,
        "item_code": "X-1",
        "item_name": "事项",
        "village_id": village,
        "entrusted_on": "2026-12-01",
        "status": "bogus",
        "satisfaction": 2**70,
    }
    case = _plant(live_hub, "case", case_fields)
    bad_number = _plant(
        live_hub, "client", {"name": "李", "village_id": village, "id_number": "620524195003010012"}
    )
    desk, engine = make_desk(tmp_path, "desk", live_hub, "wang")
    engine.sync_once()
    with desk.db.session() as session:
        assert (
            session.scalar(select(func.count()).select_from(SyncSetAside)) == 2
        )  # the naive datetime, the case

    cli = ["server", "--db", live_hub.hub.db.engine.url.render_as_string(hide_password=False)]
    assert main([*cli, "check-records"]) == 1
    listed = capsys.readouterr().out
    assert all(
        word in listed for word in (naive, case, bad_number, "时区", "满意度", "需人工核实")
    ), listed
    assert main([*cli, "check-records", "--fix"]) == 1  # the invalid ID number is left for a person
    out = capsys.readouterr().out
    assert "已修复 2 条记录" in out and "1 处" in out
    engine.sync_once()
    with desk.db.session() as session:
        assert session.get(Client, naive) is not None
        assert (
            session.get(Case, case) is None or session.get(Case, case).deleted
        )  # status bogus: tombstoned
    with live_hub.hub.db.reading() as conn:
        assert conn.execute(select(func.count()).select_from(t.repair)).scalar_one() == 3
