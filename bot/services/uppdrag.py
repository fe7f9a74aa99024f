"""Uppdrag use cases: assignments the KSO hands to the KD ("KSO överlämnar nya uppdrag till KD").

Each uppdrag gets a per-pair number (#1, #2 …). The KD can mark one done or flag an
uncertainty ("oklart"), which stays open (and on the agenda) until the KSO answers.
Every change is written to the audit trail in the same transaction. The other member's
notice follows as an event (bot/projections/uppdrag_notices.py), held by the respekt rule;
each result says when it arrives, so the presenter can tell the actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db import rowcount
from bot.domain import deadline as deadline_rules
from bot.domain import uppdrag as rules
from bot.domain.deadline import DeadlineError
from bot.domain.events import AgendaChanged, QuestionAnswered, QuestionAsked, UppdragClosed, UppdragGiven
from bot.errors import UserError
from bot.i18n import N_
from bot.models import Pair, Uppdrag, UppdragFraga
from bot.services import audit
from bot.services.numbered import Notice, insert_numbered, local_today, notice_for
from bot.services.pairs import Member, calendar_for, get_pair, member_of_pair
from bot.services.refusals import Refusal, require_text
from bot.services.unit_of_work import emit
from bot.text import escape, shorten

UPPDRAG_FIELDS = ("nr", "text", "given_by", "given_at", "deadline", "status", "done_by", "done_at")
FRAGA_FIELDS = ("uppdrag_id", "fraga", "asked_by", "asked_at", "svar", "answered_by", "answered_at")
LIST_ITEM_CHARS = 300
KSO_ANSWERS = N_("Det är KSO som svarar på osäkerheter i uppdragen.")


class DeadlineRefused(UserError):
    """A deadline word that gives no date; the edge words `error` (bot.presenters.deadline.explain)."""

    def __init__(self, error: DeadlineError) -> None:
        super().__init__(N_("Förstår inte slutdatumet {shown!r}."), shown=error.shown)
        self.error = error


@dataclass(frozen=True)
class Gave:
    uppdrag: Uppdrag
    kd: str
    notice: Notice
    # Why the deadline is a day off for the KD (a bot.domain.calendar code: HOLIDAY, OWN_DAY_OFF, WEEKEND), or None.
    day_off: str | None


@dataclass(frozen=True)
class Closed:
    uppdrag: Uppdrag
    other: str
    notice: Notice | None  # None: it was already done (by `uppdrag.done_by`), nothing changed


@dataclass(frozen=True)
class Asked:
    uppdrag: Uppdrag
    kso: str
    notice: Notice


@dataclass(frozen=True)
class Answered:
    uppdrag: Uppdrag
    asker: str
    notice: Notice


@dataclass(frozen=True)
class OpenList:
    """`/uppdrag lista`: the open uppdrag in order (overdue first), with their open questions."""

    rows: list[Uppdrag]
    questions: dict[int, UppdragFraga]
    today: date
    timezone: str

    @property
    def overdue(self) -> int:
        return sum(1 for u in self.rows if is_overdue(u, self.today))


@dataclass(frozen=True)
class OpenQuestion:
    uppdrag: Uppdrag
    question: UppdragFraga


# --- queries the agenda and the Home tab use ---------------------------------


def is_overdue(u: Uppdrag, today: date) -> bool:
    return rules.is_overdue(u.status, u.deadline, today)


def open_uppdrag(session: Session, pair_id: int, today: date) -> list[Uppdrag]:
    """Open uppdrag: overdue first (oldest deadline first), then by deadline, then by number."""
    rows = session.scalars(select(Uppdrag).where(Uppdrag.pair_id == pair_id, Uppdrag.status == rules.OPEN)).all()
    return sorted(rows, key=lambda u: rules.list_order(u.status, u.deadline, u.nr, today))


def open_questions(session: Session, pair_id: int) -> dict[int, UppdragFraga]:
    """The open oklart question per uppdrag id."""
    rows = session.scalars(
        select(UppdragFraga)
        .join(Uppdrag, Uppdrag.id == UppdragFraga.uppdrag_id)
        .where(Uppdrag.pair_id == pair_id, UppdragFraga.answered_at.is_(None))
        .order_by(UppdragFraga.id)
    ).all()
    return {q.uppdrag_id: q for q in rows}


def list_open(session: Session, member: Member, now: datetime) -> OpenList:
    pair = member.pair
    today = local_today(session, pair, now)
    return OpenList(open_uppdrag(session, pair.id, today), open_questions(session, pair.id), today, pair.timezone)


# --- changes -----------------------------------------------------------------


def parse_nr(text: str, usage: str) -> tuple[int, str]:
    """`'3 resten'` or `'#3 resten'` → (3, 'resten'); a usage refusal otherwise."""
    parsed = rules.parse_nr(text)
    if parsed is None:
        raise Refusal(N_("Ange uppdragets nummer: `{usage}`."), terms={"usage": usage})
    return parsed


def parse_give(text: str, today: date, is_working_day: rules.WorkingDay) -> rules.Given:
    """The KSO's uppdrag text read; a `DeadlineRefused` for a bad deadline, a refusal for a bad length."""
    parsed = rules.parse_give(text, today, is_working_day)
    if isinstance(parsed, DeadlineError):
        raise DeadlineRefused(parsed)
    require_text(parsed.text, "Uppdraget")
    return parsed


