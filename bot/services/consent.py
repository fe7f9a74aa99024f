"""Consent and containment: a pair exists only when both people agreed and are in its private channel.

`/samspel koppla` creates a proposal; the other person accepts or declines it in a DM.
A pair pauses when a member (or Samspel) leaves its channel, resumes when all are back,
and is dissolved by `/samspel lämna`. Nothing reaches anyone about a proposal except the
question to the invitee and the outcome to the proposer.

The use cases change rows and emit events; `bot.projections.consent` writes the messages
those events mean, worded by `bot.presenters.consent`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db import rowcount
from bot.domain import consent as rules
from bot.domain.consent import ChannelFacts
from bot.domain.events import PairDissolved, PairPaused, PairResumed, ProposalClosed, ProposalMade
from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.models import Meddelande, OutboxMessage, Pair, PairProposal
from bot.services import audit, tenant
from bot.services.pairs import LIVE, NOT_MEMBER, Member, PairStatus, create_pair, in_team, live_pair_in, require_member, status
from bot.services.unit_of_work import emit
from bot.text import mentioned_users

Lookup = Callable[[str], ChannelFacts | None]

HOW_TO_PRIVATE = N_(
    "Skapa en privat kanal för er två (*Lägg till kanal → Skapa en kanal*, välj *Privat*), bjud in er båda och "
    "Samspel (`/invite @Samspel`) och skriv `/samspel koppla @kso @kd` där."
)


class ChannelRefused(UserError):
    """A refusal of the pair channel that ends with how to make one (HOW_TO_PRIVATE), in the reader's language."""

    def render(self, t: Translator) -> str:
        return t(self.text).format(how=t(HOW_TO_PRIVATE), **self.fields)


PAIR_CHANNEL_REFUSALS = {
    "not_visible": N_(
        "Samspel kan inte se den här kanalen. Är det en privat kanal, bjud in Samspel med `/invite @Samspel` och försök igen. Annars: {how}"
    ),
    "direct_message": N_("Ett par kan inte kopplas i ett direktmeddelande. {how}"),
    "public": N_("Det här är en öppen kanal: alla i arbetsytan skulle kunna läsa er agenda. {how}"),
    "bot_missing": N_("Bjud in Samspel till kanalen först (`/invite @Samspel`) och försök igen."),
    "people_missing": N_("{names} är inte med i kanalen. Bjud in så att ni båda är med och försök igen."),
}
RADSMOTE_CHANNEL_REFUSALS = {
    "other_pair": N_("Den kanalen hör till ett annat par och kan inte vara er rådsmöteskanal."),
    "bot_missing": N_("Samspel är inte med i den kanalen. Bjud in Samspel där (`/invite @Samspel`) och försök igen."),
    "direct_message": N_("Rådsmötesagendan kan inte postas i ett direktmeddelande: välj en kanal."),
    "people_missing": N_("{names} är inte med i den kanalen. Välj en kanal där ni båda är med."),
}
PROPOSAL_REFUSALS = {
    "not_two": N_("Ange två personer, först KSO och sedan KD: `/samspel koppla @kso @kd`."),
    "same_person": N_("KSO och KD måste vara två olika personer."),
    "bot_named": N_("Samspel kan inte själv vara KSO eller KD: nämn två personer."),
    "actor_not_named": N_("Du kan bara koppla ett par där du själv är KSO eller KD."),
}


def _names(people: tuple[str, str], facts: ChannelFacts | None) -> str:
    return ", ".join(f"<@{user}>" for user in rules.missing(people, facts.members if facts else frozenset()))


def check_pair_channel(facts: ChannelFacts | None, people: tuple[str, str]) -> None:
    """The pair channel must be private, with both people and Samspel in it."""
    problem = rules.pair_channel_problem(facts, people)
    if problem == "people_missing":
        raise UserError(PAIR_CHANNEL_REFUSALS[problem], names=_names(people, facts))
    if problem is not None:
        raise ChannelRefused(PAIR_CHANNEL_REFUSALS[problem])


