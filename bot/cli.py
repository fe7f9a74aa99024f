"""`python -m bot [verb]`: run the bot, or one of the operator verbs.

Bad input prints one Swedish line on stderr and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, NoReturn, TextIO
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot import db
from bot.adapters import logs
from bot.clock import Clock, FakeClock, SystemClock
from bot.errors import SlackUnreachable, UserError
from bot.i18n import N_, SOURCE_LANGUAGE, Translator, translator
from bot.outbox import NETWORK_ERRORS
from bot.presenters import export as export_presenter
from bot.presenters import ics as ics_presenter
from bot.presenters import rapport as rapport_presenter
from bot.presenters.audit_log import counts_text
from bot.presenters.names import erased_person
from bot.services import erase, retention
from bot.services import export as export_service
from bot.services import ics as ics_service
from bot.services import rapport as rapport_service
from bot.services.erase import Erasure
from bot.services.names import Names
from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.db import SessionFactory
    from bot.server import Health, HttpServer, Service

log = logging.getLogger("bot")

XLSX_NEEDS_FILE = N_("xlsx är en binär fil: skriv den till en fil med --out, t.ex. --out export.xlsx.")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UserError(f"Fel i kommandoraden: {message}. Se `python -m bot --help`.")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum (ÅÅÅÅ-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m bot", description="Samspel: spelreglerna mellan KSO och KD i Slack.")
    sub = parser.add_subparsers(dest="verb")
    serve = sub.add_parser("serve", help="kör boten (standard)")
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_const", const="http", dest="mode")
    mode.add_argument("--socket", action="store_const", const="socket", dest="mode")
    man = sub.add_parser("manifest", help="skriver Slack-appens manifest (JSON)")
    man.add_argument("--url", help="https://din-värd/slack/events för HTTP-läge (annars Socket Mode)")
    man.add_argument(
        "--distributed", action="store_true", help="en app som många arbetsytor installerar (OAuth); kräver --url https://din-värd"
    )
    dbp = sub.add_parser("db", help="databasen")
    dbp.add_argument("action", choices=["upgrade"])
    ag = sub.add_parser("agenda", help="förhandsvisar agendan utan att posta")
    ag.add_argument("--pair", type=int, required=True)
    ag.add_argument("--date", type=_day)
    ex = sub.add_parser("export", help="exporterar ett pars handlingar för diariet, eller en persons registerutdrag")
    who = ex.add_mutually_exclusive_group(required=True)
    who.add_argument("--pair", type=int)
    who.add_argument("--person", help="Slack-id (U…): allt Samspel lagrar om personen, i alla par")
    ex.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
    ex.add_argument("--from", dest="date_from", type=_day)
    ex.add_argument("--to", dest="date_to", type=_day)
    ex.add_argument("--out", help="skriv till filen i stället för till stdout (krävs för xlsx i en terminal)")
    er = sub.add_parser("erase", help="raderar ett par eller en person (visar först vad som raderas)")
    target = er.add_mutually_exclusive_group(required=True)
    target.add_argument("--pair", type=int)
    target.add_argument("--person", help="Slack-id (U…)")
    target.add_argument("--team", help="arbetsytans id (T…): allt om arbetsytan, också installationen, t.ex. efter en avinstallation")
    target.add_argument("--list", action="store_true", help="visar raderingarna som gjorts: när, av vem, vad och hur mycket")
    er.add_argument("--yes", action="store_true", help="fråga inte först")
    er.add_argument("--actor", help="vem som raderar, till loggen (standard: användaren i operativsystemet)")
    rp = sub.add_parser("rapport", help="året i siffror")
    rp.add_argument("--pair", type=int, required=True)
    rp.add_argument("--format", choices=["markdown", "csv"], default="markdown")
    rp.add_argument("--date", type=_day, help="räkna som om det vore den dagen (förberedelse)")
    ic = sub.add_parser("ics", help="måndagsmötena och utvecklingssamtalet som iCalendar")
    ic.add_argument("--pair", type=int, required=True)
    ic.add_argument("--date", type=_day, help="kalendern från den dagen i stället för i dag")
    demo = sub.add_parser("demo", help="visar en vecka med Samspel utan Slack och utan inställningar")
    demo.add_argument("--html", metavar="FIL", help="skriv också förloppet som en fristående webbsida")
    return parser


def _configure_logging(verb: str | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The operator verbs print their own answer; Alembic's INFO lines ("Context impl …") on every run
    # would stand before it (and before a bad input's one line). `serve` and `db upgrade` keep them:
    # run `python -m bot db upgrade` to see what the migrations do.
    quiet = verb not in (None, "serve", "db")
    logging.getLogger("alembic").setLevel(logging.WARNING if quiet else logging.NOTSET)
    # Every tick would log twice; keep warnings about missed runs and failures.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    # A kick while delivery is already running is expected, not worth a warning.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)


def _manifest(args: argparse.Namespace, out: TextIO) -> int:
    from bot.manifest import manifest_json

    if args.distributed and not args.url:
        raise UserError("--distributed kräver --url med tjänstens adress, t.ex. --url https://samspel.example.se.")
    if args.distributed and not args.url.startswith("https://"):
        raise UserError("Slack kräver https: ange --url https://din-värd.")
    print(manifest_json(args.url, distributed=args.distributed), file=out)
    return 0


@dataclass
class _Run:
    """What one CLI run has read so far: the settings, once loaded, give the operator's language."""

    settings: Settings | None = None

    @property
    def t(self) -> Translator:
        # The operator's language (SAMSPEL_LANGUAGE), once the settings are read; Swedish before that.
        return translator(self.settings.language if self.settings else SOURCE_LANGUAGE)


