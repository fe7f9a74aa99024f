"""agenda points

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agenda_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('typ', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_by', sa.String(length=32), nullable=True),
    sa.Column('closed_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agenda_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_points_pair_id'), ['pair_id'], unique=False)


def downgrade() -> None:
    op.drop_table('agenda_points')
