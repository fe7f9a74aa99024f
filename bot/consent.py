"""Consent and containment: a pair exists only when both people agreed and are in its private channel.

`/samspel koppla` creates a proposal; the other person accepts or declines it in a DM.
A pair pauses when a member (or Samspel) leaves its channel, resumes when all are back,
and is dissolved by `/samspel lämna`. Nothing reaches anyone about a proposal except the
question to the invitee and the outcome to the proposer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.adapters.holidays import swedish_calendar
from bot.db import rowcount
from bot.domain.respekt import deliver_after
from bot.errors import UserError
from bot.i18n import N_, _
from bot.models import Meddelande, OutboxMessage, Pair, PairProposal
from bot.outbox import enqueue, enqueue_update
from bot.presenters.blocks import actions, button, section
from bot.services import audit, tenant
from bot.services.pairs import Member, calendar_for, create_pair, live_pair_in
from bot.slack_directory import ChannelFacts
from bot.text import fmt_when, mentioned_users

PROPOSAL_LIFETIME = timedelta(days=7)
ACCEPT_ACTION = "pair_accept"
DECLINE_ACTION = "pair_decline"
LEAVE_ACTION = "pair_leave"
LEAVE_CANCEL_ACTION = "pair_leave_cancel"

Lookup = Callable[[str], ChannelFacts | None]

HOW_TO_PRIVATE = N_(
    "Skapa en privat kanal för er två (*Lägg till kanal → Skapa en kanal*, välj *Privat*), bjud in er båda och "
    "Samspel (`/invite @Samspel`) och skriv `/samspel koppla @kso @kd` där."
)


def check_pair_channel(facts: ChannelFacts | None, people: tuple[str, str]) -> None:
    """The pair channel must be private, with both people and Samspel in it."""
    how = _(HOW_TO_PRIVATE)
    if facts is None:
        raise UserError(_("Samspel kan inte se den här kanalen. Är det en privat kanal, bjud in Samspel med "
                          "`/invite @Samspel` och försök igen. Annars: {how}").format(how=how))
    if facts.kind in ("im", "mpim"):
        raise UserError(_("Ett par kan inte kopplas i ett direktmeddelande. {how}").format(how=how))
    if facts.kind != "private":
        raise UserError(_("Det här är en öppen kanal: alla i arbetsytan skulle kunna läsa er agenda. {how}").format(how=how))
    if not facts.bot_is_member:
        raise UserError(_("Bjud in Samspel till kanalen först (`/invite @Samspel`) och försök igen."))
    missing = [user for user in people if user not in facts.members]
    if missing:
        names = ", ".join(f"<@{user}>" for user in missing)
        raise UserError(_("{names} är inte med i kanalen. Bjud in så att ni båda är med och försök igen.").format(names=names))


def check_radsmote_channel(session: Session, facts: ChannelFacts | None, pair: Pair) -> None:
    """A rådsmöte channel: both members and Samspel are in it, and it is not another pair's channel."""
    other = live_pair_in(session, facts.id) if facts is not None else None
    if other is not None and other.id != pair.id:
        raise UserError(_("Den kanalen hör till ett annat par och kan inte vara er rådsmöteskanal."))
    if facts is None or not facts.bot_is_member:
        raise UserError(_("Samspel är inte med i den kanalen. Bjud in Samspel där (`/invite @Samspel`) och försök igen."))
    if facts.kind in ("im", "mpim"):
        raise UserError(_("Rådsmötesagendan kan inte postas i ett direktmeddelande: välj en kanal."))
    missing = [user for user in (pair.kso_user, pair.kd_user) if user not in facts.members]
    if missing:
        names = ", ".join(f"<@{user}>" for user in missing)
        raise UserError(_("{names} är inte med i den kanalen. Välj en kanal där ni båda är med.").format(names=names))


# --- proposals ------------------------------------------------------------------


def pending_in(session: Session, channel_id: str, *, team_id: str | None = None) -> PairProposal | None:
    team = team_id or tenant.team()
    return session.scalar(select(PairProposal).where(PairProposal.channel_id == channel_id,
                                                     PairProposal.status == "pending",
                                                     *((PairProposal.team_id == team,) if team else ())))


