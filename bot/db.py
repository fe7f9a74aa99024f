"""Engine, sessions and migrations."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

SessionFactory = sessionmaker[Session]
# A unit of work as jobs see it: `with uow() as session:` (see bot/services/unit_of_work.py).
SessionScope = Callable[[], AbstractContextManager[Session]]


# Enough connections for every HTTP worker thread plus the scheduler's jobs, so no request waits for one.
POOL_SIZE = 10
MAX_OVERFLOW = 20


def make_engine(url: str) -> Engine:
    """The one way we make an engine: SQL parameters (people's words) never appear in logs or errors."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
            hide_parameters=True,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL syncs at checkpoints instead of at every commit (SQLite's advice for WAL, and
            # Rails' default): an application crash loses nothing, a power cut may undo the last commits, the
            # file is never corrupted. FULL made each command wait for its replay key's fsync (~6 ms here).
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        # No BEGIN IMMEDIATE: pysqlite opens the transaction at the first write, so reads before it see
        # the latest commit (as under PostgreSQL's READ COMMITTED, which our conditional UPDATEs are
        # written for) and a transaction never has to upgrade a stale read lock. Writers of this
        # process queue on `_writer_lock` (see transaction); other processes wait in busy_timeout.

        @event.listens_for(engine, "savepoint")
        def _begin_before_savepoint(conn: Connection, _name: str) -> None:
            # pysqlite does not open its transaction for a SAVEPOINT, and SQLite makes a savepoint outside a
            # transaction the transaction itself: its RELEASE committed at once. A first write in a savepoint
            # (a numbered uppdrag, a new person) then stayed when the unit of work rolled back. BEGIN here
            # (deferred, as pysqlite's own) keeps it inside; it is where SQLite's transaction began before too.
            dbapi_conn = conn.connection.dbapi_connection
            if dbapi_conn is not None and not dbapi_conn.in_transaction:
                dbapi_conn.execute("BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, hide_parameters=True)


def rowcount(result: Result[Any]) -> int:
    """Rows a DML statement touched (the race guards' conditional UPDATEs read this)."""
    return cast(CursorResult[Any], result).rowcount


# The key in each session's `info` under which the process default language travels
# (SAMSPEL_LANGUAGE; read by bot.services.people for a person who has none of their own).
DEFAULT_LANGUAGE = "default_language"


def make_session_factory(engine: Engine, *, language: str = "sv") -> SessionFactory:
    """Sessions on `engine`; each knows the deployment's default language (`DEFAULT_LANGUAGE` in `info`)."""
    return sessionmaker(engine, expire_on_commit=False, info={DEFAULT_LANGUAGE: language})


# One lock per SQLite file in this process. SQLite lets one writer in at a time and makes the
# others poll, sleeping up to 100 ms between tries (its busy handler), so under load some
# transactions waited seconds behind ones that took milliseconds. Threads of one process
# queue here instead and go in as soon as the previous transaction has committed.
_SQLITE_WRITERS: dict[str, threading.RLock] = {}
_SQLITE_WRITERS_GUARD = threading.Lock()


def _writer_lock(factory: SessionFactory) -> AbstractContextManager[object]:
    bind = factory.kw.get("bind")
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return nullcontext()
    with _SQLITE_WRITERS_GUARD:
        return _SQLITE_WRITERS.setdefault(str(bind.url.database), threading.RLock())


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with _writer_lock(factory), factory() as session, session.begin():
        yield session


@contextmanager
def connection_transaction(factory: SessionFactory) -> Iterator[Connection]:
    """One transaction on a bare connection, for a single hot statement (the replay key every request writes).

    The ORM session around one INSERT cost a third of its time; the writer lock is the same as `transaction`'s.
    """
    bind = factory.kw.get("bind")
    assert isinstance(bind, Engine), "sessions are bound to one engine"
    with _writer_lock(factory), bind.begin() as conn:
        yield conn


# session.info key: a memo of calendars for a transaction that changes none (the outbox's batches).
# Delivery asks for the same pair's calendar once per row; built once per batch it costs two queries, not 2n.
STABLE_CALENDARS = "samspel.stable_calendars"


def stable_calendars(session: Session) -> Session:
    """Mark `session` as one whose calendars do not change while it lasts (see STABLE_CALENDARS)."""
    session.info[STABLE_CALENDARS] = {}
    return session


@contextmanager
def reading(factory: SessionFactory) -> Iterator[Session]:
    """A session for reads only: no writer lock, nothing committed (it is rolled back on close)."""
    with factory() as session:
        yield session


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "bot:migrations")
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


# pg_advisory_xact_lock key for migrations: any fixed 64-bit number, the same in every process ("samspel" in ASCII).
MIGRATION_LOCK = 0x73616D7370656C


def upgrade(engine: Engine) -> None:
    """Run the Alembic migrations up to head.

    On PostgreSQL under an advisory lock, so a `release:` step and several processes starting at
    once never migrate at the same time: the others wait, then find the schema at head. The
    transaction-level lock is released by the commit (or rollback), even if a migration fails.
    """
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def ping(engine: Engine) -> bool:
    """True when the database answers (used by /healthz)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as err:  # noqa: BLE001 - any driver error means "not healthy"
        # Probed every few seconds by the platform: one line, not a traceback each time.
        log.warning("database ping failed: %s", str(err).splitlines()[0] if str(err) else type(err).__name__)
        return False


class QueryCount:
    """How many SQL statements ran (see `count_queries`)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, *_args: object) -> None:
        self.n += 1


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryCount]:
    """Count the statements sent to the database inside the block (N+1 checks, benchmarks)."""
    counter = QueryCount()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)
