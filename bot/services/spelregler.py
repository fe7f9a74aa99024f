"""Spelregler use cases: the current version, the list of versions, one version, and saving a new one.

A new pair's version 1 (the template, author "samspel") is created lazily, on first use. Every
later save is a new version with its author and date, so the yearly evaluation can be traced;
the audit line names the sections that changed (the diff).

Each saved version is also written to the pair channel's canvas (bot/projections/samtal.py
`write_canvas`, an outbox row of kind "canvas"), where the workspace allows channel canvases.
The versions here stay the source of truth; the canvas is a copy. Which canvas holds which
version is read from those outbox rows (`canvas_of`): the sent row's `sent_ts` is the canvas id
Slack answered, its dedupe key names the version. Keeping it there, rather than in
`pairs.canvas_id`, needs no hook after delivery and cannot disagree with what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.domain import spelregler as rules
from bot.domain.events import SpelreglerSaved
from bot.domain.spelregler import TEMPLATE, TEMPLATE_AUTHOR, Version
from bot.errors import UserError
from bot.i18n import N_
from bot.models import OutboxMessage, Pair, SpelreglerVersion
from bot.services import audit
from bot.services.pairs import get_pair, member_of_pair
from bot.services.unit_of_work import emit
from bot.text import MAX_TEXT


class SectionTooLong(UserError):
    """A section over the length limit; `index` says which field of the form to mark.

    The presenter words it (the heading is shown translated): bot/presenters/spelregler.py `error_text`.
    """

    def __init__(self, too_long: rules.TooLong, limit: int) -> None:
        super().__init__(
            N_("Avsnittet ”{heading}” är för långt ({length} tecken): högst {limit}."),
            heading=too_long.heading,
            length=too_long.length,
            limit=limit,
        )
        self.index = too_long.index
        self.heading = too_long.heading


@dataclass(frozen=True)
class Saved:
    """A new version, and the headings whose text changed since the one before."""

    version: Version
    previous: int
    changed: list[str]


@dataclass(frozen=True)
class CanvasRef:
    """The pair channel's canvas and the version it holds."""

    canvas_id: str
    version: int


CANVAS_KEY = "spelregler-canvas:{pair_id}:v{version}"


def canvas_key(pair_id: int, version: int) -> str:
    """The dedupe key of the canvas row that writes `version`: one write per version."""
    return CANVAS_KEY.format(pair_id=pair_id, version=version)


def _key_version(key: str | None) -> int | None:
    tail = (key or "").rpartition(":v")[2]
    return int(tail) if tail.isdigit() else None


def canvas_of(session: Session, pair: Pair) -> CanvasRef | None:
    """The channel canvas as last written, or None: never written, not sent yet, or not allowed (free plans)."""
    row = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.pair_id == pair.id, OutboxMessage.kind == "canvas")
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    ).first()
    if row is None or row.status != "sent" or not row.sent_ts:
        return None
    version = _key_version(row.dedupe_key)
    return CanvasRef(canvas_id=row.sent_ts, version=version) if version is not None else None


def canvas_for(session: Session, pair: Pair, version: Version) -> CanvasRef | None:
    """The channel canvas if it holds `version` (else the text must be shown in full)."""
    found = canvas_of(session, pair)
    return found if found is not None and found.version == version.number else None


def as_version(row: SpelreglerVersion) -> Version:
    return Version(number=row.version, sections=dict(row.sections or {}), author=row.author, created_at=row.created_at)


def _current_row(session: Session, pair: Pair, now: datetime) -> SpelreglerVersion:
    row = _latest(session, pair.id)
    if row is not None:
        return row
    try:
        # A savepoint, so a concurrent first use (unique pair_id+version) does not spoil the caller's transaction.
        with session.begin_nested():
            # Dated when the pair was connected: the template has applied since then, not since first shown.
            row = SpelreglerVersion(
                pair_id=pair.id, version=1, sections=dict(TEMPLATE), author=TEMPLATE_AUTHOR, created_at=min(pair.created_at, now)
            )
            session.add(row)
    except IntegrityError:
        row = _latest(session, pair.id)
        assert row is not None
    return row