def propose(session: Session, *, team_id: str, channel_id: str, actor: str, text: str, now: datetime,
            timezone: str, bot_user: str | None, lookup: Lookup) -> PairProposal:
    """`koppla @kso @kd`: a proposal that the other person must accept."""
    users = mentioned_users(text)
    if len(users) != 2:
        raise UserError(_("Ange två personer, först KSO och sedan KD: `/samspel koppla @kso @kd`."))
    kso, kd = users
    if kso == kd:
        raise UserError(_("KSO och KD måste vara två olika personer."))
    if bot_user and bot_user in users:
        raise UserError(_("Samspel kan inte själv vara KSO eller KD: nämn två personer."))
    if actor not in users:
        raise UserError(_("Du kan bara koppla ett par där du själv är KSO eller KD."))
    if live_pair_in(session, channel_id, team_id=team_id) is not None:
        raise UserError(_("Den här kanalen är redan kopplad till ett par. Se `/samspel status`."))
    open_one = pending_in(session, channel_id, team_id=team_id)
    if open_one is not None and open_one.proposed_by != actor:
        raise UserError(_("<@{user}> har redan föreslagit ett par i den här kanalen. Svara på förslaget i ditt "
                          "direktmeddelande från Samspel.").format(user=open_one.proposed_by))
    check_pair_channel(lookup(channel_id), (kso, kd))
    if open_one is not None:  # the proposer corrects their own proposal
        _close(session, open_one, "withdrawn", now, _("Förslaget drogs tillbaka och ersattes av ett nytt."))
        session.flush()
    proposal = PairProposal(team_id=team_id, channel_id=channel_id, kso_user=kso, kd_user=kd, proposed_by=actor,
                            created_at=now, expires_at=now + PROPOSAL_LIFETIME, status="pending")
    session.add(proposal)
    session.flush()
    cal = swedish_calendar(timezone=timezone)
    dm = enqueue(session, kind="dm", now=now, user=proposal.invitee, text=_question(proposal),
                 blocks=_question_blocks(proposal), deliver_after=deliver_after(cal, now))
    proposal.outbox_id = dm.id
    audit.record(session, pair_id=None, actor=actor, action="koppla_forslag", entity="pair_proposal",
                 entity_id=proposal.id, at=now, after={"channel_id": channel_id, "kso_user": kso, "kd_user": kd})
    return proposal


def proposed_answer(proposal: PairProposal, timezone: str) -> str:
    return _("Förslaget är skickat till <@{invitee}>. Paret i <#{channel}> finns först när hen godkänner; "
             "förslaget gäller till {until}.").format(
        invitee=proposal.invitee, channel=proposal.channel_id, until=fmt_when(proposal.expires_at, timezone))


def _role_line(p: PairProposal) -> str:
    return _("<@{kso}> som KSO och <@{kd}> som KD").format(kso=p.kso_user, kd=p.kd_user)


def _question(p: PairProposal) -> str:
    return _("<@{proposer}> vill koppla <#{channel}> som ert pars kanal i Samspel, med {roles}. Godkänner du?").format(
        proposer=p.proposed_by, channel=p.channel_id, roles=_role_line(p))


def _question_blocks(p: PairProposal) -> list[dict[str, Any]]:
    return [
        section(_question(p) + "\n" + _("Samspel postar då måndagsagendan i kanalen och förmedlar uppdrag, ärenden och "
                                          "meddelanden mellan er. Förslaget gäller i sju dagar.")),
        actions(button(_("Godkänn"), ACCEPT_ACTION, str(p.id), "primary"),
                button(_("Avböj"), DECLINE_ACTION, str(p.id), "danger")),
    ]


def _open_proposal(session: Session, proposal_id: int, actor: str, now: datetime) -> PairProposal:
    proposal = session.get(PairProposal, proposal_id, with_for_update=True)
    if proposal is None or proposal.invitee != actor:
        raise UserError(_("Förslaget är inte riktat till dig."))
    if proposal.status != "pending" or proposal.expires_at <= now:
        raise UserError(_("Förslaget gäller inte längre. Be om ett nytt med `/samspel koppla @kso @kd`."))
    return proposal


def _close(session: Session, p: PairProposal, status: str, now: datetime, outcome: str) -> None:
    """Mark the proposal and replace the invitee's buttons with the outcome."""
    p.status, p.decided_at = status, now
    ref = session.get(OutboxMessage, p.outbox_id) if p.outbox_id else None
    if ref is not None:
        text = _question(p) + "\n" + outcome
        enqueue_update(session, ref, now=now, text=text, blocks=[section(text)])


def _tell(session: Session, user: str, text: str, now: datetime, timezone: str) -> None:
    cal = swedish_calendar(timezone=timezone)
    enqueue(session, kind="dm", now=now, user=user, text=text, deliver_after=deliver_after(cal, now))