def _run(argv: Sequence[str] | None, out: TextIO, inp: TextIO, run: _Run) -> int:
    args = _parser().parse_args(list(argv or []))
    verb = args.verb or "serve"
    _configure_logging(verb)
    if verb == "manifest":
        return _manifest(args, out)
    if verb == "demo":
        # Needs no settings: it builds its own, against a Slack stand-in on 127.0.0.1.
        from bot.demo import run as run_demo

        return run_demo(out=out, html_path=args.html)
    if verb == "serve":
        run.settings = load_settings(mode=getattr(args, "mode", None))
        logs.configure(run.settings.log_format)
        return _serve(run.settings)
    settings = run.settings = load_settings(require_slack=False)
    logs.configure(settings.log_format)
    t = run.t
    retention.configure(settings.retention_days)
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    if verb == "db":
        print(t("Databasen är uppgraderad."), file=out)
        return 0
    if verb == "export":
        return _export(args, settings, engine, out, t)
    if verb == "erase":
        return _erase(args, settings, engine, out, inp, t)
    return _offline(verb, args, settings, engine, out, t)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None, inp: TextIO | None = None) -> int:
    """`python -m bot …`: every failure the operator can fix is one line on stderr and exit status 2."""
    err = err or sys.stderr
    # Before the arguments are read: the verb then quiets what it does not need (`_run`).
    _configure_logging()
    run = _Run()
    try:
        return _run(argv, out or sys.stdout, inp or sys.stdin, run)
    except SettingsError as e:
        print(str(e), file=err)
        return 2
    except UserError as e:
        print(e.render(run.t), file=err)
        return 2
    except OperationalError as e:
        print(
            run.t("Kan inte nå databasen (DATABASE_URL): {error}. Kontrollera adressen och att databasen kör.").format(
                error=_driver_message(e, run.settings)
            ),
            file=err,
        )
        return 2
    except (*NETWORK_ERRORS, SlackUnreachable) as e:
        # auth.test at start: Slack (or SLACK_API_URL) did not answer within SAMSPEL_STARTUP_WAIT.
        print(f"Kan inte nå Slack på SLACK_API_URL ({type(e).__name__}: {e}): kontrollera adressen och nätet.", file=err)
        return 2
    except SlackApiError as e:
        code = e.response.get("error") if isinstance(e.response.data, dict) else e.response.status_code
        print(run.t("Slack svarade {code}: kontrollera SLACK_BOT_TOKEN (och SLACK_API_URL).").format(code=code), file=err)
        return 2


def _driver_message(e: OperationalError, settings: Settings | None) -> str:
    """The driver's first line (e.g. 'database "x" does not exist'), never the URL's password."""
    line = (str(e.orig).strip().splitlines() or [type(e.orig).__name__])[0]
    password = make_url(settings.database_url).password if settings else None
    return line.replace(str(password), "***") if password else line


