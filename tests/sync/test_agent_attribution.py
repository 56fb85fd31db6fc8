"""Hub migration 0005: cases pushed before desks recorded their agent are credited to who pushed them."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from agent_desk.server import tables as t
from agent_desk.server.db import MIGRATIONS, make_hub_engine, upgrade_hub

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
AGENT, REVIEWER = "a" * 32, "b" * 32
MINE, THEIRS, ALREADY = "1" * 32, "2" * 32, "3" * 32


def _at_0003(engine: sa.Engine) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "0003")


def _user(conn: sa.Connection, user_id: str, role: str) -> None:
    conn.execute(
        t.user.insert().values(
            id=user_id,
            username=role,
            display_name=role,
            role=role,
            password_hash="x",
            active=True,
            created_at=NOW,
        )
    )


def _case(conn: sa.Connection, case_id: str, seq: int, pushed_by: str, fields: dict) -> None:
    conn.execute(
        t.record.insert().values(
            entity="case",
            id=case_id,
            village_id=None,
            version=1,
            deleted=False,
            seq=seq,
            fields=fields,
            field_meta={},
            updated_at=NOW,
        )
    )
    conn.execute(
        t.change.insert().values(
            seq=seq,
            entity="case",
            entity_id=case_id,
            village_id=None,
            version=1,
            op_id=None,
            user_id=pushed_by,
            device_id=None,
            fields=fields,
            deleted=False,
            at=NOW,
        )
    )


def test_cases_without_an_agent_are_credited_to_the_agent_who_pushed_them(hub_url: str) -> None:
    engine = make_hub_engine(hub_url)
    try:
        _at_0003(engine)
        with engine.begin() as conn:
            _user(conn, AGENT, "agent")
            _user(conn, REVIEWER, "reviewer")
            _case(conn, MINE, 1, AGENT, {"case_no": "DB1", "agent_id": None})
            _case(conn, THEIRS, 2, REVIEWER, {"case_no": "DB2"})  # a reviewer's push credits nobody
            _case(conn, ALREADY, 3, AGENT, {"case_no": "DB3", "agent_id": REVIEWER})
            conn.execute(t.counter.update().values(value=3))
        upgrade_hub(engine)
        with engine.connect() as conn:
            records = {r.id: r for r in conn.execute(sa.select(t.record))}
            changes = list(conn.execute(sa.select(t.change).where(t.change.c.seq > 3)))
            head = conn.scalar(sa.select(t.counter.c.value))
    finally:
        engine.dispose()
    assert (
        records[MINE].fields["agent_id"] == AGENT
        and records[MINE].version == 2
        and records[MINE].seq == 4
    )
    assert "agent_id" not in records[THEIRS].fields
    assert records[ALREADY].fields["agent_id"] == REVIEWER
    assert [(c.entity_id, c.fields, c.version) for c in changes] == [(MINE, {"agent_id": AGENT}, 2)]
    assert head == 4
