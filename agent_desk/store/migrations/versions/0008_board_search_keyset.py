"""covering indexes for the board's text search and keyset paging of the client list

Revision ID: 0008
Revises: 0007
"""

from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# A search finds clients by their keys, then each client's cases here without reading the case
# rows; a name many clients share walks the deadline order with the client at hand; the client
# list seeks by (sort_key, id) without a sort.
BOARD_COLUMNS = ["client_id", "status", "deleted", "due_on", "entrusted_on", "item_code", "village_id", "batch_id", "id"]


def upgrade() -> None:
    op.create_index("ix_case_client_board", "case", BOARD_COLUMNS)
    op.create_index("ix_case_status_due_client", "case", ["status", "due_on", "id", "deleted", "client_id"])
    op.create_index("ix_client_sort_id", "client", ["sort_key", "id", "deleted"])


def downgrade() -> None:
    op.drop_index("ix_client_sort_id", table_name="client")
    op.drop_index("ix_case_status_due_client", table_name="case")
    op.drop_index("ix_case_client_board", table_name="case")
