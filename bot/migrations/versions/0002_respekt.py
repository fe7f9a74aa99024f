"""respekt: messages sent through the bot

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meddelanden',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=32), nullable=False),
    sa.Column('recipient', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('origin_user', sa.String(length=32), nullable=True),
    sa.Column('written_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deliver_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.Column('akut', sa.Boolean(), nullable=False),
    sa.Column('akut_reason', sa.Text(), nullable=True),
    sa.Column('akut_when', sa.String(length=16), nullable=True),
    sa.Column('escalated_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], ),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('meddelanden', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meddelanden_pair_id'), ['pair_id'], unique=False)


def downgrade() -> None:
    op.drop_table('meddelanden')
