"""The "Skicka med Samspel" message shortcut: its modal, akut with a reason, and buttons in the modal."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.models import Meddelande, OutboxMessage
from tests.support.respekt import dms_to, meddelanden, open_modal, submit, values
from tests.support.signing import block_action_payload, interactive_body
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, local

OTHER_AUTHOR = "UOTHER01"


def field(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_modal_holds_the_message_text_an_akut_box_and_a_reason(paired: World) -> None:
    view = open_modal(paired, "Budgeten &amp; lokalerna: kan vi ses?")
    assert view["callback_id"] == "meddela_skicka"
    assert field(view, "text")["element"]["initial_value"] == "Budgeten & lokalerna: kan vi ses?"
    assert field(view, "akut")["element"]["type"] == "checkboxes"
    assert field(view, "skal")["optional"] is True
    assert f"Till <@{KD}>" in json.dumps(view, ensure_ascii=False)
    assert meddelanden(paired) == []


def test_shortcut_outside_working_time_is_held_and_buttons_work_in_the_modal(paired: World) -> None:
    paired.at("2026-11-27 19:00")
    view = open_modal(paired, "Kan vi ses?", author=OTHER_AUTHOR)
    answer = submit(paired, view, values("Kan vi ses? (från Eva)"))
    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"], ensure_ascii=False)
    assert "Hålls enligt respektregeln till måndag 30 nov. kl. 08:00" in shown
    [m] = meddelanden(paired)
    assert (m.source, m.origin_user, m.text, m.held) == ("shortcut", OTHER_AUTHOR, "Kan vi ses? (från Eva)", True)
    assert '"action_id": "meddela_akut"' in shown and '"action_id": "meddela_angra"' in shown

    # "Skicka nu som akut" pressed inside the modal: delivered at once, the modal says so.
    payload = block_action_payload("meddela_akut", str(m.id), user=KSO, channel=CHANNEL)
    del payload["channel"], payload["message"]
    payload["container"] = {"type": "view", "view_id": "V0001"}
    payload["view"] = {"id": "V0001", "type": "modal", "callback_id": "", "private_metadata": "", "state": {"values": {}}, "hash": "h"}
    paired.at("2026-11-27 19:05")
    assert paired.driver.send(interactive_body(payload)).status == 200
    pushed = paired.slack.of("views.push")[-1]["view"]  # the reason form (issue 14, item 7)
    paired.driver.submit(
        pushed["callback_id"], {"akut_skal": {"akut_skal": {"value": "Kan vi ses?"}}}, user=KSO, private_metadata=pushed["private_metadata"]
    )
    update = paired.slack.of("views.update")[-1]
    assert update["view_id"] == "V0001"
    assert "🚨 AKUT" in json.dumps(update["view"], ensure_ascii=False)
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert text.startswith("🚨 AKUT")
    assert f"Vidarebefordrat meddelande av <@{OTHER_AUTHOR}>" in text
    assert "skrivet fredag 27 nov. kl. 19:00" in text
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert len(dms_to(paired, KD)) == 1
    [m] = meddelanden(paired)
    assert m.akut_when == "kväll"


def test_akut_in_the_modal_needs_a_reason(paired: World) -> None:
    paired.at("2026-11-28 10:00")
    view = open_modal(paired, "Ring mig")
    answer = submit(paired, view, values("Ring mig", akut=True))
    assert answer["response_action"] == "errors"
    assert "skäl" in answer["errors"]["skal"]
    assert meddelanden(paired) == []

    answer = submit(paired, view, values("Ring mig", akut=True, reason="Vattenläcka i stadshuset"))
    assert answer["response_action"] == "update"
    paired.deliver()
    [text] = dms_to(paired, KD)
    assert text.startswith("🚨 AKUT")
    assert "*Skäl:* Vattenläcka i stadshuset" in text
    [m] = meddelanden(paired)
    assert (m.akut, m.akut_reason, m.akut_when) == (True, "Vattenläcka i stadshuset", "helg")


def test_inside_working_time_the_shortcut_delivers_now(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    view = open_modal(paired, "Hej", user=KD)
    answer = submit(paired, view, values("Hej <!channel>"), user=KD)
    assert f"Skickat till <@{KSO}>" in json.dumps(answer["view"], ensure_ascii=False)
    paired.deliver()
    [text] = dms_to(paired, KSO)
    assert "@channel" in text and "<!channel>" not in text


def test_a_masked_link_sent_with_the_shortcut_shows_its_address(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    view = open_modal(paired, "Läs <https://evil.example/login|Logga in på nytt>", user=KD)
    submit(paired, view, values("Läs <https://evil.example/login|Logga in på nytt> <@UOTHER01>"), user=KD)
    paired.deliver()
    [text] = dms_to(paired, KSO)
    assert "Logga in på nytt (<https://evil.example/login>)" in text and "|Logga" not in text and "<@UOTHER01" not in text


def test_bad_text_in_the_modal_is_shown_on_the_field(paired: World) -> None:
    view = open_modal(paired, "")
    assert "initial_value" not in field(view, "text")["element"]
    for text, expected in ((None, "tomt"), ("   ", "tomt"), ("x" * 3001, "för långt")):
        answer = submit(paired, view, values(text))
        assert answer["response_action"] == "errors"
        assert expected in answer["errors"]["text"]
    assert meddelanden(paired) == []


def test_long_message_is_shortened_in_the_modal(paired: World) -> None:
    view = open_modal(paired, "a" * 3500)
    assert len(field(view, "text")["element"]["initial_value"]) == 3000
    assert "har kortats" in json.dumps(view, ensure_ascii=False)


def test_outsider_gets_a_refusal_modal_and_nothing_is_stored(paired: World) -> None:
    view = open_modal(paired, "Hemligt", user=OUTSIDER)
    shown = json.dumps(view, ensure_ascii=False)
    assert "bara parets KSO och KD" in shown
    assert "submit" not in view and KSO not in shown and KD not in shown
    # A forged submission is refused too.
    forged = {"callback_id": "meddela_skicka", "private_metadata": json.dumps({"channel": CHANNEL})}
    answer = submit(paired, forged, values("Hej"), user=OUTSIDER)
    assert answer["response_action"] == "errors"
    with paired.sessions() as s:
        assert s.scalars(select(Meddelande)).all() == []
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "dm", OutboxMessage.id > paired.mark)).all() == []


def test_angra_in_the_modal(paired: World) -> None:
    paired.at("2026-11-28 10:00")
    view = open_modal(paired, "Kan vänta")
    submit(paired, view, values("Kan vänta"))
    [m] = meddelanden(paired)
    payload = block_action_payload("meddela_angra", str(m.id), user=KSO, channel=CHANNEL)
    payload["container"] = {"type": "view", "view_id": "V0001"}
    payload["view"] = {"id": "V0001", "type": "modal", "callback_id": "", "private_metadata": "", "state": {"values": {}}, "hash": "h"}
    paired.driver.send(interactive_body(payload))
    assert "Ångrat" in json.dumps(paired.slack.of("views.update")[-1]["view"], ensure_ascii=False)
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert dms_to(paired, KD) == []
    assert local("2026-11-28 10:00") == meddelanden(paired)[0].cancelled_at
