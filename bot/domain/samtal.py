"""The yearly utvecklingssamtal as a schedule: which reminder is due when, and when the next talk is.

Schedule for a talk on day D (local dates, each due at the start of the pair's working day
and delivered under the respekt rule, so one that falls on a weekend or holiday arrives at
the next working start):

- D − 28 and D − 7: a DM to the KSO and the KD ("4v", "1v");
- D − 14: the material (the year in figures and the current spelregler) in the pair channel;
- D: a DM on the day ("dag");
- D + 7, D + 14, …: a weekly DM while the talk is not recorded ("vecka1", "vecka2", …).

Only the newest reminder that has fallen due is sent (`current_reminder`): after downtime, or
when the date is set at short notice, the pair gets one up-to-date reminder, not a backlog.
Pure: the calendar comes in as functions (`due_at`, `is_working_day`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

BEFORE = (("4v", 28), ("1v", 7))
MATERIAL_DAYS = 14
MATERIAL = "underlag"
MOVED = "flyttat"
RECORD_AGAIN_AFTER = timedelta(days=30)
# A year on may be a weekend or holiday: the talk moves to the next working day, within two weeks.
_SEARCH_DAYS = 14


@dataclass(frozen=True)
class Reminder:
    """One DM reminder to both members: `kind` and the local day it falls due."""

    kind: str
    day: date


def reminders(talk: date, *, through: date) -> list[Reminder]:
    """Every DM reminder for a talk on `talk`, in order, up to and including `through`."""
    out = [Reminder(kind, talk - timedelta(days=days)) for kind, days in BEFORE]
    out.append(Reminder("dag", talk))
    week = 1
    while talk + timedelta(weeks=week) <= through:
        out.append(Reminder(f"vecka{week}", talk + timedelta(weeks=week)))
        week += 1
    return [r for r in out if r.day <= through]


def key(pair_id: int, talk: date, kind: str) -> str:
    """The job-run key that makes each message of a talk go out once: `samtal:{pair}:{D}:{kind}`."""
    return f"samtal:{pair_id}:{talk.isoformat()}:{kind}"


def key_date(dedupe_key: str) -> date:
    """The talk date a `key` (or an outbox dedupe key that starts with one) names."""
    return date.fromisoformat(dedupe_key.split(":")[2])


def key_stem(dedupe_key: str) -> str:
    """The job-run key an outbox dedupe key starts with (`samtal:{pair}:{D}:{kind}`)."""
    return ":".join(dedupe_key.split(":")[:4])


def material_day(talk: date) -> date:
    return talk - timedelta(days=MATERIAL_DAYS)


def current_reminder(talk: date, today: date, now: datetime, due_at: Callable[[date], datetime]) -> Reminder | None:
    """The newest reminder that has fallen due at `now` (`today` is its local date), or None before the first."""
    due = [r for r in reminders(talk, through=today) if due_at(r.day) <= now]
    return due[-1] if due else None


def days_until(talk: date, on: date) -> int:
    """Days from `on` to the talk: negative once it is past."""
    return (talk - on).days


def material_sent_by(talk: date, on: date) -> bool:
    """Whether the material is in the channel by `on` (reminders before that say when it comes)."""
    return on >= material_day(talk)


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def next_talk(planned: date | None, today: date, is_working_day: Callable[[date], bool]) -> date:
    """The talk after one held `today`.

    Held on time or early: one year after the planned date (keeps the rhythm).
    Held late: one year after the day it was held, so the talks stay a year apart.
    """
    day = _year_after(max(planned, today) if planned is not None else today)
    for _attempt in range(_SEARCH_DAYS):
        if is_working_day(day):
            break
        day += timedelta(days=1)
    return day
