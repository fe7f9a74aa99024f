"""removed workspaces (erased after the grace period), and when a person's calendar token was made

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('removed_workspaces',
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.Column('enterprise_id', sa.String(length=32), nullable=True),
    sa.Column('removed_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('team_id'),
    )
    # Workspaces removed before this migration: the time their pairs were paused starts the grace period.
    op.execute(
        "INSERT INTO removed_workspaces (team_id, enterprise_id, removed_at, reason) "
        "SELECT team_id, NULL, MAX(status_changed_at), 'uninstalled' FROM pairs "
        "WHERE status = 'paused' AND status_reason = 'uninstalled' AND status_changed_at IS NOT NULL GROUP BY team_id"
    )
    # A plain ADD COLUMN (nullable): a token made before this migration has no known time.
    op.add_column('people', sa.Column('calendar_token_at', bot.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.drop_column('calendar_token_at')
    op.drop_table('removed_workspaces')
