"""Ärenden through signed requests: the KD hands over, only the KSO decides, once."""

from __future__ import annotations

import json
import threading
from datetime import date
from typing import Any

from sqlalchemy import func, select

from bot import outbox
from bot.cli import export
from bot.i18n import translator
from bot.models import Arende, AuditEntry, Pair
from bot.presenters.arende import arende_blocks
from jobs.agenda import agenda_tick
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, couple

KD_DM = "D" + KD[1:]
KSO_DM = "D" + KSO[1:]


def submit(world: World, text: str, user: str = KD) -> str:
    return ephemeral_text(world.command("/arende", text, user=user))


def case_message(world: World, nr: int = 1) -> dict[str, Any]:
    """The KSO's DM for case #nr, as Slack holds it now."""
    world.deliver()
    for message in world.slack.posted_to(KSO_DM):
        if f"Ärende #{nr}" in (message["text"] or ""):
            return message
    raise AssertionError("no case message to the KSO")


def the_case(world: World) -> Arende:
    with world.sessions() as s:
        return s.scalars(select(Arende)).one()


def ephemerals_to(world: World, user: str) -> list[str]:
    return [c["text"] for c in world.slack.of("chat.postEphemeral") if c["user"] == user]


def test_kd_hands_over_and_kso_sends_to_ks(paired: World) -> None:
    answer = submit(paired, "Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08")
    assert "Ärende #1 är överlämnat" in answer
    a = the_case(paired)
    assert (a.titel, a.link, a.ks_meeting, a.status) == ("Detaljplan Norra hamnen", "KS 2026/123", date(2026, 12, 8), "vantar")
    message = case_message(paired)
    buttons = {e["action_id"]: e["value"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert buttons == {"arende_till_ks": str(a.id), "arende_ater": str(a.id)}
    assert "KS 2026/123" in message["blocks"][0]["text"]["text"]

    resp = paired.driver.action("arende_till_ks", str(a.id), user=KSO, channel=KSO_DM, message_ts=message["ts"])
    assert resp.status == 200
    paired.deliver()
    a = the_case(paired)
    assert (a.status, a.decided_by) == ("till_ks", KSO)
    # The original message loses its buttons and shows the decision.
    [update] = paired.slack.of("chat.update")
    assert update["ts"] == message["ts"] and update["channel"] == KSO_DM
    assert "arende_till_ks" not in json.dumps(update["blocks"]) and "Till KS" in json.dumps(update["blocks"], ensure_ascii=False)
    assert any("Ärende #1 är avgjort: till KS." in t for t in ephemerals_to(paired, KSO))
    assert any("ärende #1" in (m["text"] or "") and "*till KS*" in (m["text"] or "") for m in paired.slack.posted_to(KD_DM))

    with paired.sessions() as s:
        actions = [(e.action, e.actor) for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "arende"))]
        decided = s.scalars(select(AuditEntry).where(AuditEntry.action == "arende_till_ks")).one()
        pair_id = s.scalars(select(Pair.id)).one()
        csv_text = export(s, pair_id, "csv")
        doc = json.loads(export(s, pair_id, "json"))
    assert actions == [("arende_ny", KD), ("arende_till_ks", KSO)]
    assert decided.before is not None and decided.after is not None
    assert (decided.before["status"], decided.after["status"]) == ("vantar", "till_ks")
    assert "Detaljplan Norra hamnen" in csv_text and "Ärende #1 lämnades för beslut" in csv_text
    assert "Ärende #1 beslutat: till KS" in csv_text
    assert [c["status"] for c in doc["arenden"]] == ["till_ks"]
    assert [e["action"] for e in doc["audit"]][-2:] == ["arende_ny", "arende_till_ks"]


def test_kso_cannot_hand_over_and_nothing_is_stored(paired: World) -> None:
    assert "Bara KD lämnar över" in submit(paired, "Mitt eget ärende", user=KSO)
    assert "bara parets KSO och KD" in submit(paired, "Utomstående ärende", user=OUTSIDER)
    with paired.sessions() as s:
        assert s.scalar(select(func.count(Arende.id))) == 0
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "arende")) == 0


