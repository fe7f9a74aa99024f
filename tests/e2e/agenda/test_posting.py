"""Posting the agenda exactly once per pair and week: timing, holidays, restarts, several processes."""

from __future__ import annotations

import json
import logging
import threading

import pytest
from sqlalchemy import Engine, func, select

from bot import db
from bot.bootstrap import job_deps
from bot.clock import FakeClock
from bot.models import DayOff, JobRun, OutboxMessage, Pair
from bot.runtime import Deps
from jobs import Job, make_scheduler
from jobs.agenda import JOBS, agenda_tick
from tests.support.pairs import dm_texts, second_pair
from tests.support.signing import ephemeral_text
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, CHANNEL2, KD, KSO, KSO2, World, local, make_bot


def agenda_posts(world: World) -> list[dict[str, object]]:
    return world.slack.posted_to(CHANNEL)


def tick(world: World, when: str) -> list[str]:
    return world.tick(agenda_tick, when)


def test_posted_at_agenda_time_on_monday_and_not_before(paired: World) -> None:
    assert tick(paired, "2026-11-30 07:59") == []
    assert agenda_posts(paired) == []
    assert tick(paired, "2026-11-30 08:00") == ["agenda:1:2026-W49"]
    [message] = agenda_posts(paired)
    assert message["text"] == "Agenda för KSO och KD måndag 30 nov. (vecka 49)"


def test_agendatid_moves_the_posting_time(paired: World) -> None:
    # The channel follows the time both work, so both start at 07:30.
    paired.command("/samspel", "arbetstid 07:30-16:30", user=KSO)
    paired.command("/samspel", "arbetstid 07:30-16:30", user=KD)
    paired.command("/samspel", "agendatid 07:45", user=KD)
    tick(paired, "2026-11-30 07:44")
    assert agenda_posts(paired) == []
    tick(paired, "2026-11-30 07:45")
    assert len(agenda_posts(paired)) == 1


def test_agenda_before_working_hours_waits_for_them(paired: World) -> None:
    """The bot obeys the respekt rule too: an agenda time before the working day is held to its start."""
    answer = ephemeral_text(paired.command("/samspel", "agendatid 07:00", user=KD))
    assert "07:00" in answer and "08:00" in answer and "arbetstid" in answer
    tick(paired, "2026-11-30 07:00")
    assert agenda_posts(paired) == []
    tick(paired, "2026-11-30 08:00")
    assert len(agenda_posts(paired)) == 1


def test_double_firing_and_restart_post_one_agenda(paired: World, slack: SlackServer, engine: Engine) -> None:
    tick(paired, "2026-11-30 08:00")
    tick(paired, "2026-11-30 08:00")
    tick(paired, "2026-11-30 08:01")
    assert len(agenda_posts(paired)) == 1
    # A restart (a new process on the same database) after the posting time posts nothing more.
    restarted = make_bot(slack, engine, paired.clock)
    paired.at("2026-11-30 09:15")
    assert agenda_tick(restarted.deps) == []
    assert restarted.deps.deliverer is not None and restarted.deps.deliverer.deliver_due() == 0
    assert len(agenda_posts(paired)) == 1
    # The next week gets its own agenda.
    tick(paired, "2026-12-07 08:00")
    assert len(agenda_posts(paired)) == 2


def test_bot_down_over_posting_time_posts_on_start_while_the_day_runs(paired: World) -> None:
    tick(paired, "2026-11-30 11:20")
    [message] = agenda_posts(paired)
    assert "måndag 30 nov." in message["text"]


def test_bot_down_the_whole_meeting_day_posts_it_late_the_same_week(paired: World) -> None:
    """Never a silent week: back after the meeting day, the agenda comes at once, marked as late."""
    assert tick(paired, "2026-11-30 17:30") == ["agenda:1:2026-W49"]
    # 17:30 is after the working day: the post waits for Tuesday 08:00, when both work.
    assert agenda_posts(paired) == []
    tick(paired, "2026-12-01 08:00")
    [message] = agenda_posts(paired)
    assert message["text"] == "Agenda för KSO och KD måndag 30 nov. (vecka 49)"
    late = message["blocks"][1]
    assert late["type"] == "context" and late["block_id"] == "agenda_late"
    assert "Försenad: agendan skulle ha kommit måndag 30 nov. kl. 08:00" in late["elements"][0]["text"]
    with paired.sessions() as s:
        assert s.scalars(select(JobRun.note).where(JobRun.key == "agenda:1:2026-W49")).one() == "postad försenad"
    tick(paired, "2026-12-02 08:00")
    assert len(agenda_posts(paired)) == 1


def test_an_agenda_on_time_has_no_late_mark(paired: World) -> None:
    tick(paired, "2026-11-30 08:00")
    [message] = agenda_posts(paired)
    assert all(b.get("block_id") != "agenda_late" for b in message["blocks"])


