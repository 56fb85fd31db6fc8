"""the hub stamps events (desk_at keeps the desk's clock); incoming changes a desk cannot store are set aside

Revision ID: 0009
Revises: 0005
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_event") as batch:
        batch.add_column(sa.Column("desk_at", sa.DateTime(), nullable=True))
    op.create_table(
        "sync_set_aside",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_set_aside_entity_id", "sync_set_aside", ["entity_id"])


def downgrade() -> None:
    op.drop_index("ix_sync_set_aside_entity_id", table_name="sync_set_aside")
    op.drop_table("sync_set_aside")
    with op.batch_alter_table("case_event") as batch:
        batch.drop_column("desk_at")
