"""spelregler versions and utvecklingssamtal

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('spelregler_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('author', sa.String(length=32), nullable=False),
    sa.Column('created_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pair_id', 'version')
    )
    with op.batch_alter_table('spelregler_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spelregler_versions_pair_id'), ['pair_id'], unique=False)

    op.create_table('utvecklingssamtal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=True),
    sa.Column('held_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('utvecklingssamtal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_utvecklingssamtal_pair_id'), ['pair_id'], unique=False)


def downgrade() -> None:
    op.drop_table('utvecklingssamtal')
    op.drop_table('spelregler_versions')