OTHER_RADSMOTE = N_(
    "Den här kanalen är ett annat pars rådsmöteskanal och kan inte bli ett pars kanal. Skapa en egen privat kanal för er två."
)


def radsmote_of_other(session: Session, channel_id: str, *, team_id: str | None = None) -> Pair | None:
    """A live pair that posts its rådsmöte in this channel (so it cannot become a pair channel)."""
    return session.scalar(select(Pair).where(Pair.radsmote_channel == channel_id, LIVE, *in_team(team_id)))


def check_radsmote_channel(session: Session, facts: ChannelFacts | None, pair: Pair) -> None:
    """A rådsmöte channel: both members and Samspel are in it, and it is not another pair's channel."""
    other = live_pair_in(session, facts.id) if facts is not None else None
    people = (pair.kso_user, pair.kd_user)
    problem = rules.radsmote_channel_problem(facts, people, other_pair=other is not None and other.id != pair.id)
    if problem == "people_missing":
        raise UserError(RADSMOTE_CHANNEL_REFUSALS[problem], names=_names(people, facts))
    if problem is not None:
        raise UserError(RADSMOTE_CHANNEL_REFUSALS[problem])


# --- proposals ------------------------------------------------------------------


def pending_in(session: Session, channel_id: str, *, team_id: str | None = None) -> PairProposal | None:
    team = team_id or tenant.team()
    return session.scalar(
        select(PairProposal).where(
            PairProposal.channel_id == channel_id, PairProposal.status == "pending", *((PairProposal.team_id == team,) if team else ())
        )
    )


def _check_proposal(
    session: Session, *, team_id: str, channel_id: str, actor: str, users: list[str], bot_user: str | None
) -> PairProposal | None:
    """Refuse what cannot become a pair; the actor's own open proposal here, which the new one replaces."""
    problem = rules.proposal_problem(users, actor, bot_user)
    if problem is not None:
        raise UserError(PROPOSAL_REFUSALS[problem])
    if live_pair_in(session, channel_id, team_id=team_id) is not None:
        raise UserError(N_("Den här kanalen är redan kopplad till ett par. Se `/samspel status`."))
    if radsmote_of_other(session, channel_id, team_id=team_id) is not None:
        raise UserError(OTHER_RADSMOTE)
    open_one = pending_in(session, channel_id, team_id=team_id)
    if open_one is not None and open_one.proposed_by != actor:
        raise UserError(
            N_("<@{user}> har redan föreslagit ett par i den här kanalen. Svara på förslaget i ditt direktmeddelande från Samspel."),
            user=open_one.proposed_by,
        )
    return open_one


def propose(
    session: Session,
    *,
    team_id: str,
    channel_id: str,
    actor: str,
    text: str,
    now: datetime,
    timezone: str,
    bot_user: str | None,
    lookup: Lookup,
) -> PairProposal:
    """`koppla @kso @kd`: a proposal that the other person must accept."""
    users = mentioned_users(text)
    open_one = _check_proposal(session, team_id=team_id, channel_id=channel_id, actor=actor, users=users, bot_user=bot_user)
    kso, kd = users
    check_pair_channel(lookup(channel_id), (kso, kd))
    if open_one is not None:  # the proposer corrects their own proposal
        _close(session, open_one, "withdrawn", now, timezone)
        session.flush()
    proposal = PairProposal(
        team_id=team_id,
        channel_id=channel_id,
        kso_user=kso,
        kd_user=kd,
        proposed_by=actor,
        created_at=now,
        expires_at=rules.expires_at(now),
        status="pending",
    )
    session.add(proposal)
    session.flush()
    emit(session, ProposalMade(at=now, proposal_id=proposal.id, timezone=timezone))
    audit.record(
        session,
        pair_id=None,
        actor=actor,
        action="koppla_forslag",
        entity="pair_proposal",
        entity_id=proposal.id,
        at=now,
        # The workspace, also in `after`: older lines have no team column (bot.services.tenants finds them by it).
        after={"channel_id": channel_id, "kso_user": kso, "kd_user": kd, "team_id": team_id},
        team_id=team_id,
    )
    return proposal


