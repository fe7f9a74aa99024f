"""Ärende use cases: cases the KD hands over as ready for decision ("färdigberedda ärenden").

The KSO decides whether each is prepared well enough to go on to KS (`till_ks`) or goes
back for more beredning (`ater`, with a comment). Only the KSO's decision counts, and a
case is decided once: the decision is a conditional UPDATE on status 'vantar', so of two
simultaneous clicks exactly one wins. The other member's notice follows as an event
(bot/projections/arende_notices.py), held by the respekt rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db import rowcount
from bot.domain import arende as rules
from bot.domain.events import AgendaChanged, CaseDecided, CaseSubmitted, StopptidMissed
from bot.errors import UserError
from bot.i18n import N_
from bot.models import Arende, Pair
from bot.services import audit, ks_calendar
from bot.services.numbered import Notice, insert_numbered, local_today, notice_for
from bot.services.pairs import Member, member_of_pair
from bot.services.refusals import Refusal, require_text
from bot.services.unit_of_work import emit
from bot.text import safe_url

ARENDE_FIELDS = (
    "nr",
    "titel",
    "link",
    "ks_meeting",
    "stopptid",
    "submitted_by",
    "submitted_at",
    "status",
    "decided_by",
    "decided_at",
    "comment",
    "rounds",
)
# A case's status as a heading ("Till KS"): marked here, translated where it is shown.
STATUS_LABELS = {rules.VANTAR: N_("Väntar på KSO"), rules.TILL_KS: N_("Till KS"), rules.ATER: N_("Åter för beredning")}
_SUBMISSION_REFUSALS = {
    "bad_ks_date": N_("Förstår inte KS-datumet {day!r}: skriv t.ex. `ks 2026-12-08`."),
    "ks_past": N_("KS-mötet {day} har redan varit: ange ett kommande möte."),
    "empty_title": N_("Titeln är tom: skriv ärendets titel före diarienumret eller länken."),
    "bad_link": N_("Länken går inte att använda: skriv en hel adress som börjar med https://, utan mellanslag eller tecknen < > |."),
}


@dataclass(frozen=True)
class Submitted:
    """A case handed over (`again`: handed over anew after beredning)."""

    arende: Arende
    kso: str
    notice: Notice
    calendar_note: ks_calendar.CalendarNote | None = None
    again: bool = False


@dataclass(frozen=True)
class Decided:
    """A decision; `notice` None when the case was already decided (the row says by whom), nothing changed."""

    arende: Arende
    timezone: str
    notice: Notice | None
    late: StopptidMissed | None = None


@dataclass(frozen=True)
class CaseList:
    """`/arende lista`: the pair's cases per status, in `rules.LIST_ORDER`, newest decisions first."""

    groups: dict[str, list[Arende]]
    timezone: str

    @property
    def empty(self) -> bool:
        return not any(self.groups.values())


def parse_submission(text: str, today: date) -> rules.Submission:
    """Split the KD's text into title, link and KS meeting; a `UserError` for bad input."""
    parsed = rules.parse_submission(text, today, lambda link: safe_url(link) is not None)
    if isinstance(parsed, rules.SubmissionError):
        raise UserError(_SUBMISSION_REFUSALS[parsed.kind], **({"day": parsed.day} if parsed.day else {}))
    require_text(parsed.titel, "Titeln")
    if parsed.link is not None and len(parsed.link) > rules.MAX_LINK:
        raise UserError(N_("Länken är för lång: högst 500 tecken."))
    return parsed


def _plan(session: Session, pair: Pair, parsed: rules.Submission, today: date) -> tuple[date | None, date | None]:
    """The case's KS meeting and stopptid: the one named, else the next one it can still reach."""
    if parsed.ks_meeting is not None:
        return parsed.ks_meeting, ks_calendar.stopptid_for(session, pair, parsed.ks_meeting)
    planned = ks_calendar.plan_case(session, pair, today)
    return (planned.meeting, planned.stopptid) if planned else (None, None)


