"""per-person calendars: member_calendars, days_off.user, pairs.agenda_days_before

Each pair member gets their own working hours and days off. The pair's old values are
copied to both members, so nobody's calendar changes by upgrading.

Revision ID: 0010
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None

# SQLite's unnamed unique constraint (pair_id, day) from 0001 gets this name while the table is rebuilt.
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table('member_calendars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('user', sa.String(length=32), nullable=False),
    sa.Column('work_start_min', sa.Integer(), nullable=False),
    sa.Column('work_end_min', sa.Integer(), nullable=False),
    sa.Column('work_days', sa.String(length=7), nullable=False),
    sa.Column('changed_at', bot.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['pairs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('pair_id', 'user', name='uq_member_calendars_pair_user'),
    )
    # A plain ADD COLUMN: rebuilding `pairs` on SQLite would cascade-delete every row that references it.
    op.add_column('pairs', sa.Column('agenda_days_before', sa.Integer(), nullable=False, server_default='0'))

    old = [uc['name'] or 'uq_days_off_pair_id' for uc in sa.inspect(bind).get_unique_constraints('days_off')
           if sorted(uc['column_names']) == ['day', 'pair_id']]
    if bind.dialect.name == 'sqlite':
        # Nothing references days_off, so rebuilding it (SQLite cannot drop a constraint) cascades nowhere.
        with op.batch_alter_table('days_off', recreate='always', naming_convention=_SQLITE_NAMES) as batch_op:
            batch_op.add_column(sa.Column('user', sa.String(length=32), nullable=True))
            for name in old:
                batch_op.drop_constraint(name, type_='unique')
            batch_op.create_unique_constraint('uq_days_off_pair_user_day', ['pair_id', 'user', 'day'])
    else:
        op.add_column('days_off', sa.Column('user', sa.String(length=32), nullable=True))
        for name in old:
            op.drop_constraint(name, 'days_off', type_='unique')
        op.create_unique_constraint('uq_days_off_pair_user_day', 'days_off', ['pair_id', 'user', 'day'])

    # Both members keep what the pair had: their hours, and every day off, each as their own.
    bind.execute(sa.text(
        "INSERT INTO member_calendars (pair_id, \"user\", work_start_min, work_end_min, work_days, changed_at) "
        "SELECT id, kso_user, work_start_min, work_end_min, work_days, created_at FROM pairs "
        "UNION ALL "
        "SELECT id, kd_user, work_start_min, work_end_min, work_days, created_at FROM pairs"
    ))
    bind.execute(sa.text(
        "INSERT INTO days_off (pair_id, day, note, \"user\") "
        "SELECT d.pair_id, d.day, d.note, p.kd_user FROM days_off d JOIN pairs p ON p.id = d.pair_id "
        "WHERE d.\"user\" IS NULL"
    ))
    bind.execute(sa.text(
        "UPDATE days_off SET \"user\" = (SELECT kso_user FROM pairs WHERE pairs.id = days_off.pair_id) "
        "WHERE \"user\" IS NULL"
    ))


def downgrade() -> None:
    bind = op.get_bind()
    # Back to one calendar per pair: the KSO's days off are kept as the pair's.
    bind.execute(sa.text(
        "DELETE FROM days_off WHERE \"user\" IS NOT NULL AND \"user\" <> "
        "(SELECT kso_user FROM pairs WHERE pairs.id = days_off.pair_id)"
    ))
    with op.batch_alter_table('days_off') as batch_op:
        batch_op.drop_constraint('uq_days_off_pair_user_day', type_='unique')
        batch_op.drop_column('user')
        batch_op.create_unique_constraint('uq_days_off_pair_id_day', ['pair_id', 'day'])
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a rebuilt `pairs` would cascade-delete what references it.
    op.drop_column('pairs', 'agenda_days_before')
    op.drop_table('member_calendars')
