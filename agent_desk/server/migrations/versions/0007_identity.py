"""hub_identity and hub_alias (one person, one record per township); hub_repair (check-records --fix)

Revision ID: 0007
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_identity",
        sa.Column("township_code", sa.String(length=9), nullable=False),
        sa.Column("number", sa.String(length=18), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("township_code", "number"),
    )
    op.create_table(
        "hub_alias",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("alias_id", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("entity", "alias_id"),
    )
    op.create_table(
        "hub_repair",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    _backfill()


def _backfill() -> None:
    """The clients already on the hub, oldest first; a second record of one number stays out (and
    `agent-desk server check-records` lists it)."""
    from agent_desk.server.identity import identity_key

    conn = op.get_bind()
    townships = dict(conn.execute(sa.text("SELECT id, township_code FROM hub_village")).all())
    rows = conn.execute(sa.text("SELECT id, village_id, fields FROM hub_record WHERE entity = 'client' "
                                "AND deleted = :f ORDER BY seq"), {"f": False})
    seen: set[tuple[str, str]] = set()
    table = sa.table(
        "hub_identity", sa.column("township_code"), sa.column("number"), sa.column("client_id")
    )
    for record_id, village_id, fields in rows:
        fields = fields if isinstance(fields, dict) else __import__("json").loads(fields)
        key = identity_key(townships.get(village_id), fields)
        if key is not None and key not in seen:
            seen.add(key)
            conn.execute(
                sa.insert(table).values(township_code=key[0], number=key[1], client_id=record_id)
            )


def downgrade() -> None:
    op.drop_table("hub_repair")
    op.drop_table("hub_alias")
    op.drop_table("hub_identity")
