"""Uppdrag: assignments the KSO hands to the KD ("KSO överlämnar nya uppdrag till KD").

Each uppdrag gets a per-pair number (#1, #2 …). The KD can mark one done or flag an
uncertainty ("oklart"), which stays open (and on the agenda) until the KSO answers.
Every change is written to the audit trail in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import outbox
from bot.db import rowcount
from bot.deadline import split_deadline
from bot.domain.deadline import WorkingDay
from bot.domain.events import AgendaChanged, PairChanged, QuestionAnswered
from bot.domain.respekt import deliver_after
from bot.errors import UserError
from bot.i18n import _
from bot.models import Arende, OutboxMessage, Pair, Uppdrag, UppdragFraga
from bot.services import audit
from bot.services.pairs import NOT_MEMBER, Member, calendar_for, get_pair
from bot.services.unit_of_work import emit
from bot.text import check_length, day_off_reason, escape, fmt_date, fmt_when, shorten

UPPDRAG_FIELDS = ("nr", "text", "given_by", "given_at", "deadline", "status", "done_by", "done_at")
FRAGA_FIELDS = ("uppdrag_id", "fraga", "asked_by", "asked_at", "svar", "answered_by", "answered_at")
LIST_ITEM_CHARS = 300
SVARA_ACTION = "uppdrag_svara"
SVAR_CALLBACK = "uppdrag_svar"
SVAR_BLOCK = "svar"
SVAR_INPUT = "svar"
_NR = re.compile(r"#?(\d{1,9})")

Numbered = TypeVar("Numbered", Uppdrag, Arende)


# --- shared helpers ----------------------------------------------------------


def local_today(session: Session, pair: Pair, now: datetime) -> date:
    """The pair's local date."""
    return calendar_for(session, pair).local(now).date()


def insert_numbered(session: Session, model: type[Numbered], pair_id: int, build: Callable[[int], Numbered]) -> Numbered:
    """Insert a row with the pair's next number (#1, #2 …), safe when two requests race.

    The unique (pair_id, nr) constraint decides: a loser rolls back its savepoint and
    takes the next number, so numbers never repeat and the caller's transaction lives on.
    """
    for _attempt in range(20):
        nr = (session.scalar(select(func.max(model.nr)).where(model.pair_id == pair_id)) or 0) + 1
        row = build(nr)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue
        return row
    raise UserError(_("Det var många samtidiga ändringar just nu: försök igen om en stund."))


def parse_nr(text: str, usage: str) -> tuple[int, str]:
    """`'3 resten'` or `'#3 resten'` → (3, 'resten'); a usage refusal otherwise."""
    first, _sep, rest = text.strip().partition(" ")
    match = _NR.fullmatch(first)
    if match is None:
        raise UserError(_("Ange uppdragets nummer: `{usage}`.").format(usage=usage))
    return int(match.group(1)), rest.strip()


def respectful(session: Session, pair: Pair, now: datetime, user: str | None = None) -> datetime:
    """When a bot message to `user` may arrive (the respekt rule, by that person's calendar).

    Without `user`: when both work, as for a post in the pair's channel.
    """
    return deliver_after(calendar_for(session, pair, user), now)


def arrival_note(session: Session, pair: Pair, now: datetime, deliver_after: datetime) -> str:
    """' Det levereras måndag 30 nov kl. 08:00, enligt respektregeln.' when held, else ''.

    Every notice to the other person that waits for working time says so to the actor:
    an uppdrag, a closed uppdrag, a question, an answer and a decision on a case.
    """
    if deliver_after <= now:
        return ""
    return _(" Det levereras {when}, enligt respektregeln.").format(when=fmt_when(deliver_after, pair.timezone))


def short(text: str, limit: int = LIST_ITEM_CHARS) -> str:
    return shorten(text, limit)


def sentence(text: str) -> str:
    """`text` ending in one full stop ("Utred simhallen." stays as it is)."""
    return text if text.rstrip().endswith((".", "!", "?", "…")) else text + "."


# --- queries the agenda and the Home tab use ---------------------------------


