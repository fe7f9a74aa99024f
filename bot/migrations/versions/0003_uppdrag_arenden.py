"""uppdrag and ärenden

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('uppdrag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('nr', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('given_by', sa.String(length=32), nullable=False),
    sa.Column('given_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done_by', sa.String(length=32), nullable=True),
    sa.Column('done_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pair_id', 'nr')
    )
    with op.batch_alter_table('uppdrag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uppdrag_pair_id'), ['pair_id'], unique=False)

    op.create_table('uppdrag_fragor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uppdrag_id', sa.Integer(), nullable=False),
    sa.Column('fraga', sa.Text(), nullable=False),
    sa.Column('asked_by', sa.String(length=32), nullable=False),
    sa.Column('asked_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('svar', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=32), nullable=True),
    sa.Column('answered_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], ),
    sa.ForeignKeyConstraint(['uppdrag_id'], ['uppdrag.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('uppdrag_fragor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uppdrag_fragor_uppdrag_id'), ['uppdrag_id'], unique=False)

    op.create_table('arenden',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('nr', sa.Integer(), nullable=False),
    sa.Column('titel', sa.Text(), nullable=False),
    sa.Column('link', sa.Text(), nullable=True),
    sa.Column('ks_meeting', sa.Date(), nullable=True),
    sa.Column('submitted_by', sa.String(length=32), nullable=False),
    sa.Column('submitted_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('decided_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], ),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pair_id', 'nr')
    )
    with op.batch_alter_table('arenden', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arenden_pair_id'), ['pair_id'], unique=False)


def downgrade() -> None:
    op.drop_table('arenden')
    op.drop_table('uppdrag_fragor')
    op.drop_table('uppdrag')
