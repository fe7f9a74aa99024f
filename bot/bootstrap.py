"""The composition root: wires settings, database, clock, Slack client, app and scheduler."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from bot import db
from bot.adapters import logs, request_keys
from bot.adapters.holidays import SWEDEN
from bot.adapters.installations import (
    ROTATE_BEFORE_MINUTES,
    ClientRegistry,
    InstallationStore,
    TenantDirectory,
    make_web_client,
    stamp_team,
    state_store,
)
from bot.adapters.metrics import Metrics
from bot.adapters.slack_directory import SlackDirectory
from bot.clock import Clock, SystemClock
from bot.errors import SlackUnreachable
from bot.i18n import translator
from bot.manifest import BOT_SCOPES, INSTALL_PATH, REDIRECT_PATH
from bot.models import OutboxMessage
from bot.outbox import NETWORK_ERRORS, DeliveryPolicy, OutboxDeliverer
from bot.presenters import ics as ics_words
from bot.projections import delivery_failures, home
from bot.projections.table import HANDLERS
from bot.runtime import Deps
from bot.services import ics, respekt, retention, tenant, tenants
from bot.services.people import LanguageBook
from bot.services.unit_of_work import OUTBOX_WRITTEN, UnitOfWorkFactory
from bot.settings import Settings
from handlers.registry import end_request, register
from jobs import Heartbeats, make_scheduler, wake

log = logging.getLogger(__name__)


class _SameTokenFilter(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when given a client; it is the client's token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_SameTokenFilter())


class _NoBodyFilter(logging.Filter):
    """Bolt logs the whole request body on a bad signature, and at DEBUG every answer's body; both hold people's words."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "Invalid request signature detected" in message:
            record.msg, record.args = "Invalid request signature detected (body withheld); answered 401", ()
        elif message.startswith("Responding with status:"):
            record.msg, record.args = "Responding with status: %s (body withheld)", (message.split()[3],)
        return True


for _name in ("slack_bolt.RequestVerification", "slack_bolt.App"):
    logging.getLogger(_name).addFilter(_NoBodyFilter())

# slack_sdk logs every request and response body at DEBUG: people's messages, Home tabs, modals.
# Like SQLAlchemy does for itself, give it a level unless the operator chose one, so a DEBUG
# root logger does not turn it on; whoever sets "slack_sdk" to DEBUG asks for those bodies.
if logging.getLogger("slack_sdk").level == logging.NOTSET:
    logging.getLogger("slack_sdk").setLevel(logging.INFO)


def _mark_outbox_writes(sessions: db.SessionFactory) -> None:
    """The unit of work wakes delivery after a commit that wrote or changed an outbox row."""

    @event.listens_for(sessions, "before_flush")
    def _seen(session: Session, _ctx: object, _instances: object) -> None:
        if any(isinstance(obj, OutboxMessage) for obj in (*session.new, *session.dirty)):
            session.info[OUTBOX_WRITTEN] = True
        # Each new row goes to its pair's (or the request's) workspace, sent with that workspace's token.
        for obj in session.new:
            if isinstance(obj, OutboxMessage):
                stamp_team(session, obj)


def unit_of_work(sessions: db.SessionFactory, after_commit: Callable[[], None] | None = None) -> UnitOfWorkFactory:
    """Units of work on `sessions` with the one handler table."""
    _mark_outbox_writes(sessions)
    return UnitOfWorkFactory(sessions, HANDLERS, after_commit=after_commit)


def job_deps(sessions: db.SessionFactory, clock: Clock) -> Deps:
    """What a scheduler needs without Slack: for a process that only runs ticks (and for tests of that)."""
    return Deps(sessions=sessions, clock=clock, uow_factory=unit_of_work(sessions))


# Slack's answers to auth.test that no retry can mend: the token itself is wrong.
FATAL_AUTH = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"})


def whoami(client: WebClient, *, wait_s: float, sleep: Callable[[float], None] = time.sleep) -> str | None:
    """The bot's user id from auth.test, riding out a Slack that is briefly down (5xx, 429, network).

    A bad token raises at once, so the CLI says "check SLACK_BOT_TOKEN" and exits 2; trouble on
    Slack's side is retried with backoff, one log line per attempt, for up to `wait_s` seconds.
    """
    waited, delay, attempt = 0.0, 0.5, 1
    while True:
        try:
            return client.auth_test().get("user_id")
        except SlackApiError as err:
            status = err.response.status_code
            if (err.response.get("error") in FATAL_AUTH) or (status < 500 and status != 429):
                raise
            retry_after = float(err.response.headers.get("Retry-After", 0) or 0) if status == 429 else 0.0
            reason = f"HTTP {status}"
            pause = max(delay, retry_after)
        except NETWORK_ERRORS as err:
            reason, pause = type(err).__name__, delay
        if waited + pause > wait_s:
            raise SlackUnreachable(reason)
        log.warning("Slack answered %s to auth.test at start (attempt %s); trying again in %.1f s", reason, attempt, pause)
        sleep(pause)
        waited, delay, attempt = waited + pause, min(delay * 2, 15.0), attempt + 1


