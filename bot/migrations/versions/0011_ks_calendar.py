"""KS calendar and stopptid, resubmitted cases, incident resolutions

Revision ID: 0011
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ks_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], name='fk_ks_meetings_pair_id_pairs', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pair_id', 'day', name='uq_ks_meetings_pair_id'),
    )
    op.create_index('ix_ks_meetings_pair_id', 'ks_meetings', ['pair_id'])
    with op.batch_alter_table('pairs') as batch:
        batch.add_column(sa.Column('stopptid_days', sa.Integer(), server_default='10', nullable=False))
    with op.batch_alter_table('arenden') as batch:
        batch.add_column(sa.Column('stopptid', sa.Date(), nullable=True))
        batch.add_column(sa.Column('rounds', sa.Integer(), server_default='1', nullable=False))
        batch.add_column(sa.Column('resubmitted_at', bot.models.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('agenda_points') as batch:
        batch.add_column(sa.Column('owner', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('resolution', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agenda_points') as batch:
        batch.drop_column('resolution')
        batch.drop_column('owner')
    with op.batch_alter_table('arenden') as batch:
        batch.drop_column('resubmitted_at')
        batch.drop_column('rounds')
        batch.drop_column('stopptid')
    with op.batch_alter_table('pairs') as batch:
        batch.drop_column('stopptid_days')
    op.drop_index('ix_ks_meetings_pair_id', table_name='ks_meetings')
    op.drop_table('ks_meetings')