def test_bot_down_the_whole_week_tells_the_channel_once(paired: World, caplog: pytest.LogCaptureFixture) -> None:
    tick(paired, "2026-11-30 08:00")  # week 49 as usual
    paired.command("/arende", "Taxor för vatten", user=KD)
    paired.command("/agenda", "+ incident Larmet i stadshuset", user=KD)
    paired.deliver()
    # Down from before Monday 7 Dec to Saturday: week 50 never got its agenda.
    with caplog.at_level(logging.WARNING, logger="bot.services.agenda"):
        assert tick(paired, "2026-12-12 10:00") == []
    assert any("agenda:1:2026-W50" in r.getMessage() and "missed" in r.getMessage() for r in caplog.records)
    # Saturday: the note waits for Monday's working time, then says what was missed.
    assert len(agenda_posts(paired)) == 1
    posted = tick(paired, "2026-12-14 08:00")
    assert posted == ["agenda:1:2026-W51"]
    texts = [m["text"] for m in agenda_posts(paired)]
    [missed] = [t for t in texts if "postades aldrig" in t]
    assert "Agendan för mötet måndag 7 dec. (vecka 50) postades aldrig" in missed
    assert "1 ärende att avgöra" in missed and "1 agendapunkt." in missed and "0 frågor om uppdrag" in missed
    assert sum("Agenda för KSO och KD måndag 14 dec." in t for t in texts) == 1
    with paired.sessions() as s:
        assert s.scalars(select(JobRun.note).where(JobRun.key == "agenda:1:2026-W50")).one().startswith("missad")
    tick(paired, "2026-12-14 09:00")
    tick(paired, "2026-12-21 08:00")
    assert sum("postades aldrig" in m["text"] for m in agenda_posts(paired)) == 1


def test_pair_connected_after_posting_time_starts_next_week(paired: World) -> None:
    # The fixture connects the pair on Monday 2026-11-23 at 10:00, after that day's 08:00.
    tick(paired, "2026-11-23 10:05")
    assert agenda_posts(paired) == []
    tick(paired, "2026-11-30 08:00")
    assert len(agenda_posts(paired)) == 1


def test_easter_monday_moves_the_agenda_to_tuesday(paired: World) -> None:
    tick(paired, "2027-03-29 08:00")
    tick(paired, "2027-03-29 12:00")
    assert agenda_posts(paired) == []
    tick(paired, "2027-03-30 07:59")
    assert agenda_posts(paired) == []
    assert tick(paired, "2027-03-30 08:00") == ["agenda:1:2027-W13"]
    [message] = agenda_posts(paired)
    assert message["text"] == "Agenda för KSO och KD tisdag 30 mars (vecka 13)"
    context = message["blocks"][1]
    assert context["type"] == "context"
    assert "måndagen är ledig (annandag påsk)" in context["elements"][0]["text"]
    tick(paired, "2027-03-31 08:00")
    assert len(agenda_posts(paired)) == 1


def test_a_week_without_working_days_gets_no_agenda(paired: World) -> None:
    # Julveckan 2026: 24-25 Dec are holidays; the pair takes 21-23 Dec off too.
    for day in ("2026-12-21", "2026-12-22", "2026-12-23"):
        paired.command("/samspel", f"ledig {day} jullov")
    for when in ("2026-12-21 08:00", "2026-12-22 08:00", "2026-12-23 09:00", "2026-12-24 09:00", "2026-12-25 09:00"):
        assert tick(paired, when) == []
    assert agenda_posts(paired) == []
    with paired.sessions() as s:
        assert s.scalar(select(func.count(JobRun.id))) == 0
        assert s.scalar(select(func.count(DayOff.id))) == 3
    assert "måndag 28 dec. (vecka 53)" in ephemeral_text(paired.command("/agenda", "", user=KD))
    assert tick(paired, "2026-12-28 08:00") == ["agenda:1:2026-W53"]


def _insert_pair(engine: Engine) -> int:
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        pair = Pair(team_id="T0001", channel_id=CHANNEL, kso_user=KSO, kd_user=KD, created_by=KSO, created_at=local("2026-11-02 09:00"))
        s.add(pair)
        s.flush()
        return pair.id


def _count_agenda(engine: Engine) -> tuple[int, int]:
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        runs = s.scalar(select(func.count(JobRun.id)).where(JobRun.key.like("agenda:%"))) or 0
        posts = s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "post", OutboxMessage.channel == CHANNEL)) or 0
        return runs, posts