def open_uppdrag(session: Session, pair_id: int, today: date) -> list[Uppdrag]:
    """Open uppdrag: overdue first (oldest deadline first), then by deadline, then by number."""
    rows = session.scalars(select(Uppdrag).where(Uppdrag.pair_id == pair_id, Uppdrag.status == "open")).all()
    return sorted(rows, key=lambda u: (not is_overdue(u, today), u.deadline or date.max, u.nr))


def is_overdue(u: Uppdrag, today: date) -> bool:
    return u.status == "open" and u.deadline is not None and u.deadline < today


def open_questions(session: Session, pair_id: int) -> dict[int, UppdragFraga]:
    """The open oklart question per uppdrag id."""
    rows = session.scalars(
        select(UppdragFraga).join(Uppdrag, Uppdrag.id == UppdragFraga.uppdrag_id)
        .where(Uppdrag.pair_id == pair_id, UppdragFraga.answered_at.is_(None))
        .order_by(UppdragFraga.id)
    ).all()
    return {q.uppdrag_id: q for q in rows}


def describe(u: Uppdrag, today: date, tz: str, question: UppdragFraga | None = None, *, limit: int = LIST_ITEM_CHARS) -> str:
    """One uppdrag as a mrkdwn line (user text escaped)."""
    given = fmt_date(u.given_at.astimezone(ZoneInfo(tz)).date())
    if u.deadline is None:
        due = _("inget slutdatum")
    elif is_overdue(u, today):
        late = (today - u.deadline).days
        overdue = _("*senast {date}: försenat {days} dag*") if late == 1 else _("*senast {date}: försenat {days} dagar*")
        due = overdue.format(date=fmt_date(u.deadline), days=late)
    else:
        due = _("senast {date}").format(date=fmt_date(u.deadline))
    mark = ":warning:" if is_overdue(u, today) else "•"
    line = f"{mark} *#{u.nr}* {escape(short(u.text, limit))}  _(" + _("givet {given}, {due}").format(given=given, due=due) + ")_"
    if question is not None:
        line += "\n      :grey_question: " + _("Oklart: {question}").format(question=escape(short(question.fraga, limit)))
    return line


def list_text(session: Session, member: Member, now: datetime) -> str:
    """`/uppdrag lista`: the open uppdrag, overdue first and marked."""
    pair = member.pair
    today = local_today(session, pair, now)
    rows = open_uppdrag(session, pair.id, today)
    if not rows:
        return _("Inga öppna uppdrag just nu. KSO ger ett nytt med `/uppdrag <text> [senast fredag]`.")
    questions = open_questions(session, pair.id)
    overdue = sum(1 for u in rows if is_overdue(u, today))
    head = _("*Öppna uppdrag ({count})*").format(count=len(rows))
    if overdue:
        head += (_(": {overdue} försenat") if overdue == 1 else _(": {overdue} försenade")).format(overdue=overdue)
    return "\n".join([head, *(describe(u, today, pair.timezone, questions.get(u.id)) for u in rows)])


# --- changes -----------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """The parsed `/uppdrag <text> [senast …]`."""

    text: str
    deadline: date | None


def parse_give(text: str, today: date, is_working_day: WorkingDay | None = None) -> Given:
    """Parse the KSO's uppdrag text; a `UserError` for a bad deadline or length.

    `is_working_day` is the pair's calendar, for words such as `vecka 51` (its last working day).
    """
    body, deadline = split_deadline(text, today, is_working_day)
    refusal = check_length(body, "Uppdraget")
    if refusal:
        raise UserError(refusal)
    return Given(body, deadline)


