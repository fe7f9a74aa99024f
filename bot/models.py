"""SQLAlchemy 2.0 typed models. Each section belongs to one feature and one migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _unique_where(name: str, *columns: str, condition: str) -> Index:
    """Unique among the rows that match `condition`: a partial index, on SQLite and PostgreSQL alike."""
    return Index(name, *columns, unique=True, sqlite_where=text(condition), postgresql_where=text(condition))


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


# --- foundation (migration 0001) -------------------------------------------


class Pair(Base):
    """A par: one KSO (chair) and one KD (director) who share a private channel."""

    __tablename__ = "pairs"
    # One live pair per channel of a workspace (channel ids are only unique within one; migration 0014);
    # a dissolved pair keeps its row (export, audit) and frees the channel.
    __table_args__ = (_unique_where("uq_pairs_live_channel", "team_id", "channel_id", condition="status != 'dissolved'"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    # Enterprise Grid org installs (migration 0012); None for an ordinary workspace.
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    kso_user: Mapped[str] = mapped_column(String(32))
    kd_user: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Stockholm")
    # Working hours as minutes after local midnight, days as ISO weekdays ("12345").
    work_start_min: Mapped[int] = mapped_column(Integer, default=8 * 60)
    work_end_min: Mapped[int] = mapped_column(Integer, default=17 * 60)
    work_days: Mapped[str] = mapped_column(String(7), default="12345")
    agenda_time_min: Mapped[int] = mapped_column(Integer, default=8 * 60)
    # Migration 0010: 0 = the agenda is posted on the meeting day, 1 = on the working day before it.
    agenda_days_before: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    radsmote_channel: Mapped[str | None] = mapped_column(String(32))
    radsmote_time_min: Mapped[int] = mapped_column(Integer, default=13 * 60)
    next_talk: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    # active: in use; paused: a member left the channel, nothing is sent; dissolved: `/samspel lämna`.
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    status_changed_at: Mapped[datetime | None]
    status_reason: Mapped[str | None] = mapped_column(String(64))
    # Working days before a KS meeting by which a case must be decided (migration 0011).
    stopptid_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # What both members see (channel, agenda) is in this language (migration 0013); None: the KSO's.
    language: Mapped[str | None] = mapped_column(String(8))

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def role_of(self, user_id: str) -> str | None:
        """'kso', 'kd' or None for someone outside the pair."""
        if user_id == self.kso_user:
            return "kso"
        if user_id == self.kd_user:
            return "kd"
        return None

    def other(self, user_id: str) -> str:
        return self.kd_user if user_id == self.kso_user else self.kso_user


class DayOff(Base):
    """A person's own extra day off (klämdag, semester …), on top of the Swedish holidays.

    `user` (migration 0010): whose day off it is. NULL is a day off for both (rows from
    before 0010 were copied to both members, so only rows written by older code are NULL).
    """

    __tablename__ = "days_off"
    __table_args__ = (UniqueConstraint("pair_id", "user", "day", name="uq_days_off_pair_user_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    user: Mapped[str | None] = mapped_column(String(32))


class OutboxMessage(Base):
    """One outgoing Slack call. Written in the same transaction as its cause, delivered by a job."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "deliver_after"),
        Index("ix_outbox_team_status", "team_id", "status"),
        Index("ix_outbox_lane", "lane", "status", "id"),  # migration 0008
        Index("ix_outbox_lane_sent", "lane", "sent_at"),  # migration 0008
        Index("ix_outbox_due_lane", "status", "deliver_after", "lane"),  # migration 0008
        Index("ix_outbox_user_kind", "user", "kind", "status"),  # migration 0008
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    # post: chat.postMessage to a channel; dm: to a user's DM; ephemeral: chat.postEphemeral;
    # update: chat.update of the message sent by `ref_id`; home: views.publish.
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    user: Mapped[str | None] = mapped_column(String(32))
    ref_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    blocks: Mapped[list[Any] | None] = mapped_column(JSON)
    deliver_after: Mapped[datetime]
    created_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed|cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    sent_channel: Mapped[str | None] = mapped_column(String(32))
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Deliver only inside the pair's working time (the respekt rule), checked again at send
    # time: a bot that was down over 08:00 and starts at 23:00 must not post at night.
    respekt: Mapped[bool] = mapped_column(Boolean, default=False)
    # The workspace it goes to, whose token sends it (migration 0012); None in rows from before it.
    team_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    # --- outbox lanes (migration 0008) ---
    # Rows of one lane (a channel, one person's DMs, ...) go out one at a time in id order.
    lane: Mapped[str | None] = mapped_column(String(100))
    # Slack's clock (a ts) when the last attempt began: where to look in conversations.history
    # if that attempt's outcome is unknown.
    attempt_ts: Mapped[str | None] = mapped_column(String(32))
    # A sent post's lane as a token bucket (Slack: about 1 post per second per channel, short
    # bursts): tokens left after it, and when the lane may post again. Kept here, not in
    # memory, so that every process keeps the same pace.
    pace_tokens: Mapped[float | None] = mapped_column(Float)
    pace_ready_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who did what, and when, with before/after: the diarium's trail."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"), index=True)
    # The workspace the line belongs to (migration 0014): a proposal's lines have no pair, and a
    # pair's id is set to NULL when it is erased, yet every line stays tied to its workspace.
    team_id: Mapped[str | None] = mapped_column(String(32), index=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime]


