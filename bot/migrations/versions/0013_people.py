"""people: each person's language, welcome and calendar token; pairs.language

Revision ID: 0013
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0013'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('people',
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('slack_locale', sa.String(length=16), nullable=True),
    sa.Column('welcomed_at', bot.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('calendar_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('calendar_token', name='uq_people_calendar_token'),
    )
    # A plain ADD COLUMN: rebuilding `pairs` on SQLite would cascade-delete every row that references it.
    op.add_column('pairs', sa.Column('language', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pairs') as batch:
        batch.drop_column('language')
    op.drop_table('people')