def make_client(settings: Settings) -> WebClient:
    # No automatic retries: the outbox decides when a send may be repeated. Counted for /metrics.
    return make_web_client(settings.bot_token or None, settings.api_url)


# Named, because without a name Bolt walks the whole call stack (inspect.stack) to make one: 0.2 s of every start.
APP_NAME = "samspel"


class SamspelApp(App):
    """Bolt's App, ending the request's unit of work and forgetting its workspace once the listener is done.

    Both are request state that Bolt's middleware cannot wrap around a listener (handlers/unit.py, handlers/installations.py).
    """

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        try:
            response = super().dispatch(req)
            # Kept if the listener returned, undone if it raised (Bolt answers 500 then); before Slack hears the answer.
            if not end_request(req.context, failed=response.status >= 500):
                response = BoltResponse(status=500, body="")
            return response
        finally:
            end_request(req.context, failed=True)  # dispatch itself raised: undone (nothing left to end otherwise)
            tenant.leave()


@dataclass
class Tenancy:
    """Distributed mode's parts: the installation store, the OAuth settings for Bolt, the client per workspace."""

    store: InstallationStore
    oauth: OAuthSettings
    clients: ClientRegistry


def distributed(settings: Settings, engine: Engine, client: WebClient, on_installed: Callable[[Installation], None]) -> Tenancy:
    """OAuth through Bolt, installations in our database, every call (oauth.v2.access too) to SLACK_API_URL."""
    assert settings.client_id and settings.client_secret
    store = InstallationStore(settings.client_id, engine, on_saved=on_installed)
    rotator = TokenRotator(client_id=settings.client_id, client_secret=settings.client_secret, client=client)
    oauth = OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=BOT_SCOPES,
        installation_store=store,
        state_store=state_store(engine),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        redirect_uri=settings.oauth_redirect_uri,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
    )
    # Bolt's own authorize rotates tokens with a TokenRotator on a default WebClient (slack.com);
    # this one refreshes through SLACK_API_URL, like every other call.
    oauth.authorize = InstallationStoreAuthorize(
        logger=logging.getLogger("slack_bolt.App"),
        installation_store=store,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
        client=client,
        user_token_resolution=oauth.user_token_resolution,
        # auth.test once per token, not on every request; the installation is still looked up each time,
        # so an uninstalled workspace is refused at once.
        cache_enabled=True,
    )
    return Tenancy(store=store, oauth=oauth, clients=ClientRegistry(settings.api_url, store=store, rotator=rotator))


class _Waker:
    """Wakes outbox delivery: the deliverer's thread if it runs, else the outbox job; set once both exist."""

    def __init__(self) -> None:
        self.scheduler: BackgroundScheduler | None = None
        self.deliverer: OutboxDeliverer | None = None

    def __call__(self) -> None:
        if self.deliverer is not None and self.deliverer.running:
            self.deliverer.kick()
        elif self.scheduler is not None and self.scheduler.running:
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
    heartbeats: Heartbeats = field(default_factory=Heartbeats)
    metrics: Metrics | None = None

    def start_scheduler(self) -> None:
        # The holiday data is made on first use (bot.adapters.holidays); make it now, beside the first requests,
        # so that neither the first command nor the first delivery waits for it.
        threading.Thread(target=SWEDEN.warm, args=(self.deps.clock.now().year,), name="holidays", daemon=True).start()
        self.scheduler.start()
        if self.deps.deliverer is not None:
            self.deps.deliverer.start()  # wakes at each due time, not only at the outbox job's poll

    def calendar_feed(self, token: str) -> bytes | None:
        """GET /kalender/<token>.ics: the person's calendar in their language; None (404) for an unknown token.

        The token is a secret: it is never logged, here or in bot/server.py.
        """
        with db.reading(self.deps.sessions) as session:
            default = self.deps.languages.default if self.deps.languages is not None else self.settings.language
            found = ics.feed(session, token, self.deps.clock.now(), default)
            if found is None:
                return None
            return ics_words.person_ics(found, translator(found.language)).encode("utf-8")

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.deps.deliverer is not None:
            self.deps.deliverer.stop()


@dataclass(frozen=True)
class _Edge:
    """The Bolt app and how to reach Slack: one workspace (a token) or many (OAuth installations)."""

    app: App
    clients: ClientRegistry
    tenancy: Tenancy | None
    bot_user: str | None


