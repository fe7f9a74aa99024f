"""Property tests: no text input crashes the uppdrag, deadline or ärende parsers.

Each parser either returns a well-formed result or raises UserError (a Swedish
sentence for the user); nothing else may escape. The same words through the real app:
tests/e2e/uppdrag/test_commands_property.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.holidays import swedish_calendar
from bot.domain import deadline as deadline_rules
from bot.domain.deadline import DeadlineError
from bot.errors import UserError
from bot.i18n import translator
from bot.presenters.deadline import explain
from bot.services.arende import parse_submission
from bot.services.uppdrag import parse_give as parse_give_on
from bot.services.uppdrag import parse_nr
from bot.text import MAX_TEXT
from tests.support.strategies import words

any_text = st.text(max_size=300) | words
SWEDEN = swedish_calendar().is_working_day


def parse_deadline(text: str, today: date) -> date:
    reading = deadline_rules.parse(text, today, SWEDEN)
    if isinstance(reading, DeadlineError):
        raise UserError(explain(reading, translator()))
    return reading


def split_deadline(text: str, today: date) -> tuple[str, date | None]:
    body, reading = deadline_rules.split(text, today, SWEDEN)
    if isinstance(reading, DeadlineError):
        raise UserError(explain(reading, translator()))
    return body, reading


def parse_give(text: str, today: date) -> object:
    return parse_give_on(text, today, SWEDEN)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(any_text, days)
def test_deadline_words_return_today_or_later_or_refuse(text: str, today: date) -> None:
    try:
        day = parse_deadline(text, today)
    except UserError as err:
        assert str(err)
        return
    assert today <= day <= today + timedelta(days=4000 * 365)


@given(any_text, days)
def test_uppdrag_grammar_never_crashes(text: str, today: date) -> None:
    try:
        body, deadline = split_deadline(text, today)
        parsed = parse_give(text, today)
    except UserError as err:
        assert str(err)
        return
    assert parsed.text == body and parsed.text.strip() and len(parsed.text) <= MAX_TEXT
    assert deadline is None or deadline >= today


@given(any_text)
def test_numbers_parse_or_refuse(text: str) -> None:
    try:
        nr, rest = parse_nr(text, "/uppdrag klart <nr>")
    except UserError:
        return
    assert nr >= 0 and rest == rest.strip()


@given(any_text, days)
def test_arende_grammar_never_crashes(text: str, today: date) -> None:
    try:
        sub = parse_submission(text, today)
    except UserError as err:
        assert str(err)
        return
    assert sub.titel.strip() and len(sub.titel) <= MAX_TEXT
    assert sub.ks_meeting is None or sub.ks_meeting >= today
    assert sub.link is None or (sub.link and not sub.link.startswith("<"))


def test_repeated_keywords_are_handled() -> None:
    """Long repetitions of the keywords (worst cases for the regexes) still get an answer."""
    today = date(2026, 11, 23)
    for text in ("senast " * 1500, "a senast" * 375, "ks " * 1000 + "2026-", "KS 2026/" * 375):
        for parse in (parse_give, parse_submission):
            try:
                result = parse(text, today)
            except UserError as err:
                assert str(err)
            else:
                assert result is not None