def test_only_the_kso_click_counts(paired: World) -> None:
    submit(paired, "Budgetramar 2027")
    message = case_message(paired)
    a = the_case(paired)
    paired.driver.action("arende_till_ks", str(a.id), user=KD, channel=CHANNEL, message_ts=message["ts"])
    paired.driver.action("arende_ater", str(a.id), user=KD, channel=CHANNEL, message_ts=message["ts"])
    paired.driver.action("arende_till_ks", str(a.id), user=OUTSIDER, channel=CHANNEL, message_ts=message["ts"])
    paired.deliver()
    assert the_case(paired).status == "vantar"
    assert paired.slack.of("views.open") == [] and paired.slack.of("chat.update") == []
    kd_answers = ephemerals_to(paired, KD)
    assert len(kd_answers) == 2 and all("Bara KSO avgör" in t for t in kd_answers)
    [outsider_answer] = ephemerals_to(paired, OUTSIDER)
    assert "bara parets KSO och KD" in outsider_answer and "Budget" not in outsider_answer


def test_double_click_decides_once(paired: World) -> None:
    submit(paired, "Taxor och avgifter")
    message = case_message(paired)
    a = the_case(paired)
    for _ in range(2):
        paired.driver.action("arende_till_ks", str(a.id), user=KSO, channel=KSO_DM, message_ts=message["ts"])
    paired.driver.action("arende_ater", str(a.id), user=KSO, channel=KSO_DM, message_ts=message["ts"])
    paired.deliver()
    assert the_case(paired).status == "till_ks"
    first, second, third = ephemerals_to(paired, KSO)
    assert "är avgjort" in first and "redan avgjort" in second and "Inget ändrades" in second and "redan avgjort" in third
    assert paired.slack.of("views.open") == []
    assert len(paired.slack.of("chat.update")) == 1
    with paired.sessions() as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.like("arende_till_ks"))) == 1
    kd_notes = [m for m in paired.slack.posted_to(KD_DM) if "har avgjort" in (m["text"] or "")]
    assert len(kd_notes) == 1


def test_simultaneous_clicks_decide_once(paired: World) -> None:
    submit(paired, "Översiktsplan")
    message = case_message(paired)
    a = the_case(paired)
    barrier = threading.Barrier(4)

    def click(action: str) -> None:
        barrier.wait()
        if action == "arende_till_ks":
            paired.driver.action(action, str(a.id), user=KSO, channel=KSO_DM, message_ts=message["ts"])
        else:
            paired.driver.submit(
                "arende_ater",
                {"kommentar": {"kommentar": {"type": "plain_text_input", "value": "Mer underlag"}}},
                user=KSO,
                private_metadata=json.dumps({"arende": a.id, "channel": KSO_DM, "ts": message["ts"]}),
            )

    threads = [threading.Thread(target=click, args=(name,)) for name in ("arende_till_ks", "arende_till_ks", "ater", "ater")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with paired.sessions() as s:
        decisions = s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.in_(("arende_till_ks", "arende_ater"))))
    assert decisions == 1
    assert the_case(paired).status in ("till_ks", "ater")


def test_ater_opens_a_modal_and_stores_the_comment(paired: World) -> None:
    submit(paired, "Ny skolstruktur <https://diariet.example.se/arende/42|dnr 42>")
    a = the_case(paired)
    assert a.link == "https://diariet.example.se/arende/42"
    message = case_message(paired)
    paired.driver.action("arende_ater", str(a.id), user=KSO, channel=KSO_DM, message_ts=message["ts"])
    [opened] = paired.slack.of("views.open")
    view = opened["view"]
    assert view["callback_id"] == "arende_ater"
    assert the_case(paired).status == "vantar"  # opening the modal decides nothing

    empty = paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": "  "}}},
        user=KSO,
        private_metadata=view["private_metadata"],
    )
    assert "errors" in (empty.body or "") and the_case(paired).status == "vantar"
    kd_try = paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": "Nej"}}},
        user=KD,
        private_metadata=view["private_metadata"],
    )
    assert "Bara KSO avgör" in json.loads(kd_try.body)["errors"]["kommentar"]

    comment = "Konsekvenserna för landsbygden saknas 🙁 <!here>"
    resp = paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": comment}}},
        user=KSO,
        private_metadata=view["private_metadata"],
    )
    assert resp.status == 200 and not resp.body
    paired.deliver()
    a = the_case(paired)
    assert (a.status, a.comment, a.decided_by) == ("ater", comment, KSO)
    [note] = [m["text"] for m in paired.slack.posted_to(KD_DM) if "har avgjort" in (m["text"] or "")]
    assert "åter för beredning" in note and "landsbygden saknas 🙁 @here" in note and "<!here>" not in note
    [update] = paired.slack.of("chat.update")
    assert "Åter för beredning" in json.dumps(update["blocks"], ensure_ascii=False)


