"""The buttons on a POSTED agenda, end to end through signed requests: Till KS, Åter för beredning,
Svara and Stäng work there and the agenda message itself shows the result."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.models import Arende, UppdragFraga
from tests.support.agenda import blocks_text, buttons, post_agenda_at
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World

KSO_DM = "D" + KSO[1:]


def prepare(world: World) -> dict[str, int]:
    """Uppdrag, an oklart question, two cases and a point, all through the real commands."""
    world.at("2026-11-24 10:00")
    world.command("/uppdrag", "Ta fram underlag om skolskjutsar senast fredag", user=KSO)
    world.command("/uppdrag", "oklart 1 Gäller det även gymnasiet?", user=KD)
    world.command("/arende", "Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08", user=KD)
    world.command("/arende", "Förvärv av fastighet", user=KD)
    world.command("/agenda", "+ info Ny förvaltningschef på plats", user=KD)
    world.deliver()
    with world.sessions() as s:
        first, second = s.scalars(select(Arende.id).order_by(Arende.nr)).all()
        fraga = s.scalars(select(UppdragFraga.id)).one()
    return {"first": first, "second": second, "fraga": fraga}


def agenda_updates(world: World, ts: str) -> list[list[dict[str, Any]]]:
    return [c["blocks"] for c in world.slack.of("chat.update") if c["ts"] == ts]


def test_till_ks_on_the_posted_agenda_decides_and_updates_the_agenda(paired: World) -> None:
    ids = prepare(paired)
    [agenda] = post_agenda_at(paired, "2026-11-30 08:00")
    paired.at("2026-11-30 09:10")
    resp = paired.driver.action("arende_till_ks", str(ids["first"]), user=KSO, channel=CHANNEL, message_ts=agenda["ts"])
    assert resp.status == 200
    paired.deliver()
    with paired.sessions() as s:
        case = s.get(Arende, ids["first"])
        assert case is not None and (case.status, case.decided_by) == ("till_ks", KSO)
    [after] = agenda_updates(paired, agenda["ts"])
    text = blocks_text(after)
    # The decided case lost its buttons and shows the decision; the other case still waits.
    assert ("Till KS", "arende_till_ks", str(ids["first"])) not in buttons(after)
    assert ("Till KS", "arende_till_ks", str(ids["second"])) in buttons(after)
    assert "Detaljplan Norra hamnen" in text and "*Till KS*, beslutat av" in text
    # Everything else on the agenda is untouched, in the same order.
    assert [b.get("block_id") for b in after] == [b.get("block_id") for b in agenda["blocks"]]
    assert len(after) == len(agenda["blocks"])
    [answer] = [c for c in paired.slack.of("chat.postEphemeral") if c["user"] == KSO]
    assert answer["channel"] == CHANNEL and "Ärende #1 är avgjort" in answer["text"]

    # A second click (double click, or the KD) changes nothing and the agenda is not edited again.
    paired.driver.action("arende_till_ks", str(ids["first"]), user=KSO, channel=CHANNEL, message_ts=agenda["ts"])
    paired.driver.action("arende_till_ks", str(ids["second"]), user=KD, channel=CHANNEL, message_ts=agenda["ts"])
    paired.deliver()
    texts = [c["text"] for c in paired.slack.of("chat.postEphemeral")]
    assert any("redan avgjort" in t for t in texts) and any("Bara KSO avgör" in t for t in texts)
    assert len(agenda_updates(paired, agenda["ts"])) == 1
    with paired.sessions() as s:
        assert s.get(Arende, ids["second"]).status == "vantar"  # type: ignore[union-attr]


def test_ater_for_beredning_on_the_posted_agenda_asks_for_a_comment_and_updates_the_agenda(paired: World) -> None:
    ids = prepare(paired)
    [agenda] = post_agenda_at(paired, "2026-11-30 08:00")
    paired.driver.action("arende_ater", str(ids["second"]), user=KSO, channel=CHANNEL, message_ts=agenda["ts"])
    [opened] = paired.slack.of("views.open")
    resp = paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": "Kalkylen saknas <!channel>"}}},
        user=KSO,
        private_metadata=opened["view"]["private_metadata"],
    )
    assert resp.status == 200 and not resp.body
    paired.deliver()
    [after] = agenda_updates(paired, agenda["ts"])
    text = blocks_text(after)
    assert ("Åter för beredning", "arende_ater", str(ids["second"])) not in buttons(after)
    assert "*Åter för beredning*" in text and "Kalkylen saknas @channel" in text and "<!channel>" not in text
    assert ("Till KS", "arende_till_ks", str(ids["first"])) in buttons(after)


def test_svara_on_the_posted_agenda_answers_and_ticks_the_question_off(paired: World) -> None:
    ids = prepare(paired)
    [agenda] = post_agenda_at(paired, "2026-11-30 08:00")
    assert ("Svara", "uppdrag_svara", str(ids["fraga"])) in buttons(agenda["blocks"])
    paired.driver.action("uppdrag_svara", str(ids["fraga"]), user=KSO, channel=CHANNEL, message_ts=agenda["ts"])
    [opened] = paired.slack.of("views.open")
    assert "Gäller det även gymnasiet?" in json.dumps(opened["view"], ensure_ascii=False)
    resp = paired.driver.submit(
        "uppdrag_svar",
        {"svar": {"svar": {"type": "plain_text_input", "value": "Ja 🚌"}}},
        user=KSO,
        private_metadata=opened["view"]["private_metadata"],
    )
    assert resp.status == 200 and not resp.body
    paired.deliver()
    [after] = agenda_updates(paired, agenda["ts"])
    assert ("Svara", "uppdrag_svara", str(ids["fraga"])) not in buttons(after)
    assert ":white_check_mark: *#1* Ta fram underlag om skolskjutsar: _Gäller det även gymnasiet?_" in blocks_text(after)
    assert "_besvarad av KSO: " in blocks_text(after)
    # The other buttons are still there.
    assert ("Stäng", "agenda_stang") in [(b[0], b[1]) for b in buttons(after)]
    # The KD cannot answer through the agenda's button.
    paired.driver.action("uppdrag_svara", str(ids["fraga"]), user=KD, channel=CHANNEL, message_ts=agenda["ts"])
    assert len(paired.slack.of("views.open")) == 1


def test_a_decision_in_the_dm_also_updates_the_posted_agenda(paired: World) -> None:
    ids = prepare(paired)
    [agenda] = post_agenda_at(paired, "2026-11-30 08:00")
    [dm] = [m for m in paired.slack.posted_to(KSO_DM) if m["text"].startswith("Ärende #1")]
    paired.driver.action("arende_till_ks", str(ids["first"]), user=KSO, channel=KSO_DM, message_ts=dm["ts"])
    paired.command("/uppdrag", "svar 1 Ja, även gymnasiet", user=KSO)
    paired.deliver()
    latest = agenda_updates(paired, agenda["ts"])[-1]
    assert ("Till KS", "arende_till_ks", str(ids["first"])) not in buttons(latest)
    assert ("Svara", "uppdrag_svara", str(ids["fraga"])) not in buttons(latest)
    assert "*Till KS*, beslutat av" in blocks_text(latest) and "_besvarad av KSO: " in blocks_text(latest)


def test_closing_a_point_after_a_decision_keeps_the_decision_on_the_agenda(paired: World) -> None:
    ids = prepare(paired)
    [agenda] = post_agenda_at(paired, "2026-11-30 08:00")
    paired.driver.action("arende_till_ks", str(ids["first"]), user=KSO, channel=CHANNEL, message_ts=agenda["ts"])
    paired.deliver()
    [point] = [b for b in buttons(agenda["blocks"]) if b[1] == "agenda_stang"]
    paired.driver.action("agenda_stang", point[2], user=KD, channel=CHANNEL, message_ts=agenda["ts"])
    paired.deliver()
    latest = agenda_updates(paired, agenda["ts"])[-1]
    # Both changes show: each update starts from the message as it is now, not as first posted.
    assert ("Till KS", "arende_till_ks", str(ids["first"])) not in buttons(latest)
    assert point not in buttons(latest)
    assert "_stängd av KD_" in blocks_text(latest) and "*Till KS*, beslutat av" in blocks_text(latest)


def test_preview_shows_what_will_be_posted(paired: World) -> None:
    prepare(paired)
    paired.at("2026-11-27 16:00")
    preview = ephemeral_text(paired.command("/agenda", "", user=KD))
    [posted] = post_agenda_at(paired, "2026-11-30 08:00")
    texts = [b["text"]["text"] for b in posted["blocks"] if b["type"] == "section"]
    posted_lines = {line for t in texts for line in t.split("\n")}
    body = preview.split("\n\n", 1)[1]
    item_lines = [line for line in body.split("\n") if line.startswith(("•", "*1", "*2", "*3", "*4", "*5", "*6", "*7", "*8", "*9", "_"))]
    assert len(item_lines) >= 18
    for line in item_lines:
        assert line in posted_lines, line
    assert posted["blocks"][0]["text"]["text"] in preview
