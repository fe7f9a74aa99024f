"""People, whichever pairs they are in: their language, their first welcome, their calendar token.

A person's language is their own choice (`/samspel språk`), else what Slack's `users.info`
locale says, else the deployment's default (SAMSPEL_LANGUAGE, which each session carries:
`default_language`). What both members of a pair see (the channel, the agenda, the rådsmöte
post) is in the pair's language: set for the pair, else the KSO's. Projections word each row
with `translator_for` (a DM, an ephemeral, a Home tab) or `pair_translator` (a channel post).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import DEFAULT_LANGUAGE, SessionFactory, SessionScope, reading, rowcount
from bot.domain.events import LanguageChosen
from bot.errors import UserError
from bot.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, Translator, language_of_locale, translator
from bot.models import Pair, Person
from bot.services import audit
from bot.services.unit_of_work import emit

# A locale lookup: user id → Slack's locale ("en-US"), "" when Slack has none, None when Slack could not be asked.
LocaleLookup = Callable[[str], "str | None"]

LANGUAGE_USAGE = N_("Skriv `/samspel språk sv`, `/samspel språk en` eller `/samspel språk auto` (som din Slack).")
PAIR_LANGUAGE_USAGE = N_("Skriv `/samspel språk par sv`, `/samspel språk par en` eller `/samspel språk par auto` (som KSO:ns).")


def person(session: Session, user_id: str, now: datetime, locale: LocaleLookup | None = None) -> Person:
    """The person's row, created on first contact (asking Slack for the locale once, if a lookup is given)."""
    found = session.get(Person, user_id)
    if found is not None:
        if _asks_slack_again(found, locale):
            assert locale is not None
            found.slack_locale = locale(user_id)
        return found
    row = Person(user_id=user_id, created_at=now, slack_locale=locale(user_id) if locale else None)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Two first requests at once: the other one created it.
        existing = session.get(Person, user_id)
        if existing is None:
            raise
        return existing
    return row


def _asks_slack_again(row: Person, locale: LocaleLookup | None) -> bool:
    """As `person` does: Slack could not be asked last time (None; "" means it has no locale) and can be now."""
    return row.slack_locale is None and row.language is None and locale is not None


def _own_language(row: Person) -> str | None:
    return row.language or language_of_locale(row.slack_locale, "") or None


def language_of(session: Session, user_id: str, default: str) -> str:
    """The language `user_id` reads: their choice, else Slack's locale, else `default`."""
    row = session.get(Person, user_id)
    if row is None:
        return default
    return row.language or language_of_locale(row.slack_locale, default)


def pair_language(session: Session, pair: Pair, default: str) -> str:
    """The language of what both members see: the pair's own, else the KSO's."""
    return pair.language or language_of(session, pair.kso_user, default)


def default_language(session: Session) -> str:
    """The deployment's default language (SAMSPEL_LANGUAGE), as the session factory was made with it."""
    language = session.info.get(DEFAULT_LANGUAGE)
    return language if isinstance(language, str) and language in LANGUAGES else SOURCE_LANGUAGE


def translator_for(session: Session, user_id: str) -> Translator:
    """The translator for what `user_id` alone receives: a DM, an ephemeral, their Home tab."""
    return translator(language_of(session, user_id, default_language(session)))


def pair_translator(session: Session, pair: Pair) -> Translator:
    """The translator for what both members see: the pair channel, the agenda, the rådsmöte post."""
    return translator(pair_language(session, pair, default_language(session)))


@dataclass(frozen=True)
class LanguageSet:
    language: str
    # True when the person chose Slack's default again (`/samspel språk auto`).
    follows_slack: bool


def set_language(session: Session, user_id: str, text: str, now: datetime, default: str) -> LanguageSet:
    """`/samspel språk sv|en|auto`: the caller's own language (auto: follow Slack again)."""
    choice = text.strip().lower()
    if choice not in (*LANGUAGES, "auto"):
        raise UserError(LANGUAGE_USAGE)
    row = person(session, user_id, now)
    row.language = None if choice == "auto" else choice
    # The Home tab is worded when it is sent: a fresh one speaks the new language.
    emit(session, LanguageChosen(at=now, user=user_id))
    return LanguageSet(language=language_of(session, user_id, default), follows_slack=choice == "auto")


