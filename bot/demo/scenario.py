"""`python -m bot demo`: a week of Anna (KSO) and Bo (KD), played through the real bot.

Everything below the Slack edge is the bot as it runs in production: `bot.bootstrap.build`
with the real Bolt app, SQLAlchemy on a SQLite file, the outbox deliverer and the job
functions the scheduler runs. Only Slack is a stand-in (bot/demo/slack_standin.py on
127.0.0.1), the clock is simulated, and the database lives in a temporary directory that
is removed at the end.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltResponse

from bot import db
from bot.bootstrap import Samspel, build
from bot.clock import FakeClock
from bot.demo.render import Seen, Step, Transcript, blocks_to_lines, to_html, to_text
from bot.demo.signing import Driver
from bot.demo.slack_standin import Call, SlackStandin, check_message
from bot.errors import UserError
from bot.i18n import LANGUAGES, SOURCE_LANGUAGE, Translator, translator
from bot.settings import Settings
from handlers.ids import ARENDE_TILL_KS, PAIR_ACCEPT
from jobs.agenda import agenda_tick
from jobs.samtal import remind

TIMEZONE = "Europe/Stockholm"
TZ = ZoneInfo(TIMEZONE)
ANNA, BO, BOT = "UANNA001", "UBO00001", "USAMSPEL"
CHANNEL, CHANNEL_NAME = "GKSOKD01", "ks-kd"
# Only these reach someone; lookups (auth.test, conversations.info, users.info …) are not shown.
_SHOWN = ("chat.postMessage", "chat.postEphemeral", "chat.update", "views.publish", "views.open", "views.update")
# The Slack locale the demo's people have, so the bot words everything in the demo's language (users.info).
_LOCALES = {"sv": "sv-SE", "en": "en-US"}
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@contextlib.contextmanager
def _quiet_and_offline() -> Iterator[None]:
    """Logging below WARNING off, and no proxy from the environment: every call goes straight to 127.0.0.1."""
    saved = {name: os.environ.pop(name) for name in _PROXY_VARIABLES if name in os.environ}
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
        os.environ.update(saved)


@dataclass
class _Demo:
    samspel: Samspel
    slack: SlackStandin
    clock: FakeClock
    driver: Driver
    transcript: Transcript

    @property
    def t(self) -> Translator:
        return self.transcript.t

    def who(self, user: str) -> str:
        role = {ANNA: "KSO", BO: "KD"}.get(user)
        return f"{self.slack.name_of(user)} ({role})" if role else self.slack.name_of(user)

    def deliver(self) -> None:
        """What the outbox job would send now (it runs every few seconds in the real bot)."""
        assert self.samspel.deps.deliverer is not None
        for _round in range(10):
            if not self.samspel.deps.deliverer.deliver_due():
                return

    def step(
        self, when: str, actor: str, action: str, do: Callable[[], BoltResponse | None], *, answer_to: str | None = None, home: bool = False
    ) -> Step:
        """At local time `when`, `actor` does `action`; everything Slack shows anyone because of it is recorded."""
        self.clock.set(local(when))
        mark = self.slack.mark
        response = do()
        self.deliver()
        step = Step(self.clock.now().astimezone(TZ), actor, action)
        if response is not None and response.status != 200:
            step.seen.append(Seen("Slack", self.t("svar {status}").format(status=response.status), "refused", ()))
        elif response is not None and response.body and answer_to:
            step.seen.append(self._answer(json.loads(response.body), answer_to))
        step.seen.extend(self._seen(self.slack.since(mark), home=home))
        self.transcript.steps.append(step)
        return step

    def _answer(self, data: dict[str, Any], user: str) -> Seen:
        """The command's own answer (its ack), which Slack refuses over the same limits as any message."""
        refused = check_message(data.get("text"), data.get("blocks"))
        if refused:
            return Seen(self.t("Slack vägrar"), refused, "refused", ())
        return Seen(self._only(user), f"#{CHANNEL_NAME}", "ephemeral", blocks_to_lines(data.get("blocks"), self.t, data.get("text") or ""))

    def _only(self, user: str) -> str:
        return self.t("Bara {name} ser").format(name=self.slack.name_of(user))

    # long: one branch per kind of Slack call the transcript shows.
    def _seen(self, calls: list[Call], *, home: bool) -> list[Seen]:
        out: list[Seen] = []
        homes: list[str] = []
        for call in calls:
            if call.method not in _SHOWN:
                continue
            p = call.params
            if not call.ok:
                out.append(Seen(self.t("Slack vägrar"), f"{call.method}: {call.answer.get('error')}", "refused", ()))
                continue
            lines = blocks_to_lines(p.get("blocks"), self.t, str(p.get("text") or ""))
            if call.method == "views.publish":
                user = str(p.get("user_id"))
                if home:
                    out.append(
                        Seen(
                            self.slack.name_of(user),
                            self.t("Hem-fliken i Samspel"),
                            "home",
                            blocks_to_lines((p.get("view") or {}).get("blocks"), self.t),
                        )
                    )
                elif self.slack.name_of(user) not in homes:
                    homes.append(self.slack.name_of(user))
            elif call.method in ("views.open", "views.update"):
                out.append(
                    Seen(
                        self.t("dialogruta"),
                        self.t("öppnas i Slack"),
                        "modal",
                        blocks_to_lines((p.get("view") or {}).get("blocks"), self.t),
                    )
                )
            elif call.method == "chat.postEphemeral":
                out.append(Seen(self._only(str(p.get("user"))), self._where(str(p.get("channel"))), "ephemeral", lines))
            else:
                conversation = self.slack.conversations.get(str(call.answer.get("channel")))
                kind = "dm" if conversation is not None and conversation.kind == "im" else "post"
                if call.method == "chat.update":
                    kind = "update"
                out.append(
                    Seen(
                        self._audience(conversation.id if conversation else ""),
                        self._where(conversation.id if conversation else "", update=call.method == "chat.update"),
                        kind,
                        lines,
                    )
                )
        if homes:
            out.append(Seen(", ".join(homes), self.t("Hem-fliken uppdateras"), "home", ()))
        return out

    def _audience(self, channel: str) -> str:
        conversation = self.slack.conversations.get(channel)
        if conversation is not None and conversation.kind == "im":
            user = next(iter(conversation.members - {BOT}), "")
            return self.t("{name} får ett DM").format(name=self.slack.name_of(user))
        return self.t("{kso} och {kd} ser").format(kso=self.slack.name_of(ANNA), kd=self.slack.name_of(BO))

    def _where(self, channel: str, *, update: bool = False) -> str:
        conversation = self.slack.conversations.get(channel)
        place = self.t("DM från Samspel") if conversation is not None and conversation.kind == "im" else f"#{CHANNEL_NAME}"
        return self.t("{place}, meddelandet ändras").format(place=place) if update else place

    # --- what people do ------------------------------------------------------

    def command(self, when: str, user: str, command: str, text: str) -> Step:
        return self.step(
            when,
            self.who(user),
            self.t("skriver i #{channel}: {command} {text}").format(channel=CHANNEL_NAME, command=command, text=text),
            lambda: self.driver.command(command, text, user=user, channel=CHANNEL, channel_name=CHANNEL_NAME),
            answer_to=user,
        )

    def click(self, when: str, user: str, action_id: str) -> Step:
        """`user` clicks the newest button `action_id` in their DM with Samspel, named as its label reads."""
        dm = self.slack.dm_of(user)
        found = next(
            (
                (element, str(message["ts"]))
                for message in reversed(dm.messages)
                for element in _buttons(message.get("blocks") or [])
                if element.get("action_id") == action_id
            ),
            None,
        )
        if found is None:
            raise RuntimeError(f"no {action_id} button reached {user}")
        button, ts = found
        # The label the person sees on the button, so the transcript never names another one.
        label = str((button.get("text") or {}).get("text") or action_id)
        return self.step(
            when,
            self.who(user),
            self.t("klickar [{label}] i sitt DM från Samspel").format(label=label),
            lambda: self.driver.click(action_id, str(button["value"]), user=user, channel=dm.id, message_ts=ts),
        )


