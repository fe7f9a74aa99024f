"""Uppdrag rules over plain values: the statuses, overdue, who may do what, and reading `/uppdrag` text.

An uppdrag is open until the KD (or the KSO) marks it done; it is overdue once its local
deadline has passed. Only the KSO gives uppdrag and answers an oklart question; only the KD
asks one. Everything here is a value or a code: the presenters put it into words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.deadline import DeadlineError, WorkingDay, split

OPEN = "open"
DONE = "done"
KSO = "kso"
KD = "kd"

_NR = re.compile(r"#?(\d{1,9})")


@dataclass(frozen=True)
class Given:
    """The parsed `/uppdrag <text> [senast …]` (the text not yet checked for length)."""

    text: str
    deadline: date | None


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    return status == OPEN and deadline is not None and deadline < today


def days_late(deadline: date, today: date) -> int:
    return (today - deadline).days


def list_order(status: str, deadline: date | None, nr: int, today: date) -> tuple[bool, date, int]:
    """Sort key for open uppdrag: overdue first (oldest deadline first), then by deadline, then by number."""
    return (not is_overdue(status, deadline, today), deadline or date.max, nr)


def may_give(role: str) -> bool:
    return role == KSO


def may_ask(role: str) -> bool:
    """Raising an uncertainty ("Tar upp frågor där det råder osäkerhet i uppdraget") is the KD's."""
    return role == KD


def may_answer(role: str) -> bool:
    return role == KSO


def parse_nr(text: str) -> tuple[int, str] | None:
    """`'3 resten'` or `'#3 resten'` → (3, 'resten'); None without a number first."""
    first, _sep, rest = text.strip().partition(" ")
    match = _NR.fullmatch(first)
    if match is None:
        return None
    return int(match.group(1)), rest.strip()


def parse_give(text: str, today: date, is_working_day: WorkingDay) -> Given | DeadlineError:
    """The KSO's uppdrag text and its deadline, or why the deadline gives no date.

    `is_working_day` is the calendar of whoever does the work, for words such as `vecka 51`.
    """
    body, reading = split(text, today, is_working_day)
    if isinstance(reading, DeadlineError):
        return reading
    return Given(body, reading)
