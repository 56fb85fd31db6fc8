"""cases without an agent: the agent who pushed their creation, from the change log

Revision ID: 0005
Revises: 0007

Desks did not record a case's agent before, so the review queue, the ledger and the per-agent
warnings credited whoever shared the village. The hub knows who pushed each case's first version:
when that user is an agent, the case is theirs. Each attributed case gets a new version and a
change in the feed (a system change: no op, no user), so desks learn it at their next pull.
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 500


def _tables(meta: sa.MetaData) -> tuple[sa.Table, sa.Table, sa.Table, sa.Table]:
    bind = op.get_bind()
    return tuple(
        sa.Table(n, meta, autoload_with=bind)
        for n in ("hub_record", "hub_change", "hub_user", "hub_counter")
    )  # type: ignore[return-value]


def _creators(bind: sa.Connection, change: sa.Table, user: sa.Table) -> dict[str, str]:
    """Case id → the agent who pushed its first change."""
    first = (
        sa.select(change.c.entity_id, sa.func.min(change.c.seq).label("seq"))
        .where(change.c.entity == "case", change.c.user_id.isnot(None))
        .group_by(change.c.entity_id)
        .subquery()
    )
    stmt = (
        sa.select(change.c.entity_id, change.c.user_id)
        .join(first, sa.and_(first.c.entity_id == change.c.entity_id, first.c.seq == change.c.seq))
        .join(user, user.c.id == change.c.user_id)
        .where(user.c.role == "agent")
    )
    return {case_id: user_id for case_id, user_id in bind.execute(stmt)}


def upgrade() -> None:
    bind = op.get_bind()
    record, change, user, counter = _tables(sa.MetaData())
    creators = _creators(bind, change, user)
    rows = bind.execute(
        sa.select(
            record.c.id, record.c.version, record.c.fields, record.c.field_meta, record.c.village_id
        ).where(record.c.entity == "case", record.c.deleted == sa.false())
    )
    todo = [r for r in rows if not (r.fields or {}).get("agent_id") and r.id in creators]
    seq = int(bind.scalar(sa.select(counter.c.value).where(counter.c.name == "seq")) or 0)
    now = datetime.now(timezone.utc)
    for start in range(0, len(todo), BATCH):
        for r in todo[start : start + BATCH]:
            seq += 1
            agent, version = creators[r.id], r.version + 1
            fields = dict(r.fields or {}) | {"agent_id": agent}
            meta = dict(r.field_meta or {}) | {"agent_id": [version, None]}
            bind.execute(
                record.update()
                .where(record.c.entity == "case", record.c.id == r.id)
                .values(fields=fields, field_meta=meta, version=version, seq=seq, updated_at=now)
            )
            bind.execute(
                change.insert().values(
                    seq=seq,
                    entity="case",
                    entity_id=r.id,
                    village_id=r.village_id,
                    version=version,
                    op_id=None,
                    user_id=None,
                    device_id=None,
                    fields={"agent_id": agent},
                    deleted=False,
                    at=now,
                )
            )
    bind.execute(counter.update().where(counter.c.name == "seq").values(value=seq))


def downgrade() -> None:
    """Attribution is data, not schema: it stays (desks already pulled it)."""
