"""The respekt rule through /meddela: held until working time, akut, Ångra, escalation, restart."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.models import OutboxMessage
from bot.outbox.store import SqlOutboxStore
from tests.support.modals import escalate
from tests.support.respekt import buttons, dms_to, ephemerals, meddelanden, send
from tests.support.signing import ephemeral_text, interactive_body
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, local, make_bot


def outbox_dms(world: World) -> list[OutboxMessage]:
    with world.sessions() as s:
        return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "dm", OutboxMessage.id > world.mark)).all())


# --- held or delivered ---------------------------------------------------------------


def test_friday_1659_is_delivered_now(paired: World) -> None:
    resp = send(paired, "Kan vi ta budgeten på måndag?", when="2026-11-27 16:59")
    assert f"Skickat till <@{KD}>" in ephemeral_text(resp)
    assert buttons(resp) == {}
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert f"Meddelande från <@{KSO}>, skrivet fredag 27 nov. kl. 16:59" in text
    assert "> Kan vi ta budgeten på måndag?" in text
    assert "AKUT" not in text and "hölls" not in text
    [m] = meddelanden(paired)
    assert (m.sender, m.recipient, m.held, m.akut) == (KSO, KD, False, False)


def test_friday_1700_is_held_to_monday_0800_and_delivered_once(paired: World) -> None:
    resp = send(paired, "Kan vi ta budgeten på måndag?", when="2026-11-27 17:00")
    answer = ephemeral_text(resp)
    assert "Hålls enligt respektregeln till måndag 30 nov. kl. 08:00" in answer
    [m] = meddelanden(paired)
    assert buttons(resp) == {"meddela_akut": str(m.id), "meddela_angra": str(m.id)}
    assert m.held and m.deliver_at == local("2026-11-30 08:00")
    # Exactly one outbox row for the message, waiting for Monday.
    [row] = outbox_dms(paired)
    assert (row.user, row.deliver_after, row.id) == (KD, local("2026-11-30 08:00"), m.outbox_id)

    for when in ("2026-11-27 17:00", "2026-11-28 12:00", "2026-11-30 07:59"):
        paired.at(when)
        paired.deliver()
        assert dms_to(paired, KD) == [], when
    paired.at("2026-11-30 08:00")
    paired.deliver()
    paired.at("2026-11-30 09:00")
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert "skrivet fredag 27 nov. kl. 17:00" in text
    assert "hölls enligt respektregeln" in text


@pytest.mark.parametrize(
    ("written", "expected_answer", "delivered"),
    [
        ("2026-11-28 10:00", "måndag 30 nov. kl. 08:00", "2026-11-30 08:00"),  # Saturday
        ("2026-12-24 10:00", "måndag 28 dec. kl. 08:00", "2026-12-28 08:00"),  # julafton
        ("2026-06-19 10:00", "måndag 22 juni kl. 08:00", "2026-06-22 08:00"),  # midsommarafton
        ("2026-04-02 18:00", "tisdag 7 apr. kl. 08:00", "2026-04-07 08:00"),  # skärtorsdag evening
        ("2026-12-31 10:00", "måndag 4 jan. kl. 08:00", "2027-01-04 08:00"),  # nyårsafton
        ("2027-01-05 17:30", "torsdag 7 jan. kl. 08:00", "2027-01-07 08:00"),  # before trettondedag jul
        ("2026-03-28 22:00", "måndag 30 mars kl. 08:00", "2026-03-30 08:00"),  # DST spring
        ("2026-10-24 22:00", "måndag 26 okt. kl. 08:00", "2026-10-26 08:00"),  # DST autumn
    ],
)
def test_held_until_the_next_working_start(paired: World, written: str, expected_answer: str, delivered: str) -> None:
    resp = send(paired, "Hej", when=written)
    assert f"Hålls enligt respektregeln till {expected_answer}" in ephemeral_text(resp)
    [m] = meddelanden(paired)
    assert m.deliver_at == local(delivered)
    # One minute early nothing arrives; at the local start exactly one message does (not 07:00, not 09:00).
    paired.clock.set(local(delivered).replace(minute=59, hour=local(delivered).hour - 1))
    paired.deliver()
    assert dms_to(paired, KD) == []
    paired.at(delivered)
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1


def test_pairs_own_day_off_holds_messages(paired: World) -> None:
    assert "ledig dag" in ephemeral_text(paired.command("/samspel", "ledig 2026-11-30 studiedag", user=KD))
    resp = send(paired, "Hej", when="2026-11-27 18:00")
    assert "tisdag 1 dec. kl. 08:00" in ephemeral_text(resp)


def test_kd_sends_to_kso(paired: World) -> None:
    send(paired, "Underlaget är klart", user=KD, when="2026-11-24 09:00")
    paired.deliver()
    [text] = dms_to(paired, KSO)
    assert f"från <@{KD}>" in text
    assert dms_to(paired, KD) == []


def test_a_held_message_refreshes_the_senders_home_only(paired: World) -> None:
    send(paired, "Hej", when="2026-11-28 10:00")
    paired.deliver()
    published = paired.slack.of("views.publish")
    # The KSO's Home tab lists what they wrote that is held; the KD's never shows it, so it is not sent again.
    assert {c["user_id"] for c in published} == {KSO}
    assert "Dina meddelanden som hålls (1)" in json.dumps(published[-1]["view"], ensure_ascii=False)


def test_a_senders_home_tab_still_queued_waits_while_their_held_messages_go_out(paired: World) -> None:
    """Another process may be posting the pair's DMs: a tab rendered meanwhile would list them as still held."""
    send(paired, "Hej", when="2026-11-27 19:00")  # its Home tab is queued, not yet sent
    paired.at("2026-11-30 08:00")
    store = SqlOutboxStore(paired.bot.deps.sessions)
    heads = store.heads(local("2026-11-30 08:00"), limit=10)
    assert [(h.kind, h.lane) for h in heads] == [("dm", f"u:{KD}")]  # not the KSO's Home tab


