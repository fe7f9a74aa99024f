"""Ärende rules over plain values: statuses, decisions, who may do what, and reading `/arende` text.

A case waits for the KSO (`vantar`) until it is decided once: to KS (`till_ks`) or back for
more beredning (`ater`). A case sent back can be handed over again under its number.
Everything here is a value or a code: the presenters put it into words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

VANTAR = "vantar"
TILL_KS = "till_ks"
ATER = "ater"
DECISIONS = (TILL_KS, ATER)
# The order of `/arende lista`: waiting, sent to KS, returned for beredning.
LIST_ORDER = (VANTAR, TILL_KS, ATER)
MAX_LINK = 500
RESUBMIT_WORDS = ("åter", "ater")

# `ks 2026-12-08` at the end: the KS meeting the case is meant for.
_KS = re.compile(r"(?:^|\s)[Kk][Ss]\s+(?P<day>\d{4}-\d{1,2}-\d{1,2})\s*$")
# A link at the end: a Slack-formatted or bare URL, `dnr …`, or a diarienummer like `KS 2026/123`.
_LINK = re.compile(
    r"(?:^|\s)(?P<link><https?://[^>\s|]+(?:\|[^>]*)?>|https?://\S+|[Dd][Nn][Rr]:?\s*\S+"
    r"|[A-ZÅÄÖ]{1,6}[ -]?\d{4}[/-]\d+(?:[-.:/]\d+)*|\d{4}/\d+(?:[-.:/]\d+)*)\s*$"
)
_SLACK_URL = re.compile(r"<(https?://[^>\s|]+)(?:\|[^>]*)?>")

SubmissionProblem = Literal["bad_ks_date", "ks_past", "empty_title", "bad_link"]


@dataclass(frozen=True)
class Submission:
    """The parsed `/arende <titel> [dnr eller länk] [ks ÅÅÅÅ-MM-DD]` (the title not yet checked for length)."""

    titel: str
    link: str | None
    ks_meeting: date | None


@dataclass(frozen=True)
class SubmissionError:
    """Why the KD's text is not a case: `day` is the KS date as typed (bad_ks_date) or meant (ks_past)."""

    kind: SubmissionProblem
    day: str = ""


def may_submit(role: str) -> bool:
    return role == "kd"


def may_decide(role: str) -> bool:
    return role == "kso"


def is_resubmission(verb: str, rest: str) -> bool:
    """`/arende åter 3 …` resubmits case #3; a title that merely starts with "Åter" is a new case."""
    return verb in RESUBMIT_WORDS and (not rest or rest.split()[0].lstrip("#").isdigit())


def parse_resubmission(text: str) -> tuple[int, str] | None:
    """`'3 Kompletterat'` or `'#3 Kompletterat'` → (3, 'Kompletterat'); None without a number first."""
    first, _sep, note = text.strip().partition(" ")
    nr_text = first.lstrip("#")
    if not nr_text.isdigit():
        return None
    return int(nr_text), note.strip()


def parse_submission(text: str, today: date, url_ok: Callable[[str], bool]) -> Submission | SubmissionError:
    """Split the KD's text into title, link and KS meeting; `url_ok` says whether an http(s) link is usable."""
    rest = text.strip()
    ks_meeting = None
    ks = _KS.search(rest)
    if ks:
        try:
            ks_meeting = date.fromisoformat(ks.group("day"))
        except ValueError:
            return SubmissionError("bad_ks_date", ks.group("day")[:20])
        if ks_meeting < today:
            return SubmissionError("ks_past", ks_meeting.isoformat())
        rest = rest[: ks.start()].strip()
    link = None
    found = _LINK.search(rest)
    if found and found.start("link") == 0:
        return SubmissionError("empty_title")
    if found:
        raw = found.group("link")
        url = _SLACK_URL.fullmatch(raw)
        link = url.group(1) if url else raw
        if link.lower().startswith(("http://", "https://")) and not url_ok(link):
            return SubmissionError("bad_link")
        rest = rest[: found.start()].strip()
    return Submission(rest, link, ks_meeting)


def passed_stopptid(stopptid: date | None, ks_meeting: date | None, today: date) -> bool:
    """A Till KS after the case's stopptid misses its meeting (deciding on the stopptid day itself still reaches it)."""
    return stopptid is not None and ks_meeting is not None and today > stopptid
