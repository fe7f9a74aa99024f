"""The respekt rule and the App Home tab in English (SAMSPEL_LANGUAGE=en): no Swedish reaches the pair."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.english import swedish_left
from tests.support.modals import escalate
from tests.support.pairs import open_home
from tests.support.respekt import buttons, dms_to, ephemerals, meddelanden, open_modal, send, submit, values
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World, couple


def english(text: str, *user_texts: str) -> str:
    """`text`, after checking that no Swedish is left in it but the user's own words."""
    assert swedish_left(text, *user_texts) == [], text
    return text


def shown(blocks_or_view: Any) -> str:
    """The visible text of Block Kit JSON (a modal or blocks), one string."""
    return json.dumps(blocks_or_view, ensure_ascii=False)


@pytest.mark.usefixtures("english")
def test_held_message_its_buttons_and_the_delivered_dm(paired: World) -> None:
    words = "Can we take the budget on Monday?"
    resp = send(paired, words, when="2026-11-27 17:00")
    answer = english(ephemeral_text(resp), words)
    assert (f"Held under the respect rule until Monday 30 Nov at 08:00. <@{KD}> is outside working hours now.") in answer
    assert "🚨 Send now as urgent" in answer and '"text": "Cancel"' in answer
    assert "Send as urgent?" not in answer  # no confirm dialog: the button opens the reason form (issue 14, item 7)
    [m] = meddelanden(paired)
    assert buttons(resp) == {"meddela_akut": str(m.id), "meddela_angra": str(m.id)}

    listed = send(paired, "lista")
    text = english(ephemeral_text(listed), words)
    assert "You have 1 message on hold." in text
    assert "*Your messages held under the respect rule (1)*" in text
    assert "delivery *Monday 30 Nov at 08:00* · written Friday 27 Nov at 17:00" in text
    assert buttons(listed) == {"meddela_akut": str(m.id), "meddela_angra": str(m.id)}
    assert english(ephemeral_text(send(paired, "lista", user=KD))) == (
        "You have no messages on hold right now.\n"
        + shown({"type": "section", "text": {"type": "mrkdwn", "text": "You have no messages held under the respect rule right now."}})
    )

    paired.at("2026-11-30 08:00")
    paired.deliver()
    [dm] = dms_to(paired, KD)
    english(dm, words)
    assert dm == (
        f"✉️ Message from <@{KSO}>, written Friday 27 Nov at 17:00\n> {words}\n"
        "_Written outside your working hours and held back under the respect rule._"
    )

    # Too late to cancel: the refusal names the delivery time in English.
    paired.driver.action("meddela_angra", str(m.id), user=KSO, channel=CHANNEL)
    paired.deliver()
    assert ephemerals(paired)[-1] == ("The message was already delivered on Monday 30 Nov at 08:00, so it can no longer be cancelled.")


@pytest.mark.usefixtures("english")
def test_sent_at_once_inside_working_hours(paired: World) -> None:
    resp = send(paired, "Budget draft attached", when="2026-11-24 09:00")
    assert english(ephemeral_text(resp)) == f"Sent to <@{KD}>, who is within working hours now."
    assert buttons(resp) == {}


@pytest.mark.usefixtures("english")
def test_akut_on_a_saturday(paired: World) -> None:
    words = "Fire at the school, call me"
    resp = send(paired, f"akut {words}", when="2026-11-28 10:00")
    assert english(ephemeral_text(resp), words) == (
        f"🚨 URGENT: sent straight to <@{KD}>. It counts as urgent on a weekend or public holiday in your figures for the development talk."
    )
    paired.deliver()
    [dm] = dms_to(paired, KD)
    assert english(dm, words) == f"🚨 URGENT · message from <@{KSO}>, written Saturday 28 Nov at 10:00\n> {words}"

    empty = send(paired, "akut")
    assert english(ephemeral_text(empty)) == (
        "The message is empty: write it after the word akut, e.g. `/meddela akut Water leak at the town hall, call me`."
    )


