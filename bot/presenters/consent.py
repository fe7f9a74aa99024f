"""The words and blocks of consent: the proposal DM, its outcome, pausing, resuming and leaving a pair.

Every function takes the translator `t`; the data comes from `bot.services.consent`.
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.models import PairProposal
from bot.presenters.blocks import Block, actions, button, section
from bot.services.consent import Dissolved
from bot.services.pairs import Member
from bot.text import fmt_when
from handlers import ids


def _role_line(p: PairProposal, t: Translator) -> str:
    return t("<@{kso}> som KSO och <@{kd}> som KD").format(kso=p.kso_user, kd=p.kd_user)


# --- the proposal ---------------------------------------------------------------------------


def proposed_answer(proposal: PairProposal, timezone: str, t: Translator) -> str:
    return t(
        "Förslaget är skickat till <@{invitee}>. Paret i <#{channel}> finns först när hen godkänner; förslaget gäller till {until}."
    ).format(invitee=proposal.invitee, channel=proposal.channel_id, until=fmt_when(proposal.expires_at, timezone, t))


def pending_status(proposal: PairProposal, timezone: str, t: Translator) -> str:
    """`/samspel status` before there is a pair: the proposal waits for the invitee."""
    return t("Ett förslag att koppla <#{channel}> väntar på svar från <@{invitee}> (gäller till {until}).").format(
        channel=proposal.channel_id, invitee=proposal.invitee, until=fmt_when(proposal.expires_at, timezone, t)
    )


def question(p: PairProposal, t: Translator) -> str:
    return t("<@{proposer}> vill koppla <#{channel}> som ert pars kanal i Samspel, med {roles}. Godkänner du?").format(
        proposer=p.proposed_by, channel=p.channel_id, roles=_role_line(p, t)
    )


def question_blocks(p: PairProposal, t: Translator) -> list[Block]:
    return [
        section(
            question(p, t)
            + "\n"
            + t(
                "Samspel postar då måndagsagendan i kanalen och förmedlar uppdrag, ärenden "
                "och meddelanden mellan er. Förslaget gäller i sju dagar."
            )
        ),
        actions(button(t("Godkänn"), ids.PAIR_ACCEPT, str(p.id), "primary"), button(t("Avböj"), ids.PAIR_DECLINE, str(p.id), "danger")),
    ]


def outcome(p: PairProposal, result: str, t: Translator) -> str:
    """The question DM once answered: the question, and what became of it (its buttons are gone)."""
    said = {
        "withdrawn": t("Förslaget drogs tillbaka och ersattes av ett nytt."),
        "accepted": t(":white_check_mark: Du godkände. Välkommen till Samspel!"),
        "declined": t("Du avböjde. Inget par skapades."),
        "expired": t("Förslaget gick ut efter sju dagar utan svar."),
    }[result]
    return question(p, t) + "\n" + said


def _pair_done(p: PairProposal, t: Translator) -> str:
    return t("<#{channel}> är nu ert pars kanal, med {roles}. Se `/samspel hjälp` för allt ni kan göra.").format(
        channel=p.channel_id, roles=_role_line(p, t)
    )


def accepted_dm(p: PairProposal, t: Translator) -> str:
    """To the proposer."""
    return t("<@{user}> godkände ert par.").format(user=p.invitee) + " " + _pair_done(p, t)


def accepted_post(p: PairProposal, t: Translator) -> str:
    """In the pair channel."""
    return t(":handshake: Samspel är kopplat.") + " " + _pair_done(p, t)


def accepted_answer(p: PairProposal, t: Translator) -> str:
    """To the invitee who pressed Godkänn."""
    return t("Klart!") + " " + _pair_done(p, t)


def declined_dm(p: PairProposal, t: Translator) -> str:
    return t("<@{user}> avböjde förslaget att koppla <#{channel}> som ert par.").format(user=p.invitee, channel=p.channel_id)


def declined_answer(p: PairProposal, t: Translator) -> str:
    return t("Du avböjde förslaget. Inget par skapades och <@{user}> får veta det.").format(user=p.proposed_by)


def expired_dm(p: PairProposal, t: Translator) -> str:
    return t(
        "<@{user}> svarade inte inom sju dagar, så förslaget att koppla <#{channel}> har tagits bort. Skriv "
        "`/samspel koppla` igen om ni vill."
    ).format(user=p.invitee, channel=p.channel_id)


def not_a_proposal(t: Translator) -> str:
    """A button whose value is no proposal (or pair) we know."""
    return t("Knappen hör inte till något förslag.")


def slack_unavailable(t: Translator) -> str:
    return t("Samspel kunde inte fråga Slack om kanalen just nu. Försök igen om en stund.")


# --- pause, resume and leave ----------------------------------------------------------------


def paused_dm(who: str, channel: str, t: Translator) -> str:
    """`who` is 'Samspel' or a mention."""
    return t(
        ":pause_button: {who} har lämnat <#{channel}>, så Samspel har pausat ert par: inget postas eller skickas "
        "förrän alla är med igen. Bjud in igen (`/invite`) så fortsätter allt, eller upplös paret med "
        "`/samspel lämna`."
    ).format(who=who, channel=channel)


def resumed_post(t: Translator) -> str:
    return t(":arrow_forward: Ni är båda med i kanalen igen, så Samspel fortsätter. Det som väntade skickas nu.")


def leave_prompt(member: Member, t: Translator) -> tuple[str, list[Block]]:
    pair = member.pair
    text = t(
        "Vill du upplösa ert par i <#{channel}>? Väntande meddelanden ställs in och <@{other}> får veta det. "
        "Det som sparats finns kvar för export och diariet, men inget mer postas."
    ).format(channel=pair.channel_id, other=pair.other(member.user))
    return text, [
        section(text),
        actions(
            button(t("Ja, upplös paret"), ids.PAIR_LEAVE, str(pair.id), "danger"), button(t("Avbryt"), ids.PAIR_LEAVE_CANCEL, str(pair.id))
        ),
    ]


def leave_cancelled(t: Translator) -> str:
    return t("Paret finns kvar som förut.")


def dissolved_dm(actor: str, channel: str, t: Translator) -> str:
    """To the other member."""
    return t(
        "<@{actor}> har upplöst ert par i <#{channel}>. Samspel postar inget mer för paret; det som sparats finns kvar för export."
    ).format(actor=actor, channel=channel)


def dissolved_answer(result: Dissolved, t: Translator) -> str:
    n = result.cancelled_messages
    held = (
        t("Inga väntande meddelanden behövde ställas in.")
        if n == 0
        else t.ngettext("{n} väntande meddelande ställdes in.", "{n} väntande meddelanden ställdes in.", n)
    )
    return t("Paret i <#{channel}> är upplöst.").format(channel=result.pair.channel_id) + " " + held
