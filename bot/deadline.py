"""Swedish deadline words, as people type them after `senast`.

A deadline (sista dag) is a local date of the pair. Accepted forms, relative to
`today` (the pair's local date from the injected clock):

- `ÅÅÅÅ-MM-DD`
- `idag`/`i dag`, `imorgon`/`i morgon`, `övermorgon`
- a weekday name (`fredag`, `mån` …): the next such day after today, so on a
  Friday `fredag` means next week's Friday (today is `idag`)
- `nästa <veckodag>`: that weekday in next week
- `nästa vecka`: the Friday of next week (the end of its working week)

A past date, or anything else, is a `UserError`: nothing is stored.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.errors import UserError
from bot.i18n import _

_WEEKDAYS = {
    "måndag": 0, "mån": 0, "tisdag": 1, "tis": 1, "onsdag": 2, "ons": 2, "torsdag": 3, "tor": 3, "tors": 3,
    "fredag": 4, "fre": 4, "lördag": 5, "lör": 5, "söndag": 6, "sön": 6,
}
_RELATIVE = {"idag": 0, "i dag": 0, "imorgon": 1, "i morgon": 1, "övermorgon": 2, "i övermorgon": 2}
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# Greedy body: the last `senast` is the deadline ("… senast inkomna … senast fredag").
_SENAST = re.compile(r"^(?P<body>.*?)(?:^|\s)senast(?:\s+(?P<when>(?:(?!\ssenast(?:\s|$)).)*))?\s*$", re.IGNORECASE | re.DOTALL)

MAX_AHEAD = timedelta(days=10 * 366)


def forms() -> str:
    """The accepted deadline forms, for refusals (the words themselves stay Swedish)."""
    return _("`senast ÅÅÅÅ-MM-DD`, `idag`, `imorgon`, `fredag` (eller annan veckodag), `nästa fredag` eller `nästa vecka`")


def parse_deadline(word: str, today: date) -> date:
    """The date meant by a deadline word; a `UserError` for the past or the unknown."""
    text = " ".join(word.lower().split()).rstrip(".!")
    day = _parse(text, today)
    if day is None:
        shown = word.strip()[:40]
        raise UserError(_("Förstår inte deadlinen {shown!r}. Skriv t.ex. {forms}.").format(shown=shown, forms=forms()))
    if day < today:
        raise UserError(_("Deadlinen {day} har redan varit: välj idag eller ett senare datum.").format(day=day.isoformat()))
    if day > today + MAX_AHEAD:
        # Almost certainly a typo (2207 for 2027), which would never show as overdue.
        raise UserError(_("Deadlinen {day} ligger mer än tio år fram: kontrollera årtalet.").format(day=day.isoformat()))
    return day


def _parse(text: str, today: date) -> date | None:
    if _ISO.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    if text in _WEEKDAYS:
        ahead = (_WEEKDAYS[text] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if text.startswith("nästa "):
        rest = text.removeprefix("nästa ").strip()
        next_monday = today + timedelta(days=7 - today.weekday())
        if rest == "vecka":
            return next_monday + timedelta(days=4)
        if rest in _WEEKDAYS:
            return next_monday + timedelta(days=_WEEKDAYS[rest])
    return None


def split_deadline(text: str, today: date) -> tuple[str, date | None]:
    """`'<text> senast <ord>'` → (text, date); without `senast`, (text, None)."""
    match = _SENAST.match(text)
    if match is None:
        return text.strip(), None
    when = match.group("when")
    if not when:
        raise UserError(_("Skriv vilken dag efter `senast`, t.ex. {forms}.").format(forms=forms()))
    return match.group("body").strip(), parse_deadline(when, today)