def _offline(verb: str, args: argparse.Namespace, settings: Settings, engine: Engine, out: TextIO, t: Translator) -> int:
    """Verbs that read the database and print, without talking to Slack."""
    from bot.db import make_session_factory, reading
    from bot.services.pairs import get_pair

    clock: Clock = SystemClock()
    as_of = getattr(args, "date", None) if verb in ("rapport", "ics") else None
    if as_of is not None:
        # Noon local time on that day: the figures and the calendar as they will look then.
        clock = FakeClock(datetime.combine(as_of, time(12), tzinfo=settings.tz))
    # Read only (the figures, the calendar): no unit of work, nothing to commit, no writer to queue behind.
    with reading(make_session_factory(engine, language=settings.language)) as session:
        get_pair(session, args.pair)
        result = _render(verb, args, session, clock, t)
    _write(out, result if result.endswith("\n") else result + "\n")
    return 0


def _write(out: TextIO, text: str) -> None:
    """On the real stdout, exact UTF-8 bytes: the export keeps its BOM, åäö and CRLF whatever the console's encoding."""
    buffer = getattr(out, "buffer", None)
    if out is sys.stdout and buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)


def rapport_text(session: Session, pair_id: int, fmt: str, clock: Clock, t: Translator | None = None) -> str:
    """`python -m bot rapport`: the year in figures as Markdown or CSV, in the configured language."""
    figures = rapport_service.pair_figures(session, pair_id, clock.now())
    return rapport_presenter.render(figures, fmt, t or translator(SOURCE_LANGUAGE))


def ics_text(session: Session, pair_id: int, clock: Clock, t: Translator | None = None) -> str:
    """`python -m bot ics --pair ID`: the iCalendar file as text."""
    return ics_presenter.ics_text(ics_service.pair_calendar(session, pair_id, clock.now()), t or translator(SOURCE_LANGUAGE))


def _names(session: Session, now: datetime, t: Translator) -> Names:
    """People by name from the cache only (the CLI's `export` verb adds the Slack lookup)."""
    return Names(session, now, erased_name=erased_person(t))


def export_pair(
    session: Session,
    pair_id: int,
    fmt: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    names: Names | None = None,
    now: datetime | None = None,
    t: Translator | None = None,
) -> str | bytes:
    """The pair's records for the diarium: text for csv/json, bytes for xlsx (in Swedish unless `t` says otherwise)."""
    t, now = t or translator(SOURCE_LANGUAGE), now or SystemClock().now()
    names = names or _names(session, now, t)
    records = export_service.pair_records(session, pair_id, fmt, date_from, date_to, names=names, now=now)
    return export_presenter.render([export_presenter.pair_section(records, t)], fmt, t)


def export_person(
    session: Session,
    user_id: str,
    fmt: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    names: Names | None = None,
    now: datetime | None = None,
    tz: ZoneInfo = export_service.DEFAULT_TZ,
    t: Translator | None = None,
) -> str | bytes:
    """A person's own extract (registerutdrag): everything stored about them, in every pair."""
    t, now = t or translator(SOURCE_LANGUAGE), now or SystemClock().now()
    names = names or _names(session, now, t)
    records = export_service.person_records(session, user_id, fmt, date_from, date_to, names=names, now=now, tz=tz)
    return export_presenter.render(export_presenter.person_sections(records, t), fmt, t)


def export(
    session: Session,
    pair_id: int,
    fmt: str,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    names: Names | None = None,
    now: datetime | None = None,
    t: Translator | None = None,
) -> str:
    """`export_pair` for the text formats (csv, json), as a str."""
    if fmt == "xlsx":
        raise UserError(XLSX_NEEDS_FILE)
    result = export_pair(session, pair_id, fmt, date_from, date_to, names=names, now=now, t=t)
    assert isinstance(result, str)
    return result


def _render(verb: str, args: argparse.Namespace, session: Session, clock: Clock, t: Translator) -> str:
    if verb == "agenda":
        from bot.presenters.agenda import PLAIN, preview_text
        from bot.services.agenda import preview
        from bot.services.pairs import get_pair

        return preview_text(preview(session, get_pair(session, args.pair), clock.now(), args.date), t, PLAIN)
    if verb == "rapport":
        return rapport_text(session, args.pair, args.format, clock, t)
    return ics_text(session, args.pair, clock, t)