def accept(session: Session, *, proposal_id: int, actor: str, now: datetime, timezone: str, lookup: Lookup) -> str:
    """Godkänn: the pair exists from now on, if the channel still qualifies."""
    p = _open_proposal(session, proposal_id, actor, now)
    if live_pair_in(session, p.channel_id, team_id=p.team_id) is not None:
        raise UserError(_("Kanalen har redan kopplats till ett annat par."))
    check_pair_channel(lookup(p.channel_id), (p.kso_user, p.kd_user))
    pair = create_pair(session, team_id=p.team_id, channel_id=p.channel_id, kso=p.kso_user, kd=p.kd_user,
                       actor=actor, now=now, timezone=timezone)
    p.pair_id = pair.id
    _close(session, p, "accepted", now, _(":white_check_mark: Du godkände. Välkommen till Samspel!"))
    when = deliver_after(calendar_for(session, pair), now)  # the channel: when both work
    done = _("<#{channel}> är nu ert pars kanal, med {roles}. Se `/samspel hjälp` för allt ni kan göra.").format(
        channel=pair.channel_id, roles=_role_line(p))
    enqueue(session, kind="dm", now=now, user=p.proposed_by, pair_id=pair.id, respekt=True,
            deliver_after=deliver_after(calendar_for(session, pair, p.proposed_by), now),
            text=_("<@{user}> godkände ert par.").format(user=actor) + " " + done)
    enqueue(session, kind="post", now=now, channel=pair.channel_id, pair_id=pair.id, deliver_after=when, respekt=True,
            text=_(":handshake: Samspel är kopplat.") + " " + done)
    return _("Klart!") + " " + done


def decline(session: Session, *, proposal_id: int, actor: str, now: datetime, timezone: str) -> str:
    p = _open_proposal(session, proposal_id, actor, now)
    _close(session, p, "declined", now, _("Du avböjde. Inget par skapades."))
    audit.record(session, pair_id=None, actor=actor, action="koppla_avböjd", entity="pair_proposal",
                 entity_id=p.id, at=now)
    _tell(session, p.proposed_by, _("<@{user}> avböjde förslaget att koppla <#{channel}> som ert par.").format(
        user=actor, channel=p.channel_id), now, timezone)
    return _("Du avböjde förslaget. Inget par skapades och <@{user}> får veta det.").format(user=p.proposed_by)


def expire_due(session: Session, now: datetime, timezone: str) -> int:
    """Proposals with no answer after seven days are removed; the proposer is told."""
    due = session.scalars(select(PairProposal).where(PairProposal.status == "pending", PairProposal.expires_at <= now)
                          .with_for_update(skip_locked=True)).all()
    for p in due:
        # Conditional, so a second process expiring the same proposal changes nothing.
        won = session.execute(update(PairProposal).where(PairProposal.id == p.id, PairProposal.status == "pending")
                              .values(status="expired", decided_at=now).execution_options(synchronize_session=False))
        if rowcount(won) != 1:
            continue
        session.refresh(p)
        _close(session, p, "expired", now, _("Förslaget gick ut efter sju dagar utan svar."))
        _tell(session, p.proposed_by, _("<@{user}> svarade inte inom sju dagar, så förslaget att koppla <#{channel}> "
                                        "har tagits bort. Skriv `/samspel koppla` igen om ni vill.").format(
            user=p.invitee, channel=p.channel_id), now, timezone)
    return len(due)


# --- pause, resume and leave ----------------------------------------------------------


def member_left(session: Session, *, channel: str, user: str, now: datetime, bot_user: str | None) -> Pair | None:
    """A member (or Samspel) left the pair channel: the pair pauses, and whoever is left is told how to go on."""
    pair = live_pair_in(session, channel)
    if pair is None or pair.status != "active" or user not in (pair.kso_user, pair.kd_user, bot_user):
        return None
    pair.status, pair.status_changed_at, pair.status_reason = "paused", now, "member_left"
    audit.record(session, pair_id=pair.id, actor=user, action="pausad", entity="pair", entity_id=pair.id, at=now,
                 after={"left": user})
    left = "Samspel" if user == bot_user else f"<@{user}>"
    text = _(":pause_button: {who} har lämnat <#{channel}>, så Samspel har pausat ert par: inget postas eller skickas "
             "förrän alla är med igen. Bjud in igen (`/invite`) så fortsätter allt, eller upplös paret med "
             "`/samspel lämna`.").format(who=left, channel=channel)
    for member in (pair.kso_user, pair.kd_user):
        if member != user:
            # Not tied to the pair: the deliverer holds a paused pair's messages.
            enqueue(session, kind="dm", now=now, user=member, text=text,
                    deliver_after=deliver_after(calendar_for(session, pair, member), now))
    return pair


