"""tenants: slack_sdk's installation and OAuth state tables; the workspace of pairs and outbox rows

The three slack_* tables are copied from slack_sdk's SQLAlchemyInstallationStore and
SQLAlchemyOAuthStateStore (slack_sdk/oauth/installation_store/sqlalchemy, state_store/sqlalchemy),
so Alembic owns them instead of `create_tables()`. Keep them in step when slack_sdk adds columns.

Revision ID: 0012
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('slack_installations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=False),
    sa.Column('app_id', sa.String(length=32), nullable=False),
    sa.Column('enterprise_id', sa.String(length=32)),
    sa.Column('enterprise_name', sa.String(length=200)),
    sa.Column('enterprise_url', sa.String(length=200)),
    sa.Column('team_id', sa.String(length=32)),
    sa.Column('team_name', sa.String(length=200)),
    sa.Column('bot_token', sa.String(length=200)),
    sa.Column('bot_id', sa.String(length=32)),
    sa.Column('bot_user_id', sa.String(length=32)),
    sa.Column('bot_scopes', sa.String(length=1000)),
    sa.Column('bot_refresh_token', sa.String(length=200)),
    sa.Column('bot_token_expires_at', sa.DateTime()),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('user_token', sa.String(length=200)),
    sa.Column('user_scopes', sa.String(length=1000)),
    sa.Column('user_refresh_token', sa.String(length=200)),
    sa.Column('user_token_expires_at', sa.DateTime()),
    sa.Column('incoming_webhook_url', sa.String(length=200)),
    sa.Column('incoming_webhook_channel', sa.String(length=200)),
    sa.Column('incoming_webhook_channel_id', sa.String(length=200)),
    sa.Column('incoming_webhook_configuration_url', sa.String(length=200)),
    sa.Column('is_enterprise_install', sa.Boolean(), nullable=False),
    sa.Column('token_type', sa.String(length=32)),
    sa.Column('installed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('slack_installations_idx', 'slack_installations',
                    ['client_id', 'enterprise_id', 'team_id', 'user_id', 'installed_at'])
    op.create_table('slack_bots',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('client_id', sa.String(length=32), nullable=False),
    sa.Column('app_id', sa.String(length=32), nullable=False),
    sa.Column('enterprise_id', sa.String(length=32)),
    sa.Column('enterprise_name', sa.String(length=200)),
    sa.Column('team_id', sa.String(length=32)),
    sa.Column('team_name', sa.String(length=200)),
    sa.Column('bot_token', sa.String(length=200)),
    sa.Column('bot_id', sa.String(length=32)),
    sa.Column('bot_user_id', sa.String(length=32)),
    sa.Column('bot_scopes', sa.String(length=1000)),
    sa.Column('bot_refresh_token', sa.String(length=200)),
    sa.Column('bot_token_expires_at', sa.DateTime()),
    sa.Column('is_enterprise_install', sa.Boolean(), nullable=False),
    sa.Column('installed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('slack_bots_idx', 'slack_bots', ['client_id', 'enterprise_id', 'team_id', 'installed_at'])
    op.create_table('slack_oauth_states',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('state', sa.String(length=200), nullable=False),
    sa.Column('expire_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('pairs') as batch:
        batch.add_column(sa.Column('enterprise_id', sa.String(length=32), nullable=True))
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('team_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('enterprise_id', sa.String(length=32), nullable=True))
    # Uninstalling cancels a workspace's pending rows; /metrics counts pending rows.
    op.create_index('ix_outbox_team_status', 'outbox', ['team_id', 'status'])


def downgrade() -> None:
    op.drop_index('ix_outbox_team_status', table_name='outbox')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('enterprise_id')
        batch.drop_column('team_id')
    with op.batch_alter_table('pairs') as batch:
        batch.drop_column('enterprise_id')
    op.drop_table('slack_oauth_states')
    op.drop_index('slack_bots_idx', table_name='slack_bots')
    op.drop_table('slack_bots')
    op.drop_index('slack_installations_idx', table_name='slack_installations')
    op.drop_table('slack_installations')