def _open_proposal(session: Session, proposal_id: int, actor: str, now: datetime) -> PairProposal:
    proposal = session.get(PairProposal, proposal_id, with_for_update=True)
    if proposal is None or not rules.may_answer(proposal.invitee, actor):
        raise UserError(N_("Förslaget är inte riktat till dig."))
    if not rules.is_open(proposal.status, proposal.expires_at, now):
        raise UserError(N_("Förslaget gäller inte längre. Be om ett nytt med `/samspel koppla @kso @kd`."))
    return proposal


def _close(session: Session, p: PairProposal, outcome: str, now: datetime, timezone: str) -> None:
    """Mark the proposal; the projection replaces the invitee's buttons with the outcome and tells the proposer."""
    p.status, p.decided_at = outcome, now
    emit(session, ProposalClosed(at=now, proposal_id=p.id, outcome=outcome, timezone=timezone))


def accept(session: Session, *, proposal_id: int, actor: str, now: datetime, timezone: str, lookup: Lookup) -> PairProposal:
    """Godkänn: the pair exists from now on, if the channel still qualifies."""
    p = _open_proposal(session, proposal_id, actor, now)
    if live_pair_in(session, p.channel_id, team_id=p.team_id) is not None:
        raise UserError(N_("Kanalen har redan kopplats till ett annat par."))
    if radsmote_of_other(session, p.channel_id, team_id=p.team_id) is not None:
        raise UserError(OTHER_RADSMOTE)
    check_pair_channel(lookup(p.channel_id), (p.kso_user, p.kd_user))
    pair = create_pair(
        session, team_id=p.team_id, channel_id=p.channel_id, kso=p.kso_user, kd=p.kd_user, actor=actor, now=now, timezone=timezone
    )
    p.pair_id = pair.id
    _close(session, p, "accepted", now, timezone)
    return p


def decline(session: Session, *, proposal_id: int, actor: str, now: datetime, timezone: str) -> PairProposal:
    p = _open_proposal(session, proposal_id, actor, now)
    _close(session, p, "declined", now, timezone)
    audit.record(
        session,
        pair_id=None,
        actor=actor,
        action="koppla_avböjd",
        entity="pair_proposal",
        entity_id=p.id,
        at=now,
        after={"team_id": p.team_id, "channel_id": p.channel_id},
        team_id=p.team_id,
    )
    return p