def _export(args: argparse.Namespace, settings: Settings, engine: Engine, out: TextIO, t: Translator) -> int:
    """`export --pair N | --person U…`: names from Slack when SLACK_BOT_TOKEN is set, else from the cache."""
    from bot.adapters.slack_names import client_lookup
    from bot.bootstrap import unit_of_work
    from bot.db import make_session_factory
    from bot.services.names import check_user_id

    if args.format == "xlsx" and not args.out and (out is not sys.stdout or sys.stdout.isatty()):
        raise UserError(XLSX_NEEDS_FILE)
    now = SystemClock().now()
    # A unit of work: the names it fetches from Slack are written to the cache (user_names) for the next export.
    with unit_of_work(make_session_factory(engine, language=settings.language))() as session:
        names = Names(session, now, client_lookup(settings), erased_name=erased_person(t))
        if args.pair is not None:
            result = export_pair(session, args.pair, args.format, args.date_from, args.date_to, names=names, now=now, t=t)
        else:
            result = export_person(
                session,
                check_user_id(args.person),
                args.format,
                args.date_from,
                args.date_to,
                names=names,
                now=now,
                tz=ZoneInfo(settings.timezone),
                t=t,
            )
    data = result.encode("utf-8") if isinstance(result, str) else result
    if args.out:
        try:
            with open(args.out, "wb") as f:
                f.write(data)
        except OSError as e:
            raise UserError(N_("Kan inte skriva {path}: {error}."), path=args.out, error=e.strerror) from None
        print(t("Exporten är sparad i {path}.").format(path=args.out), file=out)
        return 0
    buffer = getattr(out, "buffer", None)
    if isinstance(result, bytes) or (out is sys.stdout and buffer is not None):
        # Exact bytes: the CSV keeps its BOM, åäö and CRLF whatever the console's encoding.
        out.flush()
        assert buffer is not None
        buffer.write(data)
        buffer.flush()
    else:
        out.write(result)
    return 0


def _erase(args: argparse.Namespace, settings: Settings, engine: Engine, out: TextIO, inp: TextIO, t: Translator) -> int:
    """`erase --pair N | --person U… | --team T… [--yes]`: show what goes, ask, then delete and log it; `--list`: the erasures done."""
    import getpass

    from bot.bootstrap import unit_of_work
    from bot.db import make_session_factory
    from bot.services import tenants
    from bot.services.unit_of_work import dry_run

    if args.team is not None and not re.fullmatch(r"[TE][A-Z0-9]{2,31}", args.team):
        raise UserError(
            N_("{team} är inget arbetsyte-id: det börjar med T (eller E för en organisation), t.ex. T0123ABCD."), team=repr(args.team)
        )

    sessions = make_session_factory(engine, language=t.language)
    if args.list:
        return _erasures(sessions, settings, out, t)
    actor = (args.actor or "").strip() or getpass.getuser()
    clock = SystemClock()

    def run(session: Session) -> erase.Erasure:
        if args.pair is not None:
            return erase.erase_pair(session, args.pair, actor=actor, now=clock.now())
        if args.team is not None:
            return tenants.erase_team(session, args.team, actor=actor, now=clock.now())
        return erase.erase_person(session, args.person, actor=actor, now=clock.now())

    # The preview is the erasure itself, rolled back: it counts exactly what the real one will delete.
    with sessions() as session:
        dry_run(session)
        plan = run(session)
        session.rollback()
    print(_erase_summary(plan, done=False, t=t), file=out)
    if not args.yes:
        out.write(t("Skriv ja för att radera: "))
        out.flush()
        answer = inp.readline().strip().lower()
        if answer not in ("ja", "j", "yes", "y"):
            print(t("Avbrutet: inget raderades."), file=out)
            return 1
    with unit_of_work(sessions)() as session:
        done = run(session)
    print(_erase_summary(done, done=True, t=t), file=out)
    return 0


def _erase_summary(result: Erasure, *, done: bool, t: Translator) -> str:
    if result.target == "pair":
        what = t("par {pair}").format(pair=result.subject)
    elif result.target == "team":
        what = t("arbetsytan {team} (par: {pairs})").format(team=result.subject, pairs=", ".join(str(p) for p in result.pairs) or t("inga"))
    else:
        what = t("personen {user}").format(user=result.subject)
    lines = [
        (t("Raderat: {what}.") if done else t("Detta raderas för {what}:")).format(what=what),
        t("  tas bort: {counts}").format(counts=counts_text(result.deleted, t)),
    ]
    if result.target == "person":
        lines.append(t("  avidentifieras (id ersätts, siffrorna finns kvar): {counts}").format(counts=counts_text(result.anonymised, t)))
        if result.pairs:
            lines.append(t("  paren {pairs} upplöses.").format(pairs=", ".join(str(p) for p in result.pairs)))
    if done:
        lines.append(t("En rad i loggen visar att raderingen gjordes, av vem och när."))
    return "\n".join(lines)