@pytest.mark.usefixtures("english")
def test_angra_and_skicka_nu_som_akut_answers(paired: World) -> None:
    first = buttons(send(paired, "First note", when="2026-11-28 09:00"))["meddela_angra"]
    second = buttons(send(paired, "Second note", when="2026-11-28 09:30"))["meddela_akut"]

    paired.at("2026-11-28 11:00")
    paired.driver.action("meddela_angra", first, user=KSO, channel=CHANNEL)
    paired.driver.action("meddela_akut", first, user=KSO, channel=CHANNEL)
    escalate(paired, second, "Second note")
    paired.driver.action("meddela_akut", second, user=KSO, channel=CHANNEL)
    paired.driver.action("meddela_angra", second, user=KD, channel=CHANNEL)
    paired.deliver()
    answers = ephemerals(paired)
    for answer in answers:
        english(answer)
    assert answers == [
        f"Cancelled. Your message to <@{KD}> will not be sent.",
        "That message has already been cancelled and will not be sent.",
        f"🚨 URGENT: the message is being sent to <@{KD}> now.",
        "The message is already being sent as urgent.",
    ]
    assert ephemerals(paired, KD) == ["There is no such message from you."]
    [dm] = dms_to(paired, KD)
    assert english(dm, "Second note").startswith(f"🚨 URGENT · message from <@{KSO}>, written Saturday 28 Nov at 09:30")


@pytest.mark.usefixtures("english")
def test_the_shortcut_modal_and_its_answers(paired: World) -> None:
    paired.at("2026-11-27 19:00")
    words = "Can we meet about the new sports hall?"
    view = open_modal(paired, words, author="UOTHER01")
    modal = english(shown(view), words)
    assert view["title"]["text"] == "Send with Samspel"
    assert (view["submit"]["text"], view["close"]["text"]) == ("Send", "Cancel")
    assert f"To <@{KD}>. Outside the recipient's working hours, the message is held until their working day starts." in modal
    assert "🚨 Urgent: send at once, even on evenings and weekends" in modal
    assert "Reason (required if urgent)" in modal

    # Urgent without a reason: the error sits on the reason field, in English.
    refused = submit(paired, view, values(words, akut=True))
    assert refused == {"response_action": "errors", "errors": {"skal": "An urgent message needs a short reason: say why it cannot wait."}}
    refused = submit(paired, view, values("  "))
    assert refused["errors"] == {"text": "The message is empty: write what you want to send."}

    answer = submit(paired, view, values(words))
    result = english(shown(answer["view"]), words)
    assert "Held under the respect rule until Monday 30 Nov at 08:00" in result
    assert answer["view"]["close"]["text"] == "Close"
    paired.at("2026-11-30 08:00")
    paired.deliver()
    [dm] = dms_to(paired, KD)
    assert "_Forwarded message, originally written by <@UOTHER01>_" in english(dm, words)


@pytest.mark.usefixtures("english")
def test_home_tab_with_uppdrag_cases_and_held_messages(paired: World) -> None:
    paired.command("/uppdrag", "Review the sports hall senast idag", user=KSO)
    paired.command("/uppdrag", "Balance the budget senast 2026-12-18", user=KSO)
    paired.command("/arende", "Detailed plan North harbour KS 2026/123", user=KD)
    send(paired, "Budget on Friday?", when="2026-11-25 19:00")  # Wednesday evening: #1 is overdue, the message held

    home = open_home(paired, KSO)
    headers = [b["text"]["text"] for b in home if b["type"] == "header"]
    assert headers == ["Samspel", "Open assignments (2)", "Cases waiting for the KSO (1)", "Your messages on hold (1)"]
    [context] = [b for b in home if b["type"] == "context"]
    assert english(shown(context)) == shown(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"You are the KSO in <#{CHANNEL}>. Updated Wednesday 25 Nov at 19:00."}],
        }
    )
    lines = [b["text"]["text"] for b in home if b["type"] == "section"]
    assert ":warning: *1 overdue*: it is listed first." in lines
    # The held-message part (this feature's): its text and both buttons, in English.
    held = home[[i for i, b in enumerate(home) if b["type"] == "header"][-1] + 1 :]
    english(shown(held), "Budget on Friday?")
    assert held[0]["text"]["text"].startswith(f"To <@{KD}> · delivery *Thursday 26 Nov at 08:00* · written Wednesday")
    assert [e["text"]["text"] for e in held[1]["elements"]] == ["🚨 Send now as urgent", "Cancel"]

    kd_home = open_home(paired, KD)
    assert english(shown(kd_home[-1])) == shown(
        {"type": "section", "text": {"type": "mrkdwn", "text": "You have no messages held under the respect rule right now."}}
    )


@pytest.mark.usefixtures("english")
def test_home_tab_without_a_pair_and_with_nothing_open(world: World) -> None:
    blocks = open_home(world, KSO)
    text = english(shown(blocks))
    assert "Connect your private channel with `/samspel koppla @kso @kd`." in text
    couple(world)
    empty = shown(open_home(world, KD))
    english(empty)
    assert "_No open assignments._" in empty and "_No cases waiting._" in empty