def submit(session: Session, member: Member, text: str, now: datetime) -> Submitted:
    """The KD hands over a case; the KSO gets it with the decision buttons (respekt rule)."""
    if not rules.may_submit(member.role):
        raise UserError(N_("Bara KD lämnar över ärenden. Som KSO avgör du dem med knapparna *Till KS* och *Åter för beredning*."))
    pair = member.pair
    today = local_today(session, pair, now)
    parsed = parse_submission(text, today)
    if parsed.ks_meeting is not None:
        ks_calendar.require_working_day(session, pair, parsed.ks_meeting)
    meeting, last = _plan(session, pair, parsed, today)
    note = ks_calendar.calendar_note(session, pair, parsed.ks_meeting, today)

    def build(nr: int) -> Arende:
        return Arende(
            pair_id=pair.id,
            nr=nr,
            titel=parsed.titel,
            link=parsed.link,
            ks_meeting=meeting,
            stopptid=last,
            submitted_by=member.user,
            submitted_at=now,
            status=rules.VANTAR,
        )

    a = insert_numbered(session, Arende, pair.id, build)
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="arende_ny",
        entity="arende",
        entity_id=a.id,
        at=now,
        after=audit.snapshot(a, ARENDE_FIELDS),
    )
    notice = notice_for(session, pair, now, pair.kso_user)
    emit(session, CaseSubmitted(at=now, pair_id=pair.id, arende_id=a.id, deliver_after=notice.deliver_after))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    return Submitted(a, pair.kso_user, notice, note)


def _returned_case(session: Session, pair: Pair, text: str) -> tuple[Arende, str]:
    """The case `/arende åter <nr> [text]` names, if it was sent back, and the KD's note."""
    parsed = rules.parse_resubmission(text)
    if parsed is None:
        raise UserError(N_("Ange ärendets nummer: `/arende åter 3 Kompletterat med konsekvensanalys`."))
    nr, note = parsed
    if note:
        require_text(note, "Texten")
    a = session.scalar(select(Arende).where(Arende.pair_id == pair.id, Arende.nr == nr))
    if a is None:
        raise UserError(N_("Det finns inget ärende #{nr}."), nr=nr)
    if a.status != rules.ATER:
        raise Refusal(
            N_("Ärende #{nr} är inte återsänt för beredning ({label}), så det lämnas inte över igen."),
            nr=a.nr,
            terms={"label": STATUS_LABELS.get(a.status, a.status)},
        )
    return a, note


# long: a resubmission's checks, then the same case renewed with its history; split, they read worse.
def resubmit(session: Session, member: Member, text: str, now: datetime) -> Submitted:
    """`/arende åter <nr> [text]`: the KD hands a case sent back over again, under the same number.

    The earlier decision and comment stay in the audit trail (the `before` of this entry);
    the case waits for the KSO again, with the decision buttons, and is planned anew onto KS.
    """
    if not rules.may_submit(member.role):
        raise UserError(N_("Bara KD lämnar över ett ärende igen. Som KSO avgör du det när det kommer."))
    pair = member.pair
    a, note = _returned_case(session, pair, text)
    before = audit.snapshot(a, ARENDE_FIELDS)
    planned = ks_calendar.plan_case(session, pair, local_today(session, pair, now))
    meeting, last = (planned.meeting, planned.stopptid) if planned else (a.ks_meeting, a.stopptid)
    # Conditional on 'ater': of two simultaneous resubmissions exactly one counts.
    won = rowcount(
        session.execute(
            update(Arende)
            .where(Arende.id == a.id, Arende.status == rules.ATER)
            .values(
                status=rules.VANTAR,
                decided_by=None,
                decided_at=None,
                comment=None,
                rounds=Arende.rounds + 1,
                resubmitted_at=now,
                ks_meeting=meeting,
                stopptid=last,
            )
            .execution_options(synchronize_session=False)
        )
    )
    session.refresh(a)
    if not won:
        raise UserError(N_("Ärende #{nr} är redan inlämnat igen."), nr=a.nr)
    after = audit.snapshot(a, ARENDE_FIELDS)
    if note:
        after["anteckning"] = note
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="arende_igen",
        entity="arende",
        entity_id=a.id,
        at=now,
        before=before,
        after=after,
    )
    notice = notice_for(session, pair, now, pair.kso_user)
    previous = before.get("comment")
    emit(
        session,
        CaseSubmitted(
            at=now,
            pair_id=pair.id,
            arende_id=a.id,
            deliver_after=notice.deliver_after,
            again=True,
            note=note,
            previous_comment=str(previous) if previous else None,
        ),
    )
    return Submitted(a, pair.kso_user, notice, again=True)


# --- queries -----------------------------------------------------------------


def waiting(session: Session, pair_id: int) -> list[Arende]:
    """Cases waiting for the KSO, oldest first."""
    return list(session.scalars(select(Arende).where(Arende.pair_id == pair_id, Arende.status == rules.VANTAR).order_by(Arende.nr)).all())