ONLY_KSO_GIVES = N_("Bara KSO ger uppdrag. Som KD kan du lista, markera klart eller ta upp en osäkerhet: `/uppdrag oklart <nr> <fråga>`.")


def _given_by_date(text: str, deadline: date | None, today: date, is_working_day: rules.WorkingDay) -> rules.Given:
    """A form's text taken as written (a `senast` in it is just a word) and its picked date, checked as typed ones are."""
    reading = deadline_rules.parse(deadline.isoformat(), today, is_working_day) if deadline else None
    if isinstance(reading, DeadlineError):
        raise DeadlineRefused(reading)
    body = text.strip()
    require_text(body, "Uppdraget")
    return rules.Given(body, reading)


def give(session: Session, member: Member, text: str, now: datetime, *, picked: bool = False, deadline: date | None = None) -> Gave:
    """The KSO logs an uppdrag; the KD is told (respekt rule).

    `picked`: from a form (the Nytt uppdrag shortcut), where `text` is all uppdrag text and `deadline`
    the date picked, if any; otherwise the deadline is read from `senast …` in `text`.
    """
    if not rules.may_give(member.role):
        raise UserError(ONLY_KSO_GIVES)
    pair = member.pair
    # The KD does the work, so "vecka 51" is the KD's last working day of that week.
    calendar = calendar_for(session, pair, pair.kd_user)
    today = calendar.local(now).date()
    parsed = _given_by_date(text, deadline, today, calendar.is_working_day) if picked else parse_give(text, today, calendar.is_working_day)

    def build(nr: int) -> Uppdrag:
        return Uppdrag(
            pair_id=pair.id, nr=nr, text=parsed.text, given_by=member.user, given_at=now, deadline=parsed.deadline, status=rules.OPEN
        )

    u = insert_numbered(session, Uppdrag, pair.id, build)
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="uppdrag_ny",
        entity="uppdrag",
        entity_id=u.id,
        at=now,
        after=audit.snapshot(u, UPPDRAG_FIELDS),
    )
    notice = notice_for(session, pair, now, pair.kd_user)
    emit(session, UppdragGiven(at=now, pair_id=pair.id, uppdrag_id=u.id, deliver_after=notice.deliver_after))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    # "senast fredag" on nyårsafton lands on nyårsdagen: the KSO should know before the KD does.
    off = calendar.day_off(u.deadline) if u.deadline else None
    return Gave(u, pair.kd_user, notice, off)


def _get(session: Session, pair: Pair, nr: int, *, lock: bool = False) -> Uppdrag:
    query = select(Uppdrag).where(Uppdrag.pair_id == pair.id, Uppdrag.nr == nr)
    u = session.scalar(query.with_for_update() if lock else query)
    if u is None:
        raise UserError(N_("Det finns inget uppdrag #{nr}. Se `/uppdrag lista`."), nr=nr)
    return u


