"""Installations: slack_sdk's SQLAlchemy stores on our engine, and a client per workspace.

In distributed mode every workspace that installs Samspel through OAuth gets a row in
`slack_installations`/`slack_bots` (tables made by migration 0012, not by
`create_tables()`). `ClientRegistry` turns a team id into a WebClient with that
workspace's bot token, cached, and refreshes a rotating token before it expires with
slack_sdk's TokenRotator. In single-workspace mode it always answers the one client.

Tokens are kept as slack_sdk stores them; they never appear in a log line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session, object_session

from bot.adapters.metrics import InstrumentedWebClient
from bot.adapters.slack_directory import SlackDirectory
from bot.domain.consent import ChannelFacts
from bot.models import OutboxMessage, Pair, PairProposal
from bot.outbox import NETWORK_ERRORS
from bot.services import tenant

log = logging.getLogger(__name__)

# Refresh a rotating token when it has less than this left (Bolt's default, too); tokens live 12 hours.
ROTATE_BEFORE_MINUTES = 120
# How long an OAuth state (the install link's CSRF guard) is valid.
STATE_SECONDS = 600
# After a failed token refresh, wait this long before asking Slack again, doubling up to the maximum.
REFRESH_BACKOFF_S = 60.0
REFRESH_BACKOFF_MAX_S = 900.0


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, telling us when a workspace (re)installs, so its paused pairs come back."""

    def __init__(self, client_id: str, engine: Engine, on_saved: Callable[[Installation], None] | None = None) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=logging.getLogger("bot.installations"))
        self.on_saved = on_saved

    def save(self, installation: Installation) -> None:
        super().save(installation)
        if self.on_saved is not None:
            self.on_saved(installation)

    def save_rotated(self, installation: Installation) -> None:
        """A refreshed token: stored, without the reinstall hook (nothing about the workspace changed)."""
        super().save(installation)

    def create_tables(self) -> None:
        raise RuntimeError("the installation tables come from migration 0012 (python -m bot db upgrade)")

    def teams(self) -> list[tuple[str | None, str | None]]:
        """(enterprise_id, team_id) of every installed workspace, for rotating idle tokens."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(self.bots.c.enterprise_id, self.bots.c.team_id).where(self.bots.c.client_id == self.client_id).distinct()
            ).all()
        return [(row[0], row[1]) for row in rows]

    def count(self) -> int:
        return len(self.teams())

    def enterprise_of(self, team_id: str) -> str | None:
        """The Enterprise Grid org the workspace was installed in (None: an ordinary workspace, or not installed)."""
        with self.engine.connect() as conn:
            return conn.scalar(
                select(self.bots.c.enterprise_id)
                .where(self.bots.c.client_id == self.client_id, self.bots.c.team_id == team_id, self.bots.c.enterprise_id.is_not(None))
                .limit(1)
            )


def state_store(engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine, logger=logging.getLogger("bot.installations"))


def make_web_client(token: str | None, api_url: str) -> WebClient:
    # No automatic retries: the outbox decides when a send may be repeated.
    return InstrumentedWebClient(token=token, base_url=api_url, timeout=10, retry_handlers=[])


@dataclass
class _Entry:
    client: WebClient
    expires_at: int | None
    bot_user_id: str | None


@dataclass
class _Failure:
    """A workspace whose token refresh failed: not asked again before `retry_at` (its current token is used meanwhile)."""

    retry_at: float
    backoff: float


class ClientRegistry:
    """team id → WebClient with that workspace's token (cached; rotated before expiry).

    Each workspace has its own lock, held while its installation is read and its token
    refreshed, so a slow or failing refresh endpoint for one workspace never waits
    another's sends; a failed refresh is remembered (`_Failure`) and not tried again for
    a while, so one pass over many rows of that workspace asks Slack once.
    """

    def __init__(
        self,
        api_url: str,
        *,
        single: WebClient | None = None,
        store: InstallationStore | None = None,
        rotator: TokenRotator | None = None,
        rotate_before_minutes: int = ROTATE_BEFORE_MINUTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if single is None and store is None:
            raise ValueError("a registry needs the one client or an installation store")
        self.api_url = api_url
        self.single = single
        self.store = store
        self.rotator = rotator
        self.rotate_before_s = rotate_before_minutes * 60
        self.clock = clock
        self._cache: dict[str, _Entry] = {}
        self._failures: dict[str, _Failure] = {}
        # One rotation per workspace at a time: a refresh token is used once, so two threads must not both spend it.
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()  # guards `_locks` only; never held while Slack or the database is asked

    @property
    def distributed(self) -> bool:
        return self.single is None

    def client(self, team_id: str | None, enterprise_id: str | None = None) -> WebClient:
        """The workspace's client; one without a token (Slack answers not_authed) if it is not installed."""
        if self.single is not None:
            return self.single
        return self._entry(team_id, enterprise_id).client

    def bot_user(self, team_id: str | None, enterprise_id: str | None = None) -> str | None:
        if self.single is not None:
            return None
        return self._entry(team_id, enterprise_id).bot_user_id

    def for_row(self, row: OutboxMessage) -> WebClient:
        """The outbox deliverer's hook: the client of the row's workspace."""
        if self.single is not None:
            return self.single
        team_id, enterprise_id = row.team_id, row.enterprise_id
        if team_id is None:
            session = object_session(row)
            team_id = team_of(session, row) if session is not None else None
        return self.client(team_id, enterprise_id)

    def forget(self, team_id: str | None, enterprise_id: str | None = None) -> None:
        key = _key(team_id, enterprise_id)
        with self._lock_of(key):
            self._cache.pop(key, None)
            self._failures.pop(key, None)

    def refresh_all(self) -> int:
        """Rotate every installation's token that is near expiry (idle workspaces too); returns how many were checked."""
        if self.store is None:
            return 0
        teams = self.store.teams()
        for enterprise_id, team_id in teams:
            self._entry(team_id, enterprise_id)
        return len(teams)

    def _lock_of(self, key: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(key, threading.Lock())

    def _usable(self, key: str, entry: _Entry | None) -> bool:
        """The cached entry will do: its token is not near expiry, or refreshing it failed a short while ago."""
        if entry is None:
            return False
        if entry.expires_at is None or entry.expires_at > self.clock() + self.rotate_before_s:
            return True
        failure = self._failures.get(key)
        return failure is not None and failure.retry_at > self.clock()

    def _entry(self, team_id: str | None, enterprise_id: str | None) -> _Entry:
        key = _key(team_id, enterprise_id)
        entry = self._cache.get(key)
        if self._usable(key, entry):
            assert entry is not None
            return entry
        with self._lock_of(key):
            entry = self._cache.get(key)
            if self._usable(key, entry):
                assert entry is not None
                return entry
            entry = self._load(key, team_id, enterprise_id)
            if entry.client.token is not None:
                self._cache[key] = entry
            return entry

    def _find(self, team_id: str | None, enterprise_id: str | None) -> Installation | None:
        """The installation as Bolt's authorize finds it: the workspace's own (in its Grid org, if any), else its org's."""
        assert self.store is not None
        if not team_id and not enterprise_id:
            return None
        if enterprise_id is None and team_id:
            # A row made by a job may not know the org; the installation does (a workspace is in at most one).
            enterprise_id = self.store.enterprise_of(team_id)
        found = self.store.find_installation(enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=False)
        if found is None and enterprise_id:
            found = self.store.find_installation(enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True)
        return found

    def _load(self, key: str, team_id: str | None, enterprise_id: str | None) -> _Entry:
        installation = self._find(team_id, enterprise_id)
        if installation is None or not installation.bot_token:
            log.warning("no installation for team %s; its messages cannot be sent", team_id)
            return _Entry(make_web_client(None, self.api_url), None, None)
        expires_at = installation.bot_token_expires_at
        failure = self._failures.get(key)
        due = expires_at is not None and expires_at <= self.clock() + self.rotate_before_s
        if self.rotator is not None and due and (failure is None or failure.retry_at <= self.clock()):
            rotated = self._rotate(key, team_id, installation)
            if rotated is not None:
                installation = rotated
        expires = installation.bot_token_expires_at
        return _Entry(make_web_client(installation.bot_token, self.api_url), int(expires) if expires else None, installation.bot_user_id)

    def _rotate(self, key: str, team_id: str | None, installation: Installation) -> Installation | None:
        """Refresh the token (under the workspace's lock); None if it failed, which is remembered with a growing pause."""
        assert self.rotator is not None and self.store is not None
        expires_at = installation.bot_token_expires_at or 0
        # Due by our clock; TokenRotator compares with time.time() itself, so give it a margin that covers now.
        margin = max(self.rotate_before_s, int(expires_at - time.time()) + 60) // 60 + 1
        try:
            rotated = self.rotator.perform_token_rotation(installation=installation, minutes_before_expiration=margin)
        except (SlackTokenRotationError, *NETWORK_ERRORS) as err:
            # Keep the current token (it may still work) and leave Slack alone for a while.
            previous = self._failures.get(key)
            backoff = min(previous.backoff * 2, REFRESH_BACKOFF_MAX_S) if previous else REFRESH_BACKOFF_S
            self._failures[key] = _Failure(self.clock() + backoff, backoff)
            code = _error_code(err) if isinstance(err, SlackTokenRotationError) else type(err).__name__
            log.warning("token rotation for team %s failed (%s); trying again in %.0f s", team_id, code, backoff)
            return None
        self._failures.pop(key, None)
        if rotated is not None:
            self.store.save_rotated(rotated)
            log.info("rotated the bot token of team %s", team_id)
        return rotated


def _key(team_id: str | None, enterprise_id: str | None) -> str:
    """A workspace's cache key: its team id (unique across Slack), or its org for an org-wide install."""
    return team_id or f"enterprise:{enterprise_id}"


def _error_code(err: SlackTokenRotationError) -> str:
    api_error: Any = getattr(err, "api_error", None)
    response = getattr(api_error, "response", None)
    return str(response.get("error")) if response is not None else type(err).__name__


def team_of(session: Session, row: OutboxMessage) -> str | None:
    """The workspace an outbox row goes to when enqueue was not told: its pair's, else the request's,
    else that of a pair or proposal of its recipient (a DM from a job)."""
    if row.team_id:
        return row.team_id
    with session.no_autoflush:
        if row.pair_id is not None:
            pair = session.get(Pair, row.pair_id)
            if pair is not None:
                return pair.team_id
        if row.ref_id is not None:
            ref = session.get(OutboxMessage, row.ref_id)
            if ref is not None and ref.team_id:
                return ref.team_id
        team = tenant.team()
        if team:
            return team
        if row.user:
            found = session.scalar(
                select(Pair.team_id).where(or_(Pair.kso_user == row.user, Pair.kd_user == row.user)).order_by(Pair.id.desc()).limit(1)
            )
            if found is None:
                found = session.scalar(
                    select(PairProposal.team_id)
                    .where(or_(PairProposal.kso_user == row.user, PairProposal.kd_user == row.user, PairProposal.proposed_by == row.user))
                    .order_by(PairProposal.id.desc())
                    .limit(1)
                )
            return found
    return None


def stamp_team(session: Session, row: OutboxMessage) -> None:
    """Give a new outbox row its workspace (see `team_of`) and Grid org, so the deliverer picks that workspace's token."""
    if row.team_id is None:
        row.team_id = team_of(session, row)
    if row.enterprise_id is None and row.team_id is not None:
        row.enterprise_id = _enterprise_of(session, row)


def _enterprise_of(session: Session, row: OutboxMessage) -> str | None:
    """The Enterprise Grid org of the row's workspace: the request's, else its pair's (a job's rows).

    Without either it stays None; the registry then finds the org from the installation when it sends.
    """
    current = tenant.current()
    if current is not None and current.team_id == row.team_id and current.enterprise_id:
        return current.enterprise_id
    with session.no_autoflush:
        pair = session.get(Pair, row.pair_id) if row.pair_id is not None else None
    return pair.enterprise_id if pair is not None and pair.team_id == row.team_id else None


class TenantDirectory:
    """bot.adapters.slack_directory for the request's workspace: its client, and Samspel's user there."""

    def __init__(self, clients: ClientRegistry) -> None:
        self.clients = clients

    def channel(self, channel_id: str) -> ChannelFacts | None:
        current = tenant.current()
        team_id = current.team_id if current else None
        enterprise_id = current.enterprise_id if current else None
        bot_user = (current.bot_user_id if current else None) or self.clients.bot_user(team_id, enterprise_id)
        return SlackDirectory(self.clients.client(team_id, enterprise_id), bot_user).channel(channel_id)
