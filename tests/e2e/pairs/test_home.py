"""App Home: open uppdrag (overdue highlighted), cases waiting for the KSO, and the member's own held messages."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot import outbox
from bot.models import Arende, Meddelande, Pair
from tests.support.pairs import latest_home, open_home
from tests.support.signing import block_action_payload, interactive_body
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, couple, local


def text_of(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def hold_message(world: World, sender: str, recipient: str, text: str, until: str) -> int:
    """A message the respekt rule holds, stored as the /meddela feature stores it."""
    now = world.clock.now()
    with world.sessions() as s:
        pair = s.scalars(select(Pair)).one()
        row = outbox.enqueue(s, kind="dm", now=now, user=recipient, pair_id=pair.id, text=text, deliver_after=local(until))
        m = Meddelande(
            pair_id=pair.id,
            sender=sender,
            recipient=recipient,
            text=text,
            written_at=now,
            deliver_at=row.deliver_after,
            held=True,
            outbox_id=row.id,
        )
        s.add(m)
        s.flush()
        return m.id


def test_home_shows_uppdrag_cases_and_held_messages(paired: World) -> None:
    paired.command("/uppdrag", "Utred simhallen senast idag", user=KSO)
    paired.command("/uppdrag", "Budget i balans senast 2026-12-18", user=KSO)
    paired.command("/arende", "Detaljplan Norra hamnen KS 2026/123", user=KD)
    paired.at("2026-11-25 19:00")  # Wednesday evening: #1 is overdue, messages are held
    own = hold_message(paired, KSO, KD, "Kan vi ta budgeten på fredag? <!channel>", "2026-11-26 08:00")
    hold_message(paired, KD, KSO, "KD:s eget meddelande", "2026-11-26 08:00")

    kso_home = open_home(paired, KSO)
    kso_text = text_of(kso_home)
    assert "Öppna uppdrag (2)" in kso_text and "2 dagar" in kso_text
    assert kso_text.index("#1") < kso_text.index("#2")
    overdue_line = next(b["text"]["text"] for b in kso_home if b["type"] == "section" and "#1" in b["text"]["text"])
    assert overdue_line.startswith(":warning:") and "försenat" in overdue_line
    assert "Ärenden som väntar på KSO (1)" in kso_text and "Detaljplan Norra hamnen" in kso_text
    assert "Dina meddelanden som hålls (1)" in kso_text and "budgeten på fredag" in kso_text
    assert "KD:s eget meddelande" not in kso_text and "<!channel>" not in kso_text
    assert "levereras *torsdag 26 nov. kl. 08:00*" in kso_text
    buttons = {(e["action_id"], e["value"]) for b in kso_home if b["type"] == "actions" for e in b["elements"]}
    assert ("meddela_angra", str(own)) in buttons
    assert {"arende_till_ks", "arende_ater", "meddela_angra", "meddela_akut"} <= set(action_ids(kso_home))

    kd_home = open_home(paired, KD)
    assert "KD:s eget meddelande" in text_of(kd_home) and "budgeten på fredag" not in text_of(kd_home)
    # The KD sees the waiting case, but only the KSO gets its decision buttons.
    assert "Detaljplan Norra hamnen" in text_of(kd_home)
    assert "arende_till_ks" not in action_ids(kd_home)


def test_outsider_home_reveals_nothing(paired: World) -> None:
    paired.command("/uppdrag", "Hemlig omorganisation", user=KSO)
    blocks = open_home(paired, OUTSIDER)
    assert "Hemlig" not in text_of(blocks) and KSO not in text_of(blocks)
    assert "/samspel koppla" in text_of(blocks)


def test_home_refreshes_for_both_after_a_change(paired: World) -> None:
    paired.command("/uppdrag", "Ny tillitsbaserad styrning", user=KSO)
    paired.deliver()
    assert "Ny tillitsbaserad styrning" in text_of(latest_home(paired, KSO))
    assert "Ny tillitsbaserad styrning" in text_of(latest_home(paired, KD))
    paired.command("/uppdrag", "klart 1", user=KD)
    paired.deliver()
    assert "Ny tillitsbaserad styrning" not in text_of(latest_home(paired, KD))
    assert "Inga öppna uppdrag" in text_of(latest_home(paired, KSO))


def test_deciding_from_the_home_tab_answers_by_dm(paired: World) -> None:
    paired.command("/arende", "Köp av mark", user=KD)
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    payload = block_action_payload("arende_till_ks", str(case_id), user=KSO, channel="unused")
    del payload["channel"]
    payload["container"] = {"type": "view", "view_id": "V0001"}
    paired.driver.send(interactive_body(payload))
    paired.deliver()
    with paired.sessions() as s:
        assert s.get(Arende, case_id).status == "till_ks"  # type: ignore[union-attr]
    assert any("är avgjort" in (m["text"] or "") for m in paired.slack.posted_to("D" + KSO[1:]))
    assert "Ärenden som väntar på KSO (0)" in text_of(latest_home(paired, KSO))


def test_home_after_delivery_no_longer_lists_the_message(paired: World) -> None:
    paired.at("2026-11-23 20:00")
    hold_message(paired, KSO, KD, "Levereras i morgon", "2026-11-24 08:00")
    assert "Levereras i morgon" in text_of(open_home(paired, KSO))
    paired.clock.advance(timedelta(hours=13))
    paired.slack.reset()
    paired.deliver()
    # Delivery itself republishes the sender's Home tab, without the message.
    assert "Levereras i morgon" not in text_of(latest_home(paired, KSO))
    assert "Levereras i morgon" not in text_of(open_home(paired, KSO))


def shown_held_messages(blocks: list[dict[str, Any]]) -> list[str]:
    """Values of the Ångra buttons: one per held message shown."""
    return [e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "meddela_angra"]


def test_a_busy_home_stays_within_slacks_100_blocks(paired: World) -> None:
    for i in range(1, 31):
        paired.command("/uppdrag", f"Uppdrag nummer {i}" + (" senast idag" if i % 3 == 0 else ""), user=KSO)
    for i in range(1, 16):
        paired.command("/arende", f"Ärende nummer {i}", user=KD)
    paired.at("2026-11-25 19:00")
    for i in range(22):
        hold_message(paired, KSO, KD, f"Kvällstanke {i}", "2026-11-26 08:00")

    blocks = open_home(paired, KSO)
    assert len(blocks) <= 100
    text = text_of(blocks)
    assert "Öppna uppdrag (30)" in text and "10 försenade" in text and "till: se `/uppdrag lista`" in text
    assert "Ärenden som väntar på KSO (15)" in text and "till: se `/arende lista`" in text
    assert "Dina meddelanden som hålls (22)" in text
    # Every case and message shown keeps its buttons; the list is cut between items, never inside one.
    cases_shown = [e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "arende_till_ks"]
    assert 5 <= len(cases_shown) < 15
    held_shown = shown_held_messages(blocks)
    assert 5 <= len(held_shown) < 22
    assert blocks[-1]["type"] == "section" and f"… och {22 - len(held_shown)} till" in blocks[-1]["text"]["text"]
    # The heading is the Home tab's own, not repeated by the held-message list.
    assert "enligt respektregeln (22)" not in text


def test_a_member_of_two_pairs_sees_both_within_100_blocks(paired: World) -> None:
    other_channel, other_kd = "GPAIR002", "UKD00002"
    for i in range(20):
        hold_message(paired, KSO, KD, f"Till första parets KD {i}", "2026-11-24 08:00")
    couple(paired, KSO, other_kd, other_channel)
    for i in range(1, 31):
        paired.command("/uppdrag", f"Första parets uppdrag {i}", user=KSO)
    for i in range(1, 16):
        paired.command("/arende", f"Första parets ärende {i}", user=KD)
    paired.command("/uppdrag", "Andra parets uppdrag", user=KSO, channel=other_channel)
    paired.command("/arende", "Andra parets ärende", user=other_kd, channel=other_channel)

    blocks = open_home(paired, KSO)
    assert len(blocks) <= 100
    text = text_of(blocks)
    assert f"<#{CHANNEL}>" in text and f"<#{other_channel}>" in text
    assert "Andra parets uppdrag" in text and "Andra parets ärende" in text
    first, second = text.split(f"<#{other_channel}>")
    assert "Dina meddelanden som hålls (20)" in first and "Dina meddelanden som hålls (0)" in second
    # The other pair's KD sees only that pair.
    assert "Första parets" not in text_of(open_home(paired, other_kd))


def test_home_follows_questions_and_cases_for_both(paired: World) -> None:
    paired.command("/uppdrag", "Utred simhallen", user=KSO)
    paired.command("/uppdrag", "oklart 1 Vilken simhall?", user=KD)
    paired.deliver()
    for user in (KSO, KD):
        assert "Oklart: Vilken simhall?" in text_of(latest_home(paired, user))
    paired.command("/uppdrag", "svar 1 Den gamla", user=KSO)
    paired.deliver()
    for user in (KSO, KD):
        assert "Oklart" not in text_of(latest_home(paired, user)) and "Utred simhallen" in text_of(latest_home(paired, user))

    paired.command("/arende", "Köp av mark", user=KD)
    paired.deliver()
    for user in (KSO, KD):
        assert "Ärenden som väntar på KSO (1)" in text_of(latest_home(paired, user))
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": "Mer underlag"}}},
        user=KSO,
        private_metadata=json.dumps({"arende": case_id, "channel": "D" + KSO[1:], "ts": None}),
    )
    paired.deliver()
    for user in (KSO, KD):
        assert "Ärenden som väntar på KSO (0)" in text_of(latest_home(paired, user))
