"""catalog and templates version each case was opened under

Revision ID: 0006
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_publication',
    sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('catalog_version', sa.Integer(), nullable=False),
    sa.Column('templates_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('case_id'),
    )


def downgrade() -> None:
    op.drop_table('case_publication')