class JobRun(Base):
    """Makes scheduled work idempotent: a second run with the same key is a no-op."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    ran_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(String(200), default="")


# --- respekt (migration 0002) ----------------------------------------------


class Meddelande(Base):
    """A message sent through the bot from one pair member to the other (respekt rule)."""

    __tablename__ = "meddelanden"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="command")  # command|shortcut
    # The author of the Slack message that the shortcut forwarded, when it is someone else.
    origin_user: Mapped[str | None] = mapped_column(String(32))
    written_at: Mapped[datetime]
    deliver_at: Mapped[datetime]
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    akut: Mapped[bool] = mapped_column(Boolean, default=False)
    akut_reason: Mapped[str | None] = mapped_column(Text)
    # When akut: "arbetstid", "kväll" (weekday outside hours) or "helg" (weekend/holiday).
    akut_when: Mapped[str | None] = mapped_column(String(16))
    escalated_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))


# --- uppdrag and ärenden (migration 0003) ----------------------------------


class Uppdrag(Base):
    """An assignment that the KSO hands to the KD, numbered per pair (#1, #2 …)."""

    __tablename__ = "uppdrag"
    __table_args__ = (UniqueConstraint("pair_id", "nr"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    nr: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    given_by: Mapped[str] = mapped_column(String(32))
    given_at: Mapped[datetime]
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|done
    done_by: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None]


class UppdragFraga(Base):
    """An open uncertainty ('oklart') the KD raises about an uppdrag; cleared by the KSO's answer."""

    __tablename__ = "uppdrag_fragor"

    id: Mapped[int] = mapped_column(primary_key=True)
    uppdrag_id: Mapped[int] = mapped_column(ForeignKey("uppdrag.id", ondelete="CASCADE"), index=True)
    fraga: Mapped[str] = mapped_column(Text)
    asked_by: Mapped[str] = mapped_column(String(32))
    asked_at: Mapped[datetime]
    svar: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None]
    # The message that asked the KSO, so its answer button can be replaced once answered.
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))


