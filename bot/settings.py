"""Typed settings, read from the environment and `.env`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import find_dotenv, load_dotenv
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.i18n import LANGUAGES, SOURCE_LANGUAGE

DEFAULT_API_URL = "https://slack.com/api/"
MANIFEST_HINT = "skapa appen från manifestet (`python -m bot manifest`) på https://api.slack.com/apps"


class SettingsError(Exception):
    """A missing or invalid setting; the message is one Swedish line for the user."""


@dataclass(frozen=True)
class Settings:
    # Secrets stay out of reprs, so a logged or printed Settings never shows them.
    bot_token: str = field(repr=False)
    signing_secret: str | None = field(repr=False)
    app_token: str | None = field(repr=False)
    api_url: str
    database_url: str = field(repr=False)
    timezone: str
    language: str
    port: int
    # Days a message's text is kept after delivery or cancelling; 0 keeps it (see docs/dataskydd.md).
    retention_days: int = 90
    # Worker threads of the HTTP server (SAMSPEL_HTTP_THREADS); see bot.server.ServerOptions.
    http_threads: int = 8
    # How long start-up keeps asking Slack (auth.test) through 5xx, 429 and network errors (SAMSPEL_STARTUP_WAIT).
    startup_wait_s: int = 300
    # Distributed mode (many workspaces over OAuth): SLACK_CLIENT_ID + SLACK_CLIENT_SECRET and no bot token.
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    # Where Slack sends the installer back (SLACK_REDIRECT_URI), else SAMSPEL_PUBLIC_URL + /slack/oauth_redirect.
    redirect_uri: str | None = None
    public_url: str | None = None
    # Days an uninstalled workspace's pairs are kept, so a reinstall restores them (SAMSPEL_UNINSTALL_GRACE_DAYS).
    uninstall_grace_days: int = 30
    # text (default) or json log lines (SAMSPEL_LOG_FORMAT).
    log_format: str = "text"

    @property
    def distributed(self) -> bool:
        """Many workspaces, each installed through OAuth, instead of one bot token."""
        return bool(self.client_id) and not self.bot_token

    @property
    def oauth_redirect_uri(self) -> str | None:
        if self.redirect_uri:
            return self.redirect_uri
        return self.public_url.rstrip("/") + "/slack/oauth_redirect" if self.public_url else None

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _check_database_url(url: str) -> None:
    """A URL SQLAlchemy can parse, for a database we support; the URL itself is never echoed (it may hold a password)."""
    try:
        driver = make_url(url).drivername
    except ArgumentError:
        raise SettingsError(
            "DATABASE_URL går inte att tolka: skriv t.ex. sqlite:///samspel.db eller postgresql+psycopg://användare:lösenord@värd/samspel."
        ) from None
    # Only the drivers we install; `postgresql://` is read as psycopg 3 (see bot.db.make_engine).
    if driver not in ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"):
        raise SettingsError(
            f"DATABASE_URL använder {driver}://, som Samspel inte stöder: använd postgresql+psycopg://… eller sqlite:///samspel.db."
        )


class _Env:
    """The environment, read as settings: blank counts as unset; a bad value is one Swedish line (SettingsError)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def get(self, name: str) -> str | None:
        value = self.environ.get(name, "").strip()
        return value or None

    def integer(self, name: str, default: str, message: str, *, low: int = 0, high: int | None = None) -> int:
        """`name` as a whole number in [low, high]; `message` (with {value}) says what is wrong."""
        text = self.get(name) or default
        if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
            raise SettingsError(message.format(value=repr(text)))
        return int(text)

    def choice(self, name: str, default: str, options: tuple[str, ...], message: str) -> str:
        value = (self.get(name) or default).lower()
        if value not in options:
            raise SettingsError(message.format(value=repr(value)))
        return value


def _check_single(bot_token: str | None, app_token: str | None, signing_secret: str | None, mode: str | None) -> None:
    """One workspace: its bot token, and an app token (Socket Mode) or the signing secret (HTTP)."""
    if not bot_token:
        raise SettingsError(
            f"SLACK_BOT_TOKEN saknas: {MANIFEST_HINT}, installera den och kopiera 'Bot User OAuth Token' (xoxb-…) till .env."
        )
    if not bot_token.startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN ska börja med xoxb-: kopiera 'Bot User OAuth Token' från appens sida 'OAuth & Permissions'.")
    if mode == "socket" and not app_token:
        raise SettingsError(
            f"SLACK_APP_TOKEN saknas för Socket Mode: {MANIFEST_HINT} och skapa en app-nivåtoken (xapp-…) med connections:write."
        )
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError("SLACK_APP_TOKEN ska börja med xapp-: skapa en app-nivåtoken under 'Basic Information' i appens inställningar.")
    if not app_token and not signing_secret:
        raise SettingsError(
            f"SLACK_SIGNING_SECRET saknas (krävs i HTTP-läge): {MANIFEST_HINT} och kopiera "
            "'Signing Secret' under 'Basic Information' till .env, eller sätt SLACK_APP_TOKEN för Socket Mode."
        )


def _api_url(env: _Env) -> str:
    api_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError("SLACK_API_URL måste vara en http(s)-adress, t.ex. https://slack.com/api/.")
    return api_url if api_url.endswith("/") else api_url + "/"


def _timezone(env: _Env) -> str:
    timezone = env.get("SAMSPEL_TIMEZONE") or "Europe/Stockholm"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"SAMSPEL_TIMEZONE={timezone!r} är ingen känd tidszon: använd t.ex. Europe/Stockholm.") from None
    return timezone