def close(session: Session, member: Member, text: str, now: datetime) -> Closed:
    """`klart <nr>` by the KD or the KSO; the other one is told."""
    nr, _rest = parse_nr(text, "/uppdrag klart <nr>")
    pair = member.pair
    u = _get(session, pair, nr)
    before = audit.snapshot(u, UPPDRAG_FIELDS)
    other = pair.other(member.user)
    # Conditional update: of two simultaneous "klart", one wins and the other is told.
    done = rowcount(
        session.execute(
            update(Uppdrag)
            .where(Uppdrag.id == u.id, Uppdrag.status == rules.OPEN)
            .values(status=rules.DONE, done_by=member.user, done_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    session.refresh(u)
    if not done:
        return Closed(u, other, None)
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="uppdrag_klart",
        entity="uppdrag",
        entity_id=u.id,
        at=now,
        before=before,
        after=audit.snapshot(u, UPPDRAG_FIELDS),
    )
    notice = notice_for(session, pair, now, other)
    emit(session, UppdragClosed(at=now, pair_id=pair.id, uppdrag_id=u.id, deliver_after=notice.deliver_after))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    return Closed(u, other, notice)


def ask(session: Session, member: Member, text: str, now: datetime) -> Asked:
    """`oklart <nr> <fråga>` by the KD: the KSO gets the question with an answer button."""
    if not rules.may_ask(member.role):
        raise UserError(N_("Det är KD som tar upp osäkerheter i ett uppdrag. Som KSO svarar du med `/uppdrag svar <nr> <text>`."))
    nr, fraga = parse_nr(text, N_("/uppdrag oklart <nr> <fråga>"))
    require_text(fraga, "Frågan")
    pair = member.pair
    u = _get(session, pair, nr, lock=True)
    if u.status != rules.OPEN:
        raise UserError(N_("Uppdrag #{nr} är redan klart. Ge KSO frågan direkt med `/meddela` om den fortfarande gäller."), nr=nr)
    existing = open_questions(session, pair.id).get(u.id)
    if existing is not None:
        raise UserError(
            N_("Uppdrag #{nr} har redan en obesvarad fråga: {question}. Vänta på KSO:s svar."),
            nr=nr,
            question=escape(shorten(existing.fraga, LIST_ITEM_CHARS)),
        )
    q = UppdragFraga(uppdrag_id=u.id, fraga=fraga, asked_by=member.user, asked_at=now)
    session.add(q)
    session.flush()
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="uppdrag_oklart",
        entity="uppdrag_fraga",
        entity_id=q.id,
        at=now,
        after=audit.snapshot(q, FRAGA_FIELDS),
    )
    notice = notice_for(session, pair, now, pair.kso_user)
    emit(session, QuestionAsked(at=now, pair_id=pair.id, fraga_id=q.id, deliver_after=notice.deliver_after))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    return Asked(u, pair.kso_user, notice)


def answer(session: Session, member: Member, text: str, now: datetime) -> Answered:
    """`svar <nr> <text>` by the KSO: answers the open question."""
    if not rules.may_answer(member.role):
        raise UserError(KSO_ANSWERS)
    nr, svar = parse_nr(text, "/uppdrag svar <nr> <text>")
    u = _get(session, member.pair, nr)
    q = open_questions(session, member.pair.id).get(u.id)
    if q is None:
        raise UserError(N_("Uppdrag #{nr} har ingen obesvarad fråga."), nr=nr)
    return answer_question(session, member, q.id, svar, now)


def find_question(session: Session, fraga_id: int) -> tuple[UppdragFraga, Uppdrag]:
    q = session.get(UppdragFraga, fraga_id)
    u = session.get(Uppdrag, q.uppdrag_id) if q else None
    if q is None or u is None:
        raise UserError(N_("Frågan finns inte längre."))
    return q, u


def _already_answered(u: Uppdrag, q: UppdragFraga) -> UserError:
    return UserError(N_("Frågan om uppdrag #{nr} är redan besvarad av <@{user}>."), nr=u.nr, user=q.answered_by)


def answer_question(session: Session, member: Member, fraga_id: int, svar: str, now: datetime) -> Answered:
    """The KSO answers an oklart question (command or modal); the KD is told."""
    if not rules.may_answer(member.role):
        raise UserError(KSO_ANSWERS)
    require_text(svar, "Svaret")
    q, u = find_question(session, fraga_id)
    pair = member.pair
    if u.pair_id != pair.id:
        raise UserError(N_("Frågan finns inte längre."))
    before = audit.snapshot(q, FRAGA_FIELDS)
    won = rowcount(
        session.execute(
            update(UppdragFraga)
            .where(UppdragFraga.id == q.id, UppdragFraga.answered_at.is_(None))
            .values(svar=svar, answered_by=member.user, answered_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    session.refresh(q)
    if not won:
        raise _already_answered(u, q)
    audit.record(
        session,
        pair_id=pair.id,
        actor=member.user,
        action="uppdrag_svar",
        entity="uppdrag_fraga",
        entity_id=q.id,
        at=now,
        before=before,
        after=audit.snapshot(q, FRAGA_FIELDS),
    )
    notice = notice_for(session, pair, now, q.asked_by)
    # The KSO's copy and the posted agenda lose their Svara button; the KD is told.
    emit(session, QuestionAnswered(at=now, pair_id=pair.id, fraga_id=q.id, deliver_after=notice.deliver_after))
    return Answered(u, q.asked_by, notice)


def member_of(session: Session, pair_id: int, user: str) -> Member:
    """The clicker's membership of the pair a button belongs to, or the no-data refusal."""
    return member_of_pair(get_pair(session, pair_id), user)


def open_for_answer(session: Session, fraga_id: int, user: str) -> OpenQuestion:
    """Before the answer modal opens (the `Svara` button): only the KSO, only while the question is open."""
    q, u = find_question(session, fraga_id)
    member = member_of(session, u.pair_id, user)
    if not rules.may_answer(member.role):
        raise UserError(KSO_ANSWERS)
    if q.answered_at is not None:
        raise _already_answered(u, q)
    return OpenQuestion(u, q)


def answer_from_form(session: Session, user: str, fraga_id: int, svar: str, now: datetime) -> Answered:
    """The answer modal was sent: the sender must still be the KSO of the question's pair."""
    _question, u = find_question(session, fraga_id)
    return answer_question(session, member_of(session, u.pair_id, user), fraga_id, svar, now)
