"""Skicka nu som akut on a held message asks for a one-line reason (issue 14, item 7).

Through signed requests and the fake Slack: the button opens a form, an empty reason is
refused on its field, and the reason reaches the recipient and the akut figures like the
reason of `/meddela akut`.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.domain.respekt import MAX_REASON
from bot.models import Meddelande, Pair
from bot.services import respekt
from tests.support.modals import escalate, last_opened
from tests.support.world import CHANNEL, KD, KSO, World, local


def _held(world: World, text: str = "Kan vi ses måndag?", when: str = "2026-11-28 10:00") -> str:
    """A message written on a Saturday (held to Monday 08:00); returns its id as the buttons carry it."""
    world.at(when)
    resp = world.command("/meddela", text, user=KSO)
    data = json.loads(resp.body)
    values = {el["action_id"]: el["value"] for block in data["blocks"] for el in block.get("elements") or [] if el.get("type") == "button"}
    return values["meddela_akut"]


def _dms_to(world: World, user: str) -> list[str]:
    return [m["text"] for m in world.slack.posted_to("D" + user.lstrip("U"))]


def _ephemerals(world: World) -> list[str]:
    return [c["text"] for c in world.slack.of("chat.postEphemeral") if c["user"] == KSO]


def _submit(world: World, view: dict[str, Any], reason: str):  # type: ignore[no-untyped-def]
    return world.driver.submit(
        view["callback_id"], {"akut_skal": {"akut_skal": {"value": reason}}}, user=KSO, private_metadata=view["private_metadata"]
    )


def test_the_button_opens_a_reason_form_and_nothing_goes_until_it_is_sent(paired: World) -> None:
    mid = _held(paired)
    paired.at("2026-11-28 11:00")
    paired.driver.action("meddela_akut", mid, user=KSO, channel=CHANNEL)
    paired.deliver()
    view = last_opened(paired)
    shown = json.dumps(view, ensure_ascii=False)
    assert view["title"]["text"] == "Skicka som akut?" and view["submit"]["text"] == "Skicka nu"
    assert f"Meddelandet till <@{KD}> levereras direkt, märkt AKUT, och räknas i er akutstatistik." in shown
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field.get("optional") is not True
    assert field["element"]["type"] == "plain_text_input" and field["element"]["max_length"] == MAX_REASON
    assert not field["element"].get("multiline")
    # Opening the form sends nothing and changes nothing.
    assert _dms_to(paired, KD) == []
    with paired.sessions() as s:
        assert s.scalars(select(Meddelande.akut)).one() is False


def test_an_empty_reason_is_refused_on_its_field(paired: World) -> None:
    mid = _held(paired)
    paired.at("2026-11-28 11:00")
    paired.driver.action("meddela_akut", mid, user=KSO, channel=CHANNEL)
    resp = _submit(paired, last_opened(paired), "   ")
    answer = json.loads(resp.body)
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {"akut_skal": "Ett akut meddelande behöver ett kort skäl: skriv varför det inte kan vänta."}
    paired.deliver()
    assert _dms_to(paired, KD) == []
    with paired.sessions() as s:
        assert s.scalars(select(Meddelande.akut)).one() is False


def test_the_reason_reaches_the_recipient_and_counts_as_akut(paired: World) -> None:
    mid = _held(paired)
    since = local("2026-11-23 00:00")
    paired.at("2026-11-28 11:15")
    resp = escalate(paired, mid, "Pressen ringer <!channel> i kväll")
    assert resp is not None and resp.status == 200 and not resp.body  # the form closes; the answer is in the channel
    paired.deliver()
    assert f"🚨 AKUT: meddelandet skickas nu till <@{KD}>." in _ephemerals(paired)
    [text] = _dms_to(paired, KD)
    assert text.startswith(f"🚨 AKUT · meddelande från <@{KSO}>, skrivet lördag 28 nov. kl. 10:00")
    assert "*Skäl:* Pressen ringer @channel i kväll" in text and "<!channel>" not in text  # escaped: no ping
    assert "> Kan vi ses måndag?" in text
    with paired.sessions() as s:
        m = s.scalars(select(Meddelande)).one()
        assert (m.akut, m.akut_when, m.akut_reason) == (True, "helg", "Pressen ringer <!channel> i kväll")
        pair = s.scalars(select(Pair)).one()
        stats = respekt.akut_counts(s, pair.id, since, local("2026-12-01 00:00"))
    assert (stats.akut, stats.escalated, stats.weekend) == (1, 1, 1)
    assert [r.reason for r in stats.reasons] == ["Pressen ringer <!channel> i kväll"]
    # Monday 08:00 brings nothing more: it was delivered once.
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert len(_dms_to(paired, KD)) == 1


def test_a_message_no_longer_held_is_refused_without_a_form(paired: World) -> None:
    mid = _held(paired)
    paired.at("2026-11-28 11:00")
    paired.driver.action("meddela_angra", mid, user=KSO, channel=CHANNEL)
    opened = len(paired.slack.of("views.open"))
    assert escalate(paired, mid) is None
    paired.deliver()
    assert len(paired.slack.of("views.open")) == opened
    assert _ephemerals(paired)[-1] == "Meddelandet är redan ångrat och skickas inte."


def test_a_reason_form_left_open_while_the_message_was_delivered_says_so(paired: World) -> None:
    mid = _held(paired, when="2026-11-27 17:30")  # Friday evening: held to Monday 08:00
    paired.at("2026-11-27 18:00")
    paired.driver.action("meddela_akut", mid, user=KSO, channel=CHANNEL)
    view = last_opened(paired)
    paired.at("2026-11-30 08:00")
    paired.deliver()  # delivered under the respekt rule meanwhile
    answer = json.loads(_submit(paired, view, "Glömde skicka").body)
    assert answer["response_action"] == "update"
    assert "levererades redan måndag 30 nov. kl. 08:00" in json.dumps(answer["view"], ensure_ascii=False)
    [text] = _dms_to(paired, KD)
    assert "AKUT" not in text
