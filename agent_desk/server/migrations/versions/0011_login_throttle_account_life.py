"""hub_login_throttle (atomic login counters); account life cycle: forced password change, token
last use (idle expiry), device last seen and revocation

Revision ID: 0011
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_login_throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.Column("seen_at", sa.Float(), nullable=False),
        sa.Column("grant", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # plain ADD COLUMN (no batch copy: hub_user is referenced by foreign keys, SQLite could not drop it)
    op.add_column(
        "hub_user",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("hub_token", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "hub_device", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("hub_device", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("hub_device", "revoked_at")  # ALTER TABLE … DROP COLUMN (SQLite 3.35+)
    op.drop_column("hub_device", "last_seen_at")
    op.drop_column("hub_token", "last_used_at")
    op.drop_column("hub_user", "must_change_password")
    op.drop_table("hub_login_throttle")