def _erasures(sessions: SessionFactory, settings: Settings, out: TextIO, t: Translator) -> int:
    """`erase --list`: one line per erasure (its audit line outside any pair, or in a person's pair), oldest first."""
    from bot.db import transaction
    from bot.presenters import audit_log

    with transaction(sessions) as session:
        lines = erase.erasure_lines(session)
    if not lines:
        print(t("Inga raderingar har gjorts."), file=out)
        return 0
    ctx = audit_log.LogContext(tz=settings.tz, person=lambda user: user or "–")
    for e in lines:
        where = t("i par {pair}: ").format(pair=e.pair_id) if e.pair_id is not None else ""
        said = audit_log.describe(e.action, e.entity_id, e.before, e.after, ctx, t)
        print(f"{audit_log.local_time(e.at, settings.tz)}  {e.actor}  {where}{said}", file=out)
    return 0


def _wait_for(stop: threading.Event) -> None:
    """Until SIGTERM sets `stop`. In short waits: the kernel may hand the signal to any thread, and then only
    the main thread's next wake-up runs Python's handler; a plain wait() then never returned (a stop hung)."""
    while not stop.wait(timeout=0.5):
        pass


def _serve(settings: Settings) -> int:
    from bot.bootstrap import build

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    http = None if settings.socket_mode else _listen(settings)
    samspel = None
    try:
        engine = db.make_engine(settings.database_url)
        db.upgrade(engine)
        # Run each listener in the request's own thread and answer when it returns. Bolt's default
        # hands listeners to a pool of 5 threads and polls every 10 ms for the ack, so under load
        # commands queued there, and after 3 s Bolt answered 404 "unhandled request". This is also
        # the mode every test runs in.
        # Benchmarks only (bench/burst.py): a real process at a simulated time. Unset in real use.
        from bot.clock import from_env

        samspel = build(settings, engine=engine, process_before_response=True, clock=from_env(os.environ.get("SAMSPEL_FAKE_NOW")))
        if http is None:
            from slack_bolt.adapter.socket_mode import SocketModeHandler
            from slack_sdk import WebClient

            samspel.start_scheduler()
            handler = SocketModeHandler(samspel.app, settings.app_token, web_client=WebClient(base_url=settings.api_url))
            handler.connect()
            log.info("Samspel kör i Socket Mode")
            _wait_for(stop)
            handler.close()
        else:
            _, service, health = http
            service.attach(samspel.app, samspel.metrics.render if samspel.metrics else None, calendar=samspel.calendar_feed)
            health.watch(engine, samspel.scheduler, samspel.heartbeats)
            samspel.start_scheduler()
            health.ready()
            log.info(
                "Samspel lyssnar på port %s (POST /slack/events, GET /healthz, GET /metrics, GET /kalender/…%s)",
                settings.port,
                ", GET /slack/install" if settings.distributed else "",
            )
            _wait_for(stop)
    except KeyboardInterrupt:
        pass
    finally:
        if http is not None:
            http[0].shutdown()
        if samspel is not None:
            samspel.stop()
            log.info("Samspel har stoppats")
    return 0


def _listen(settings: Settings) -> tuple[HttpServer, Service, Health]:
    """Bind PORT first, before the database and Slack: a taken port stops the bot before it does anything,
    and the platform's health probe gets 503 "starting" (not a refused connection) while it starts."""
    from bot.server import Health, HttpServer, ServerOptions, Service

    health = Health()
    service = Service(health, signing_secret=settings.signing_secret)
    try:
        server = HttpServer(service, settings.port, options=ServerOptions(threads=settings.http_threads))
    except OSError as e:
        raise SettingsError(
            f"PORT={settings.port} går inte att lyssna på ({e.strerror}): välj en annan port i .env eller stoppa det som redan lyssnar där."
        ) from None
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    return server, service, health