def current(session: Session, pair: Pair, now: datetime) -> Version:
    """The pair's newest version; version 1 from the template is created on first use."""
    return as_version(_current_row(session, pair, now))


def _latest(session: Session, pair_id: int) -> SpelreglerVersion | None:
    return session.scalars(
        select(SpelreglerVersion).where(SpelreglerVersion.pair_id == pair_id).order_by(SpelreglerVersion.version.desc()).limit(1)
    ).first()


def versions(session: Session, pair: Pair, now: datetime) -> list[Version]:
    """Every version, newest first."""
    _current_row(session, pair, now)
    return [
        as_version(row)
        for row in session.scalars(
            select(SpelreglerVersion).where(SpelreglerVersion.pair_id == pair.id).order_by(SpelreglerVersion.version.desc())
        )
    ]


def get_version(session: Session, pair: Pair, number: int, now: datetime) -> Version:
    """Version `number`; a UserError names the versions there are."""
    _current_row(session, pair, now)
    row = session.scalar(select(SpelreglerVersion).where(SpelreglerVersion.pair_id == pair.id, SpelreglerVersion.version == number))
    if row is None:
        count = session.scalar(select(func.count(SpelreglerVersion.id)).where(SpelreglerVersion.pair_id == pair.id))
        raise UserError(
            N_("Det finns ingen version {number}: ni har version 1–{count}. Se `/spelregler versioner`."), number=number, count=count
        )
    return as_version(row)


def show(session: Session, pair: Pair, number: int | None, now: datetime) -> Version:
    """`/spelregler` (the current version) or `/spelregler version N`."""
    return current(session, pair, now) if number is None else get_version(session, pair, number, now)


def _check(texts: dict[str, str], latest: Version, base_version: int | None) -> None:
    """Refuse a save that would overwrite the other member's version, or that stores nothing new."""
    if base_version is not None and base_version != latest.number:
        who = "Samspel" if latest.by_samspel else f"<@{latest.author}>"
        raise UserError(
            N_(
                "{who} sparade version {version} medan du skrev. Stäng formuläret och öppna det igen, "
                "så utgår du från den senaste versionen."
            ),
            who=who,
            version=latest.number,
        )
    problem = rules.too_long(texts, MAX_TEXT)
    if problem is not None:
        raise SectionTooLong(problem, MAX_TEXT)
    if not any(texts.values()):
        raise UserError(N_("Alla avsnitt är tomma: skriv era spelregler innan du sparar."))
    if not rules.changed_sections(texts, latest):
        raise UserError(N_("Inga ändringar jämfört med version {version}: inget nytt har sparats."), version=latest.number)


def save_version(session: Session, pair: Pair, *, author: str, texts: dict[str, Any], base_version: int | None, now: datetime) -> Saved:
    """Store `texts` (heading → text) as a new version by `author`; the channel hears of it (SpelreglerSaved).

    `base_version` is the version the author started editing from; if the other
    member saved in the meantime, the save is refused instead of silently
    overwriting their changes.
    """
    latest = current(session, pair, now)
    clean = rules.cleaned(texts)
    _check(clean, latest, base_version)
    row = SpelreglerVersion(pair_id=pair.id, version=latest.number + 1, sections=clean, author=author, created_at=now)
    session.add(row)
    session.flush()
    changed = rules.changed_sections(clean, latest)
    audit.record(
        session,
        pair_id=pair.id,
        actor=author,
        action="spelregler_ny_version",
        entity="spelregler",
        entity_id=row.id,
        at=now,
        before={"version": latest.number},
        after={"version": row.version, "ändrade_avsnitt": changed},
    )
    emit(session, SpelreglerSaved(at=now, pair_id=pair.id, user=author, version=row.version))
    return Saved(version=as_version(row), previous=latest.number, changed=changed)


def save_form(session: Session, *, pair_id: int, user: str, texts: dict[str, Any], base_version: int, now: datetime) -> Saved:
    """The edit form was submitted: only a member of the pair may save."""
    pair = member_of_pair(get_pair(session, pair_id), user).pair
    return save_version(session, pair, author=user, texts=texts, base_version=base_version, now=now)
