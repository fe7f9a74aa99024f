"""The respekt rule when the calendar or the clock moves under a held message, and for the bot's own messages."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.errors import UserError
from bot.models import Arende, Meddelande, OutboxMessage
from bot.services import respekt
from jobs.agenda import agenda_tick
from tests.support.pairs import dm_texts
from tests.support.respekt import buttons, dms_to, ephemerals, meddelanden, send
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World, couple, local


def held(world: World, when: str, text: str = "Kan vi ses måndag?", user: str = KSO) -> str:
    return buttons(send(world, text, user=user, when=when))["meddela_angra"]


# --- the calendar changes while a message is held ----------------------------------


def test_a_day_off_added_later_moves_held_messages_past_it(paired: World) -> None:
    held(paired, "2026-11-28 10:00", "Först")
    held(paired, "2026-11-28 11:00", "Sedan")
    paired.at("2026-11-29 12:00")
    # On Sunday the KD takes Monday off: the weekend's messages must not arrive on that day off.
    assert "ledig dag" in ephemeral_text(paired.command("/samspel", "ledig 2026-11-30 ledig", user=KD))
    assert all(m.deliver_at == local("2026-12-01 08:00") for m in meddelanden(paired))
    assert ephemeral_text(send(paired, "lista")).count("levereras *tisdag 1 dec. kl. 08:00*") == 2
    paired.at("2026-11-30 10:00")
    paired.deliver()
    assert dms_to(paired, KD) == []
    paired.at("2026-12-01 08:00")
    paired.deliver()
    texts = dms_to(paired, KD)
    assert len(texts) == 2 and "Först" in texts[0] and "Sedan" in texts[1]


def test_earlier_working_hours_bring_held_messages_forward(paired: World) -> None:
    held(paired, "2026-11-28 10:00")
    paired.at("2026-11-29 12:00")
    paired.command("/samspel", "arbetstid 07:00-16:00", user=KD)
    assert meddelanden(paired)[0].deliver_at == local("2026-11-30 07:00")
    paired.at("2026-11-30 06:59")
    paired.deliver()
    assert dms_to(paired, KD) == []
    paired.at("2026-11-30 07:00")
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1


def test_hours_that_include_now_deliver_held_messages_now(paired: World) -> None:
    held(paired, "2026-11-27 17:30")
    paired.at("2026-11-27 17:40")
    paired.command("/samspel", "arbetstid 08:00-18:00", user=KD)
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert "skrivet fredag 27 nov. kl. 17:30" in text
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1


def test_cancelled_and_akut_messages_are_not_rescheduled(paired: World) -> None:
    gone = held(paired, "2026-11-28 10:00", "Ångras")
    paired.driver.action("meddela_angra", gone, user=KSO, channel=CHANNEL)
    send(paired, "akut Brand", when="2026-11-28 10:05")
    paired.deliver()
    paired.command("/samspel", "arbetstid 10:00-18:00 mån-sön", user=KD)
    paired.deliver()
    assert [t.startswith("🚨 AKUT") for t in dms_to(paired, KD)] == [True]


# --- escalation and cancellation at the edges -------------------------------------------


def test_escalating_once_working_time_has_begun_is_not_counted_as_akut(paired: World) -> None:
    mid = held(paired, "2026-11-28 10:00")
    # The bot was down over Monday 08:00; the sender presses the old button at 08:10.
    paired.at("2026-11-30 08:10")
    paired.driver.action("meddela_akut", mid, user=KSO, channel=CHANNEL)
    paired.deliver()
    assert "har arbetstid nu" in [t for t in ephemerals(paired) if "arbetstid" in t][-1]
    [text] = dms_to(paired, KD)
    assert "AKUT" not in text and "hölls enligt respektregeln" in text
    [m] = meddelanden(paired)
    assert (m.akut, m.akut_when, m.escalated_at) == (False, None, None)


def test_angra_is_refused_when_another_process_claims_the_row_meanwhile(paired: World) -> None:
    mid = int(held(paired, "2026-11-28 10:00"))
    paired.at("2026-11-30 08:00")
    with paired.sessions() as mine:
        # This request has read the message and its outbox row ...
        message = mine.get(Meddelande, mid)
        assert message is not None
        read = mine.get(OutboxMessage, message.outbox_id)  # kept: the session holds this copy as it was read
        assert read is not None and read.lease_until is None
        # ... when a delivery process claims the row and starts posting it.
        with paired.sessions() as other:
            row = other.scalars(select(OutboxMessage).where(OutboxMessage.kind == "dm", OutboxMessage.id > paired.mark)).one()
            row.lease_owner, row.lease_until = "other-process", local("2026-11-30 08:01")
        with pytest.raises(UserError, match="levereras just nu"):
            respekt.cancel(mine, user=KSO, meddelande_id=mid, now=paired.clock.now())
    [m] = meddelanden(paired)
    assert m.cancelled_at is None
    with paired.sessions() as s:
        assert s.scalars(select(OutboxMessage.status).where(OutboxMessage.kind == "dm", OutboxMessage.id > paired.mark)).one() == "pending"


# --- akut counting ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "akut_when"),
    [
        ("2026-11-27 20:00", "kväll"),  # Friday evening is still a weekday evening
        ("2026-11-30 07:59", "kväll"),  # Monday before work
        ("2026-11-28 00:30", "helg"),  # the first minutes of Saturday
        ("2026-04-06 10:00", "helg"),  # annandag påsk, a Monday
        ("2026-06-19 10:00", "helg"),  # midsommarafton
        ("2026-12-31 16:00", "helg"),  # nyårsafton
        ("2026-04-02 18:00", "kväll"),  # skärtorsdag is a working day; its evening is an evening
    ],
)
def test_akut_weekday_evening_or_weekend_holiday(paired: World, when: str, akut_when: str) -> None:
    resp = send(paired, "akut Ring mig", when=when)
    expected = "utanför arbetstid" if akut_when == "kväll" else "en helg eller helgdag"
    assert expected in ephemeral_text(resp)
    assert meddelanden(paired)[0].akut_when == akut_when


def test_akut_on_the_pairs_own_day_off_counts_as_a_day_off(paired: World) -> None:
    paired.command("/samspel", "ledig 2026-11-24", user=KD)
    send(paired, "akut Ring mig", when="2026-11-24 10:00")
    assert meddelanden(paired)[0].akut_when == "helg"


# --- wording -------------------------------------------------------------------------------


def test_lista_says_one_message_in_the_singular(paired: World) -> None:
    held(paired, "2026-11-28 10:00")
    assert ephemeral_text(send(paired, "lista")).startswith("Du har 1 meddelande som hålls.")


def test_empty_akut_explains_where_the_text_goes(paired: World) -> None:
    assert "efter ordet akut" in ephemeral_text(send(paired, "akut   ", when="2026-11-28 10:00"))
    assert meddelanden(paired) == []


def test_home_lists_held_messages_under_one_heading(paired: World) -> None:
    held(paired, "2026-11-28 10:00")
    paired.deliver()
    view = [c for c in paired.slack.of("views.publish") if c["user_id"] == KSO][-1]["view"]
    shown = json.dumps(view, ensure_ascii=False)
    assert shown.count("Dina meddelanden som hålls") == 1
    assert "meddela_angra" in shown and "meddela_akut" in shown


# --- the bot obeys the rule too (issue item 5) --------------------------------------------------


def test_case_and_decision_notices_wait_for_working_time(paired: World) -> None:
    paired.at("2026-11-28 10:00")  # Saturday
    answer = ephemeral_text(paired.command("/arende", "Detaljplan för Kvarteret Linden", user=KD))
    assert "måndag 30 nov. kl. 08:00" in answer
    paired.deliver()
    assert dms_to(paired, KSO) == []
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    # The KSO decides on Sunday from the agenda or Home: the KD hears of it on Monday.
    paired.at("2026-11-29 20:00")
    paired.driver.action("arende_till_ks", str(case_id), user=KSO, channel=CHANNEL)
    paired.deliver()
    assert dms_to(paired, KD) == []
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert len(dms_to(paired, KSO)) == 1 and len(dms_to(paired, KD)) == 1


def test_uppdrag_notices_wait_for_working_time(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    paired.command("/uppdrag", "Ta fram en plan för simhallen")
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1
    paired.at("2026-11-28 10:00")
    paired.command("/uppdrag", "oklart 1 Ska skolbadet ingå?", user=KD)
    paired.command("/uppdrag", "klart 1", user=KD)
    paired.deliver()
    assert dms_to(paired, KSO) == []
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert len(dms_to(paired, KSO)) == 2


def test_buttons_pressed_outside_the_pair_channel_answer_by_dm(paired: World) -> None:
    # `/meddela` typed in a DM with a colleague, where the bot is not a member and cannot post ephemerals.
    other = "DKSOKD01"
    paired.at("2026-11-28 10:00")
    resp = paired.command("/meddela", "Kan vi ses måndag?", user=KSO, channel=other)
    assert "Hålls enligt respektregeln" in ephemeral_text(resp)
    paired.driver.action("meddela_angra", buttons(resp)["meddela_angra"], user=KSO, channel=other)
    paired.deliver()
    assert paired.slack.of("chat.postEphemeral") == []
    assert dms_to(paired, KSO) == [f"Ångrat. Meddelandet till <@{KD}> skickas inte."]
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert dms_to(paired, KD) == []


def test_a_bot_down_until_the_evening_keeps_held_messages_until_the_next_morning(paired: World) -> None:
    """Held to Monday 08:00, but the bot is down until 23:00: it must not post at night."""
    send(paired, "Budgetfrågan", user=KSO, when="2026-11-28 10:00")
    paired.at("2026-11-30 23:00")
    paired.deliver()
    assert dms_to(paired, KD) == []
    [message] = meddelanden(paired)
    assert message.deliver_at == local("2026-12-01 08:00")
    text = ephemeral_text(paired.command("/meddela", "lista", user=KSO))
    assert "tisdag 1 dec. kl. 08:00" in text
    paired.at("2026-12-01 08:00")
    paired.deliver()
    assert len([t for t in dms_to(paired, KD) if "Budgetfrågan" in t]) == 1


def test_akut_is_not_held_by_the_delivery_gate(paired: World) -> None:
    send(paired, "akut Vattenläcka i stadshuset", user=KD, when="2026-11-28 23:30")
    paired.deliver()
    assert any("Vattenläcka" in t for t in dms_to(paired, KSO))


def test_custom_days_and_own_day_off_move_agenda_and_held_messages(paired: World) -> None:
    assert "Din arbetstid är nu" in ephemeral_text(paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO))
    assert "ledig dag för dig" in ephemeral_text(paired.command("/samspel", "ledig 2026-11-30 klämdag", user=KD))
    status = ephemeral_text(paired.command("/samspel", "status", user=KD))
    assert "mån–tors 07:00–15:30" in status and "2026-11-30" in status
    assert paired.tick(agenda_tick, "2026-11-30 08:00") == []
    assert paired.tick(agenda_tick, "2026-12-01 07:59") == []
    assert paired.tick(agenda_tick, "2026-12-01 08:00") == ["agenda:1:2026-W49"]
    [post] = paired.slack.posted_to(CHANNEL)
    assert "tisdag 1 dec." in post["text"]
    assert "Mötet flyttas från måndag till tisdag 1 dec." in json.dumps(post["blocks"], ensure_ascii=False)
    # Thursday 15:31: the KSO is off until Monday 07:00 (Friday is not the KSO's working day) ...
    paired.at("2026-12-03 15:31")
    answer = ephemeral_text(paired.command("/meddela", "Hinner vi?", user=KD))
    assert "måndag 7 dec. kl. 07:00" in answer
    # ... while the KD, on their own hours, still works.
    assert "har arbetstid nu" in ephemeral_text(paired.command("/meddela", "Ja", user=KSO))
    preview = ephemeral_text(paired.command("/agenda", "", user=KSO))
    assert "måndag 7 dec." in preview


def test_dst_nights_hold_messages_and_post_agendas_at_local_time(world: World) -> None:
    world.at("2026-03-02 09:00")
    couple(world)
    paired = world
    paired.at("2026-03-28 22:00")
    assert "måndag 30 mars kl. 08:00" in ephemeral_text(paired.command("/meddela", "Vår", user=KSO))
    assert paired.tick(agenda_tick, "2026-03-30 07:59") == []
    assert paired.tick(agenda_tick, "2026-03-30 08:00") == ["agenda:1:2026-W14"]
    assert any("Vår" in t for t in dm_texts(paired, KD))
    paired.at("2026-10-24 23:30")
    assert "måndag 26 okt. kl. 08:00" in ephemeral_text(paired.command("/meddela", "Höst", user=KSO))
    paired.at("2026-10-25 02:30")  # the hour that happens twice
    paired.deliver()
    assert not any("Höst" in t for t in dm_texts(paired, KD))
    assert paired.tick(agenda_tick, "2026-10-26 07:59") == []
    assert paired.tick(agenda_tick, "2026-10-26 08:00") == ["agenda:1:2026-W44"]
    assert any("Höst" in t for t in dm_texts(paired, KD))
