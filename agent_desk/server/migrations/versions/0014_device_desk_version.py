"""hub_device: the desk's version and its last sync result (devices list, minimum desk version)

Revision ID: 0014
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN, as in 0011 (hub_device is referenced by hub_token)
    op.add_column("hub_device", sa.Column("desk_version", sa.String(length=40), nullable=True))
    op.add_column(
        "hub_device", sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "hub_device", sa.Column("last_sync_result", sa.String(length=100), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("hub_device", "last_sync_result")
    op.drop_column("hub_device", "last_sync_at")
    op.drop_column("hub_device", "desk_version")