def give(session: Session, member: Member, text: str, now: datetime) -> str:
    """The KSO logs an uppdrag; the KD is told (respekt rule). Returns the KSO's answer."""
    if not member.is_kso:
        raise UserError(_("Bara KSO ger uppdrag. Som KD kan du lista, markera klart eller ta upp en osäkerhet: "
                          "`/uppdrag oklart <nr> <fråga>`."))
    pair = member.pair
    # The KD does the work, so "vecka 51" is the KD's last working day of that week.
    calendar = calendar_for(session, pair, pair.kd_user)
    parsed = parse_give(text, calendar.local(now).date(), calendar.is_working_day)

    def build(nr: int) -> Uppdrag:
        return Uppdrag(pair_id=pair.id, nr=nr, text=parsed.text, given_by=member.user, given_at=now,
                       deadline=parsed.deadline, status="open")

    u = insert_numbered(session, Uppdrag, pair.id, build)
    audit.record(session, pair_id=pair.id, actor=member.user, action="uppdrag_ny", entity="uppdrag", entity_id=u.id,
                 at=now, after=audit.snapshot(u, UPPDRAG_FIELDS))
    due = _("\nSenast {date} ({iso}).").format(date=fmt_date(u.deadline), iso=u.deadline.isoformat()) if u.deadline else ""
    when = respectful(session, pair, now, pair.kd_user)
    outbox.enqueue(
        session, kind="dm", now=now, user=pair.kd_user, pair_id=pair.id, deliver_after=when, respekt=True,
        text=_("Nytt uppdrag #{nr} från <@{user}>: {text}{due}\n"
               "Markera klart med `/uppdrag klart {nr}`, eller ta upp en osäkerhet med `/uppdrag oklart {nr} <fråga>`.")
        .format(nr=u.nr, user=member.user, text=escape(u.text), due=due),
    )
    emit(session, PairChanged(at=now, pair_id=pair.id))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    answer = (_("Uppdrag #{nr} är registrerat: {text}{due}\n<@{kd}> får beskedet.").format(nr=u.nr, text=escape(u.text), due=due,
                                                                                     kd=pair.kd_user)
              + arrival_note(session, pair, now, when))
    off = day_off_reason(calendar, u.deadline) if u.deadline else None
    if off and u.deadline is not None:
        # "senast fredag" on nyårsafton lands on nyårsdagen: the KSO should know before the KD does.
        answer += _("\n:warning: {date} är en ledig dag ({reason}). Vill du ändra det, markera #{nr} klart och ge uppdraget på nytt.").format(
            date=fmt_date(u.deadline), reason=off, nr=u.nr)
    return answer


def _get(session: Session, pair: Pair, nr: int, *, lock: bool = False) -> Uppdrag:
    query = select(Uppdrag).where(Uppdrag.pair_id == pair.id, Uppdrag.nr == nr)
    u = session.scalar(query.with_for_update() if lock else query)
    if u is None:
        raise UserError(_("Det finns inget uppdrag #{nr}. Se `/uppdrag lista`.").format(nr=nr))
    return u


def close(session: Session, member: Member, text: str, now: datetime) -> str:
    """`klart <nr>` by the KD or the KSO; the other one is told."""
    nr, _rest = parse_nr(text, "/uppdrag klart <nr>")
    pair = member.pair
    u = _get(session, pair, nr)
    before = audit.snapshot(u, UPPDRAG_FIELDS)
    # Conditional update: of two simultaneous "klart", one wins and the other is told.
    done = rowcount(session.execute(
        update(Uppdrag).where(Uppdrag.id == u.id, Uppdrag.status == "open")
        .values(status="done", done_by=member.user, done_at=now).execution_options(synchronize_session=False)
    ))
    session.refresh(u)
    if not done:
        return _("Uppdrag #{nr} är redan klarmarkerat (av <@{user}>).").format(nr=nr, user=u.done_by)
    audit.record(session, pair_id=pair.id, actor=member.user, action="uppdrag_klart", entity="uppdrag", entity_id=u.id,
                 at=now, before=before, after=audit.snapshot(u, UPPDRAG_FIELDS))
    other = pair.other(member.user)
    when = respectful(session, pair, now, other)
    outbox.enqueue(session, kind="dm", now=now, user=other, pair_id=pair.id, deliver_after=when, respekt=True,
                   text=_("<@{user}> markerade uppdrag #{nr} som klart: {text}").format(
                       user=member.user, nr=u.nr, text=escape(short(u.text))))
    emit(session, PairChanged(at=now, pair_id=pair.id))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    return (_("Uppdrag #{nr} är klart: {text} <@{other}> får veta det.").format(
                nr=u.nr, text=sentence(escape(short(u.text))), other=other)
            + arrival_note(session, pair, now, when))


