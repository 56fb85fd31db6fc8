"""two due-date indexes that other case indexes already serve

Revision ID: 0013
Revises: 0010
"""

from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None

# ix_case_status_due (status, due_on) is the start of ix_case_status_due_client and
# ix_case_open_due_where, which serve every query that used it (the hand-over list's tie on rowid
# is now sorted within each due date); ix_case_due_on served no query. Each index holding due_on is
# written again for every case a calendar publication moves.


def upgrade() -> None:
    op.drop_index("ix_case_status_due", table_name="case")
    op.drop_index("ix_case_due_on", table_name="case")


def downgrade() -> None:
    op.create_index("ix_case_due_on", "case", ["due_on"])
    op.create_index("ix_case_status_due", "case", ["status", "due_on"])