# --- akut --------------------------------------------------------------------------------


def test_saturday_akut_is_delivered_at_once_and_labelled(paired: World) -> None:
    resp = send(paired, "akut Brand på Rudbecksskolan, ring mig", when="2026-11-28 10:00")
    answer = ephemeral_text(resp)
    assert "🚨 AKUT" in answer and "helg" in answer
    assert buttons(resp) == {}
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert text.startswith("🚨 AKUT")
    assert f"<@{KSO}>, skrivet lördag 28 nov. kl. 10:00" in text
    assert "> Brand på Rudbecksskolan, ring mig" in text
    [m] = meddelanden(paired)
    assert (m.akut, m.held, m.akut_when, m.akut_reason) == (True, False, "helg", "Brand på Rudbecksskolan, ring mig")


@pytest.mark.parametrize(
    ("when", "akut_when"),
    [
        ("2026-11-24 10:00", "arbetstid"),
        ("2026-11-24 21:00", "kväll"),
        ("2026-11-25 06:30", "kväll"),
        ("2026-11-29 10:00", "helg"),
        ("2026-12-24 10:00", "helg"),  # julafton is a Thursday
    ],
)
def test_akut_is_counted_by_when_it_broke_through(paired: World, when: str, akut_when: str) -> None:
    send(paired, "akut Läckan i simhallen", when=when)
    [m] = meddelanden(paired)
    assert m.akut_when == akut_when
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1


def test_akut_without_text_is_refused(paired: World) -> None:
    resp = send(paired, "akut", when="2026-11-28 10:00")
    assert "tomt" in ephemeral_text(resp)
    assert meddelanden(paired) == [] and outbox_dms(paired) == []


# --- escalate and cancel ----------------------------------------------------------------


def held_message(world: World, when: str = "2026-11-28 10:00", text: str = "Kan vi ses måndag?") -> str:
    resp = send(world, text, when=when)
    return buttons(resp)["meddela_angra"]


def test_escalating_a_held_message_delivers_it_once(paired: World) -> None:
    mid = held_message(paired)
    paired.at("2026-11-28 11:15")
    resp = escalate(paired, mid)
    assert resp is not None and resp.status == 200
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert text.startswith("🚨 AKUT")
    assert "skrivet lördag 28 nov. kl. 10:00" in text
    assert any("skickas nu" in t for t in ephemerals(paired))
    [m] = meddelanden(paired)
    assert (m.akut, m.held, m.akut_when) == (True, True, "helg")
    assert m.escalated_at == local("2026-11-28 11:15")
    # The Monday 08:00 delivery that was planned does nothing now.
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1
    assert len(outbox_dms(paired)) == 1
    # A second press is answered, not sent again.
    paired.driver.action("meddela_akut", mid, user=KSO, channel=CHANNEL)
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1
    assert "levererades redan" in ephemerals(paired)[-1]


def test_angra_stops_a_held_message(paired: World) -> None:
    mid = held_message(paired)
    paired.at("2026-11-28 12:00")
    paired.driver.action("meddela_angra", mid, user=KSO, channel=CHANNEL)
    paired.deliver()
    assert ephemerals(paired)[-1] == f"Ångrat. Meddelandet till <@{KD}> skickas inte."
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert dms_to(paired, KD) == []
    [m] = meddelanden(paired)
    assert m.cancelled_at == local("2026-11-28 12:00")
    # Neither Ångra again nor escalation brings it back.
    paired.driver.action("meddela_akut", mid, user=KSO, channel=CHANNEL)
    paired.driver.action("meddela_angra", mid, user=KSO, channel=CHANNEL)
    paired.deliver()
    assert dms_to(paired, KD) == []
    assert ephemerals(paired)[-2:] == ["Meddelandet är redan ångrat och skickas inte."] * 2


