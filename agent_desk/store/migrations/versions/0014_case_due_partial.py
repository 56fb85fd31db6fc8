"""fewer case indexes hold the open cases' due dates

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# A calendar publication moves the due date of open cases only, and every index holding due_on and
# an open case is built again (or written once per moved case). Two covering indexes that read
# due_on serve closed cases alone and now hold only those: the supervision figures read concluded
# cases (concluded_on >= …), the 今日待办 follow-ups delivered ones (ix_case_follow_up, status =
# 'delivered'); ix_case_status_satisfaction keeps its other work (counts by status and tombstone)
# without the date. The agent's index never needed the due date (the review's deadline filters walk
# ix_case_open_due_where); it now carries what the review's counts read (deleted, review_state).
CONCLUDED = [
    "concluded_on",
    "accepted_on",
    "deleted",
    "due_on",
    "deferred",
    "returned_count",
    "satisfaction",
]
FOLLOW_UP = ["status", "satisfaction", "deleted", "due_on"]


def upgrade() -> None:
    op.drop_index("ix_case_concluded_figures", table_name="case")
    op.create_index(
        "ix_case_concluded_figures",
        "case",
        CONCLUDED,
        sqlite_where=sa.text("concluded_on IS NOT NULL"),
    )
    op.drop_index("ix_case_agent_status_due", table_name="case")
    op.create_index(
        "ix_case_agent_status", "case", ["agent_id", "status", "deleted", "review_state"]
    )
    # after the agent's: of two covering indexes SQLite reckons as wide, it scans the one created
    # last, and the count of tombstones over every case should read this narrow one
    op.drop_index("ix_case_status_satisfaction", table_name="case")
    op.create_index("ix_case_status_satisfaction", "case", FOLLOW_UP[:3])
    op.create_index(
        "ix_case_follow_up", "case", FOLLOW_UP, sqlite_where=sa.text("status = 'delivered'")
    )


def downgrade() -> None:
    op.drop_index("ix_case_agent_status", table_name="case")
    op.create_index("ix_case_agent_status_due", "case", ["agent_id", "status", "due_on"])
    op.drop_index("ix_case_follow_up", table_name="case")
    op.drop_index("ix_case_status_satisfaction", table_name="case")
    op.create_index("ix_case_status_satisfaction", "case", FOLLOW_UP)
    op.drop_index("ix_case_concluded_figures", table_name="case")
    op.create_index("ix_case_concluded_figures", "case", CONCLUDED)
