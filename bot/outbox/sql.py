"""The store's statements, built once with bind parameters.

Building a SQLAlchemy statement with aliases and correlated subqueries costs far more
than running it (about 30 ms against 1 ms), and delivery runs these several times a
second, so they are built at import and only their parameters change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, String, bindparam, case, cast, func, or_, select, update
from sqlalchemy.orm import aliased

from bot.models import OutboxMessage, UTCDateTime
from bot.outbox.slack_sender import POSTING_KINDS

o = OutboxMessage
NOW: Any = bindparam("now", type_=UTCDateTime())
IDS: Any = bindparam("ids", expanding=True)


def free(row: Any) -> tuple[Any, ...]:
    """Claimable at :now: pending, due, not waiting for a retry, not leased (or its lease ran out)."""
    return (
        row.status == "pending",
        row.deliver_after <= NOW,
        or_(row.next_attempt_at.is_(None), row.next_attempt_at <= NOW),
        or_(row.lease_until.is_(None), row.lease_until < NOW),
    )


# ROUND_ROBIN: the heads come lane by lane, the lane that posted least recently first (one that never did, first
# of all), then the oldest head; Home tabs after messages, as nobody waits for a tab as for a message. Oldest head
# first gave the first lanes their whole burst while later ones sat with a full bucket, wasting their pace: on a
# Monday the last of 300 channels began 1.6 s late, and ended as late.


def _heads() -> tuple[Any, Any]:
    head, last = aliased(OutboxMessage), aliased(OutboxMessage)
    # One pass over the due rows; a row without a lane (written by older code) is a lane of its own.
    # (As IN, not a JOIN: SQLite then looks each head up by its key instead of scanning the rows for each.)
    first = select(func.min(o.id)).where(o.status == "pending", o.deliver_after <= NOW).group_by(func.coalesce(o.lane, cast(o.id, String)))

    def latest_post(column: Any) -> Any:
        # By time, not id: a held message may go out after younger ones. Index (lane, sent_at).
        # sent_at IS NOT NULL lets the index skip the lane's unsent rows. A post stamped after :now (the
        # clock was set back) says nothing about the pace now; else the lane would wait until the clock caught up.
        return (
            select(column)
            .where(last.lane == head.lane, last.sent_at.is_not(None), last.sent_at <= NOW, last.pace_ready_at.is_not(None))
            .order_by(last.sent_at.desc(), last.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    ready = latest_post(last.pace_ready_at)
    last_sent = latest_post(last.sent_at).label("sent_at")
    query = (
        select(
            head.id,
            head.lane,
            head.kind,
            head.team_id,
            ready.label("ready"),
            latest_post(last.pace_tokens).label("tokens"),
            last_sent,
        )
        # The IN already has them pending and due; repeating that here would make SQLite scan by due time.
        .where(head.id.in_(first), *free(head)[2:])
    )
    may_post = or_(head.kind.not_in(POSTING_KINDS), ready.is_(None), ready <= NOW)
    heads = (
        query.where(
            may_post,
            or_(head.kind != "home", bindparam("homes", type_=Boolean)),
            or_(head.kind != "home", head.pair_id.is_(None), head.pair_id.not_in(_pairs_sending_held_dms())),
            or_(head.lane.is_(None), head.lane.not_in(bindparam("skip_lanes", expanding=True))),
            # A kind paused in a workspace ("T1:home"), and whole workspaces, per `bot.outbox.pacing`.
            (func.coalesce(head.team_id, "") + ":" + head.kind).not_in(bindparam("skip_team_kinds", expanding=True)),
            func.coalesce(head.team_id, "").not_in(bindparam("skip_teams", expanding=True)),
        )
        .order_by(case((head.kind == "home", 1), else_=0), last_sent.nulls_first(), head.id)  # see ROUND_ROBIN
        .limit(bindparam("limit"))
    )
    paced = query.where(head.kind.in_(POSTING_KINDS), ready > NOW).subquery()
    return heads, select(func.min(paced.c.ready))


def _pairs_sending_held_dms() -> Any:
    """The pairs with a respekt DM that is due (or being sent): its delivery makes a Home tab rendered now stale.

    The Home tab lists the held messages, and each one delivered queues a fresh tab
    (bot.projections.home.after_delivery); so a pair's tabs wait until its due ones went out,
    and a burst of them costs one rendering per member instead of one per delivery. A DM
    waiting for a retry or for working time does not hold them. Uncorrelated, so that the
    database builds the set once per query (a hashed subplan), not once per Home tab.
    """
    dm = aliased(OutboxMessage)
    return select(dm.pair_id).where(
        dm.status == "pending",
        dm.deliver_after <= NOW,
        dm.kind == "dm",
        dm.respekt.is_(True),
        dm.pair_id.is_not(None),  # NOT IN over a NULL would hold every tab
        or_(dm.next_attempt_at.is_(None), dm.next_attempt_at <= NOW),
    )


# (id, lane, kind, team_id, ready, tokens, sent_at) of the due lane heads that may go at :now, oldest first.
HEADS, PACED_UNTIL = _heads()

LOCK = select(o.id).where(o.id.in_(IDS)).with_for_update(skip_locked=True)

# A row with a lease owner was claimed before and never settled: that claimer may have posted.
_UNSURE = or_(o.uncertain, o.lease_owner.is_not(None))
LEASE = (
    update(o)
    .where(o.id.in_(IDS), *free(o))
    .values(
        uncertain=_UNSURE,
        lease_owner=bindparam("owner"),
        lease_until=bindparam("until", type_=UTCDateTime()),
        # The earliest moment a post of this row may have reached Slack, on Slack's clock.
        attempt_ts=case((_UNSURE, func.coalesce(o.attempt_ts, bindparam("slack_now"))), else_=bindparam("slack_now")),
    )
    .returning(o.id)
    .execution_options(synchronize_session=False)
)

UNLEASE = (
    update(o)
    .where(o.id.in_(IDS), o.lease_owner == bindparam("owner"))
    .values(lease_owner=None, lease_until=None)
    .execution_options(synchronize_session=False)
)

_ORDER = func.row_number().over(partition_by=o.lane, order_by=o.id).label("n")
_DUE_IN_LANES = (
    select(o.id, o.lane, o.next_attempt_at, o.lease_until, _ORDER)
    .where(o.lane.in_(bindparam("lanes", expanding=True)), o.status == "pending", o.deliver_after <= NOW)
    .subquery()
)
# The first :room due rows of each lane, to claim behind the heads.
LANE_ROWS = select(_DUE_IN_LANES).where(_DUE_IN_LANES.c.n <= bindparam("room")).order_by(_DUE_IN_LANES.c.id)

# Each of :lanes' latest post up to :now, in one statement (a query per lane cost a round trip each).
_LANES: Any = bindparam("lanes", expanding=True)
_LATEST = (
    select(
        o.lane, o.sent_at, o.pace_tokens, func.row_number().over(partition_by=o.lane, order_by=(o.sent_at.desc(), o.id.desc())).label("nth")
    )
    .where(o.lane.in_(_LANES), o.sent_at.is_not(None), o.sent_at <= NOW, o.pace_ready_at.is_not(None))
    .subquery()
)
LAST_POSTS = select(_LATEST.c.lane, _LATEST.c.sent_at, _LATEST.c.pace_tokens).where(_LATEST.c.nth == 1)

_DUE_AT = case((o.next_attempt_at > o.deliver_after, o.next_attempt_at), else_=o.deliver_after)
# type_: on SQLite min() over a CASE would otherwise come back as a string.
NEXT_DUE = select(func.min(_DUE_AT, type_=UTCDateTime())).where(o.status == "pending", or_(o.deliver_after > NOW, o.next_attempt_at > NOW))

# The DM channel each of :users was last sent to, per workspace: Slack limits conversations.open
# (Tier 3, 50 a minute), so a person's DM is opened once, not once per process start.
DM_CHANNELS = (
    select(o.team_id, o.user, func.max(o.sent_channel))
    .where(o.user.in_(bindparam("users", expanding=True)), o.kind.in_(("dm", "file")), o.sent_channel.is_not(None))
    .group_by(o.team_id, o.user)
)