def test_decision_from_another_message_updates_that_message_too(paired: World) -> None:
    """The agenda shows the case with its buttons: a click there updates both messages."""
    submit(paired, "Förvärv av fastighet")
    original = case_message(paired)
    a = the_case(paired)
    with paired.sessions() as s:
        agenda_blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Ärenden för beslut*"}},
            *arende_blocks(s.get(Arende, a.id), "Europe/Stockholm", translator()),
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Nya uppdrag*"}},
        ]
        outbox.enqueue(s, kind="post", now=paired.clock.now(), channel=CHANNEL, text="Agenda", blocks=agenda_blocks, pair_id=a.pair_id)
    paired.deliver()
    [agenda] = [m for m in paired.slack.posted_to(CHANNEL) if m["text"] == "Agenda"]
    paired.driver.action("arende_till_ks", str(a.id), user=KSO, channel=CHANNEL, message_ts=agenda["ts"])
    paired.deliver()
    updates = {c["ts"]: c["blocks"] for c in paired.slack.of("chat.update")}
    assert set(updates) == {original["ts"], agenda["ts"]}
    agenda_after = updates[agenda["ts"]]
    assert [b["text"]["text"] for b in (agenda_after[0], agenda_after[-1])] == ["*Ärenden för beslut*", "*Nya uppdrag*"]
    assert "arende_till_ks" not in json.dumps(agenda_after) and "Till KS" in json.dumps(agenda_after, ensure_ascii=False)


def agenda_buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["action_id"], e["value"]) for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_a_click_in_the_real_monday_agenda_replaces_its_buttons(paired: World) -> None:
    submit(paired, "Förvärv av fastighet")
    submit(paired, "Taxor 2027")
    with paired.sessions() as s:
        ids = {a.nr: a.id for a in s.scalars(select(Arende))}
    paired.at("2026-11-30 08:00")
    agenda_tick(paired.bot.deps)
    paired.deliver()
    [agenda] = paired.slack.posted_to(CHANNEL)
    assert {("arende_till_ks", str(ids[1])), ("arende_till_ks", str(ids[2]))} <= set(agenda_buttons(agenda["blocks"]))

    paired.driver.action("arende_till_ks", str(ids[1]), user=KSO, channel=CHANNEL, message_ts=agenda["ts"])
    paired.deliver()
    [after] = [c["blocks"] for c in paired.slack.of("chat.update") if c["ts"] == agenda["ts"]]
    # Case #1 shows the decision where its buttons were; case #2 still waits with its buttons.
    assert ("arende_till_ks", str(ids[1])) not in agenda_buttons(after)
    assert ("arende_till_ks", str(ids[2])) in agenda_buttons(after)
    decided = next(b for b in after if b.get("block_id") == f"arende:{ids[1]}")
    assert decided["type"] == "context" and "Till KS" in decided["elements"][0]["text"] and KSO in decided["elements"][0]["text"]
    assert len(after) == len(agenda["blocks"])

    # Deciding #2 from the KSO's DM also takes its buttons out of the agenda, keeping #1's decision.
    paired.slack.reset()
    paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": "Mer siffror"}}},
        user=KSO,
        private_metadata=json.dumps({"arende": ids[2], "channel": KSO_DM, "ts": None}),
    )
    paired.deliver()
    [again] = [c["blocks"] for c in paired.slack.of("chat.update") if c["ts"] == agenda["ts"]]
    assert agenda_buttons(again) == []
    text = json.dumps(again, ensure_ascii=False)
    assert "Till KS" in text and "Åter för beredning" in text and "Mer siffror" in text


