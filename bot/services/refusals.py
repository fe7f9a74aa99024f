"""Refusals whose sentence names a marked word (a noun), an instant or a day-off reason, worded along with it.

`UserError` fills its fields in as they are; here some fields are Swedish source words, times
or codes, so the edge's `render(t)` words them in the reader's language and no service has to
know it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.text import MAX_TEXT, fmt_when, reason_words


class Refusal(UserError):
    """A `UserError` whose `terms` (marked Swedish words) are translated, `moments` (an instant and its
    time zone) written out, and `days_off` (a day-off code of bot.domain.calendar and the holiday's name
    as the holidays package gives it) named, when it is shown."""

    def __init__(
        self,
        text: str,
        /,
        *,
        terms: dict[str, str] | None = None,
        moments: dict[str, tuple[datetime | None, str]] | None = None,
        days_off: dict[str, tuple[str, str | None]] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(text, **fields)
        self.terms = terms or {}
        self.moments = moments or {}
        self.days_off = days_off or {}

    def render(self, t: Translator) -> str:
        words = {name: t(word) for name, word in self.terms.items()}
        times = {name: fmt_when(at, tz, t) if at else "" for name, (at, tz) in self.moments.items()}
        reasons = {name: reason_words(code, holiday, t) for name, (code, holiday) in self.days_off.items()}
        return t(self.text).format(**self.fields, **words, **times, **reasons)


def require_text(text: str, what: str = "Texten") -> None:
    """Refuse empty or too long text; `what` is a Swedish noun from `bot.text.LENGTH_NOUNS`."""
    # Neuter nouns ("Uppdraget", "Svaret") take the -t form of the adjective.
    neuter = what.endswith("et")
    if not text.strip():
        empty = N_("{what} är tomt: skriv något efter kommandot.") if neuter else N_("{what} är tom: skriv något efter kommandot.")
        raise Refusal(empty, terms={"what": what})
    if len(text) > MAX_TEXT:
        long = (
            N_("{what} är för långt ({n} tecken): högst {max} tecken går att skicka.")
            if neuter
            else N_("{what} är för lång ({n} tecken): högst {max} tecken går att skicka.")
        )
        raise Refusal(long, terms={"what": what}, n=len(text), max=MAX_TEXT)
