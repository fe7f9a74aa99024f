"""The meeting plan's pure rules (bot/domain/agenda.py) and the agenda's plurals, without a database."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.adapters.holidays import swedish_calendar
from bot.domain import agenda as plan
from bot.domain.ks_calendar import Flag
from bot.i18n import translator
from bot.presenters.agenda import MRKDWN, moved_note, stopptid_flag

STHLM = ZoneInfo("Europe/Stockholm")
CAL = swedish_calendar()


def test_easter_monday_moves_the_meeting_to_tuesday_and_says_why() -> None:
    meeting = plan.meeting_of_week(CAL, date(2027, 3, 29), 8 * 60)
    assert meeting is not None and meeting.day == date(2027, 3, 30)
    assert meeting.moved_reason == plan.MOVED_HOLIDAY
    assert meeting.post_at == datetime(2027, 3, 30, 8, 0, tzinfo=STHLM)
    assert moved_note(meeting, translator("sv")) == "Mötet flyttas från måndag till tisdag 30 mars: måndagen är ledig (annandag påsk)."
    assert "(Easter Monday)" in (moved_note(meeting, translator("en")) or "")


def test_an_own_day_off_on_monday_is_a_code_not_a_sentence() -> None:
    cal = swedish_calendar(extra_days_off=frozenset({date(2026, 11, 30)}))
    meeting = plan.meeting_of_week(cal, date(2026, 11, 30), 8 * 60)
    assert meeting is not None and meeting.moved_reason == plan.MOVED_OWN_DAY_OFF
    assert (moved_note(meeting, translator("en")) or "").endswith("(one of your own days off).")


def test_agenda_the_working_day_before_and_the_week_key() -> None:
    meeting = plan.meeting_of_week(CAL, date(2026, 12, 2), 15 * 60, days_before=1)
    assert meeting is not None and meeting.day == date(2026, 11, 30)
    assert meeting.post_at == datetime(2026, 11, 27, 15, 0, tzinfo=STHLM)
    assert meeting.start == datetime(2026, 11, 30, 8, 0, tzinfo=STHLM)
    [last, this, following] = plan.plan_agenda(7, CAL, datetime(2026, 11, 30, 9, 0, tzinfo=STHLM), 8 * 60)
    assert this.key == "agenda:7:2026-W49" and plan.key_prefix(this.key) == "agenda:7:"
    assert not this.is_late(this.at) and this.is_late(this.at + plan.LATE_GRACE)


def test_points_lines_and_chunks() -> None:
    assert plan.split_point("+ prio Budgeten") == ("prio", "Budgeten")
    assert plan.point_type("Olosta") == "olöst" and plan.point_type("annat") is None
    assert plan.weeks_carried(date(2026, 11, 27), date(2026, 11, 30)) == 1
    assert plan.pack_lines(["a" * 5, "b" * 5, "c" * 20], 11) == ["aaaaa\nbbbbb", "c" * 10 + "…"]
    units = [[{"n": i}] for i in range(5)]
    messages = plan.chunk_messages([{"h": 0}], units, lambda part: {"cont": part}, max_blocks=3)
    assert messages == [[{"h": 0}, {"n": 0}, {"n": 1}], [{"cont": 2}, {"n": 2}, {"n": 3}], [{"cont": 3}, {"n": 4}]]


def test_the_stopptid_flag_counts_in_both_languages() -> None:
    sv, en = translator("sv"), translator("en")
    assert stopptid_flag(Flag(passed=False, working_days_left=1), MRKDWN, sv) == [":warning: *1 arbetsdag kvar till stopptiden*"]
    assert stopptid_flag(Flag(passed=False, working_days_left=2), MRKDWN, en) == [":warning: *2 working days left to the cut-off*"]
    assert stopptid_flag(None, MRKDWN, sv) == []
