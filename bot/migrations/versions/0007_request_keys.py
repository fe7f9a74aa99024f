"""request keys: one effect per signed Slack request, however often it is delivered

Revision ID: 0007
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0007'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('request_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('seen_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key', name='uq_request_keys_key'),
    )
    op.create_index('ix_request_keys_seen_at', 'request_keys', ['seen_at'])


def downgrade() -> None:
    op.drop_index('ix_request_keys_seen_at', table_name='request_keys')
    op.drop_table('request_keys')