def _buttons(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for block in blocks:
        yield from (e for e in block.get("elements") or [] if isinstance(e, dict) and e.get("type") == "button")
        if isinstance(block.get("accessory"), dict):
            yield block["accessory"]


def _play(d: _Demo) -> None:
    deps = d.samspel.deps
    samspel = "Samspel"
    t = d.t
    # What Anna and Bo write is in the demo's language too; the command words (senast, ks, akut …) stay Swedish.
    # Tuesday: the pair is coupled, with the other person's consent.
    d.command("2026-11-17 09:00", ANNA, "/samspel", f"koppla <@{ANNA}|anna> <@{BO}|bo>")
    d.click("2026-11-17 09:10", BO, PAIR_ACCEPT)
    d.command("2026-11-17 09:30", ANNA, "/uppdrag", t("Ta fram underlag om skolskjutsar") + " senast fredag")
    d.command("2026-11-17 10:15", BO, "/arende", t("Detaljplan Norra hamnen") + " KS 2026/123 ks 2026-12-08")
    d.click("2026-11-17 10:40", ANNA, ARENDE_TILL_KS)
    d.command("2026-11-18 13:00", ANNA, "/agenda", "+ prioritering " + t("Budgetprocessen 2027"))
    d.command("2026-11-18 13:05", ANNA, "/uppdrag", t("Utred nattbemanningen i hemtjänsten") + " senast 2026-12-11")
    d.command("2026-11-19 14:20", BO, "/agenda", "+ incident " + t("Vattenläcka i simhallen, stängt två dagar"))
    d.command("2026-11-19 14:30", BO, "/uppdrag", "oklart 2 " + t("Gäller det även de privata utförarna?"))
    d.command("2026-11-20 11:00", BO, "/uppdrag", "klart 1")
    d.command("2026-11-20 15:00", BO, "/arende", t("Taxa för bygglov 2027"))
    # Friday evening: not akut, so it waits for Bo's working day.
    d.command("2026-11-20 18:30", ANNA, "/meddela", t("Kan vi ta budgeten först på måndag?"))
    d.command("2026-11-21 10:05", BO, "/meddela", "akut " + t("Brand i Rudbecksskolans kök, alla är ute. Ring mig."))
    # Monday 08:00: working time begins; the outbox sends what was held, then the agenda job posts.
    d.step("2026-11-23 08:00", samspel, d.t("arbetstiden börjar: utkorgen skickar det som hållits"), lambda: None)
    d.step("2026-11-23 08:00", samspel, d.t("agendajobbet kör (jobs.agenda.agenda_tick)"), lambda: (agenda_tick(deps), None)[1])
    d.command("2026-11-23 09:00", ANNA, "/samspel", "utvecklingssamtal 2026-12-21")
    d.step("2026-11-23 09:05", samspel, d.t("samtalsjobbet kör (jobs.samtal.remind)"), lambda: (remind(deps), None)[1])
    d.step(
        "2026-11-23 09:10",
        d.who(ANNA),
        d.t("öppnar Samspels Hem-flik"),
        lambda: d.driver.event({"type": "app_home_opened", "user": ANNA, "channel": "D" + ANNA[1:], "tab": "home", "event_ts": "1.1"}),
        home=True,
    )


# long: the demo's script, step after step, is easiest to read in one place.
def run(*, out: Any, html_path: str | None = None) -> int:
    """Play the demo; print the transcript to `out` and, with `html_path`, write it as a page too."""
    language = (os.environ.get("SAMSPEL_LANGUAGE") or "sv").strip().lower()
    if language not in LANGUAGES:
        language = SOURCE_LANGUAGE
    t = translator(language)
    clock = FakeClock(local("2026-11-17 09:00"))
    token = "xoxb-demo-" + secrets.token_hex(12)
    transcript = Transcript(
        t("Samspel: en vecka för Anna (KSO) och Bo (KD)"),
        t(
            "Den riktiga boten (Bolt, SQLAlchemy, utkorgen, jobben) mot en inbyggd Slack-attrapp på 127.0.0.1, med en "
            "tillfällig SQLite-databas och en simulerad klocka. Tiderna är bottens lokala tid ({tz})."
        ).format(tz=TIMEZONE),
        t=t,
    )
    with (
        _quiet_and_offline(),
        tempfile.TemporaryDirectory(prefix="samspel-demo-") as tmp,
        SlackStandin(token=token, bot_user=BOT, clock=clock.now) as slack,
    ):
        locale = _LOCALES.get(language, language)
        slack.add_person(ANNA, "anna", "Anna Lind", locale=locale)
        slack.add_person(BO, "bo", "Bo Ek", locale=locale)
        slack.add_channel(CHANNEL, CHANNEL_NAME, ANNA, BO)
        settings = Settings(
            bot_token=token,
            signing_secret=secrets.token_hex(16),
            app_token=None,
            api_url=slack.url,
            database_url=f"sqlite:///{os.path.join(tmp, 'samspel.db')}",
            timezone=TIMEZONE,
            language=language,
            port=3000,
        )
        engine = db.make_engine(settings.database_url)
        try:
            db.upgrade(engine)
            samspel = build(settings, clock=clock, engine=engine, process_before_response=True, catch_up=False)
            driver = Driver(
                samspel.app,
                secret=settings.signing_secret or "",
                team=slack.team,
                bot_user=BOT,
                response_base=slack.url.removesuffix("api/") + "response/",
            )
            _play(_Demo(samspel, slack, clock, driver, transcript))
            samspel.stop()
        finally:
            engine.dispose()
        names, channels = slack.name_of, (lambda c: slack.conversations[c].name if c in slack.conversations else c)
        text = to_text(transcript, names, channels)
        page = to_html(transcript, names, channels, lang=language) if html_path else None
    if html_path and page is not None:
        try:
            with open(html_path, "w", encoding="utf-8") as f:
                f.write(page)
        except OSError as e:
            # Already worded: the CLI shows it as it is, in the demo's language.
            raise UserError(t("Kan inte skriva {path}: {error}.").format(path=html_path, error=e.strerror)) from None
        text += t("Samma sak som webbsida: {path}").format(path=html_path) + "\n"
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        # `python -m bot demo | head`: the reader has seen enough; not an error, and not Slack's.
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
