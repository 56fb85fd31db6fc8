"""organisation clients' people and business; requests (一件事) holding several cases

Revision ID: 0010
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None

_ORG_COLUMNS = (
    "legal_rep_name",
    "legal_rep_id_number",
    "contact_name",
    "contact_phone",
    "business_scope",
)


def upgrade() -> None:
    # plain ADD COLUMN (no constraint: a batch copy of client would trip the keys pointing at it);
    # the links are checked by the services and, for synced ones, by the hub
    for name in _ORG_COLUMNS:
        op.add_column("client", sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column(
        "client",
        sa.Column(
            "legal_rep_client_id",
            sqlmodel.sql.sqltypes.AutoString(length=32),
            nullable=True,
        ),
    )
    op.create_table(
        "request",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("request_no", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("bundle_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("bundle_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("client_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("village_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("agent_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("trips_saved", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"]),
        sa.ForeignKeyConstraint(["village_id"], ["village.id"]),
        sa.ForeignKeyConstraint(["agent_id"], ["desk_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_request_no", "request", ["request_no"], unique=True)
    op.create_index("ix_request_client_id", "request", ["client_id"])
    op.create_index("ix_request_status_due", "request", ["status", "due_on", "deleted"])
    op.add_column(
        "case",
        sa.Column(
            "request_id",
            sqlmodel.sql.sqltypes.AutoString(length=32),
            nullable=True,
        ),
    )
    op.create_index("ix_case_request", "case", ["request_id", "deleted"])


def downgrade() -> None:
    op.drop_index("ix_case_request", table_name="case")
    op.drop_column("case", "request_id")
    op.drop_table("request")
    for name in (*_ORG_COLUMNS, "legal_rep_client_id"):
        op.drop_column("client", name)