def test_two_schedulers_on_the_same_database_post_one_agenda(any_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    _insert_pair(any_engine)
    url = any_engine.url.render_as_string(hide_password=False)
    engines = [any_engine, db.make_engine(url)]
    ran = [threading.Event(), threading.Event()]
    # Both processes reach the tick at the same moment.
    barrier = threading.Barrier(2, timeout=20)
    schedulers = []
    for i, eng in enumerate(engines):
        deps = job_deps(db.make_session_factory(eng), FakeClock(local("2026-11-30 08:00")))
        [real] = [j for j in JOBS if j.id == "agenda"]

        def run(d: Deps, real: Job = real, done: threading.Event = ran[i]) -> None:
            barrier.wait()
            try:
                real.run(d)
            finally:
                done.set()

        schedulers.append(make_scheduler(deps, [Job("agenda", 3600, run)], catch_up=True))
    try:
        for sched in schedulers:
            sched.start()
        for event in ran:
            assert event.wait(30)
    finally:
        for sched in schedulers:
            sched.shutdown(wait=True)
        engines[1].dispose()
    assert _count_agenda(any_engine) == (1, 1)
    # The losers saw the claim and stopped quietly: no lock errors, no failed job.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_two_threads_firing_the_tick_together_post_one_agenda(any_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    _insert_pair(any_engine)
    url = any_engine.url.render_as_string(hide_password=False)
    engines = [db.make_engine(url) for _ in range(4)]
    barrier = threading.Barrier(len(engines), timeout=20)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def fire(eng: Engine) -> None:
        deps = job_deps(db.make_session_factory(eng), FakeClock(local("2026-11-30 08:00:05")))
        barrier.wait()
        try:
            results.append(agenda_tick(deps))
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=fire, args=(eng,)) for eng in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for eng in engines:
        eng.dispose()
    assert errors == []
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert _count_agenda(any_engine) == (1, 1)
    # The losers saw the claim and stopped quietly: no lock errors, no failed job.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_claim_is_exclusive_on_every_database(any_engine: Engine) -> None:
    from bot import jobruns

    sessions = db.make_session_factory(any_engine)
    now = local("2026-11-30 08:00")
    with db.transaction(sessions) as s:
        assert jobruns.claim(s, "agenda:9:2026-W49", now=now) is True
    with db.transaction(sessions) as s:
        assert jobruns.claim(s, "agenda:9:2026-W49", now=now) is False
        assert jobruns.done(s, "agenda:9:2026-W49")


def test_agenda_posts_once_per_pair_to_its_own_channel(paired: World) -> None:
    second_pair(paired)
    paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO2, channel=CHANNEL2)
    paired.command("/samspel", "agendatid 07:00", user=KSO2, channel=CHANNEL2)
    paired.command("/uppdrag", "Skolskjutsar i norr", user=KSO)
    paired.command("/uppdrag", "Nämndens delårsrapport", user=KSO2, channel=CHANNEL2)
    paired.at("2026-11-30 07:00")
    keys = agenda_tick(paired.bot.deps)
    paired.deliver()
    assert keys == ["agenda:2:2026-W49"]
    paired.at("2026-11-30 08:00")
    assert agenda_tick(paired.bot.deps) == ["agenda:1:2026-W49"]
    paired.deliver()
    one = json.dumps(paired.slack.posted_to(CHANNEL), ensure_ascii=False)
    two = json.dumps(paired.slack.posted_to(CHANNEL2), ensure_ascii=False)
    assert "Skolskjutsar" in one and "delårsrapport" not in one
    assert "delårsrapport" in two and "Skolskjutsar" not in two


def test_year_end_week_53_and_new_year(paired: World) -> None:
    assert paired.tick(agenda_tick, "2026-12-28 08:00") == ["agenda:1:2026-W53"]
    title = paired.slack.posted_to(CHANNEL)[-1]["text"]
    assert "vecka 53" in title and "28 dec." in title
    paired.at("2026-12-31 10:00")  # nyårsafton is a day off
    answer = ephemeral_text(paired.command("/meddela", "Gott nytt år", user=KSO))
    assert "måndag 4 jan. kl. 08:00" in answer
    dl = ephemeral_text(paired.command("/uppdrag", "Årsbokslut senast nästa vecka", user=KSO))
    assert "fredag 8 jan." in dl and "2027-01-08" in dl
    dl2 = ephemeral_text(paired.command("/uppdrag", "Budget senast fredag", user=KSO))
    # Thursday nyårsafton: "fredag" is nyårsdagen, which the answer points out.
    assert "2027-01-01" in dl2 and "ledig dag (nyårsdagen)" in dl2
    preview = ephemeral_text(paired.command("/agenda", "", user=KSO))
    assert "måndag 4 jan." in preview and "vecka 1)" in preview
    assert paired.tick(agenda_tick, "2027-01-04 08:00") == ["agenda:1:2027-W01"]
    assert any("Gott nytt år" in t for t in dm_texts(paired, KD))
    assert paired.tick(agenda_tick, "2027-01-04 09:00") == []
