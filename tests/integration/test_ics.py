"""The calendar file: Monday meetings moved around holidays, the next talk, parsed back by icalendar."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import Engine

from bot import cli, db
from bot.adapters.holidays import swedish_calendar
from bot.cli import ics_text
from bot.clock import FakeClock
from bot.models import DayOff
from tests.support.english import swedish_left
from tests.support.world import STHLM, local, stored_pair

SWEDEN = swedish_calendar()


def add_pair(engine: Engine, **settings: object) -> int:
    with db.transaction(db.make_session_factory(engine)) as s:
        return stored_pair(s, created="2026-11-23 10:00", next_talk=date(2027, 11, 23), **settings).id


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
    description = next(
        str(e["description"]) for e in moved.walk("VEVENT") if e.decoded("dtstart").astimezone(STHLM).date() == date(2027, 3, 30)
    )
    assert "Flyttat från måndag 2027-03-29 (annandag påsk)" in description
    (talk,) = talks
    assert talk.decoded("dtstart") == date(2027, 11, 23)


def test_the_file_is_what_outlook_accepts(engine: Engine) -> None:
    pid = add_pair(engine)
    with db.transaction(db.make_session_factory(engine)) as s:
        text = ics_text(s, pid, FakeClock(local("2027-03-20 12:00")))
    data = text.encode("utf-8")
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in b"".join(lines)  # CRLF line ends only
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets, also with åäö
    assert lines[:2] == [b"BEGIN:VCALENDAR", b"VERSION:2.0"] and lines[2].startswith(b"PRODID:-//Samspel//")
    # Outlook misreads RDATE-only VTIMEZONE blocks: every time is UTC instead, and no TZID is left undeclared.
    assert b"TZID" not in data and b"VTIMEZONE" not in data
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len({str(e["uid"]) for e in events}) == len(events)
    for e in events:
        assert e.decoded("dtstamp") == local("2027-03-20 12:00")
        assert e["dtstamp"].to_ical().endswith(b"Z")
        if "Måndagsmöte" in str(e["summary"]):
            assert e["dtstart"].to_ical().endswith(b"Z") and e["dtend"].to_ical().endswith(b"Z")
    # Both sides of the DST change (28 March 2027) still start 08:00 in Stockholm.
    starts = sorted(e.decoded("dtstart") for e in events if "Måndagsmöte" in str(e["summary"]))
    assert [t.astimezone(STHLM).strftime("%d/%m %H:%M") for t in starts[:2]] == ["22/03 08:00", "30/03 08:00"]
    assert [t.astimezone(UTC).hour for t in starts[:2]] == [7, 6]


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


def test_cli_ics_and_rapport_as_of_a_date(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = add_pair(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    out = io.StringIO()
    assert cli.main(["ics", "--pair", str(pid), "--date", "2027-03-22"], out=out, err=io.StringIO()) == 0
    meetings, _ = parse(out.getvalue())
    days = [start.astimezone(STHLM).date() for start, _ in meetings]
    assert days[0] == date(2027, 3, 22) and date(2027, 3, 30) in days and date(2027, 3, 29) not in days
    report = io.StringIO()
    assert cli.main(["rapport", "--pair", str(pid), "--date", "2027-03-22"], out=report, err=io.StringIO()) == 0
    assert report.getvalue().startswith("# Året i siffror (2026-03-23 – 2027-03-22)")


@pytest.mark.usefixtures("english")
def test_ics_in_english(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = add_pair(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAMSPEL_LANGUAGE", "en")
    out = io.StringIO()
    assert cli.main(["ics", "--pair", str(pid), "--date", "2027-03-22"], out=out, err=io.StringIO()) == 0
    cal = Calendar.from_ical(out.getvalue().encode())
    assert str(cal["x-wr-calname"]) == "Samspel: KSO and KD"
    events = list(cal.walk("VEVENT"))
    for event in events:
        # The command's own words stay as they are typed.
        assert swedish_left(f"{event['summary']}\n{event['description']}", "/spelregler genomfört") == []
    meetings = {
        e.decoded("dtstart").astimezone(STHLM).date(): str(e["description"])
        for e in events
        if str(e["summary"]) == "Monday meeting, KSO and KD"
    }
    # Easter Monday 2027: the meeting moves to Tuesday and says why.
    assert meetings[date(2027, 3, 30)].startswith("Moved from Monday 2027-03-29 (Easter Monday). This week's meeting")
    (talk,) = [e for e in events if str(e["summary"]) == "Development talk, KSO and KD"]
    assert talk.decoded("dtstart") == date(2027, 11, 23)
    assert str(talk["description"]).endswith("Afterwards: /spelregler genomfört in Slack.")
    assert isinstance(talk.decoded("dtstamp"), datetime)