def _edge(
    settings: Settings, engine: Engine, client: WebClient, uow_factory: UnitOfWorkFactory, clock: Clock, process_before_response: bool
) -> _Edge:
    if not settings.distributed:
        # A bad token fails at once (the CLI: one line, exit 2); Slack trouble is waited out.
        bot_user = whoami(client, wait_s=settings.startup_wait_s)
        app = SamspelApp(
            name=APP_NAME,
            token_verification_enabled=False,
            signing_secret=settings.signing_secret or "",
            client=client,
            process_before_response=process_before_response,
            request_verification_enabled=not settings.socket_mode,
        )
        return _Edge(app, ClientRegistry(settings.api_url, single=client), None, bot_user)
    tenancy: Tenancy | None = None

    def on_installed(installation: Installation) -> None:
        # A workspace (re)installed through OAuth: a new token, and its paused pairs come back.
        assert tenancy is not None
        tenancy.clients.forget(installation.team_id, installation.enterprise_id)
        if installation.team_id:
            with uow_factory() as session:
                tenants.reinstalled(session, team_id=installation.team_id, now=clock.now())

    tenancy = distributed(settings, engine, client, on_installed)
    # Samspel's user differs per workspace: it comes from each installation (context.bot_user_id).
    app = SamspelApp(
        name=APP_NAME,
        signing_secret=settings.signing_secret or "",
        client=client,
        oauth_settings=tenancy.oauth,
        process_before_response=process_before_response,
    )
    return _Edge(app, tenancy.clients, tenancy, None)


def _deliverer(sessions: db.SessionFactory, client: WebClient, clock: Clock, edge: _Edge, policy: DeliveryPolicy | None) -> OutboxDeliverer:
    clients = edge.clients

    def client_for(row: OutboxMessage) -> WebClient:
        # A token refresh's log lines name the row whose client it is (SAMSPEL_LOG_FORMAT=json); the send's
        # own lines get the row's ids on the thread that sends it (bot.outbox.deliverer.SENDING).
        with logs.ids(team_id=row.team_id, pair_id=row.pair_id, outbox_id=row.id):
            return clients.for_row(row)

    owner = f"{socket.gethostname()}:{os.getpid()}:{id(edge.app):x}"
    return OutboxDeliverer(
        sessions,
        client,
        clock,
        owner=owner,
        policy=policy,
        after_sent=home.after_delivery,
        gate=respekt.gate,
        prefetch=respekt.prefetch,
        on_failed=delivery_failures.tell_about_failure,
        render_home=home.user_home_blocks,
        prefetch_homes=home.prefetch_homes,
        client_for=client_for,
    )


# long: the composition root, one wire per line (the formatter puts each Deps field on its own).
def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    process_before_response: bool = False,
    policy: DeliveryPolicy | None = None,
    catch_up: bool = True,
) -> Samspel:
    retention.configure(settings.retention_days)
    clock = clock or SystemClock()
    engine = engine or db.make_engine(settings.database_url)
    sessions = db.make_session_factory(engine, language=settings.language)
    client = make_client(settings)
    waker = _Waker()
    uow_factory = unit_of_work(sessions, after_commit=waker)
    edge = _edge(settings, engine, client, uow_factory, clock, process_before_response)
    deliverer = waker.deliverer = _deliverer(sessions, client, clock, edge, policy)
    tenancy = edge.tenancy
    directory = TenantDirectory(edge.clients) if tenancy is not None else SlackDirectory(client, edge.bot_user)
    deps = Deps(
        sessions=sessions,
        clock=clock,
        timezone=settings.timezone,
        bot_user=edge.bot_user,
        deliverer=deliverer,
        kick=waker,
        directory=directory,
        uow_factory=uow_factory,
        clients=edge.clients,
        installations=tenancy.store if tenancy else None,
        uninstall_grace_days=settings.uninstall_grace_days,
        languages=LanguageBook(sessions, uow_factory, clock, default=settings.language),
        public_url=settings.public_url,
        socket_mode=settings.socket_mode,
    )
    app = edge.app
    # First of our middleware: a repeated signed request stops here, before any listener or transaction.
    app.use(request_keys.replay_guard(sessions, clock))
    register(app, deps)
    heartbeats = Heartbeats()
    scheduler = make_scheduler(deps, catch_up=catch_up, heartbeats=heartbeats)
    waker.scheduler = scheduler
    return Samspel(
        settings=settings,
        engine=engine,
        deps=deps,
        client=client,
        app=app,
        scheduler=scheduler,
        heartbeats=heartbeats,
        metrics=Metrics(engine),
    )
