"""review state, correction count, indexes for the review queue and supervision figures

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 06:00:00

Numbered 0004 because the sync branch's 0003 (sync bookkeeping) landed first. Existing cases get
their review state and correction count from their own events, so an upgraded desk's queue and
figures are right at once.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

REVIEW_ACTIONS = "('submit', 'resubmit', 'approve', 'return_for_correction')"


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('returned_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index('ix_case_review_status_entrusted', ['review_state', 'status', 'entrusted_on'], unique=False)
        batch_op.create_index('ix_case_agent_status_due', ['agent_id', 'status', 'due_on'], unique=False)
        batch_op.create_index('ix_case_open_due_where', ['status', 'due_on', 'village_id', 'agent_id', 'item_code', 'deleted',
                                                         'review_state', 'entrusted_on'], unique=False)
        batch_op.create_index('ix_case_satisfaction', ['satisfaction', 'concluded_on', 'deleted'], unique=False)
        batch_op.create_index('ix_case_item_entrusted', ['item_code', 'entrusted_on', 'deleted'], unique=False)
        batch_op.create_index('ix_case_village_entrusted', ['village_id', 'entrusted_on', 'deleted'], unique=False)
        batch_op.create_index('ix_case_concluded_figures', ['concluded_on', 'accepted_on', 'deleted', 'due_on', 'deferred',
                                                            'returned_count', 'satisfaction'], unique=False)
        batch_op.create_index('ix_case_deferred_status', ['deferred', 'status', 'deleted', 'id'], unique=False)
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.create_index('ix_case_document_status', ['status', 'case_id', 'deleted', 'promised_on'], unique=False)
    # SQLite returns the bare column of the row holding max(at): the latest review step per case.
    op.execute(f"""
        UPDATE "case" SET review_state = CASE last.action
            WHEN 'approve' THEN 'approved' WHEN 'return_for_correction' THEN 'returned' ELSE 'waiting' END
        FROM (SELECT case_id, action, max(at) FROM case_event WHERE action IN {REVIEW_ACTIONS} GROUP BY case_id) AS last
        WHERE last.case_id = "case".id
    """)
    op.execute("""
        UPDATE "case" SET returned_count = r.n
        FROM (SELECT case_id, count(*) AS n FROM case_event WHERE action = 'return_for_correction' GROUP BY case_id) AS r
        WHERE r.case_id = "case".id
    """)


def downgrade() -> None:
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.drop_index('ix_case_document_status')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_deferred_status')
        batch_op.drop_index('ix_case_concluded_figures')
        batch_op.drop_index('ix_case_village_entrusted')
        batch_op.drop_index('ix_case_item_entrusted')
        batch_op.drop_index('ix_case_satisfaction')
        batch_op.drop_index('ix_case_open_due_where')
        batch_op.drop_index('ix_case_agent_status_due')
        batch_op.drop_index('ix_case_review_status_entrusted')
        batch_op.drop_column('returned_count')
        batch_op.drop_column('review_state')
