"""consent: pair proposals, pair status, one live pair per channel

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

LIVE = sa.text("status != 'dissolved'")
OPEN = sa.text("status = 'pending'")


def upgrade() -> None:
    bind = op.get_bind()
    # 0001 created the channel's unique constraint without a name; name it so SQLite's batch mode can drop it.
    naming = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
    with op.batch_alter_table('pairs', naming_convention=naming) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='active'))
        batch_op.add_column(sa.Column('status_changed_at', bot.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('status_reason', sa.String(length=64), nullable=True))
        batch_op.drop_constraint('uq_pairs_channel_id' if bind.dialect.name == 'sqlite' else 'pairs_channel_id_key',
                                 type_='unique')
    op.create_index('uq_pairs_live_channel', 'pairs', ['channel_id'], unique=True,
                    sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_table('pair_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('kso_user', sa.String(length=32), nullable=False),
    sa.Column('kd_user', sa.String(length=32), nullable=False),
    sa.Column('proposed_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pair_id', sa.Integer(), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('uq_pair_proposals_open_channel', 'pair_proposals', ['channel_id'], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('uq_pair_proposals_open_channel', table_name='pair_proposals')
    op.drop_table('pair_proposals')
    op.drop_index('uq_pairs_live_channel', table_name='pairs')
    with op.batch_alter_table('pairs') as batch_op:
        batch_op.create_unique_constraint('uq_pairs_channel_id', ['channel_id'])
        batch_op.drop_column('status_reason')
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('status')
