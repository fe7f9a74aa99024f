"""The calendar file follows what the pair changes in Slack: a moved talk or meeting is the same event, updated."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import Engine

from bot import db
from bot.cli import ics_text
from bot.clock import FakeClock
from tests.support.world import World, local


def uids(engine: Engine, pid: int, when: str) -> dict[str, tuple[str, int]]:
    with db.transaction(db.make_session_factory(engine)) as s:
        cal = Calendar.from_ical(ics_text(s, pid, FakeClock(local(when))).encode())
    return {str(e["summary"])[:4] + e.decoded("dtstart").isoformat()[:10]: (str(e["uid"]), int(e["sequence"])) for e in cal.walk("VEVENT")}


def test_a_moved_talk_or_meeting_updates_the_event_on_reimport(paired: World) -> None:
    pid = 1  # the pair the signed `/samspel koppla` made
    engine = paired.bot.deps.sessions.kw["bind"]
    before = uids(engine, pid, "2026-11-23 12:00")
    ((talk_uid, talk_seq),) = [v for k, v in before.items() if k.startswith("Utve")]
    paired.command("/samspel", "utvecklingssamtal 2027-12-01")
    paired.command("/samspel", "agendatid 09:00")
    after = uids(engine, pid, "2026-11-23 12:05")
    assert [v for k, v in after.items() if k.startswith("Utve")] == [(talk_uid, talk_seq + 1)]
    assert "Utve2027-12-01" in after
    meeting_before = next(v for k, v in before.items() if k.startswith("Månd"))
    meeting_after = next(v for k, v in after.items() if k.startswith("Månd"))
    assert meeting_after == (meeting_before[0], meeting_before[1] + 1)

    # Once the talk is held, next year's talk is a new event, not an update of the one held.
    paired.at("2027-12-01 10:00")
    paired.command("/spelregler", "genomfört")
    ((next_uid, _),) = [v for k, v in uids(engine, pid, "2027-12-01 10:05").items() if k.startswith("Utve")]
    assert next_uid != talk_uid
