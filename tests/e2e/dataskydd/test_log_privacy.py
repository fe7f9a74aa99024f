"""No log line, at any level, holds what people wrote or a secret: not in normal use, not when Slack or the database fails.

Every logger is captured at DEBUG while a scenario runs through the real Bolt app: a pair,
uppdrag, a question and its answer in a modal, messages held and sent, the Home tab, a
message shortcut, Slack failing a send, an unsigned request, and finally the database
failing under a command. Then no record's message or traceback may contain any of it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from urllib.parse import parse_qsl, quote_plus

import pytest
from sqlalchemy import Engine, select, text

from bot.clock import FakeClock
from bot.manifest import SHORTCUT_CALLBACK
from bot.models import Uppdrag, UppdragFraga
from handlers.ids import MEDDELA_MODAL as MODAL_CALLBACK
from handlers.ids import MEDDELA_TEXT as TEXT_BLOCK
from tests.support.signing import SIGNING_SECRET, SlackDriver, command_body, ephemeral_text
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, KSO, World, couple, local, make_bot

UPPDRAG = "Utred nedläggningen av Skogsskolan i Bäckby"
QUESTION = "Ska föräldrarådet i Bäckby höras först"
ANSWER = "Ja, föräldrarådet i Bäckby ska höras"
HELD = "Jag funderar på att säga upp mig efter budgeten"
SHORTCUT_TEXT = "Vidarebefordrat: rektorns oro för Skogsskolan"
UNSIGNED = "Falsk begäran om Skogsskolans elevregister"
WHEN_DB_FAILS = "Hemlig utredning om Bäckby som inte sparas"
SECRETS = (UPPDRAG, QUESTION, ANSWER, HELD, SHORTCUT_TEXT, UNSIGNED, WHEN_DB_FAILS, "xoxb-test", SIGNING_SECRET)
FORMATTER = logging.Formatter()
REFUSE_WRITES = {
    # A trigger that reaches a table which is not there: an OperationalError at the INSERT itself.
    "sqlite": ["CREATE TRIGGER refuse BEFORE INSERT ON uppdrag BEGIN INSERT INTO the_disk_is_full VALUES (1); END"],
    "postgresql": [
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk I/O error'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse BEFORE INSERT ON uppdrag FOR EACH ROW EXECUTE FUNCTION refuse()",
    ],
}


@pytest.fixture
def every_record(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    # The root logger at DEBUG, before the app exists: Bolt copies the root level into its loggers when made.
    caplog.set_level(logging.DEBUG)
    yield caplog


@pytest.fixture
def world_on(every_record: pytest.LogCaptureFixture, slack: SlackServer, any_engine: Engine, clock: FakeClock) -> World:
    bot = make_bot(slack, any_engine, clock)
    return World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))


def _forms(secret: str) -> set[str]:
    """The words as they would appear in a log line: as typed, JSON-escaped, URL-encoded, and their longest word."""
    return {secret, json.dumps(secret)[1:-1], quote_plus(secret), max(secret.split(), key=len)}


def _words(record: logging.LogRecord) -> str:
    parts = [record.getMessage()]
    if record.exc_info:
        parts.append(FORMATTER.formatException(record.exc_info))
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


def test_no_log_record_holds_what_people_wrote(world_on: World, every_record: pytest.LogCaptureFixture) -> None:
    w = world_on
    couple(w)
    assert "Uppdrag #1" in ephemeral_text(w.command("/uppdrag", f"{UPPDRAG} senast fredag"))
    w.command("/uppdrag", f"oklart 1 {QUESTION}", user=KD)
    w.command("/uppdrag", "lista", user=KD)
    w.deliver()
    with w.sessions() as s:
        question = s.scalars(select(UppdragFraga.id)).one()
    w.driver.submit(
        "uppdrag_svar", {"svar": {"svar": {"type": "plain_text_input", "value": ANSWER}}}, user=KSO, private_metadata=str(question)
    )
    # Saturday: held until Monday, listed, then sent when Monday comes.
    w.at("2026-11-28 10:00")
    assert "hålls" in ephemeral_text(w.command("/meddela", HELD)).lower()
    w.command("/meddela", "lista")
    w.driver.shortcut(SHORTCUT_CALLBACK, user=KSO, channel=CHANNEL, message_text=SHORTCUT_TEXT)
    w.driver.submit(
        MODAL_CALLBACK,
        {TEXT_BLOCK: {TEXT_BLOCK: {"type": "plain_text_input", "value": SHORTCUT_TEXT}}},
        user=KSO,
        private_metadata=json.dumps({"channel": CHANNEL, "origin_user": KD}),
    )
    w.driver.event({"type": "app_home_opened", "user": KD, "channel": "D0HOME", "tab": "home", "event_ts": "1.0"})
    w.at("2026-11-30 08:00")
    w.slack.fail_next("chat.postMessage", "500")
    w.slack.fail_next("views.publish", "429", retry_after=1)
    w.deliver()
    w.clock.set(local("2026-11-30 08:05"))
    w.deliver()
    assert any(HELD in (c.get("text") or "") for c in w.slack.posts)
    # Someone without the signing secret.
    assert w.driver.send(command_body("/uppdrag", UNSIGNED, user=KSO, channel=CHANNEL), sign=False).status == 401
    # The database refuses the write of a new uppdrag, whose words are the statement's parameters.
    # The person hears that nothing was saved; the log has the failure, not the words.
    with w.bot.engine.begin() as conn:
        for statement in REFUSE_WRITES[conn.dialect.name]:
            conn.execute(text(statement))
    answer = ephemeral_text(w.command("/uppdrag", WHEN_DB_FAILS))
    assert "inget sparades" in answer
    w.command("/uppdrag", "lista", user=KD)
    w.deliver()

    records = every_record.records
    assert any(r.levelno == logging.DEBUG for r in records)  # the capture did see debug records
    assert any(r.levelno >= logging.ERROR and r.exc_info for r in records)  # and the failure was logged
    leaks = [(r.name, r.levelname, secret) for r in records for secret in SECRETS if any(form in _words(r) for form in _forms(secret))]
    assert sorted(set(leaks)) == []


def test_text_postgresql_would_refuse_is_cleaned_not_a_generic_failure(world_on: World) -> None:
    """A NUL pasted into a command: PostgreSQL refuses it in text columns, so it never reaches the database."""
    w = world_on
    couple(w)
    # Socket Mode brings commands as JSON, where a lone UTF-16 half ("\\ud800") can be written too.
    body = dict(parse_qsl(command_body("/uppdrag", "Ta fram\x00 underlag om skolskjutsar", user=KSO, channel=CHANNEL)))
    body["text"] = body["text"].replace("om ", "om\ud800 ")
    answer = ephemeral_text(w.driver.send(json.dumps(body), json_body=True))
    assert "Uppdrag #1" in answer and "gick fel" not in answer
    answer = ephemeral_text(w.command("/meddela", "Hej\x00 KD, ring mig"))
    assert "gick fel" not in answer
    with w.sessions() as s:
        stored = s.scalars(select(Uppdrag.text)).one()
    assert stored == "Ta fram underlag om? skolskjutsar"