@dataclass(frozen=True)
class PairLanguageSet:
    language: str
    # True when the pair follows the KSO's language again (`/samspel språk par auto`).
    follows_kso: bool


def set_pair_language(session: Session, pair: Pair, actor: str, text: str, now: datetime, default: str) -> PairLanguageSet:
    """`/samspel språk par sv|en|auto`: the language of what both members see (auto: the KSO's again)."""
    choice = text.strip().lower()
    if choice not in (*LANGUAGES, "auto"):
        raise UserError(PAIR_LANGUAGE_USAGE)
    before = {"language": pair.language}
    pair.language = None if choice == "auto" else choice
    audit.record(
        session,
        pair_id=pair.id,
        actor=actor,
        action="språk",
        entity="pair",
        entity_id=pair.id,
        at=now,
        before=before,
        after={"language": pair.language},
    )
    return PairLanguageSet(language=pair_language(session, pair, default), follows_kso=pair.language is None)


def welcome_once(session: Session, user_id: str, now: datetime) -> bool:
    """True exactly once per person: the first time they open App Home."""
    person(session, user_id, now)
    # Conditional, so of two first opens at once (two tabs, two processes) only one welcomes.
    won = session.execute(update(Person).where(Person.user_id == user_id, Person.welcomed_at.is_(None)).values(welcomed_at=now))
    return rowcount(won) == 1


def calendar_token(session: Session, user_id: str, now: datetime, *, renew: bool = False) -> str:
    """The person's calendar secret, made on first use; `renew` replaces it (the old URL stops working)."""
    row = person(session, user_id, now)
    if row.calendar_token is None or renew:
        row.calendar_token, row.calendar_token_at = secrets.token_urlsafe(32), now
    return row.calendar_token


def by_calendar_token(session: Session, token: str) -> Person | None:
    if not token:
        return None
    return session.scalars(select(Person).where(Person.calendar_token == token)).first()


class LanguageBook:
    """Who reads which language, remembered for a minute so a request's ack does not wait on the database.

    Two processes may disagree for up to `ttl` after `/samspel språk`; the process that took
    the command forgets its entry at once.
    """

    def __init__(
        self, sessions: SessionFactory, uow: SessionScope, clock: Clock, default: str = SOURCE_LANGUAGE, ttl: float = 60.0
    ) -> None:
        # `default`: the deployment's (SAMSPEL_LANGUAGE), for whoever has no language of their own.
        if default not in LANGUAGES:
            raise ValueError(default)
        self._sessions, self._uow, self._clock, self.default, self._ttl = sessions, uow, clock, default, ttl
        self._known: dict[str, tuple[str | None, datetime]] = {}
        self._lock = threading.Lock()

    def language(self, user_id: str, locale: LocaleLookup | None = None) -> str:
        now = self._clock.now()
        with self._lock:
            known = self._known.get(user_id)
        if known is None or (now - known[1]).total_seconds() >= self._ttl:
            known = (self._own(user_id, now, locale), now)
            with self._lock:
                self._known[user_id] = known
        return known[0] or self.default

    def _own(self, user_id: str, now: datetime, locale: LocaleLookup | None) -> str | None:
        """The person's own language, or None for "whatever the default is then"; their row is made on first contact."""
        # A read first: for someone Samspel knows (every cache miss after their first request) that is all it takes.
        with reading(self._sessions) as session:
            row = session.get(Person, user_id)
            if row is not None and not _asks_slack_again(row, locale):
                return _own_language(row)
        # Slack is asked before the unit of work begins, so no transaction (on SQLite: no writer) waits for users.info.
        asked = locale(user_id) if locale is not None else None
        with self._uow() as session:
            return _own_language(person(session, user_id, now, (lambda _user: asked) if locale is not None else None))

    def translator(self, user_id: str | None, locale: LocaleLookup | None = None) -> Translator:
        return translator(self.language(user_id, locale) if user_id else self.default)

    def forget(self, user_id: str) -> None:
        with self._lock:
            self._known.pop(user_id, None)
