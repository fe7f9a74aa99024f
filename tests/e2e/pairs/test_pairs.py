"""Connecting a pair, its settings and status, via signed slash commands."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.models import AuditEntry, MemberCalendar, Pair
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, accept_invitation, invitation


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
    assert "mån–tor 07:30–16:00" in text
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
