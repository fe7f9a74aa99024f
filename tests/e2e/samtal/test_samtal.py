"""The yearly utvecklingssamtal: reminders, the material post, and `/spelregler genomfört`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from bot.models import JobRun, Meddelande, Pair, Utvecklingssamtal
from jobs.samtal import remind
from tests.support.signing import SlackDriver, ephemeral_text
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, STHLM, World, couple, local, make_bot

KSO_DM = "D" + KSO[1:]
KD_DM = "D" + KD[1:]


def tick(world: World) -> None:
    remind(world.bot.deps)
    world.deliver()


def run_until(world: World, end: str, *, step: timedelta = timedelta(hours=4)) -> list[tuple[datetime, str, str]]:
    """Tick and deliver through time; returns (local time, channel, text) of each message as it arrived."""
    arrived: list[tuple[datetime, str, str]] = []
    stop = local(end)
    while world.clock.now() <= stop:
        before = len(world.slack.posts)
        tick(world)
        for call in world.slack.posts[before:]:
            arrived.append((world.clock.now().astimezone(STHLM), str(call["channel"]), str(call["text"])))
        world.clock.advance(step)
    return arrived


def set_talk(world: World, day: str) -> None:
    text = ephemeral_text(world.command("/samspel", f"utvecklingssamtal {day}"))
    assert f"Nästa utvecklingssamtal är {day}" in text


def dms(arrived: list[tuple[datetime, str, str]], channel: str) -> list[tuple[str, str]]:
    return [(t.strftime("%Y-%m-%d %H:%M"), text) for t, ch, text in arrived if ch == channel]


def test_schedule_across_new_year_with_holidays_on_reminder_days(paired: World) -> None:
    # Talk Thursday 7 Jan 2027: the one-week reminder falls on nyårsafton, the material on julafton.
    set_talk(paired, "2027-01-07")
    paired.at("2026-12-01 00:00")
    arrived = run_until(paired, "2027-01-22 00:00")

    kso = dms(arrived, KSO_DM)
    assert [when for when, _ in kso] == [
        "2026-12-10 08:00",  # four weeks ahead
        "2027-01-04 08:00",  # one week ahead = nyårsafton; nyårsdagen and the weekend follow
        "2027-01-07 08:00",  # on the day
        "2027-01-14 08:00",  # missed: weekly
        "2027-01-21 08:00",
    ]
    assert "är om fyra veckor" in kso[0][1] and "torsdag 7 jan. 2027" in kso[0][1]
    assert "är om tre dagar" in kso[1][1]  # phrased for the day it actually arrives, in words like the rest
    assert "är i dag" in kso[2][1]
    assert "för en vecka sedan" in kso[3][1] and "för två veckor sedan" in kso[4][1]
    assert f"Du håller samtalet med <@{KD}>" in kso[0][1]
    kd = dms(arrived, KD_DM)
    assert [when for when, _ in kd] == [when for when, _ in kso]
    assert f"<@{KSO}> håller samtalet med dig" in kd[0][1]

    material = dms(arrived, CHANNEL)
    assert [when for when, _ in material] == ["2026-12-28 08:00"]  # julafton, juldagen, helg → måndag
    assert "Underlag för utvecklingssamtalet" in material[0][1]


def test_every_reminder_is_sent_once_across_a_restart(any_engine: Engine, slack: SlackServer) -> None:
    from bot.clock import FakeClock

    clock = FakeClock(local("2026-11-23 10:00"))
    first = make_bot(slack, any_engine, clock)
    driver = SlackDriver(first.app)
    couple(World(bot=first, slack=slack.mock, clock=clock, driver=driver))
    driver.command("/samspel", "utvecklingssamtal 2027-01-21", user=KSO, channel=CHANNEL)

    slack.mock.calls.clear()
    clock.set(local("2026-12-24 10:00"))  # julafton: the four-week reminder is due but held
    remind(first.deps)
    first.deps.deliverer.deliver_due()  # type: ignore[union-attr]
    assert slack.mock.posts == []

    # The first process dies; a second one starts on the same database and ticks too.
    second = make_bot(slack, any_engine, clock)
    remind(second.deps)
    clock.set(local("2026-12-28 08:00"))
    for bot in (second, first, second):
        remind(bot.deps)
        bot.deps.deliverer.deliver_due()  # type: ignore[union-attr]
    assert sorted(c["channel"] for c in slack.mock.posts) == sorted([KSO_DM, KD_DM])
    assert all("är om 24 dagar" in c["text"] for c in slack.mock.posts)

    # Material (7 Jan), one-week (14 Jan), the day (21 Jan): each once, whichever process ticks.
    for when in ("2027-01-07 08:00", "2027-01-14 08:00", "2027-01-21 08:00"):
        clock.set(local(when))
        for bot in (first, second, first):
            remind(bot.deps)
            bot.deps.deliverer.deliver_due()  # type: ignore[union-attr]
    to_kso = [c for c in slack.mock.posts if c["channel"] == KSO_DM]
    assert len(to_kso) == 3
    assert len([c for c in slack.mock.posts if c["channel"] == CHANNEL]) == 1
    with first.deps.sessions() as s:
        keys = sorted(s.scalars(select(JobRun.key).where(JobRun.key.like("samtal:%"))))
    pid = keys[0].split(":")[1]
    assert keys == sorted(f"samtal:{pid}:2027-01-21:{k}" for k in ("4v", "underlag", "1v", "dag"))
    first.stop()
    second.stop()


def test_missed_talk_gives_weekly_reminders_until_genomfort(paired: World) -> None:
    set_talk(paired, "2026-12-03")
    paired.at("2026-12-03 00:00")
    arrived = run_until(paired, "2026-12-17 12:00")
    assert [when for when, _ in dms(arrived, KSO_DM)] == ["2026-12-03 08:00", "2026-12-10 08:00", "2026-12-17 08:00"]

    paired.at("2026-12-18 14:00")
    answer = paired.command("/spelregler", "genomfört", user=KSO)
    text = ephemeral_text(answer)
    assert "registrerat som genomfört" in text
    assert '"action_id": "spelregler_uppdatera"' in text  # asks for the updated spelregler
    with paired.sessions() as s:
        pair = s.scalars(select(Pair)).one()
        held = s.scalars(select(Utvecklingssamtal)).one()
        assert (held.planned_date, held.recorded_by) == (date(2026, 12, 3), KSO)
        # Held late: a year after it was held (Saturday 18 Dec 2027), moved to the next working day.
        assert pair.next_talk == date(2027, 12, 20)

    later = run_until(paired, "2027-02-15 12:00", step=timedelta(hours=8))
    assert dms(later, KSO_DM) == [] and dms(later, KD_DM) == []
    announcement = dms(later, CHANNEL)
    assert len(announcement) == 1 and f"<@{KSO}> har registrerat att utvecklingssamtalet är genomfört" in announcement[0][1]

    # The button in the answer opens the spelregler form.
    paired.driver.action("spelregler_uppdatera", str(pair.id), user=KSO, channel=CHANNEL)
    assert paired.slack.of("views.open")[0]["view"]["callback_id"] == "spelregler_uppdatera"


def test_genomfort_on_time_moves_the_date_one_year_and_cannot_be_doubled(paired: World) -> None:
    set_talk(paired, "2027-03-15")
    paired.at("2027-03-15 11:00")
    assert "onsdag 15 mars 2028" in ephemeral_text(paired.command("/spelregler", "genomfört", user=KSO))
    again = ephemeral_text(paired.command("/spelregler", "genomfört", user=KSO))
    assert "registrerades redan 2027-03-15" in again and f"<@{KSO}>" in again
    with paired.sessions() as s:
        assert s.scalars(select(Pair)).one().next_talk == date(2028, 3, 15)
        assert len(s.scalars(select(Utvecklingssamtal)).all()) == 1


def test_reminder_held_over_a_weekend_is_dropped_when_the_talk_is_recorded(paired: World) -> None:
    set_talk(paired, "2026-12-19")  # a Saturday
    paired.at("2026-12-19 09:00")
    tick(paired)
    assert dms([(paired.clock.now(), c["channel"], c["text"]) for c in paired.slack.posts], KSO_DM) == []
    paired.command("/spelregler", "genomfört", user=KSO)
    paired.at("2026-12-21 08:00")
    tick(paired)
    assert [c["channel"] for c in paired.slack.posts if c["channel"] != CHANNEL] == []
    assert any("registrerat att utvecklingssamtalet är genomfört" in m["text"] for m in paired.slack.posted_to(CHANNEL))


def test_material_post_has_figures_and_spelregler_once_and_escaped(paired: World) -> None:
    set_talk(paired, "2027-02-18")
    with paired.sessions() as s:
        pid = s.scalars(select(Pair.id)).one()
        s.add(
            Meddelande(
                pair_id=pid,
                sender=KD,
                recipient=KSO,
                text="Brand",
                written_at=local("2027-01-16 11:00"),
                deliver_at=local("2027-01-16 11:00"),
                akut=True,
                akut_when="helg",
                akut_reason="<!channel> brand på <@UOUT0001>s skola",
            )
        )
    paired.at("2027-02-04 08:00")
    tick(paired)
    tick(paired)
    (post,) = paired.slack.posted_to(CHANNEL)
    body = "\n".join(b.get("text", {}).get("text", "") for b in post["blocks"] if b["type"] in ("section", "header"))
    assert "Året i siffror" in body and "Akuta på helg/helgdag: 1" in body
    assert "@channel brand på @UOUT0001s skola" in body and "<!channel>" not in body
    assert "Gällande spelregler" in body and "Tillgänglighet för varandra och vårt förhållningssätt" in body
    assert f"<@{KSO}> håller det med <@{KD}>" in body


def test_outsider_cannot_record_the_talk(paired: World) -> None:
    text = ephemeral_text(paired.command("/spelregler", "genomfört", user=OUTSIDER))
    assert "bara parets KSO och KD" in text
    with paired.sessions() as s:
        assert s.scalars(select(Utvecklingssamtal)).all() == []


@pytest.mark.parametrize("talk, expected", [("2026-12-21", "är om fyra veckor"), ("2026-11-30", "är om en vecka")])
def test_date_set_at_short_notice_gives_one_current_reminder(paired: World, talk: str, expected: str) -> None:
    set_talk(paired, talk)
    tick(paired)
    tick(paired)
    texts = [c["text"] for c in paired.slack.posts if c["channel"] == KSO_DM]
    assert len(texts) == 1 and expected in texts[0]


def test_changed_date_replaces_a_reminder_still_waiting_for_working_hours(paired: World) -> None:
    set_talk(paired, "2026-12-26")  # four weeks ahead is Saturday 28 Nov
    paired.at("2026-11-28 09:00")
    tick(paired)
    paired.at("2026-11-28 10:00")
    set_talk(paired, "2027-01-28")
    paired.at("2026-11-30 08:00")
    tick(paired)
    assert [c["channel"] for c in paired.slack.posts] == []
    paired.at("2026-12-31 08:00")  # four weeks before the new date (nyårsafton → 4 jan)
    run_until(paired, "2027-01-04 08:00")
    texts = [c["text"] for c in paired.slack.posts if c["channel"] == KSO_DM]
    assert len(texts) == 1 and "torsdag 28 jan. 2027" in texts[0] and "26 dec" not in texts[0]


def test_talk_moved_later_after_reminders_is_not_reminded_twice(paired: World) -> None:
    set_talk(paired, "2027-01-21")
    paired.at("2026-12-20 00:00")
    before = run_until(paired, "2027-01-15 09:00")
    assert [when for when, _ in dms(before, KSO_DM)] == ["2026-12-28 08:00", "2027-01-14 08:00"]  # 4v (julafton), 1v

    paired.at("2027-01-15 10:00")
    set_talk(paired, "2027-02-11")
    after = run_until(paired, "2027-01-15 10:00")
    paired.at("2027-01-16 00:00")
    after += run_until(paired, "2027-02-19 00:00")
    kso = dms(after, KSO_DM)
    # The new date's 4v and 1v stages had already passed: no repeat now, the next stages on time.
    assert [when for when, _ in kso] == ["2027-02-04 08:00", "2027-02-11 08:00", "2027-02-18 08:00"]
    assert "är om en vecka" in kso[0][1] and "torsdag 11 feb. 2027" in kso[0][1]
    assert [when for when, _ in dms(after, KD_DM)] == [when for when, _ in kso]
    moved = [text for _, text in dms(after, CHANNEL) if "flyttat" in text]
    assert moved == [
        (
            ":calendar: Utvecklingssamtalet är flyttat från torsdag 21 jan. 2027 till *torsdag 11 feb. 2027*. "
            "Ni får nästa påminnelse enligt det nya datumet."
        )
    ]
    assert dms(after, CHANNEL)[0][0] == "2027-01-15 10:00"  # at the first tick after the change, in working time


def test_talk_moved_earlier_after_the_four_week_reminder(paired: World) -> None:
    set_talk(paired, "2027-01-21")
    paired.at("2026-12-20 00:00")
    run_until(paired, "2026-12-29 09:00")
    paired.at("2026-12-29 10:00")
    set_talk(paired, "2027-01-14")
    after = run_until(paired, "2026-12-29 10:00")
    paired.at("2026-12-30 00:00")
    after += run_until(paired, "2027-01-15 00:00")
    assert [when for when, _ in dms(after, KSO_DM)] == ["2027-01-07 08:00", "2027-01-14 08:00"]
    material = [when for when, text in dms(after, CHANNEL) if "Underlag" in text]
    assert material == ["2027-01-04 08:00"]  # due nyårsafton for the new date


def test_reminder_held_while_the_date_moves_away_and_back_is_sent_once(any_engine: Engine, slack: SlackServer) -> None:
    from bot.clock import FakeClock

    clock = FakeClock(local("2026-11-23 10:00"))
    bot = make_bot(slack, any_engine, clock)
    world = World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))
    couple(world)
    world.slack.messages.clear()  # only the reminders count below
    set_talk(world, "2027-01-21")
    world.at("2026-12-24 10:00")  # julafton: the four-week reminder waits for 28 Dec
    tick(world)
    world.at("2026-12-25 10:00")
    set_talk(world, "2027-01-22")
    tick(world)
    world.at("2026-12-26 10:00")
    set_talk(world, "2027-01-21")
    tick(world)
    world.at("2026-12-28 08:00")
    tick(world)
    tick(world)
    kso = [c["text"] for c in world.slack.posted_to(KSO_DM)]
    assert len(kso) == 1 and "torsdag 21 jan. 2027" in kso[0] and "är om 24 dagar" in kso[0]
    assert len(world.slack.posted_to(KD_DM)) == 1
    assert [c for c in world.slack.posted_to(CHANNEL) if "flyttat" in c["text"]] == []
    bot.stop()


def test_material_waiting_for_monday_follows_a_moved_date(paired: World) -> None:
    set_talk(paired, "2027-02-20")  # material due Saturday 6 Feb, held to Monday
    paired.at("2027-02-06 09:00")
    tick(paired)
    paired.at("2027-02-07 12:00")
    set_talk(paired, "2027-02-25")
    paired.at("2027-02-07 12:00")
    arrived = run_until(paired, "2027-02-12 00:00")
    material = [(when, text) for when, text in dms(arrived, CHANNEL) if "Underlag" in text]
    assert [when for when, _ in material] == ["2027-02-11 08:00"]
    assert "torsdag 25 feb." in material[0][1]


def test_material_waiting_for_monday_is_dropped_when_the_talk_is_recorded(paired: World) -> None:
    set_talk(paired, "2027-02-20")
    paired.at("2027-02-06 09:00")
    tick(paired)
    paired.command("/spelregler", "genomfört", user=KSO)
    paired.at("2027-02-08 08:00")
    tick(paired)
    posts = [c["text"] for c in paired.slack.posted_to(CHANNEL)]
    assert len(posts) == 1 and "har registrerat att utvecklingssamtalet är genomfört" in posts[0]
    assert "Nästa utvecklingssamtal: måndag 21 feb. 2028" in posts[0]  # a year on is a Sunday


def test_talk_on_a_day_off_is_flagged_and_short_notice_is_honest(paired: World) -> None:
    paired.at("2026-12-01 10:00")
    text = ephemeral_text(paired.command("/samspel", "utvecklingssamtal 2026-12-24"))
    assert "torsdag 24 dec. 2026" in text
    assert "ledig dag (julafton)" in text
    # Four weeks before has passed: no promise of it.
    assert "fyra veckor" not in text and "en vecka innan och på dagen" in text
    text = ephemeral_text(paired.command("/samspel", "utvecklingssamtal 2027-03-16"))
    assert "ledig dag" not in text
    assert "påminnelser fyra veckor innan, en vecka innan och på dagen" in text
