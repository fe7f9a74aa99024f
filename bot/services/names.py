"""People by name: Slack's `users.info`, cached in `user_names` so exports need not ask every time.

The Slack id stays the key in every table; a name is only for people reading an export.
The lookup is a plain function, so the CLI can hand in a WebClient built from the settings
and a test (or an offline run) can hand in none: then the cache alone answers, and a person
without a cached name is shown by id.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import UserError
from bot.i18n import N_
from bot.models import UserName
from bot.text import mentioned_users

log = logging.getLogger(__name__)

Lookup = Callable[[str], str | None]
# A name is asked again after this long: people change names (marriage, a typo fixed) now and then.
MAX_AGE = timedelta(days=30)
# What an erased person is replaced with (see bot.services.erase); never looked up.
ERASED_PREFIX = "raderad"
_USER_ID = re.compile(r"^[UW][A-Z0-9]{5,31}$")


def check_user_id(user_id: str) -> str:
    """A Slack user id as people paste it (`U123…`, `<@U123|namn>`, lower case), or a one-line refusal."""
    found = mentioned_users(user_id)
    candidate = (found[0] if found else user_id.strip()).upper()
    if not _USER_ID.match(candidate):
        raise UserError(
            N_("{text!r} är inget Slack-id för en person: skriv det som U0123ABCD (profilen i Slack → ⋮ → Kopiera medlems-id)."),
            text=user_id,
        )
    return candidate


def is_erased(user_id: str) -> bool:
    return user_id.startswith(ERASED_PREFIX)


class Names:
    """Names for Slack ids within one session: cached rows, refreshed through `lookup` when old or missing.

    `erased_name` is what an erased person is shown as, in the reader's language
    (`bot.presenters.names.erased_person`).
    """

    def __init__(
        self, session: Session, now: datetime, lookup: Lookup | None = None, *, erased_name: str, max_age: timedelta = MAX_AGE
    ) -> None:
        self.session = session
        self.erased_name = erased_name
        self.now = now
        self.lookup = lookup
        self.max_age = max_age
        self._known: dict[str, str | None] = {}

    def load(self, user_ids: Iterable[str | None]) -> None:
        """Fetch many at once: one query for the cache, one `users.info` per missing or stale name."""
        wanted = {u for u in user_ids if u and u not in self._known and not is_erased(u)}
        if not wanted:
            return
        rows = {r.user_id: r for r in self.session.scalars(select(UserName).where(UserName.user_id.in_(wanted)))}
        for user_id in sorted(wanted):
            row = rows.get(user_id)
            fresh = row is not None and self.now - row.fetched_at < self.max_age
            name = row.name if row is not None else None
            if not fresh and self.lookup is not None:
                looked_up = self.lookup(user_id)
                if looked_up:
                    name = looked_up
                    if row is None:
                        self.session.add(UserName(user_id=user_id, name=name, fetched_at=self.now))
                    else:
                        row.name, row.fetched_at = name, self.now
            self._known[user_id] = name

    def name(self, user_id: str | None) -> str:
        """The person's name; the id itself when no name is known; '' for nobody."""
        if not user_id:
            return ""
        if is_erased(user_id):
            return self.erased_name
        if user_id not in self._known:
            self.load([user_id])
        return self._known.get(user_id) or user_id