def list_cases(session: Session, member: Member, now: datetime) -> CaseList:
    """`/arende lista`: waiting (oldest first), sent to KS, and returned for beredning (newest first)."""
    rows = session.scalars(select(Arende).where(Arende.pair_id == member.pair.id)).all()
    groups: dict[str, list[Arende]] = {}
    for status in rules.LIST_ORDER:
        group = [a for a in rows if a.status == status]
        if status == rules.VANTAR:
            group.sort(key=lambda a: a.nr)
        else:
            group.sort(key=lambda a: (a.decided_at or a.submitted_at, a.nr), reverse=True)
        groups[status] = group
    return CaseList(groups, member.pair.timezone)


# --- the KSO's decision ------------------------------------------------------


def _case_for(session: Session, arende_id: int, actor: str) -> tuple[Arende, Pair]:
    """The case and its pair, refusing anyone but the pair's KSO."""
    a = session.get(Arende, arende_id)
    pair = session.get(Pair, a.pair_id) if a else None
    if a is None or pair is None:
        raise UserError(N_("Ärendet finns inte längre."))
    if not rules.may_decide(member_of_pair(pair, actor).role):
        raise UserError(N_("Bara KSO avgör ärenden: ärende #{nr} är oförändrat."), nr=a.nr)
    return a, pair


def already_decided(a: Arende, tz: str) -> Refusal:
    return Refusal(
        N_("Ärende #{nr} är redan avgjort ({label}, av <@{user}> {when}). Inget ändrades."),
        nr=a.nr,
        user=a.decided_by,
        terms={"label": STATUS_LABELS.get(a.status, a.status)},
        moments={"when": (a.decided_at, tz)},
    )


def check_can_return(session: Session, arende_id: int, actor: str) -> Arende:
    """Before the comment modal opens: the KSO, and a case still waiting."""
    a, pair = _case_for(session, arende_id, actor)
    if a.status != rules.VANTAR:
        raise already_decided(a, pair.timezone)
    return a


@dataclass(frozen=True)
class Decision:
    """What the KSO decided, and on which message (channel, ts) the button was clicked, if any."""

    arende_id: int
    decision: str
    comment: str | None = None
    clicked: tuple[str, str] | None = None


def decide(session: Session, actor: str, decision: Decision, now: datetime) -> Decided:
    """Decide a case once."""
    if decision.decision not in rules.DECISIONS:
        raise ValueError(decision.decision)
    comment = (decision.comment or "").strip() or None
    if comment is not None:
        require_text(comment, "Kommentaren")
    a, pair = _case_for(session, decision.arende_id, actor)
    before = audit.snapshot(a, ARENDE_FIELDS)
    won = rowcount(
        session.execute(
            update(Arende)
            .where(Arende.id == a.id, Arende.status == rules.VANTAR)
            .values(status=decision.decision, decided_by=actor, decided_at=now, comment=comment)
            .execution_options(synchronize_session=False)
        )
    )
    session.refresh(a)
    if not won:
        return Decided(a, pair.timezone, None)
    late = _after_stopptid(session, a, pair, now) if decision.decision == rules.TILL_KS else None
    audit.record(
        session,
        pair_id=pair.id,
        actor=actor,
        action=f"arende_{decision.decision}",
        entity="arende",
        entity_id=a.id,
        at=now,
        before=before,
        after=audit.snapshot(a, ARENDE_FIELDS),
    )
    notice = notice_for(session, pair, now, a.submitted_by)
    # Every message that still offers this case's buttons changes (bot/projections/arende_notices.py and
    # posted_agenda.py), including an older agenda if that is where the KSO clicked; the KD is told.
    emit(
        session,
        CaseDecided(at=now, pair_id=pair.id, arende_id=a.id, clicked=decision.clicked, deliver_after=notice.deliver_after, late=late),
    )
    return Decided(a, pair.timezone, notice, late)


def _after_stopptid(session: Session, a: Arende, pair: Pair, now: datetime) -> StopptidMissed | None:
    """A Till KS after the case's stopptid: the case moves to the meeting it can still reach."""
    today = local_today(session, pair, now)
    if not rules.passed_stopptid(a.stopptid, a.ks_meeting, today) or a.stopptid is None or a.ks_meeting is None:
        return None
    missed = StopptidMissed(a.ks_meeting, a.stopptid)
    reached = ks_calendar.reached_after_stopptid(session, pair, today)
    if reached is None:
        return missed
    a.ks_meeting, a.stopptid = reached.meeting, reached.stopptid
    return StopptidMissed(missed.meeting, missed.stopptid, reached.meeting, reached.stopptid)