def member_joined(session: Session, *, channel: str, now: datetime, lookup: Lookup) -> Pair | None:
    """Everyone is back in the channel: the pair resumes and what waited is delivered."""
    pair = live_pair_in(session, channel)
    if pair is None or pair.status != "paused":
        return None
    facts = lookup(channel)
    if facts is None or not facts.bot_is_member or not {pair.kso_user, pair.kd_user} <= facts.members:
        return None
    pair.status, pair.status_changed_at, pair.status_reason = "active", now, None
    audit.record(session, pair_id=pair.id, actor="samspel", action="återupptagen", entity="pair", entity_id=pair.id,
                 at=now)
    enqueue(session, kind="post", now=now, channel=channel, pair_id=pair.id, respekt=True,
            deliver_after=deliver_after(calendar_for(session, pair), now),
            text=_(":arrow_forward: Ni är båda med i kanalen igen, så Samspel fortsätter. Det som väntade skickas nu."))
    return pair


def leave_prompt(member: Member) -> tuple[str, list[dict[str, Any]]]:
    pair = member.pair
    text = _("Vill du upplösa ert par i <#{channel}>? Väntande meddelanden ställs in och <@{other}> får veta det. "
             "Det som sparats finns kvar för export och diariet, men inget mer postas.").format(
        channel=pair.channel_id, other=pair.other(member.user))
    return text, [section(text), actions(button(_("Ja, upplös paret"), LEAVE_ACTION, str(pair.id), "danger"),
                                         button(_("Avbryt"), LEAVE_CANCEL_ACTION, str(pair.id)))]


@dataclass(frozen=True)
class Dissolved:
    pair: Pair
    cancelled_messages: int


def dissolve(session: Session, *, pair_id: int, actor: str, now: datetime) -> Dissolved:
    """`/samspel lämna`, confirmed: nothing more is posted for the pair; its records stay."""
    pair = session.get(Pair, pair_id, with_for_update=True)
    if pair is None or pair.role_of(actor) is None:
        raise UserError(_("Det här kan bara parets KSO och KD använda."))
    if pair.status == "dissolved":
        raise UserError(_("Paret är redan upplöst."))
    held = select(Meddelande.id).join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id).where(
        Meddelande.pair_id == pair.id, OutboxMessage.status == "pending", Meddelande.cancelled_at.is_(None))
    held_ids = list(session.scalars(held))
    count = len(held_ids)
    if held_ids:
        session.execute(update(Meddelande).where(Meddelande.id.in_(held_ids)).values(cancelled_at=now)
                        .execution_options(synchronize_session=False))
    session.execute(update(OutboxMessage).where(OutboxMessage.pair_id == pair.id, OutboxMessage.status == "pending")
                    .values(status="cancelled", last_error="pair dissolved").execution_options(synchronize_session=False))
    pair.status, pair.status_changed_at, pair.status_reason = "dissolved", now, "lämna"
    audit.record(session, pair_id=pair.id, actor=actor, action="lämna", entity="pair", entity_id=pair.id, at=now,
                 after={"cancelled_messages": count})
    other = pair.other(actor)
    enqueue(session, kind="dm", now=now, user=other, deliver_after=deliver_after(calendar_for(session, pair, other), now),
            text=_("<@{actor}> har upplöst ert par i <#{channel}>. Samspel postar inget mer för paret; det som sparats "
                   "finns kvar för export.").format(actor=actor, channel=pair.channel_id))
    return Dissolved(pair=pair, cancelled_messages=count)


def dissolved_answer(result: Dissolved) -> str:
    n = result.cancelled_messages
    held = (_("Inga väntande meddelanden behövde ställas in.") if n == 0 else
            _("1 väntande meddelande ställdes in.") if n == 1 else
            _("{n} väntande meddelanden ställdes in.").format(n=n))
    return _("Paret i <#{channel}> är upplöst.").format(channel=result.pair.channel_id) + " " + held


def pending_count(session: Session, user: str) -> int:
    return session.scalar(select(func.count(PairProposal.id)).where(
        PairProposal.status == "pending", (PairProposal.kso_user == user) | (PairProposal.kd_user == user))) or 0