def _urls(env: _Env) -> tuple[str | None, str | None]:
    redirect_uri, public_url = env.get("SLACK_REDIRECT_URI"), env.get("SAMSPEL_PUBLIC_URL")
    for name, url in (("SLACK_REDIRECT_URI", redirect_uri), ("SAMSPEL_PUBLIC_URL", public_url)):
        if url and not url.startswith(("https://", "http://")):
            raise SettingsError(f"{name} måste vara en https-adress, t.ex. https://samspel.example.se.")
    return redirect_uri, public_url


def _database_url(env: _Env) -> str:
    database_url = env.get("DATABASE_URL") or "sqlite:///samspel.db"
    if database_url.startswith("postgres://"):
        # Heroku-style platforms hand out postgres://, which SQLAlchemy no longer accepts.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    _check_database_url(database_url)
    return database_url


# long: one line (as the formatter lays it out) per setting of the Settings it returns.
def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    require_slack: bool = True,
    mode: str | None = None,
    dotenv: bool = True,
) -> Settings:
    """Read settings. `require_slack=False` is for CLI verbs that never talk to Slack."""
    if environ is None and dotenv:
        # The operator's .env is in the directory they run from, not next to our source files.
        load_dotenv(find_dotenv(usecwd=True), override=False)
    env = _Env(os.environ if environ is None else environ)
    bot_token = env.get("SLACK_BOT_TOKEN")
    # `serve --http` runs a single workspace over HTTP even with an app token set; distributed mode refuses one.
    given_app_token = env.get("SLACK_APP_TOKEN")
    app_token = None if mode == "http" else given_app_token
    signing_secret = env.get("SLACK_SIGNING_SECRET")
    client_id, client_secret = env.get("SLACK_CLIENT_ID"), env.get("SLACK_CLIENT_SECRET")
    distributed = bool(client_id or client_secret) and not bot_token
    if require_slack and bot_token and (client_id or client_secret):
        raise SettingsError(
            "Både SLACK_BOT_TOKEN och SLACK_CLIENT_ID/SLACK_CLIENT_SECRET är satta: välj en arbetsyta (behåll "
            "SLACK_BOT_TOKEN) eller många arbetsytor via OAuth (ta bort SLACK_BOT_TOKEN)."
        )
    if require_slack and distributed:
        _check_distributed(client_id, client_secret, signing_secret, given_app_token, mode)
    elif require_slack:
        _check_single(bot_token, app_token, signing_secret, mode)
    redirect_uri, public_url = _urls(env)
    return Settings(
        bot_token=bot_token or "",
        signing_secret=signing_secret,
        app_token=app_token,
        api_url=_api_url(env),
        database_url=_database_url(env),
        timezone=_timezone(env),
        language=env.choice(
            "SAMSPEL_LANGUAGE",
            SOURCE_LANGUAGE,
            LANGUAGES,
            f"SAMSPEL_LANGUAGE={{value}} är okänt: sätt {' eller '.join(LANGUAGES)} ({SOURCE_LANGUAGE} är standard).",
        ),
        port=env.integer("PORT", "3000", "PORT={value} är inget portnummer: ange ett heltal 1–65535, t.ex. 3000.", low=1, high=65535),
        retention_days=env.integer(
            "SAMSPEL_RETENTION_DAYS",
            "90",
            "SAMSPEL_RETENTION_DAYS={value} är inget antal dagar: ange ett heltal, t.ex. 90 (0 = meddelandetexter sparas tills vidare).",
            high=36500,
        ),
        http_threads=env.integer(
            "SAMSPEL_HTTP_THREADS",
            "8",
            "SAMSPEL_HTTP_THREADS={value} är inget rimligt antal trådar: ange ett heltal 1–64, t.ex. 8.",
            low=1,
            high=64,
        ),
        startup_wait_s=env.integer(
            "SAMSPEL_STARTUP_WAIT", "300", "SAMSPEL_STARTUP_WAIT={value} är inget antal sekunder: ange ett heltal, t.ex. 300."
        ),
        client_id=client_id if distributed else None,
        client_secret=client_secret if distributed else None,
        redirect_uri=redirect_uri,
        public_url=public_url,
        uninstall_grace_days=env.integer(
            "SAMSPEL_UNINSTALL_GRACE_DAYS",
            "30",
            "SAMSPEL_UNINSTALL_GRACE_DAYS={value} är inget antal dagar: ange ett "
            "heltal, t.ex. 30 (0 = raderas vid nästa dagliga körning efter avinstallationen).",
            high=3650,
        ),
        log_format=env.choice(
            "SAMSPEL_LOG_FORMAT", "text", ("text", "json"), "SAMSPEL_LOG_FORMAT={value} är okänt: sätt text (standard) eller json."
        ),
    )


def _check_distributed(
    client_id: str | None, client_secret: str | None, signing_secret: str | None, app_token: str | None, mode: str | None
) -> None:
    """Distributed mode: both OAuth credentials and the signing secret, over HTTP (Slack keeps Socket Mode
    apps out of its Marketplace, and the OAuth redirect needs a public URL anyway)."""
    if not client_id or not client_secret:
        missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
        raise SettingsError(
            f"{missing} saknas: för många arbetsytor krävs både SLACK_CLIENT_ID och SLACK_CLIENT_SECRET "
            "('App Credentials' under 'Basic Information'); för en arbetsyta, sätt SLACK_BOT_TOKEN i stället."
        )
    if app_token or mode == "socket":
        raise SettingsError(
            "SLACK_APP_TOKEN (Socket Mode) går inte ihop med SLACK_CLIENT_ID: en app för många arbetsytor kör i "
            "HTTP-läge. Ta bort SLACK_APP_TOKEN och starta med `python -m bot serve --http`."
        )
    if not signing_secret:
        raise SettingsError(
            "SLACK_SIGNING_SECRET saknas (krävs för många arbetsytor): kopiera 'Signing Secret' under 'Basic Information' till .env."
        )