def test_cancel_after_delivery_is_refused_politely(paired: World) -> None:
    mid = held_message(paired)
    paired.at("2026-11-30 08:00")
    paired.deliver()
    paired.driver.action("meddela_angra", mid, user=KSO, channel=CHANNEL)
    paired.deliver()
    assert ephemerals(paired)[-1] == ("Meddelandet levererades redan måndag 30 nov. kl. 08:00, så det går tyvärr inte att ångra längre.")
    [m] = meddelanden(paired)
    assert m.cancelled_at is None
    assert len(dms_to(paired, KD)) == 1


@pytest.mark.parametrize("actor", [KD, OUTSIDER])
def test_only_the_sender_may_cancel_or_escalate(paired: World, actor: str) -> None:
    mid = held_message(paired, text="Hemligt om budgeten")
    for action in ("meddela_angra", "meddela_akut"):
        paired.driver.action(action, mid, user=actor, channel=CHANNEL)
    paired.driver.action("meddela_angra", "inte-ett-id", user=KSO, channel=CHANNEL)
    paired.deliver()
    answers = ephemerals(paired, actor)
    assert answers == ["Hittar inget sådant meddelande från dig."] * 2
    assert ephemerals(paired, KSO) == ["Hittar inget sådant meddelande från dig."]
    [m] = meddelanden(paired)
    assert (m.cancelled_at, m.akut) == (None, False)
    assert dms_to(paired, KD) == []
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1


# --- the list -----------------------------------------------------------------------------


def test_lista_shows_the_senders_held_messages_with_buttons(paired: World) -> None:
    send(paired, "Levereras direkt", when="2026-11-27 10:00")
    first = held_message(paired, "2026-11-27 18:00", "Första som hålls")
    second = held_message(paired, "2026-11-28 09:00", "Andra som hålls")
    gone = held_message(paired, "2026-11-28 09:30", "Ångrat")
    send(paired, "KD:s eget", user=KD, when="2026-11-28 09:40")
    paired.driver.action("meddela_angra", gone, user=KSO, channel=CHANNEL)

    resp = send(paired, "lista")
    text = ephemeral_text(resp)
    assert "Du har 2 meddelanden som hålls." in text
    assert "Första som hålls" in text and "Andra som hålls" in text
    assert "Levereras direkt" not in text and "Ångrat" not in text and "KD:s eget" not in text
    assert text.count("levereras *måndag 30 nov. kl. 08:00*") == 2
    assert text.index("Första") < text.index("Andra")
    data = json.loads(resp.body)
    values = [(e["action_id"], e["value"]) for b in data["blocks"] for e in b.get("elements", []) if e.get("type") == "button"]
    assert values == [("meddela_akut", first), ("meddela_angra", first), ("meddela_akut", second), ("meddela_angra", second)]

    assert "Du har 1 meddelande som hålls." in ephemeral_text(send(paired, "lista", user=KD))
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert "inga meddelanden som hålls" in ephemeral_text(send(paired, "lista"))


def test_status_counts_held_messages(paired: World) -> None:
    held_message(paired)
    assert "hålls enligt respektregeln: 1" in ephemeral_text(paired.command("/samspel", "status"))


# --- restart ------------------------------------------------------------------------------


def test_restart_delivers_held_messages_once_in_written_order(paired: World, slack: SlackServer, engine: Any) -> None:
    send(paired, "Först skrivet", when="2026-11-28 10:00")
    send(paired, "Sedan skrivet", when="2026-11-29 20:00")
    send(paired, "Till sist", when="2026-11-30 07:30")
    # The bot is down over Monday 08:00 and a new process starts at 09:30 on the same database.
    paired.at("2026-11-30 09:30")
    restarted = make_bot(slack, engine, paired.clock)
    assert restarted.deps.deliverer is not None
    restarted.deps.deliverer.deliver_due()
    texts = dms_to(paired, KD)
    assert len(texts) == 3
    assert ["Först" in texts[0], "Sedan" in texts[1], "Till sist" in texts[2]] == [True, True, True]
    # Neither process sends anything again.
    assert restarted.deps.deliverer.deliver_due() == 0
    assert paired.deliver() == 0
    assert len(dms_to(paired, KD)) == 3


# --- refusals and bad input ------------------------------------------------------------------


def test_outsider_is_refused_and_nothing_is_stored(paired: World) -> None:
    resp = send(paired, "Hej KD, lite info", user=OUTSIDER, when="2026-11-24 10:00")
    text = ephemeral_text(resp)
    assert "bara parets KSO och KD" in text
    assert KSO not in text and KD not in text
    assert "bara parets KSO och KD" in ephemeral_text(send(paired, "lista", user=OUTSIDER))
    assert meddelanden(paired) == [] and outbox_dms(paired) == []


