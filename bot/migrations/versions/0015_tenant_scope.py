"""tenant scope: a live pair and an open proposal are unique per channel of a workspace; audit lines carry their workspace

Channel ids are only unique within one Slack workspace, so two kommuner may each have a
GPAIR001. Existing audit lines get the workspace of their pair, or of their proposal.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

LIVE = sa.text("status != 'dissolved'")
OPEN = sa.text("status = 'pending'")


def _unique(name: str, table: str, columns: list[str], where: sa.TextClause) -> None:
    op.drop_index(name, table_name=table)
    op.create_index(name, table, columns, unique=True, sqlite_where=where, postgresql_where=where)


def upgrade() -> None:
    _unique('uq_pairs_live_channel', 'pairs', ['team_id', 'channel_id'], LIVE)
    _unique('uq_pair_proposals_open_channel', 'pair_proposals', ['team_id', 'channel_id'], OPEN)
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(sa.Column('team_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('enterprise_id', sa.String(length=32), nullable=True))
    op.create_index('ix_audit_log_team_id', 'audit_log', ['team_id'])
    op.execute(
        "UPDATE audit_log SET team_id = (SELECT pairs.team_id FROM pairs WHERE pairs.id = audit_log.pair_id), "
        "enterprise_id = (SELECT pairs.enterprise_id FROM pairs WHERE pairs.id = audit_log.pair_id) "
        "WHERE pair_id IS NOT NULL"
    )
    op.execute(
        "UPDATE audit_log SET team_id = (SELECT pair_proposals.team_id FROM pair_proposals "
        "WHERE pair_proposals.id = audit_log.entity_id) WHERE pair_id IS NULL AND entity = 'pair_proposal'"
    )


def downgrade() -> None:
    op.drop_index('ix_audit_log_team_id', table_name='audit_log')
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_column('enterprise_id')
        batch.drop_column('team_id')
    _unique('uq_pair_proposals_open_channel', 'pair_proposals', ['channel_id'], OPEN)
    _unique('uq_pairs_live_channel', 'pairs', ['channel_id'], LIVE)
