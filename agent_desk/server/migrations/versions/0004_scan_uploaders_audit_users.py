"""who uploaded each scan; the user stamped on each audit entry; restated audit histories flagged

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 22:40:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "hub_blob_upload",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=True),
        sa.Column("villages", JSON, nullable=True),
        sa.Column("challenge", sa.BigInteger(), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proven_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["hub_user.id"]),
        sa.PrimaryKeyConstraint("sha256", "user_id"),
    )
    # the first uploader of each scan the hub already holds is known (hub_blob.uploaded_by)
    op.execute(
        "INSERT INTO hub_blob_upload (sha256, user_id, samples, created_at, proven_at) "
        "SELECT b.sha256, b.uploaded_by, 0, b.created_at, b.created_at FROM hub_blob b "
        "JOIN hub_user u ON u.id = b.uploaded_by"
    )
    with op.batch_alter_table("hub_audit_chain", schema=None) as batch_op:
        batch_op.add_column(sa.Column("restated_seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("rewritten_seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("restated_from", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("restated_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("restated_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("hub_audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.String(length=32), nullable=True))
    # a device never changes hands (auth.issue_token), so its user is the one who sent its entries
    op.execute(
        "UPDATE hub_audit_entry SET user_id = "
        "(SELECT d.user_id FROM hub_device d WHERE d.id = hub_audit_entry.device_id)"
    )
    with op.batch_alter_table("hub_audit_entry", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index("ix_hub_audit_entry_user_at", ["user_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hub_audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_audit_entry_user_at")
        batch_op.drop_column("user_id")
    with op.batch_alter_table("hub_audit_chain", schema=None) as batch_op:
        batch_op.drop_column("restated_at")
        batch_op.drop_column("restated_reason")
        batch_op.drop_column("restated_from")
        batch_op.drop_column("rewritten_seq")
        batch_op.drop_column("restated_seq")
    op.drop_table("hub_blob_upload")
