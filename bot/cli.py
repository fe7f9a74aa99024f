"""`python -m bot [verb]`: run the bot, or one of the operator verbs.

Bad input prints one Swedish line on stderr and exits 2, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import NoReturn, TextIO

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot import db, i18n
from bot.clock import Clock, FakeClock, SystemClock
from bot.errors import UserError
from bot.i18n import _
from bot.outbox import NETWORK_ERRORS
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")


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
    dbp = sub.add_parser("db", help="databasen")
    dbp.add_argument("action", choices=["upgrade"])
    ag = sub.add_parser("agenda", help="förhandsvisar agendan utan att posta")
    ag.add_argument("--pair", type=int, required=True)
    ag.add_argument("--date", type=_day)
    ex = sub.add_parser("export", help="exporterar uppdrag, ärenden och logg för diariet")
    ex.add_argument("--pair", type=int, required=True)
    ex.add_argument("--format", choices=["csv", "json"], default="csv")
    ex.add_argument("--from", dest="date_from", type=_day)
    ex.add_argument("--to", dest="date_to", type=_day)
    rp = sub.add_parser("rapport", help="året i siffror")
    rp.add_argument("--pair", type=int, required=True)
    rp.add_argument("--format", choices=["markdown", "csv"], default="markdown")
    rp.add_argument("--date", type=_day, help="räkna som om det vore den dagen (förberedelse)")
    ic = sub.add_parser("ics", help="måndagsmötena och utvecklingssamtalet som iCalendar")
    ic.add_argument("--pair", type=int, required=True)
    ic.add_argument("--date", type=_day, help="kalendern från den dagen i stället för i dag")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Every tick would log twice; keep warnings about missed runs and failures.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    # A kick while delivery is already running is expected, not worth a warning.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    settings: Settings | None = None
    try:
        args = _parser().parse_args(list(argv or []))
        verb = args.verb or "serve"
        if verb == "manifest":
            from bot.manifest import manifest_json

            print(manifest_json(args.url), file=out)
            return 0
        if verb == "serve":
            settings = load_settings(mode=getattr(args, "mode", None))
            i18n.set_language(settings.language)
            return _serve(settings)
        settings = load_settings(require_slack=False)
        i18n.set_language(settings.language)
        engine = db.make_engine(settings.database_url)
        db.upgrade(engine)
        if verb == "db":
            print(_("Databasen är uppgraderad."), file=out)
            return 0
        return _offline(verb, args, settings, engine, out)
    except (SettingsError, UserError) as e:
        print(str(e), file=err)
        return 2
    except OperationalError as e:
        print(_("Kan inte nå databasen (DATABASE_URL): {error}. Kontrollera adressen och att databasen kör.").format(
            error=_driver_message(e, settings)), file=err)
        return 2
    except NETWORK_ERRORS as e:
        # auth.test at start: Slack (or SLACK_API_URL) does not answer.
        print(f"Kan inte nå Slack på SLACK_API_URL ({type(e).__name__}: {e}): kontrollera adressen och nätet.", file=err)
        return 2
    except SlackApiError as e:
        code = e.response.get("error") if isinstance(e.response.data, dict) else e.response.status_code
        print(_("Slack svarade {code}: kontrollera SLACK_BOT_TOKEN (och SLACK_API_URL).").format(code=code), file=err)
        return 2


def _driver_message(e: OperationalError, settings: Settings | None) -> str:
    """The driver's first line (e.g. 'database "x" does not exist'), never the URL's password."""
    line = (str(e.orig).strip().splitlines() or [type(e.orig).__name__])[0]
    password = make_url(settings.database_url).password if settings else None
    return line.replace(str(password), "***") if password else line


def _offline(verb: str, args: argparse.Namespace, settings: Settings, engine: Engine, out: TextIO) -> int:
    """Verbs that read the database and print, without talking to Slack."""
    from bot.db import make_session_factory, transaction
    from bot.pairs import get_pair

    clock: Clock = SystemClock()
    as_of = getattr(args, "date", None) if verb in ("rapport", "ics") else None
    if as_of is not None:
        # Noon local time on that day: the figures and the calendar as they will look then.
        clock = FakeClock(datetime.combine(as_of, time(12), tzinfo=settings.tz))
    with transaction(make_session_factory(engine)) as session:
        get_pair(session, args.pair)
        result = _render(verb, args, session, clock)
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


def _render(verb: str, args: argparse.Namespace, session: Session, clock: Clock) -> str:
    if verb == "agenda":
        from bot.agenda import preview_text

        return preview_text(session, args.pair, args.date, clock)
    if verb == "export":
        from bot.export import export

        return export(session, args.pair, args.format, args.date_from, args.date_to)
    if verb == "rapport":
        from bot.rapport import rapport_text

        return rapport_text(session, args.pair, args.format, clock)
    from bot.ics import ics_text

    return ics_text(session, args.pair, clock)


def _serve(settings: Settings) -> int:
    from bot.app import build

    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    # Benchmarks only (bench/burst.py): a real process at a simulated time. Unset in real use.
    from bot.clock import from_env

    samspel = build(settings, engine=engine, clock=from_env(os.environ.get("SAMSPEL_FAKE_NOW")))
    server = None
    if not settings.socket_mode:
        from bot.server import make_http_server

        # Bind before the scheduler starts, so a taken port stops the bot before it sends anything.
        try:
            server = make_http_server(samspel.app, lambda: db.ping(engine), settings.port)
        except OSError as e:
            raise SettingsError(
                f"PORT={settings.port} går inte att lyssna på ({e.strerror}): välj en annan port i .env eller stoppa det som redan lyssnar där."
            ) from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    samspel.start_scheduler()
    try:
        if server is None:
            from slack_bolt.adapter.socket_mode import SocketModeHandler
            from slack_sdk import WebClient

            handler = SocketModeHandler(samspel.app, settings.app_token, web_client=WebClient(base_url=settings.api_url))
            handler.connect()
            log.info("Samspel kör i Socket Mode")
            stop.wait()
            handler.close()
        else:
            threading.Thread(target=lambda: (stop.wait(), server.shutdown()), daemon=True).start()
            log.info("Samspel lyssnar på port %s (POST /slack/events, GET /healthz)", settings.port)
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        samspel.stop()
        if server is not None:
            server.server_close()
        log.info("Samspel har stoppats")
    return 0