def test_unpaired_user_outside_any_channel_is_told_how_to_connect(world: World) -> None:
    text = ephemeral_text(world.command("/meddela", "Hej", user=OUTSIDER, channel="COTHER01"))
    assert "inte kopplad" in text
    assert meddelanden(world) == []


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text_is_refused(paired: World, text: str) -> None:
    assert "Meddelandet är tomt" in ephemeral_text(send(paired, text))
    assert meddelanden(paired) == [] and outbox_dms(paired) == []


def test_text_over_3000_characters_is_refused(paired: World) -> None:
    resp = send(paired, "x" * 3001)
    assert "för långt (3001 tecken)" in ephemeral_text(resp)
    assert meddelanden(paired) == [] and outbox_dms(paired) == []
    send(paired, "y" * 3000)
    paired.deliver()
    assert "y" * 3000 in dms_to(paired, KD)[0]


def test_mentions_and_markup_are_escaped(paired: World) -> None:
    # Slack sends a typed "&" as &amp; and specials like <!channel> in angle brackets.
    send(paired, f"<!channel> <!here> <@{OUTSIDER}|eva> fick R&amp;D-pengar &lt;b&gt;", when="2026-11-24 10:00")
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert "<!channel>" not in text and "<!here>" not in text and f"<@{OUTSIDER}" not in text
    assert "@channel @here @eva fick R&amp;D-pengar &lt;b&gt;" in text
    [m] = meddelanden(paired)
    assert m.text == f"<!channel> <!here> <@{OUTSIDER}|eva> fick R&D-pengar <b>"


def test_multiline_text_stays_inside_the_quote(paired: World) -> None:
    send(paired, "Rad ett\n> inte ett citat\nRad tre", when="2026-11-24 10:00")
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert "> Rad ett\n> &gt; inte ett citat\n> Rad tre" in text


def test_help(paired: World) -> None:
    text = ephemeral_text(send(paired, "hjälp"))
    assert "/meddela akut" in text and "/meddela lista" in text
    assert meddelanden(paired) == []


def test_no_angra_while_another_process_is_sending(paired: World) -> None:
    mid = held_message(paired)
    paired.at("2026-11-30 08:00")
    with paired.sessions() as s:
        # Another bot process has claimed the row and is posting it right now.
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "dm", OutboxMessage.id > paired.mark)).one()
        row.lease_owner, row.lease_until = "other-process", local("2026-11-30 08:01")
    paired.driver.action("meddela_angra", mid, user=KSO, channel=CHANNEL)
    paired.deliver()
    assert ephemerals(paired)[-1] == "Meddelandet levereras just nu, så det går inte att ångra."
    assert meddelanden(paired)[0].cancelled_at is None


def test_a_message_that_was_not_held_cannot_be_escalated(paired: World) -> None:
    # Delivery keeps failing for a while (chat.postMessage: the DM channel is known from the pairing already).
    paired.slack.fail_next("chat.postMessage", "500", times=3)
    send(paired, "Inom arbetstid", when="2026-11-24 10:00")
    paired.deliver()
    [m] = meddelanden(paired)
    paired.driver.action("meddela_akut", str(m.id), user=KSO, channel=CHANNEL)
    paired.deliver()
    assert "hålls inte" in ephemerals(paired)[-1]
    assert meddelanden(paired)[0].akut is False


def test_buttons_on_the_home_tab_refresh_it_instead_of_answering_in_a_channel(paired: World) -> None:
    mid = held_message(paired)
    paired.deliver()
    published_before = len(paired.slack.of("views.publish"))
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "kommunen"},
        "user": {"id": KSO, "username": "kso", "team_id": "T0001"},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": "1.2.3",
        "container": {"type": "view", "view_id": "VHOME"},
        "view": {"id": "VHOME", "type": "home", "callback_id": "", "private_metadata": "", "state": {"values": {}}, "hash": "h"},
        "actions": [{"type": "button", "action_id": "meddela_angra", "block_id": "b", "value": mid, "action_ts": "1.0"}],
    }
    assert paired.driver.send(interactive_body(payload)).status == 200
    payload["trigger_id"] = "1.2.4"  # a stale button pressed again: a new click, not a replay of the first
    assert paired.driver.send(interactive_body(payload)).status == 200
    paired.deliver()
    assert paired.slack.of("chat.postEphemeral") == []
    assert paired.slack.of("views.update") == []
    # Only the clicker's tab: the KD's never listed the KSO's held message, so it is not sent again.
    assert {c["user_id"] for c in paired.slack.of("views.publish")[published_before:]} == {KSO}
    assert meddelanden(paired)[0].cancelled_at is not None