def test_lista_groups_waiting_to_ks_and_returned(paired: World) -> None:
    for titel in ("Ett", "Två", "Tre"):
        submit(paired, f"Ärende {titel}")
    with paired.sessions() as s:
        ids = {a.nr: a.id for a in s.scalars(select(Arende))}
    paired.driver.action("arende_till_ks", str(ids[1]), user=KSO, channel=KSO_DM)
    paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": "Mer siffror"}}},
        user=KSO,
        private_metadata=json.dumps({"arende": ids[2], "channel": KSO_DM, "ts": None}),
    )
    text = submit(paired, "lista", user=KSO)
    waiting, to_ks, back = text.index("Väntar på KSO (1)"), text.index("Till KS (1)"), text.index("Åter för beredning (1)")
    assert waiting < text.index("#3") < to_ks < text.index("#1") < back < text.index("#2")
    assert "Mer siffror" in text
    assert "bara parets KSO och KD" in submit(paired, "lista", user=OUTSIDER)


def test_bad_case_input_is_explained_and_not_stored(paired: World) -> None:
    assert "har redan varit" in submit(paired, "Gammalt ärende ks 2026-01-01")
    assert "Förstår inte KS-datumet" in submit(paired, "Trasigt datum ks 2026-13-45")
    assert "Titeln är tom" in submit(paired, "KS 2026/99")
    assert "Titeln är tom" in submit(paired, "KS-2026-00099 ks 2026-12-08")
    assert "3000" in submit(paired, "å" * 3001)
    assert "Skriv ärendets titel" in submit(paired, "")
    with paired.sessions() as s:
        assert s.scalar(select(func.count(Arende.id))) == 0


def test_dnr_forms_are_kept_as_the_link(paired: World) -> None:
    submit(paired, "Detaljplan Hamnen KS 2026/123")
    submit(paired, "Avgifter KS-2026-00456 ks 2026-12-08")
    submit(paired, "Strategi dnr: BUN.2026.7")
    submit(paired, "Årsredovisning 2025")
    with paired.sessions() as s:
        rows = [(a.titel, a.link, a.ks_meeting) for a in s.scalars(select(Arende).order_by(Arende.nr))]
    assert rows == [
        ("Detaljplan Hamnen", "KS 2026/123", None),
        ("Avgifter", "KS-2026-00456", date(2026, 12, 8)),
        ("Strategi", "dnr: BUN.2026.7", None),
        ("Årsredovisning 2025", None, None),
    ]


def test_races_on_both_databases(any_engine: Any, slack: Any, clock: Any) -> None:
    """On SQLite and PostgreSQL: simultaneous uppdrag get distinct numbers, simultaneous clicks decide once."""
    from tests.support.signing import SlackDriver
    from tests.support.world import make_bot

    bot = make_bot(slack, any_engine, clock)
    world = World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))
    couple(world)
    submit(world, "Gemensamt ärende")
    world.deliver()  # the KSO clicks in the DM the case arrived in
    a = the_case(world)
    barrier = threading.Barrier(8)

    def give(i: int) -> None:
        barrier.wait()
        world.command("/uppdrag", f"Samtidigt {i}", user=KSO)

    def click() -> None:
        barrier.wait()
        world.driver.action("arende_till_ks", str(a.id), user=KSO, channel=KSO_DM)

    threads = [threading.Thread(target=give, args=(i,)) for i in range(4)] + [threading.Thread(target=click) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from bot.models import Uppdrag

    with world.sessions() as s:
        assert sorted(s.scalars(select(Uppdrag.nr)).all()) == [1, 2, 3, 4]
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "arende_till_ks")) == 1
    world.deliver()
    answers = ephemerals_to(world, KSO)
    assert sum("är avgjort" in t for t in answers) == 1 and sum("redan avgjort" in t for t in answers) == 3