class Arende(Base):
    """A case the KD hands over as ready for decision; the KSO sends it to KS or back for beredning."""

    __tablename__ = "arenden"
    __table_args__ = (UniqueConstraint("pair_id", "nr"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    nr: Mapped[int] = mapped_column(Integer)
    titel: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    ks_meeting: Mapped[date | None] = mapped_column(Date)
    submitted_by: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="vantar")  # vantar|till_ks|ater
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(Text)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    # The last day the KSO can decide it for `ks_meeting` (migration 0011); None without a KS calendar.
    stopptid: Mapped[date | None] = mapped_column(Date)
    # How often the KD has handed it over (`/arende åter` adds one); its history is in the audit trail.
    rounds: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    resubmitted_at: Mapped[datetime | None]


# --- agenda (migration 0004) -----------------------------------------------


class AgendaPoint(Base):
    """A point someone adds to the Monday agenda; it carries over until closed."""

    __tablename__ = "agenda_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    typ: Mapped[str] = mapped_column(String(16))  # prioritering|info|incident|olöst|kommande
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    # An incident is closed with who owns the follow-up and how it was cleared up (migration 0011).
    owner: Mapped[str | None] = mapped_column(String(32))
    resolution: Mapped[str | None] = mapped_column(Text)


# --- utvecklingssamtal and spelregler (migration 0005) ---------------------


class SpelreglerVersion(Base):
    """One saved version of a pair's spelregler; sections keyed by the seed-000 headings."""

    __tablename__ = "spelregler_versions"
    __table_args__ = (UniqueConstraint("pair_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class Utvecklingssamtal(Base):
    """A held yearly development talk, where the spelregler are also revised."""

    __tablename__ = "utvecklingssamtal"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    planned_date: Mapped[date | None] = mapped_column(Date)
    held_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(32))


# --- consent (migration 0006) ----------------------------------------------


class PairProposal(Base):
    """`/samspel koppla` by one person: a pair exists only once the other person accepts."""

    __tablename__ = "pair_proposals"
    # One open proposal per channel of a workspace (migration 0014).
    __table_args__ = (_unique_where("uq_pair_proposals_open_channel", "team_id", "channel_id", condition="status = 'pending'"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    kso_user: Mapped[str] = mapped_column(String(32))
    kd_user: Mapped[str] = mapped_column(String(32))
    proposed_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|accepted|declined|expired
    decided_at: Mapped[datetime | None]
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    # The DM that asked the invitee, so its buttons can be replaced by the outcome.
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))

    @property
    def invitee(self) -> str:
        return self.kd_user if self.proposed_by == self.kso_user else self.kso_user


# --- dataskydd (migration 0009) --------------------------------------------


class UserName(Base):
    """A person's name from Slack (`users.info`), cached so exports show people by name.

    Only a cache: the Slack id stays the key everywhere else, the export shows both,
    and erasing a person deletes this row.
    """

    __tablename__ = "user_names"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    fetched_at: Mapped[datetime]


# --- request keys (migration 0007) -----------------------------------------


class RequestKey(Base):
    """One signed Slack request that was acted on; a repeat with the same key is ignored (bot.adapters.request_keys)."""

    __tablename__ = "request_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


# --- per-person calendars (migration 0010) ----------------------------------


class MemberCalendar(Base):
    """One pair member's own working hours and days (the respekt rule follows the recipient's).

    A member without a row works the pair's defaults (`Pair.work_*`, Mon–Fri 08:00–17:00).
    """

    __tablename__ = "member_calendars"
    __table_args__ = (UniqueConstraint("pair_id", "user", name="uq_member_calendars_pair_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    user: Mapped[str] = mapped_column(String(32))
    work_start_min: Mapped[int] = mapped_column(Integer, default=8 * 60)
    work_end_min: Mapped[int] = mapped_column(Integer, default=17 * 60)
    work_days: Mapped[str] = mapped_column(String(7), default="12345")
    changed_at: Mapped[datetime]


# --- KS calendar (migration 0011) ------------------------------------------


class KsMeeting(Base):
    """A date the kommunstyrelsen meets (`/samspel ks`): cases are planned onto these, with a stopptid."""

    __tablename__ = "ks_meetings"
    __table_args__ = (UniqueConstraint("pair_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


# --- outbox lanes (migration 0008) ------------------------------------------

# The held message behind an outbox row, looked up by the delivery hooks for every DM they see.
Index("ix_meddelanden_outbox_id", Meddelande.outbox_id)


# --- people (migration 0013) -------------------------------------------------


class Person(Base):
    """What Samspel keeps about one person, whichever pairs they are in: their language and their
    calendar feed. Created on the first request; erasing the person deletes the row.
    """

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("calendar_token", name="uq_people_calendar_token"),)

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The person's own choice (`/samspel språk sv|en`); None follows Slack's locale.
    language: Mapped[str | None] = mapped_column(String(8))
    # From `users.info` (include_locale), e.g. "en-US"; None until Slack told us.
    slack_locale: Mapped[str | None] = mapped_column(String(16))
    # The first App Home open gets a welcome; later opens don't.
    welcomed_at: Mapped[datetime | None]
    # The secret in the person's calendar URL (/kalender/<token>.ics); renewing it cuts off the old URL.
    calendar_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    # When the calendar token was made or last renewed (migration 0014); None for a token made before it.
    calendar_token_at: Mapped[datetime | None]


# --- removed workspaces (migration 0014) -----------------------------------------


class RemovedWorkspace(Base):
    """A workspace that removed Samspel (`app_uninstalled`, `tokens_revoked`): its data goes after the grace period.

    Deleted again when the workspace installs Samspel again, or when its data has been erased.
    """

    __tablename__ = "removed_workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    removed_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(64), default="")
