"""documents received after intake, and working days paused while a case waits for a correction

Revision ID: 0007
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_document") as batch:
        batch.add_column(sa.Column("received_on", sa.Date(), nullable=True))
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("paused_days", sa.Integer(), nullable=False, server_default="0"))
    # 今日待办 counts its lists by index over 300k cases
    op.create_index(
        "ix_case_status_satisfaction", "case", ["status", "satisfaction", "deleted", "due_on"]
    )


def downgrade() -> None:
    op.drop_index("ix_case_status_satisfaction", table_name="case")
    with op.batch_alter_table("case") as batch:
        batch.drop_column("paused_days")
    with op.batch_alter_table("case_document") as batch:
        batch.drop_column("received_on")
