"""Connecting a pair, its settings and status, via signed slash commands."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.models import AgendaPoint, Arende, AuditEntry, MemberCalendar, Pair, Uppdrag, UppdragFraga
from tests.support.pairs import DM_KD, dm_texts, open_home, second_pair
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, CHANNEL2, KD, KSO, KSO2, OUTSIDER, World, accept_invitation, invitation


def count_pairs(world: World) -> int:
    with world.sessions() as s:
        return s.scalar(select(func.count(Pair.id))) or 0


def test_koppla_accepts_both_mention_forms(world: World) -> None:
    resp = world.command("/samspel", f"koppla <@{KSO}|anna> <@{KD}>")
    assert "Förslaget är skickat till <@UKD00001>" in ephemeral_text(resp)
    assert count_pairs(world) == 0
    accept_invitation(world, KD)
    with world.sessions() as s:
        pair = s.scalars(select(Pair)).one()
        assert (pair.channel_id, pair.kso_user, pair.kd_user) == (CHANNEL, KSO, KD)
        assert pair.next_talk is not None and pair.next_talk.isoformat() == "2027-11-23"
        assert "koppla" in s.scalars(select(AuditEntry.action)).all()


def test_koppla_refuses_bad_input_and_stores_nothing(world: World) -> None:
    cases = {
        "koppla": "Ange två personer",
        f"koppla <@{KSO}|anna>": "Ange två personer",
        f"koppla <@{KSO}|anna> <@{KSO}|anna>": "två olika personer",
        f"koppla <@{OUTSIDER}> <@{KD}>": "där du själv är",
    }
    for text, expected in cases.items():
        resp = world.command("/samspel", text)
        assert resp.status == 200
        assert expected in ephemeral_text(resp), text
    assert count_pairs(world) == 0


def test_channel_cannot_be_paired_twice(paired: World) -> None:
    resp = paired.command("/samspel", f"koppla <@{KSO}> <@{KD}>", user=KD)
    assert "redan kopplad" in ephemeral_text(resp)
    assert count_pairs(paired) == 1


def test_status_shows_pair_hours_and_held_count(paired: World) -> None:
    text = ephemeral_text(paired.command("/samspel", "status", user=KD))
    assert f"<@{KSO}>" in text and f"<@{KD}>" in text
    assert "mån–fre 08:00–17:00" in text
    assert "hålls enligt respektregeln: 0" in text


def test_outsider_gets_refusal_without_data(paired: World) -> None:
    text = ephemeral_text(paired.command("/samspel", "status", user=OUTSIDER))
    assert "bara parets KSO och KD" in text
    assert KSO not in text and KD not in text


def test_arbetstid_changes_hours_and_is_audited(paired: World) -> None:
    text = ephemeral_text(paired.command("/samspel", "arbetstid 07:30-16:00 mån-tor"))
    assert "mån–tors 07:30–16:00" in text
    with paired.sessions() as s:
        # The caller's own hours (the KSO's); the KD keeps the defaults.
        own = s.scalars(select(MemberCalendar).where(MemberCalendar.user == KSO)).one()
        assert (own.work_start_min, own.work_end_min, own.work_days) == (450, 960, "1234")
        assert s.scalars(select(MemberCalendar).where(MemberCalendar.user == KD)).first() is None
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "arbetstid")).one()
        assert entry.before == {"user": KSO, "work_start_min": 480, "work_end_min": 1020, "work_days": "12345"}


def test_bad_settings_are_explained_and_unchanged(paired: World) -> None:
    for text, expected in {
        "arbetstid 17:00-08:00": "börja före",
        "arbetstid klockan åtta": "Förstår inte",
        "agendatid 25:00": "agendatid 08:00",
        "utvecklingssamtal 2020-01-01": "redan varit",
        "utvecklingssamtal snart": "ÅÅÅÅ-MM-DD",
        "rådsmöte kanalen": "#kanal",
    }.items():
        assert expected in ephemeral_text(paired.command("/samspel", text)), text
    with paired.sessions() as s:
        pair = s.scalars(select(Pair)).one()
        assert (pair.work_start_min, pair.agenda_time_min, pair.radsmote_channel) == (480, 480, None)


def test_radsmote_and_agendatid(paired: World) -> None:
    assert "<#CRAD0001>" in ephemeral_text(paired.command("/samspel", "rådsmöte <#CRAD0001|majoriteten> 13:30"))
    assert "07:45" in ephemeral_text(paired.command("/samspel", "agendatid 07:45"))
    with paired.sessions() as s:
        pair = s.scalars(select(Pair)).one()
        assert (pair.radsmote_channel, pair.radsmote_time_min, pair.agenda_time_min) == ("CRAD0001", 810, 465)


def test_help_lists_every_command_with_examples(world: World) -> None:
    text = ephemeral_text(world.command("/samspel", "hjälp", user=OUTSIDER))
    for command in ("/samspel koppla", "/uppdrag", "/arende", "/meddela akut", "/agenda +", "/spelregler uppdatera"):
        assert command in text
    assert text.count("Exempel:") >= 15


def test_first_talk_lands_on_a_working_day(world: World) -> None:
    world.at("2026-12-23 16:00")
    world.command("/samspel", f"koppla <@{KSO}> <@{KD}>")
    invitation(world, KD)
    world.at("2026-12-24 10:00")  # the KD agrees on julafton; one year on is julafton 2027, a Friday off
    accept_invitation(world, KD)
    with world.sessions() as s:
        assert s.scalars(select(Pair)).one().next_talk.isoformat() == "2027-12-27"  # type: ignore[union-attr]


def test_a_channel_the_bot_is_not_in_is_reported_to_the_pair(paired: World) -> None:
    paired.command("/samspel", "rådsmöte <#CRAD0001|majoriteten>")
    original = paired.slack._answer

    def refuse(method: str, params: dict) -> dict:  # type: ignore[type-arg]
        if method == "chat.postMessage" and params.get("channel") == "CRAD0001":
            return {"ok": False, "error": "not_in_channel"}
        return original(method, params)

    paired.slack._answer = refuse  # type: ignore[method-assign]
    with paired.sessions() as s:
        from bot.outbox import enqueue

        pair = s.scalars(select(Pair)).one()
        enqueue(s, kind="post", now=paired.clock.now(), channel="CRAD0001", pair_id=pair.id, text="Rådsmöte")
    paired.deliver()
    for user in (KSO, KD):
        [note] = [m["text"] for m in paired.slack.posted_to("D" + user[1:]) if "kunde inte posta" in (m["text"] or "")]
        assert "<#CRAD0001>" in note and "not_in_channel" in note and "/invite @Samspel" in note


def test_help_placeholders_are_not_read_as_slack_markup(world: World) -> None:
    text = ephemeral_text(world.command("/uppdrag", "hjälp"))
    assert "`/uppdrag klart &lt;nr&gt;`" in text and "<nr>" not in text


def test_kd_in_two_pairs_keeps_them_apart(paired: World) -> None:
    second_pair(paired)
    paired.command("/uppdrag", "Skolskjutsar i norr", user=KSO)
    paired.command("/uppdrag", "Nämndens delårsrapport", user=KSO2, channel=CHANNEL2)
    paired.deliver()
    one = ephemeral_text(paired.command("/uppdrag", "lista", user=KD))
    two = ephemeral_text(paired.command("/uppdrag", "lista", user=KD, channel=CHANNEL2))
    assert "Skolskjutsar" in one and "delårsrapport" not in one
    assert "delårsrapport" in two and "Skolskjutsar" not in two
    # In a DM the bot cannot tell which pair: it says so instead of guessing.
    dm = ephemeral_text(paired.command("/uppdrag", "lista", user=KD, channel=DM_KD))
    assert "flera par" in dm and "Skolskjutsar" not in dm and "delårsrapport" not in dm
    # KSO of pair 1 cannot read pair 2's channel.
    refused = ephemeral_text(paired.command("/uppdrag", "lista", user=KSO, channel=CHANNEL2))
    assert "delårsrapport" not in refused
    # Each pair numbers its own uppdrag: KD marks #1 done in pair 2 only.
    done = ephemeral_text(paired.command("/uppdrag", "klart 1", user=KD, channel=CHANNEL2))
    assert "#1" in done and "delårsrapport" in done
    with paired.sessions() as s:
        rows = {u.text: u.done_at for u in s.scalars(select(Uppdrag))}
    assert rows["Skolskjutsar i norr"] is None
    assert rows["Nämndens delårsrapport"] is not None


def test_kd_in_two_pairs_home_and_held_messages(paired: World) -> None:
    second_pair(paired)
    paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO2, channel=CHANNEL2)
    paired.at("2026-11-26 16:00")  # Thursday: pair 1 still working, pair 2 has gone home
    r1 = ephemeral_text(paired.command("/meddela", "Till Anna", user=KD))
    r2 = ephemeral_text(paired.command("/meddela", "Till nämndordföranden", user=KD, channel=CHANNEL2))
    assert "arbetstid nu" in r1
    # Pair 2 works mån-tor: Friday is not a working day, so Monday 07:00.
    assert "måndag 30 nov. kl. 07:00" in r2
    paired.deliver()
    assert any("Till Anna" in t for t in dm_texts(paired, KSO))
    assert not any("nämndordf" in t for t in dm_texts(paired, KSO2))
    blocks = open_home(paired, KD)
    text = json.dumps(blocks, ensure_ascii=False)
    assert f"<#{CHANNEL}>" in text and f"<#{CHANNEL2}>" in text
    assert "Till nämndordföranden" in text and "Till Anna" not in text
    lista1 = paired.command("/meddela", "lista", user=KD)
    assert "inga meddelanden" in ephemeral_text(lista1)
    # Friday 08:00: pair 2 is off, nothing is delivered; Monday 07:00 it is.
    paired.at("2026-11-27 08:00")
    paired.deliver()
    assert not any("nämndordf" in t for t in dm_texts(paired, KSO2))
    paired.at("2026-11-30 07:00")
    paired.deliver()
    assert any("Till nämndordföranden" in t for t in dm_texts(paired, KSO2))
    ids = [c["view"]["blocks"] for c in paired.slack.of("views.publish") if c["user_id"] == KD][-1]
    block_ids = [b.get("block_id") for b in ids if b.get("block_id")]
    assert len(block_ids) == len(set(block_ids))


def test_buttons_of_one_pair_do_nothing_for_the_other_pairs_kso(paired: World) -> None:
    second_pair(paired)
    paired.command("/arende", "Pair ett ärende", user=KD)
    paired.command("/agenda", "+ info Punkt i par ett", user=KD)
    paired.command("/uppdrag", "Uppdrag i par ett", user=KSO)
    paired.command("/uppdrag", "oklart 1 Vilken budget?", user=KD)
    for action in ("arende_till_ks", "arende_ater", "agenda_stang", "uppdrag_svara"):
        paired.driver.action(action, "1", user=KSO2, channel=CHANNEL2)
        paired.driver.action(action, "1", user=KSO2, channel="DKSO0002")
    paired.deliver()
    with paired.sessions() as s:
        assert s.get(Arende, 1).status == "vantar"
        assert s.get(AgendaPoint, 1).closed_at is None
        assert s.get(UppdragFraga, 1).answered_at is None
    leaked = [
        c
        for c in paired.slack.calls
        if c.method in ("chat.postEphemeral", "chat.postMessage", "views.open")
        and c.get("user") == KSO2
        or c.get("channel") in ("DKSO0002", KSO2)
    ]
    for c in leaked:
        assert "Pair ett" not in json.dumps(c.params, ensure_ascii=False)
        assert "Vilken budget" not in json.dumps(c.params, ensure_ascii=False)
    assert not paired.slack.of("views.open")
