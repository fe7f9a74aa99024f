"""The calendar file: Monday meetings moved around holidays, the next talk, parsed back by icalendar."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import Engine

from bot import cli, db
from bot.clock import FakeClock
from bot.ics import ics_text
from bot.models import DayOff, Pair
from bot.worktime import WorkingCalendar
from tests.conftest import CHANNEL, KD, KSO, STHLM, local

SWEDEN = WorkingCalendar()


def add_pair(engine: Engine, **settings: object) -> int:
    with db.transaction(db.make_session_factory(engine)) as s:
        pair = Pair(team_id="T0001", channel_id=CHANNEL, kso_user=KSO, kd_user=KD, created_by=KSO,
                    created_at=local("2026-11-23 10:00"), next_talk=date(2027, 11, 23), **settings)
        s.add(pair)
        s.flush()
        return pair.id


def parse(text: str) -> tuple[list[tuple[datetime, datetime]], list[Calendar]]:
    cal = Calendar.from_ical(text.encode())
    events = list(cal.walk("VEVENT"))
    meetings = [(e.decoded("dtstart"), e.decoded("dtend")) for e in events if "Måndagsmöte" in str(e["summary"])]
    talks = [e for e in events if "Utvecklingssamtal" in str(e["summary"])]
    return meetings, talks


def test_round_trips_and_never_meets_on_a_holiday(engine: Engine) -> None:
    pid = add_pair(engine)
    with db.transaction(db.make_session_factory(engine)) as s:
        text = ics_text(s, pid, FakeClock(local("2027-01-10 12:00")))
    meetings, talks = parse(text)
    days = [start.astimezone(STHLM).date() for start, _ in meetings]
    assert days[0] == date(2027, 1, 11) and days[-1] < date(2028, 1, 10)
    assert len(days) == 52 and len(set(days)) == 52
    for day in days:
        assert SWEDEN.is_working_day(day), day
        assert day == SWEDEN.first_working_day_of_week(day), day
    assert date(2027, 3, 29) not in days  # annandag påsk
    assert date(2027, 3, 30) in days  # the meeting moves to Tuesday
    assert sum(1 for d in days if d.weekday() == 0) == 51
    for start, end in meetings:
        local_start = start.astimezone(STHLM)
        assert (local_start.hour, local_start.minute) == (8, 0)  # also across the DST change on 28 March
        assert end - start == timedelta(hours=2)
    moved = Calendar.from_ical(text.encode())
    description = next(str(e["description"]) for e in moved.walk("VEVENT")
                       if e.decoded("dtstart").astimezone(STHLM).date() == date(2027, 3, 30))
    assert "Flyttat från måndag 2027-03-29 (annandag påsk)" in description
    (talk,) = talks
    assert talk.decoded("dtstart") == date(2027, 11, 23)
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Stockholm" in text


def test_own_day_off_and_agenda_time_are_respected(engine: Engine) -> None:
    pid = add_pair(engine, agenda_time_min=7 * 60 + 30)
    with db.transaction(db.make_session_factory(engine)) as s:
        s.add(DayOff(pair_id=pid, day=date(2027, 2, 1), note="studiedag"))
    with db.transaction(db.make_session_factory(engine)) as s:
        meetings, _ = parse(ics_text(s, pid, FakeClock(local("2027-01-25 09:00"))))
    starts = [start.astimezone(STHLM) for start, _ in meetings]
    assert starts[0] == datetime(2027, 1, 25, 7, 30, tzinfo=STHLM)
    assert starts[1] == datetime(2027, 2, 2, 7, 30, tzinfo=STHLM)


def test_cli_ics_writes_a_parsable_file(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = add_pair(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    out = io.StringIO()
    assert cli.main(["ics", "--pair", str(pid)], out=out, err=io.StringIO()) == 0
    meetings, talks = parse(out.getvalue())
    assert 51 <= len(meetings) <= 53
    assert all(SWEDEN.is_working_day(start.astimezone(STHLM).date()) for start, _ in meetings)
    assert all(start > datetime.now(UTC) - timedelta(days=7) for start, _ in meetings)
    assert len(talks) == 1
    err = io.StringIO()
    assert cli.main(["ics", "--pair", "999"], out=io.StringIO(), err=err) == 2
    assert "inget par med id 999" in err.getvalue()
