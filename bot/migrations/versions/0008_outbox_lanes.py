"""outbox lanes: per-recipient delivery order, each lane's pace, and the time of an uncertain attempt

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0008'
down_revision = '0011'
branch_labels = None
depends_on = None

# The lane a row is delivered in (see bot.outbox.store.lane_for); updates follow their original.
_BACKFILL = (
    "UPDATE outbox SET lane = CASE kind "
    "WHEN 'post' THEN 'c:' || channel "
    "WHEN 'dm' THEN 'u:' || \"user\" "
    "WHEN 'ephemeral' THEN 'e:' || channel || ':' || \"user\" "
    "WHEN 'home' THEN 'h:' || \"user\" "
    "ELSE 'c:' || channel END "
    "WHERE lane IS NULL"
)
_UPDATES_FOLLOW_REF = (
    "UPDATE outbox SET lane = (SELECT r.lane FROM outbox r WHERE r.id = outbox.ref_id) "
    "WHERE kind = 'update' AND ref_id IS NOT NULL"
)


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.add_column(sa.Column('lane', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('attempt_ts', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('pace_tokens', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('pace_ready_at', bot.models.UTCDateTime(timezone=True), nullable=True))
    op.execute(_BACKFILL)
    op.execute(_UPDATES_FOLLOW_REF)
    op.create_index('ix_outbox_lane', 'outbox', ['lane', 'status', 'id'])
    op.create_index('ix_outbox_lane_sent', 'outbox', ['lane', 'sent_at'])
    # Covers finding each lane's first due row without reading the rows themselves.
    op.create_index('ix_outbox_due_lane', 'outbox', ['status', 'deliver_after', 'lane'])
    # What the delivery hooks look up for every row they see: a person's queued Home tab
    # (home.publish) and the held message behind a DM (respekt.gate, respekt.after_delivery).
    # Without them each lookup reads the whole table, and a Monday burst turns quadratic.
    op.create_index('ix_outbox_user_kind', 'outbox', ['user', 'kind', 'status'])
    op.create_index('ix_meddelanden_outbox_id', 'meddelanden', ['outbox_id'])


def downgrade() -> None:
    op.drop_index('ix_meddelanden_outbox_id', table_name='meddelanden')
    op.drop_index('ix_outbox_user_kind', table_name='outbox')
    op.drop_index('ix_outbox_due_lane', table_name='outbox')
    op.drop_index('ix_outbox_lane_sent', table_name='outbox')
    op.drop_index('ix_outbox_lane', table_name='outbox')
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.drop_column('pace_ready_at')
        batch_op.drop_column('pace_tokens')
        batch_op.drop_column('attempt_ts')
        batch_op.drop_column('lane')