def ask(session: Session, member: Member, text: str, now: datetime) -> str:
    """`oklart <nr> <fråga>` by the KD: the KSO gets the question with an answer button."""
    if not member.is_kd:
        raise UserError(_("Det är KD som tar upp osäkerheter i ett uppdrag. Som KSO svarar du med `/uppdrag svar <nr> <text>`."))
    nr, fraga = parse_nr(text, _("/uppdrag oklart <nr> <fråga>"))
    refusal = check_length(fraga, "Frågan")
    if refusal:
        raise UserError(refusal)
    pair = member.pair
    u = _get(session, pair, nr, lock=True)
    if u.status != "open":
        raise UserError(_("Uppdrag #{nr} är redan klart. Ge KSO frågan direkt med `/meddela` om den fortfarande gäller.")
                        .format(nr=nr))
    existing = open_questions(session, pair.id).get(u.id)
    if existing is not None:
        raise UserError(_("Uppdrag #{nr} har redan en obesvarad fråga: {question}. Vänta på KSO:s svar.")
                        .format(nr=nr, question=escape(short(existing.fraga))))
    q = UppdragFraga(uppdrag_id=u.id, fraga=fraga, asked_by=member.user, asked_at=now)
    session.add(q)
    session.flush()
    audit.record(session, pair_id=pair.id, actor=member.user, action="uppdrag_oklart", entity="uppdrag_fraga",
                 entity_id=q.id, at=now, after=audit.snapshot(q, FRAGA_FIELDS))
    when = respectful(session, pair, now, pair.kso_user)
    msg = outbox.enqueue(session, kind="dm", now=now, user=pair.kso_user, pair_id=pair.id, deliver_after=when, respekt=True,
                         text=_("<@{user}> har en fråga om uppdrag #{nr}").format(user=member.user, nr=u.nr),
                         blocks=question_blocks(u, q))
    q.outbox_id = msg.id
    emit(session, PairChanged(at=now, pair_id=pair.id))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    return (_("Frågan om uppdrag #{nr} är skickad till <@{kso}> och står på nästa agenda tills den är besvarad.")
            .format(nr=u.nr, kso=pair.kso_user)
            + arrival_note(session, pair, now, when))


def question_blocks(u: Uppdrag, q: UppdragFraga) -> list[dict[str, Any]]:
    """The KSO's copy of an oklart question; the answer button goes once answered."""
    head = {"type": "section", "text": {"type": "mrkdwn", "text": short(
        _("*Oklart i uppdrag #{nr}:* {text}\n<@{user}> frågar: {question}").format(
            nr=u.nr, text=escape(short(u.text)), user=q.asked_by, question=escape(q.fraga)), 3000)}}
    if q.answered_at is None:
        return [head, {"type": "actions", "block_id": f"uppdrag_fraga:{q.id}", "elements": [{
            "type": "button", "action_id": SVARA_ACTION, "value": str(q.id), "style": "primary",
            "text": {"type": "plain_text", "text": _("Svara"), "emoji": True}}]}]
    return [head, {"type": "context", "elements": [{"type": "mrkdwn", "text": short(
        ":white_check_mark: " + _("Besvarad av <@{user}>: {answer}").format(
            user=q.answered_by, answer=escape(short(q.svar or "", 1500))), 2000)}]}]


def answer(session: Session, member: Member, text: str, now: datetime) -> str:
    """`svar <nr> <text>` by the KSO: answers the open question."""
    if not member.is_kso:
        raise UserError(_("Det är KSO som svarar på osäkerheter i uppdragen."))
    nr, svar = parse_nr(text, "/uppdrag svar <nr> <text>")
    u = _get(session, member.pair, nr)
    q = open_questions(session, member.pair.id).get(u.id)
    if q is None:
        raise UserError(_("Uppdrag #{nr} har ingen obesvarad fråga.").format(nr=nr))
    return answer_question(session, member, q.id, svar, now)


def find_question(session: Session, fraga_id: int) -> tuple[UppdragFraga, Uppdrag]:
    q = session.get(UppdragFraga, fraga_id)
    u = session.get(Uppdrag, q.uppdrag_id) if q else None
    if q is None or u is None:
        raise UserError(_("Frågan finns inte längre."))
    return q, u


