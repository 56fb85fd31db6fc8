"""hub_departure: records that left a village, so that village's desks drop them

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hub_departure',
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=32), nullable=False),
    sa.Column('village_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('hub_departure', schema=None) as batch_op:
        batch_op.create_index('ix_hub_departure_village_seq', ['village_id', 'seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('hub_departure', schema=None) as batch_op:
        batch_op.drop_index('ix_hub_departure_village_seq')

    op.drop_table('hub_departure')
