"""Refusals whose sentence names a marked word (a noun, a day-off reason) translated along with it.

`UserError` fills its fields in as they are; here some fields are themselves Swedish source
words, so the edge's `render(t)` translates them too and no service has to know the language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.text import MAX_TEXT, fmt_when


class Refusal(UserError):
    """A `UserError` whose `terms` (marked Swedish words) are translated, and `moments` (an instant and its
    time zone) written out, when it is shown."""

    def __init__(
        self,
        text: str,
        /,
        *,
        terms: dict[str, str] | None = None,
        moments: dict[str, tuple[datetime | None, str]] | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(text, **fields)
        self.terms = terms or {}
        self.moments = moments or {}

    def render(self, t: Translator) -> str:
        words = {name: t(word) for name, word in self.terms.items()}
        times = {name: fmt_when(at, tz, t) if at else "" for name, (at, tz) in self.moments.items()}
        return t(self.text).format(**self.fields, **words, **times)


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
