"""Consent and containment (issue 9): nobody is in a pair, or reached through one, without agreeing and being there."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from bot.cli import rapport_text
from bot.models import Arende, Meddelande, OutboxMessage, Pair, PairProposal
from bot.services.respekt import PAUSED_RECHECK as PAUSE_RECHECK
from handlers.ids import PAIR_DECLINE, PAIR_LEAVE
from jobs.agenda import agenda_tick
from jobs.proposals import expire_tick
from tests.support.english import swedish_left
from tests.support.signing import ephemeral_text
from tests.support.world import (
    CHANNEL,
    CHANNEL2,
    KD,
    KSO,
    OUTSIDER,
    RADSMOTE,
    World,
    accept_invitation,
    couple,
    invitation,
)

ATTACKER_CHANNEL = "GEVIL001"


def dm(user: str) -> str:
    return "D" + user[1:]


def texts_in(world: World, channel: str) -> list[str]:
    return [m["text"] or "" for m in world.slack.posted_to(channel)]


def ephemerals(world: World, user: str) -> list[str]:
    return [c["text"] for c in world.slack.of("chat.postEphemeral") if c["user"] == user]


def count(world: World, model: type) -> int:
    with world.sessions() as s:
        return s.scalar(select(func.count(model.id))) or 0


def propose(world: World, *, by: str = KSO, kso: str = KSO, kd: str = KD, channel: str = CHANNEL) -> str:
    return ephemeral_text(world.command("/samspel", f"koppla <@{kso}> <@{kd}>", user=by, channel=channel))


# --- consent ---------------------------------------------------------------------------


def test_koppla_is_a_proposal_until_the_other_person_accepts(world: World) -> None:
    answer = propose(world)
    assert "Förslaget är skickat till <@UKD00001>" in answer and "måndag 30 nov. kl. 10:00" in answer
    assert count(world, Pair) == 0
    invite = invitation(world, KD)
    assert invite is not None
    question = invite["message"]["text"]
    assert "<#GPAIR001>" in question and "<@UKSO0001> som KSO" in question and "<@UKD00001> som KD" in question
    labels = [e["text"]["text"] for b in invite["message"]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Godkänn", "Avböj"]
    # Until then no command works for the proposal, and the proposer can reach nobody.
    assert "inte kopplad" in ephemeral_text(world.command("/meddela", "akut Hej", user=KSO))
    assert "inte kopplad" in ephemeral_text(world.command("/uppdrag", "Gör något", user=KSO))
    world.deliver()
    assert len(world.slack.posted_to(dm(KD))) == 1  # the question only
    assert "väntar på svar från <@UKD00001>" in ephemeral_text(world.command("/samspel", "status", user=KSO))

    accept_invitation(world, KD)
    assert count(world, Pair) == 1
    assert any("<@UKD00001> godkände ert par" in t for t in texts_in(world, dm(KSO)))
    assert any("Samspel är kopplat" in t for t in texts_in(world, CHANNEL))
    # The question's buttons were replaced by the outcome.
    [update] = world.slack.of("chat.update")
    assert "Du godkände" in update["text"] and "actions" not in str(update.get("blocks"))
    assert "Uppdrag #1" in ephemeral_text(world.command("/uppdrag", "Utred simhallen", user=KSO))


def test_only_the_invitee_can_accept(world: World) -> None:
    propose(world)
    invite = invitation(world, KD)
    assert invite is not None
    for user in (KSO, OUTSIDER):
        world.driver.action("pair_accept", invite["proposal"], user=user, channel=dm(user))
    world.deliver()
    assert count(world, Pair) == 0
    assert any("inte riktat till dig" in t for t in texts_in(world, dm(OUTSIDER)) + ephemerals(world, OUTSIDER))


def test_decline_removes_the_proposal_and_tells_the_proposer(world: World) -> None:
    propose(world)
    accept_invitation(world, KD, action=PAIR_DECLINE)
    assert count(world, Pair) == 0
    assert any("<@UKD00001> avböjde" in t for t in texts_in(world, dm(KSO)))
    with world.sessions() as s:
        assert s.scalars(select(PairProposal.status)).one() == "declined"
    # The question's buttons were replaced by the outcome, so no Godkänn is left to click …
    [update] = world.slack.of("chat.update")
    assert "Du avböjde" in update["text"] and "actions" not in str(update.get("blocks"))
    # … and a late, forged Godkänn on the same proposal is refused.
    with world.sessions() as s:
        proposal_id = s.scalars(select(PairProposal.id)).one()
    world.driver.action("pair_accept", str(proposal_id), user=KD, channel=dm(KD))
    world.deliver()
    assert count(world, Pair) == 0


def test_no_answer_in_seven_days_expires_the_proposal(world: World) -> None:
    propose(world)
    invite = invitation(world, KD)
    assert invite is not None
    world.tick(expire_tick, "2026-11-30 09:59")
    assert texts_in(world, dm(KSO)) == []
    world.tick(expire_tick, "2026-11-30 10:05")
    assert any("svarade inte inom sju dagar" in t for t in texts_in(world, dm(KSO)))
    assert world.tick(expire_tick, "2026-11-30 10:10") == 0  # once
    world.driver.action("pair_accept", invite["proposal"], user=KD, channel=dm(KD))
    world.deliver()
    assert count(world, Pair) == 0


def test_a_proposal_at_night_waits_for_working_hours(world: World) -> None:
    world.at("2026-11-27 21:00")  # Friday evening
    propose(world)
    assert invitation(world, KD) is None
    world.at("2026-11-30 08:00")
    assert invitation(world, KD) is not None


def test_the_attack_from_the_issue_reaches_the_colleague_only_as_a_question(world: World) -> None:
    world.slack.add_channel(ATTACKER_CHANNEL, OUTSIDER, KD)
    assert "Förslaget är skickat" in propose(world, by=OUTSIDER, kso=OUTSIDER, channel=ATTACKER_CHANNEL)
    refused = ephemeral_text(
        world.command("/meddela", "akut <https://evil.example|Logga in på nytt>", user=OUTSIDER, channel=ATTACKER_CHANNEL)
    )
    assert "inte kopplad" in refused
    world.deliver()
    assert len(world.slack.posted_to(dm(KD))) == 1 and count(world, Meddelande) == 0
    # The colleague's own commands are not broken by the proposal.
    couple(world)
    assert "Uppdrag #1" in ephemeral_text(world.command("/uppdrag", "Eget uppdrag", user=KSO))


def test_someone_elses_open_proposal_blocks_a_second_one(world: World) -> None:
    propose(world)
    answer = propose(world, by=KD)
    assert "har redan föreslagit" in answer
    # The proposer may correct their own proposal; the old question stops working.
    first = invitation(world, KD)
    assert first is not None
    assert "Förslaget är skickat" in propose(world)
    world.driver.action("pair_accept", first["proposal"], user=KD, channel=dm(KD))
    world.deliver()
    assert count(world, Pair) == 0
    accept_invitation(world, KD)
    assert count(world, Pair) == 1


# --- the channel, as Slack sees it --------------------------------------------------------


@pytest.mark.parametrize(("kind", "expected"), [("public", "öppen kanal"), ("im", "direktmeddelande"), ("mpim", "direktmeddelande")])
def test_only_a_private_channel_can_be_the_pair_channel(world: World, kind: str, expected: str) -> None:
    world.slack.add_channel("CPUBLIC1", KSO, KD, kind=kind)
    answer = propose(world, channel="CPUBLIC1")
    assert expected in answer and "Skapa en privat kanal" in answer and "/invite @Samspel" in answer
    assert count(world, PairProposal) == 0 and count(world, OutboxMessage) == 0


@pytest.mark.usefixtures("english")
def test_refusals_are_in_english_with_samspel_language_en(world: World) -> None:
    world.slack.add_channel("CPUBLIC1", KSO, KD, kind="public")
    world.slack.add_channel("DKSO0001", KSO, KD, kind="im")
    world.slack.add_channel("GALONE01", KSO)
    answers = [
        propose(world, channel="CPUBLIC1"),
        propose(world, channel="DKSO0001"),
        propose(world, channel="GALONE01"),
        propose(world, kso=KSO, kd=KSO),
        propose(world, by=OUTSIDER),
    ]
    assert "public channel" in answers[0] and "direct message" in answers[1] and "is not in the channel" in answers[2]
    assert all(swedish_left(answer) == [] for answer in answers), answers
    assert count(world, PairProposal) == 0 and count(world, OutboxMessage) == 0


def test_both_people_and_the_bot_must_be_in_the_channel(world: World) -> None:
    world.slack.add_channel("GNOBOT01", KSO, KD, bot=False)
    assert "Samspel kan inte se den här kanalen" in propose(world, channel="GNOBOT01")
    world.slack.add_channel("GALONE01", KSO)
    assert "<@UKD00001> är inte med i kanalen" in propose(world, channel="GALONE01")
    assert "Samspel kan inte se" in propose(world, channel="GUNKNOWN")
    assert count(world, PairProposal) == 0


def test_a_slack_outage_gets_a_polite_refusal(world: World) -> None:
    world.slack.fail_next("conversations.info", "500")
    assert "kunde inte fråga Slack" in propose(world)
    assert count(world, PairProposal) == 0


# --- pause and resume ------------------------------------------------------------------------


def test_a_member_leaving_pauses_the_pair_until_everyone_is_back(paired: World) -> None:
    paired.at("2026-11-23 18:00")  # held for the KD's next working start
    paired.command("/meddela", "Vi tar det i morgon", user=KSO)
    paired.slack.leave(CHANNEL, KD)
    paired.driver.event({"type": "member_left_channel", "user": KD, "channel": CHANNEL, "channel_type": "G"})
    paired.at("2026-11-24 08:00")
    paired.deliver()
    notice = texts_in(paired, dm(KSO))
    assert any("<@UKD00001> har lämnat <#GPAIR001>" in t and "/samspel lämna" in t for t in notice)
    assert texts_in(paired, dm(KD)) == []  # the held message waits while paused
    assert paired.tick(agenda_tick, "2026-11-30 08:00") == []  # and no agenda
    assert "pausat" in ephemeral_text(paired.command("/uppdrag", "Något", user=KSO))
    assert "pausat" in ephemeral_text(paired.command("/samspel", "status", user=KSO))

    paired.slack.join(CHANNEL, KD)
    paired.driver.event({"type": "member_joined_channel", "user": KD, "channel": CHANNEL, "channel_type": "G"})
    paired.clock.advance(PAUSE_RECHECK)
    paired.deliver()
    assert "Vi tar det i morgon" in texts_in(paired, dm(KD))[-1]
    assert any("igen" in t for t in texts_in(paired, CHANNEL))


def test_an_outsider_leaving_changes_nothing(paired: World) -> None:
    paired.driver.event({"type": "member_left_channel", "user": OUTSIDER, "channel": CHANNEL, "channel_type": "G"})
    assert "Uppdrag #1" in ephemeral_text(paired.command("/uppdrag", "Något", user=KSO))


# --- the rådsmöte channel ------------------------------------------------------------------------


def test_radsmote_channel_must_have_both_members_and_the_bot(paired: World) -> None:
    assert "<#CRAD0001>" in ephemeral_text(paired.command("/samspel", f"rådsmöte <#{RADSMOTE}|majoriteten>"))
    paired.slack.add_channel("CNOKD001", KSO, kind="public")
    assert "<@UKD00001> är inte med i den kanalen" in ephemeral_text(paired.command("/samspel", "rådsmöte <#CNOKD001|utan-kd>"))
    paired.slack.add_channel("GNOBOT02", KSO, KD, bot=False)
    assert "Samspel är inte med" in ephemeral_text(paired.command("/samspel", "rådsmöte <#GNOBOT02|hemlig>"))
    with paired.sessions() as s:
        assert s.scalars(select(Pair.radsmote_channel)).one() == RADSMOTE


def test_another_pairs_channel_is_never_a_radsmote_channel(paired: World) -> None:
    couple(paired, "UKSO0002", "UKD00002", CHANNEL2)
    answer = ephemeral_text(paired.command("/samspel", f"rådsmöte <#{CHANNEL2}|annat-par>"))
    assert "hör till ett annat par" in answer
    with paired.sessions() as s:
        assert s.scalar(select(Pair.radsmote_channel).where(Pair.channel_id == CHANNEL)) is None


def test_a_radsmote_channel_of_one_pair_cannot_become_another_pairs_channel(paired: World) -> None:
    paired.slack.add_channel("GSHARED1", KSO, KD, "UKSO0002", "UKD00002")
    assert "<#GSHARED1>" in ephemeral_text(paired.command("/samspel", "rådsmöte <#GSHARED1|majoriteten>"))
    answer = ephemeral_text(paired.command("/samspel", "koppla <@UKSO0002|cia> <@UKD00002|dan>", user="UKSO0002", channel="GSHARED1"))
    assert "ett annat pars rådsmöteskanal" in answer
    with paired.sessions() as s:
        assert s.scalar(select(func.count(PairProposal.id)).where(PairProposal.channel_id == "GSHARED1")) == 0


def test_status_in_a_proposals_channel_shows_the_proposal_to_someone_already_in_a_pair(paired: World) -> None:
    paired.slack.add_channel("GNEW0001", KSO, "UKD00002")
    paired.command("/samspel", "koppla <@UKSO0001|anna> <@UKD00002|dan>", user=KSO, channel="GNEW0001")
    answer = ephemeral_text(paired.command("/samspel", "status", user=KSO, channel="GNEW0001"))
    assert "väntar på svar från <@UKD00002>" in answer and CHANNEL not in answer
    # In the pair's own channel, the pair's status as before.
    assert "väntar på svar" not in ephemeral_text(paired.command("/samspel", "status", user=KSO, channel=CHANNEL))


# --- leaving ---------------------------------------------------------------------------------------


def test_lamna_asks_first_then_dissolves_and_cancels_held_messages(paired: World) -> None:
    paired.at("2026-11-23 18:00")
    paired.command("/meddela", "Första", user=KSO)
    paired.command("/meddela", "Andra", user=KSO)
    paired.command("/uppdrag", "Ta fram underlag om skolskjutsar", user=KSO)  # its DM to the KD is held too
    prompt = paired.command("/samspel", "lämna", user=KD)
    assert "Vill du upplösa" in ephemeral_text(prompt) and PAIR_LEAVE in ephemeral_text(prompt)
    assert count(world=paired, model=Pair) == 1
    with paired.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
    paired.driver.action(PAIR_LEAVE, str(pair_id), user=KD, channel=CHANNEL)
    paired.deliver()
    assert any("3 väntande meddelanden ställdes in" in t for t in ephemerals(paired, KD))
    paired.at("2026-11-24 08:00")
    paired.deliver()
    assert any("<@UKD00001> har upplöst ert par" in t for t in texts_in(paired, dm(KSO)))
    assert texts_in(paired, dm(KD)) == []
    assert paired.tick(agenda_tick, "2026-11-30 08:00") == []
    assert "inte kopplad" in ephemeral_text(paired.command("/uppdrag", "Något", user=KSO))
    with paired.sessions() as s:  # the records stay for export
        assert s.scalars(select(Pair.status)).one() == "dissolved" and len(s.scalars(select(Meddelande)).all()) == 2
    # The channel can be coupled again.
    couple(paired, by=KD)
    with paired.sessions() as s:
        assert s.scalar(select(func.count(Pair.id)).where(Pair.status == "active")) == 1


def test_an_old_messages_buttons_change_nothing_once_the_pair_is_dissolved(paired: World) -> None:
    paired.command("/arende", "Detaljplan Norra hamnen", user=KD)
    paired.deliver()
    with paired.sessions() as s:
        pair_id, case_id = s.scalars(select(Pair.id)).one(), s.scalars(select(Arende.id)).one()
    paired.driver.action(PAIR_LEAVE, str(pair_id), user=KSO, channel=CHANNEL)
    paired.deliver()
    with paired.sessions() as s:
        before = s.scalar(select(func.count(OutboxMessage.id)))
    paired.driver.action("arende_till_ks", str(case_id), user=KSO, channel=dm(KSO))
    paired.deliver()
    assert any("Paret är upplöst" in t for t in ephemerals(paired, KSO))
    with paired.sessions() as s:
        assert s.scalars(select(Arende.status)).one() == "vantar"
        # Only the refusal itself went out: no notice to the KD is left waiting for a pair that is gone.
        assert s.scalar(select(func.count(OutboxMessage.id))) == before + 1
        assert s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")) == 0


def test_an_outsider_cannot_dissolve_a_pair(paired: World) -> None:
    with paired.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
    paired.driver.action(PAIR_LEAVE, str(pair_id), user=OUTSIDER, channel=CHANNEL)
    with paired.sessions() as s:
        assert s.scalars(select(Pair.status)).one() == "active"


# --- links and CSV ---------------------------------------------------------------------------------


def test_a_masked_link_reaches_the_other_person_with_its_address(paired: World) -> None:
    paired.command("/meddela", "Läs <https://evil.example/login|Logga in på nytt>", user=KSO)
    paired.command("/uppdrag", "Se <https://evil.example/x|intranätet>", user=KSO)
    paired.deliver()
    for text in texts_in(paired, dm(KD)):
        assert "|" not in text
    joined = "\n".join(texts_in(paired, dm(KD)))
    assert "Logga in på nytt (<https://evil.example/login>)" in joined and "intranätet (<https://evil.example/x>)" in joined


def test_the_arende_link_must_be_a_plain_address(paired: World) -> None:
    refused = ephemeral_text(paired.command("/arende", "Taxa https://x.se/<!channel>", user=KD))
    assert "Länken går inte att använda" in refused
    paired.command("/arende", "Taxa <https://diariet.example.se/42|dnr 42>", user=KD)
    paired.deliver()
    blocks = str(paired.slack.posted_to(dm(KSO))[-1]["blocks"])
    assert "<https://diariet.example.se/42>" in blocks and "|" not in blocks.split("diariet.example.se/42")[1][:2]


def test_rapport_csv_is_formula_safe(paired: World) -> None:
    paired.at("2026-11-28 11:00")  # a Saturday: akut, with its reason
    paired.command("/meddela", 'akut =HYPERLINK("https://evil";"klicka")', user=KSO)
    paired.command("/agenda", "+ incident @SUM(A1:A9) läckan", user=KD)
    paired.at("2026-12-30 10:00")  # the point has stayed more than three weeks
    with paired.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
        text = rapport_text(s, pair_id, "csv", paired.clock)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