def answer_question(session: Session, member: Member, fraga_id: int, svar: str, now: datetime) -> str:
    """The KSO answers an oklart question (command or modal); the KD is told."""
    if not member.is_kso:
        raise UserError(_("Det är KSO som svarar på osäkerheter i uppdragen."))
    refusal = check_length(svar, "Svaret")
    if refusal:
        raise UserError(refusal)
    q, u = find_question(session, fraga_id)
    pair = member.pair
    if u.pair_id != pair.id:
        raise UserError(_("Frågan finns inte längre."))
    before = audit.snapshot(q, FRAGA_FIELDS)
    won = rowcount(session.execute(
        update(UppdragFraga).where(UppdragFraga.id == q.id, UppdragFraga.answered_at.is_(None))
        .values(svar=svar, answered_by=member.user, answered_at=now).execution_options(synchronize_session=False)
    ))
    session.refresh(q)
    if not won:
        raise UserError(_("Frågan om uppdrag #{nr} är redan besvarad av <@{user}>.").format(nr=u.nr, user=q.answered_by))
    audit.record(session, pair_id=pair.id, actor=member.user, action="uppdrag_svar", entity="uppdrag_fraga",
                 entity_id=q.id, at=now, before=before, after=audit.snapshot(q, FRAGA_FIELDS))
    if q.outbox_id is not None:
        original = session.get(OutboxMessage, q.outbox_id)
        if original is not None and original.status in ("pending", "sent"):
            outbox.enqueue_update(session, original, now=now, text=_("Frågan om uppdrag #{nr} är besvarad").format(nr=u.nr),
                                  blocks=question_blocks(u, q))
    # The posted agenda loses its Svara button too.
    emit(session, QuestionAnswered(at=now, pair_id=pair.id, fraga_id=q.id))
    when = respectful(session, pair, now, q.asked_by)
    outbox.enqueue(session, kind="dm", now=now, user=q.asked_by, pair_id=pair.id,
                   deliver_after=when, respekt=True,
                   text=_("<@{user}> svarade på din fråga om uppdrag #{nr}.\n>{question}\n{answer}").format(
                       user=member.user, nr=u.nr, question=escape(short(q.fraga)), answer=escape(svar)))
    emit(session, PairChanged(at=now, pair_id=pair.id))
    return (_("Svaret på frågan om uppdrag #{nr} är skickat till <@{user}>.").format(nr=u.nr, user=q.asked_by)
            + arrival_note(session, pair, now, when))


def member_of(session: Session, pair_id: int, user: str) -> Member:
    """The clicker's membership of the pair a button belongs to, or the no-data refusal."""
    pair = get_pair(session, pair_id)
    role = pair.role_of(user)
    if role is None:
        raise UserError(NOT_MEMBER)
    return Member(pair=pair, user=user, role=role)


def answer_form(session: Session, fraga_id: int, user: str) -> dict[str, Any]:
    """The answer modal for the `Svara` button: only the KSO, only while the question is open."""
    q, u = find_question(session, fraga_id)
    member = member_of(session, u.pair_id, user)
    if not member.is_kso:
        raise UserError(_("Det är KSO som svarar på osäkerheter i uppdragen."))
    if q.answered_at is not None:
        raise UserError(_("Frågan om uppdrag #{nr} är redan besvarad av <@{user}>.").format(nr=u.nr, user=q.answered_by))
    return svar_modal(u.nr, u.text, q.fraga, q.id)


def svar_modal(nr: int, text: str, fraga: str, fraga_id: int) -> dict[str, Any]:
    """The KSO's answer form for an oklart question."""
    return {
        "type": "modal", "callback_id": SVAR_CALLBACK, "private_metadata": str(fraga_id),
        "title": {"type": "plain_text", "text": _("Svar på uppdrag #{nr}").format(nr=nr)[:24]},
        "submit": {"type": "plain_text", "text": _("Skicka svar")},
        "close": {"type": "plain_text", "text": _("Avbryt")},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": short(
                _("*Uppdrag #{nr}:* {text}\n*Fråga:* {question}").format(
                    nr=nr, text=escape(short(text, 1000)), question=escape(fraga)), 3000)}},
            {"type": "input", "block_id": SVAR_BLOCK, "label": {"type": "plain_text", "text": _("Ditt svar")},
             "element": {"type": "plain_text_input", "action_id": SVAR_INPUT, "multiline": True, "max_length": 3000}},
        ],
    }
