"""drop hub_login_failure: login throttling counts in hub_login_throttle (0011) since issue 17

Revision ID: 0013
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_hub_login_failure_key", table_name="hub_login_failure")
    op.drop_table("hub_login_failure")


def downgrade() -> None:
    op.create_table(
        "hub_login_failure",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_hub_login_failure_key", "hub_login_failure", ["username", "ip", "at"])