def expire_due(session: Session, now: datetime, timezone: str) -> int:
    """Proposals with no answer after seven days are removed; the proposer is told."""
    due = session.scalars(
        select(PairProposal).where(PairProposal.status == "pending", PairProposal.expires_at <= now).with_for_update(skip_locked=True)
    ).all()
    for p in due:
        # Conditional, so a second process expiring the same proposal changes nothing.
        won = session.execute(
            update(PairProposal)
            .where(PairProposal.id == p.id, PairProposal.status == "pending")
            .values(status="expired", decided_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(won) != 1:
            continue
        session.refresh(p)
        _close(session, p, "expired", now, timezone)
    return len(due)


def status_of(session: Session, *, channel_id: str, user_id: str, now: datetime) -> PairStatus | PairProposal:
    """`/samspel status`: the pair's, or (before there is a pair) the open proposal the person is part of.

    In a channel with an open proposal, that proposal is the answer, even for someone who is already in a
    pair elsewhere (who would otherwise be shown that other pair)."""
    proposal = pending_in(session, channel_id) if live_pair_in(session, channel_id) is None else None
    if proposal is not None and user_id in (proposal.kso_user, proposal.kd_user):
        return proposal
    member = require_member(session, channel_id=channel_id, user_id=user_id, allow_paused=True)
    return status(session, member.pair, now)


# --- pause, resume and leave ----------------------------------------------------------


def member_left(session: Session, *, channel: str, user: str, now: datetime, bot_user: str | None) -> Pair | None:
    """A member (or Samspel) left the pair channel: the pair pauses, and whoever is left is told how to go on."""
    pair = live_pair_in(session, channel)
    if pair is None or pair.status != "active" or user not in (pair.kso_user, pair.kd_user, bot_user):
        return None
    pair.status, pair.status_changed_at, pair.status_reason = "paused", now, "member_left"
    audit.record(session, pair_id=pair.id, actor=user, action="pausad", entity="pair", entity_id=pair.id, at=now, after={"left": user})
    emit(session, PairPaused(at=now, pair_id=pair.id, user=user, by_bot=user == bot_user))
    return pair


def member_joined(session: Session, *, channel: str, now: datetime, lookup: Lookup) -> Pair | None:
    """Everyone is back in the channel: the pair resumes and what waited is delivered."""
    pair = live_pair_in(session, channel)
    if pair is None or pair.status != "paused":
        return None
    if not rules.everyone_back(lookup(channel), (pair.kso_user, pair.kd_user)):
        return None
    pair.status, pair.status_changed_at, pair.status_reason = "active", now, None
    audit.record(session, pair_id=pair.id, actor="samspel", action="återupptagen", entity="pair", entity_id=pair.id, at=now)
    emit(session, PairResumed(at=now, pair_id=pair.id))
    return pair


@dataclass(frozen=True)
class Dissolved:
    pair: Pair
    cancelled_messages: int


# What a person would call a message: a DM or a channel post (not a Home tab, an edit or a canvas).
_MESSAGE_KINDS = ("dm", "post")


def _cancel_pending(session: Session, pair: Pair, now: datetime) -> int:
    """Cancel what was still to go out for the pair and count its messages: /meddela's and the notices
    (an uppdrag, a case, an answer) held for the other member alike; the /meddela ones count as
    cancelled by their sender."""
    held = (
        select(Meddelande.id)
        .join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
        .where(Meddelande.pair_id == pair.id, OutboxMessage.status == "pending", Meddelande.cancelled_at.is_(None))
    )
    held_ids = list(session.scalars(held))
    if held_ids:
        session.execute(
            update(Meddelande).where(Meddelande.id.in_(held_ids)).values(cancelled_at=now).execution_options(synchronize_session=False)
        )
    cancelled = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.pair_id == pair.id, OutboxMessage.status == "pending")
        .values(status="cancelled", last_error="pair dissolved")
        .returning(OutboxMessage.kind)
        .execution_options(synchronize_session=False)
    )
    return sum(1 for (kind,) in cancelled if kind in _MESSAGE_KINDS)


def dissolve(session: Session, *, pair_id: int, actor: str, now: datetime) -> Dissolved:
    """`/samspel lämna`, confirmed: nothing more is posted for the pair; its records stay."""
    pair = session.get(Pair, pair_id, with_for_update=True)
    if pair is None or pair.role_of(actor) is None:
        raise UserError(NOT_MEMBER)
    if pair.status == "dissolved":
        raise UserError(N_("Paret är redan upplöst."))
    count = _cancel_pending(session, pair, now)
    pair.status, pair.status_changed_at, pair.status_reason = "dissolved", now, "lämna"
    audit.record(
        session, pair_id=pair.id, actor=actor, action="lämna", entity="pair", entity_id=pair.id, at=now, after={"cancelled_messages": count}
    )
    emit(session, PairDissolved(at=now, pair_id=pair.id, actor=actor))
    return Dissolved(pair=pair, cancelled_messages=count)


def confirm_leave(session: Session, *, channel_id: str, user_id: str) -> Member:
    """`/samspel lämna`: only a member may be asked to confirm; the pair may be paused."""
    return require_member(session, channel_id=channel_id, user_id=user_id, allow_paused=True)
