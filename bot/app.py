"""The composition root: wires settings, database, clock, Slack client, app and scheduler."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot import db, i18n, pairs, respekt
from bot.clock import Clock, SystemClock
from bot.outbox import DeliveryPolicy, OutboxDeliverer
from bot.runtime import Deps
from bot.settings import Settings

log = logging.getLogger(__name__)


class _SameTokenFilter(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when given a client; it is the client's token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_SameTokenFilter())


class _NoBodyFilter(logging.Filter):
    """Bolt logs the whole request body on a bad signature; that body holds people's words."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "Invalid request signature detected" in record.getMessage():
            record.msg, record.args = "Invalid request signature detected (body withheld); answered 401", ()
        return True


logging.getLogger("slack_bolt.RequestVerification").addFilter(_NoBodyFilter())


def make_client(settings: Settings) -> WebClient:
    # No automatic retries: the outbox decides when a send may be repeated.
    return WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=10, retry_handlers=[])


class _Waker:
    """Wakes outbox delivery: the deliverer's thread if it runs, else the outbox job; set once both exist."""

    def __init__(self) -> None:
        self.scheduler: BackgroundScheduler | None = None
        self.deliverer: OutboxDeliverer | None = None

    def __call__(self) -> None:
        if self.deliverer is not None and self.deliverer.running:
            self.deliverer.kick()
        elif self.scheduler is not None and self.scheduler.running:
            from jobs import wake

            wake(self.scheduler, "outbox")


@dataclass
class Samspel:
    """Everything one bot process runs."""

    settings: Settings
    engine: Engine
    deps: Deps
    client: WebClient
    app: App
    scheduler: BackgroundScheduler

    def start_scheduler(self) -> None:
        self.scheduler.start()
        if self.deps.deliverer is not None:
            self.deps.deliverer.start()  # wakes at each due time, not only at the outbox job's poll

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.deps.deliverer is not None:
            self.deps.deliverer.stop()


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    process_before_response: bool = False,
    policy: DeliveryPolicy | None = None,
    catch_up: bool = True,
) -> Samspel:
    from handlers import register
    from jobs import make_scheduler

    i18n.set_language(settings.language)
    clock = clock or SystemClock()
    engine = engine or db.make_engine(settings.database_url)
    sessions = db.make_session_factory(engine)
    client = make_client(settings)
    # Fails early on a bad token; the CLI turns that into one line and exit 2.
    bot_user = client.auth_test().get("user_id")
    app = App(
        token_verification_enabled=False,
        signing_secret=settings.signing_secret or "",
        client=client,
        process_before_response=process_before_response,
        request_verification_enabled=not settings.socket_mode,
    )
    owner = f"{socket.gethostname()}:{os.getpid()}:{id(app):x}"
    deliverer = OutboxDeliverer(sessions, client, clock, owner=owner, policy=policy, on_sent=respekt.after_delivery,
                                 gate=respekt.gate, on_failed=pairs.tell_about_failure)
    waker = _Waker()
    waker.deliverer = deliverer
    deps = Deps(sessions=sessions, clock=clock, timezone=settings.timezone, bot_user=bot_user,
                deliverer=deliverer, kick=waker)
    register(app, deps)
    scheduler = make_scheduler(deps, catch_up=catch_up)
    waker.scheduler = scheduler
    return Samspel(settings=settings, engine=engine, deps=deps, client=client, app=app, scheduler=scheduler)
