"""Gallring: message texts go SAMSPEL_RETENTION_DAYS after delivery or cancelling, once, and the figures stay.

Driven through the real app and the real scheduled job functions on a fake clock, on SQLite and
(where TEST_DATABASE_URL is set) PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from bot.clock import FakeClock
from bot.i18n import translator
from bot.models import AuditEntry, JobRun, Meddelande, OutboxMessage, Pair, Uppdrag
from bot.presenters import rapport as rapport_text
from bot.presenters.retention import note
from bot.services import rapport, retention
from bot.settings import SettingsError, load_settings
from jobs import all_jobs
from jobs import retention as retention_jobs
from tests.support.dataskydd import by_header, run_export, tables
from tests.support.signing import SlackDriver
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, KSO, World, couple, local, make_bot

WHEN_RAPPORT = "2027-03-01 12:00"


@pytest.fixture(autouse=True)
def _default_retention() -> Iterator[None]:
    retention.configure(90)
    yield
    retention.configure(90)


@pytest.fixture
def any_world(slack: SlackServer, any_engine: Engine, clock: FakeClock) -> World:
    """A paired world on SQLite and on PostgreSQL."""
    bot = make_bot(slack, any_engine, clock)
    world = World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))
    couple(world)
    return world


def texts(world: World) -> dict[str, tuple[str, str]]:
    """{first words of what was written: (message text, its outbox row's text)} for every message."""
    with world.sessions() as s:
        rows = s.execute(
            select(Meddelande, OutboxMessage).join(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id).order_by(Meddelande.id)
        ).all()
        return {key: (m.text, row.text) for (m, row), key in zip(rows, MESSAGES, strict=True)}


MESSAGES = ("direkt", "hållet", "ångrat", "akut", "februari", "fredag")


def write_messages(w: World) -> None:
    """Six messages: delivered at once, held overnight, cancelled, akut on a Saturday, and two recent ones."""
    w.command("/meddela", "Kan vi ta budgeten på måndag?", user=KSO)  # Monday 23 Nov 10:00: at once
    w.deliver()
    w.at("2026-11-23 19:00")
    w.command("/meddela", "Glöm inte remissen om vindkraft", user=KD)  # held to Tuesday 08:00
    w.at("2026-11-23 20:00")
    w.command("/meddela", "Strunta i det jag skrev", user=KD)
    with w.sessions() as s:
        last = s.scalars(select(Meddelande.id).order_by(Meddelande.id.desc())).first()
    w.driver.action("meddela_angra", str(last), user=KD, channel=CHANNEL)
    w.at("2026-11-24 08:00")
    w.deliver()
    w.at("2026-11-28 11:00")  # Saturday
    w.command("/meddela", "akut Vattenläcka i stadshuset,\n  ring mig genast", user=KD)
    w.deliver()
    w.at("2027-02-10 10:00")
    w.command("/meddela", "Februari: kommer du på rådsmötet?", user=KSO)
    w.deliver()
    w.at("2027-02-19 18:00")  # Friday evening: held to Monday 22 Feb 08:00
    w.command("/meddela", "Fredag: läs bilagan före måndag", user=KSO)
    w.deliver()


def figures(w: World) -> tuple[rapport.YearFigures, str, str]:
    with w.sessions() as s:
        pair = s.scalars(select(Pair)).one()
        f = rapport.year_figures(s, pair, local(WHEN_RAPPORT))
        return f, rapport_text.markdown(f, translator()), rapport_text.slack_text(f, translator())


def gallring_lines(w: World) -> list[dict[str, object] | None]:
    with w.sessions() as s:
        return [e.after for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "gallring").order_by(AuditEntry.id))]


def test_the_daily_job_blanks_exactly_what_is_due_once_and_the_figures_stay(any_world: World) -> None:
    w = any_world
    w.command("/uppdrag", "Utred skolskjutsarna", user=KSO)  # the KD's notice is a copy of the uppdrag
    write_messages(w)
    before = figures(w)
    # Ångra removed the text at once: it was never delivered.
    assert texts(w)["ångrat"] == ("", "")
    assert texts(w)["direkt"][0] == "Kan vi ta budgeten på måndag?"

    assert w.tick(retention_jobs.daily, "2027-02-19 19:00") is not None  # 88 days after the first: nothing yet
    assert [k for k, (m, row) in texts(w).items() if not m and not row] == ["ångrat"]
    assert gallring_lines(w) == []

    # 90 days after the first delivery (23 Nov 10:00) its text and its outbox row's text and blocks go.
    swept = w.tick(retention_jobs.daily, "2027-02-21 12:00")
    assert swept is not None and (swept.messages, swept.rows) == (1, 1)
    assert [k for k, (m, row) in texts(w).items() if not m and not row] == ["direkt", "ångrat"]
    # The other notices: the KD's copy of the uppdrag and the KSO's note that the KD accepted the pair.
    assert gallring_lines(w) == [{"meddelanden": 1, "utskick": 1, "andra_utskick": 2, "dagar": 90}]
    with w.sessions() as s:
        notice = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "dm", OutboxMessage.user == KD).order_by(OutboxMessage.id)
        ).first()
        assert notice is not None and (notice.text, notice.blocks, notice.status) == ("", None, "sent")
        assert s.scalars(select(Uppdrag.text)).one() == "Utred skolskjutsarna"  # the record itself stays
    # The hourly tick again that day, or a second process, does nothing more.
    assert w.tick(retention_jobs.daily, "2027-02-21 15:00") is None
    assert len(gallring_lines(w)) == 1

    w.tick(retention_jobs.daily, "2027-02-22 12:00")  # the held one, delivered Tuesday 24 Nov 08:00
    w.tick(retention_jobs.daily, "2027-02-26 12:00")  # the akut one, Saturday 28 Nov
    blank = [k for k, (m, row) in texts(w).items() if not m and not row]
    assert blank == ["direkt", "hållet", "ångrat", "akut"]
    assert texts(w)["februari"][0] == "Februari: kommer du på rådsmötet?"
    assert texts(w)["fredag"][0] == "Fredag: läs bilagan före måndag"
    # The held one went with its Ångrat answer (sent the next morning, with the delivery run).
    assert [(line["meddelanden"], line["andra_utskick"]) for line in gallring_lines(w) if line] == [(1, 2), (1, 1), (1, 0)]
    with w.sessions() as s:
        assert s.scalar(select(func.count(JobRun.id)).where(JobRun.key.like("gallring:%"))) == 4
        akut = s.scalars(select(Meddelande).where(Meddelande.akut.is_(True))).one()
        # What the talk material shows of an akut reason stays, as it shows it.
        assert akut.akut_reason == "Vattenläcka i stadshuset, ring mig genast"
        row = s.get(OutboxMessage, akut.outbox_id)
        assert row is not None and row.blocks is None and row.status == "sent"

    # The year in figures, and its text, are the same: they count metadata, not texts.
    after = figures(w)
    assert after == before
    assert "Vattenläcka i stadshuset, ring mig genast" in after[1]
    assert "Meddelandetexter sparas 90 dagar efter leverans" in after[1] and note(retention.configured_days(), translator()) in after[2]

    # The export says what is gone.
    messages = by_header(tables(run_export(w, "csv"))["Meddelanden"])
    assert [m["Text"] for m in messages] == [
        "(texten är gallrad)",
        "(texten är gallrad)",
        "(texten togs bort när meddelandet ångrades)",
        "(texten är gallrad)",
        "Februari: kommer du på rådsmötet?",
        "Fredag: läs bilagan före måndag",
    ]
    log = by_header(tables(run_export(w, "csv"))["Logg"])
    assert log[-1]["Händelse"] == ("Gallring efter 90 dagar: texten togs bort i 1 meddelande och i 0 andra utskick från Samspel")
    assert log[-1]["Vem"] == "Samspel"


def test_zero_days_keeps_every_text(any_world: World) -> None:
    w = any_world
    retention.configure(0)
    write_messages(w)
    assert w.tick(retention_jobs.daily, "2028-01-10 12:00") is not None
    assert [k for k, (m, _row) in texts(w).items() if not m] == ["ångrat"]  # Ångra still removes at once
    assert gallring_lines(w) == []
    assert "tills vidare" in figures(w)[1]


def test_home_snapshots_are_deleted_once_sent(any_world: World) -> None:
    w = any_world
    w.command("/uppdrag", "Ta fram underlag om skolskjutsar", user=KSO)
    w.command("/meddela", "Hej", user=KSO)
    w.deliver()
    with w.sessions() as s:
        homes = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "home")).all()
        assert {h.status for h in homes} >= {"sent"}
        homes[-1].status = "failed"  # one that Slack refused: its status stays, its snapshot goes
        pending = OutboxMessage(
            kind="home",
            user=KD,
            text="",
            blocks=[{"type": "divider"}],
            status="pending",
            deliver_after=local("2027-01-01 08:00"),
            created_at=w.clock.now(),
            attempts=0,
            uncertain=False,
            respekt=False,
        )
        s.add(pending)
    assert w.tick(retention_jobs.homes, "2026-11-23 10:10") == len(homes) - 1
    with w.sessions() as s:
        left = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "home").order_by(OutboxMessage.id)).all()
        assert [(h.status, h.blocks) for h in left] == [("failed", None), ("pending", [{"type": "divider"}])]
    assert w.tick(retention_jobs.homes, "2026-11-23 10:20") == 0


def test_the_jobs_are_scheduled() -> None:
    ids = {job.id: job.seconds for job in all_jobs()}
    assert ids["gallring"] == 3600 and ids["hemvyer"] == 600


def test_the_setting_is_read_and_a_bad_value_is_one_line() -> None:
    assert load_settings({}, require_slack=False, dotenv=False).retention_days == 90
    assert load_settings({"SAMSPEL_RETENTION_DAYS": "0"}, require_slack=False, dotenv=False).retention_days == 0
    assert load_settings({"SAMSPEL_RETENTION_DAYS": " 30 "}, require_slack=False, dotenv=False).retention_days == 30
    for bad in ("-1", "nittio", "90d", "1e3", "99999999"):
        with pytest.raises(SettingsError) as err:
            load_settings({"SAMSPEL_RETENTION_DAYS": bad}, require_slack=False, dotenv=False)
        message = str(err.value)
        assert "SAMSPEL_RETENTION_DAYS" in message and "\n" not in message and repr(bad) in message


def test_cli_rapport_says_when_texts_go(paired: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from bot import cli

    monkeypatch.setenv("DATABASE_URL", paired.bot.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAMSPEL_RETENTION_DAYS", "30")
    out = io.StringIO()
    assert cli.main(["rapport", "--pair", "1"], out=out, err=io.StringIO()) == 0
    assert "Meddelandetexter sparas 30 dagar efter leverans eller ångrande" in out.getvalue()


def test_a_message_slack_refused_loses_its_text_after_the_same_days(any_world: World) -> None:
    """Its outbox row ended `failed`, so it was never delivered nor cancelled: the text goes when it was due plus the days."""
    w = any_world
    original = w.slack._answer

    def refuse(method: str, params: dict) -> dict:  # type: ignore[type-arg]
        if method == "chat.postMessage" and "Budgeten" in str(params.get("text")):
            return {"ok": False, "error": "channel_not_found"}
        return original(method, params)

    w.slack._answer = refuse  # type: ignore[method-assign]
    w.command("/meddela", "Budgeten: kan vi ta den på måndag?", user=KSO)  # Monday 23 Nov 10:00
    w.deliver()
    w.slack._answer = original  # type: ignore[method-assign]
    with w.sessions() as s:
        m = s.scalars(select(Meddelande)).one()
        row = s.get(OutboxMessage, m.outbox_id)
        assert row is not None and row.status == "failed" and m.cancelled_at is None
        assert m.text == "Budgeten: kan vi ta den på måndag?" and m.text in row.text

    w.tick(retention_jobs.daily, "2027-02-19 19:00")  # 88 days: kept
    with w.sessions() as s:
        assert s.scalars(select(Meddelande.text)).one() == "Budgeten: kan vi ta den på måndag?"
    w.tick(retention_jobs.daily, "2027-02-21 12:00")  # 90 days after it was due
    with w.sessions() as s:
        m = s.scalars(select(Meddelande)).one()
        row = s.get(OutboxMessage, m.outbox_id)
        assert row is not None and (m.text, row.text, row.blocks, row.status) == ("", "", None, "failed")
    [line] = gallring_lines(w)
    assert line is not None and line["meddelanden"] == 1 and line["utskick"] == 1
    w.tick(retention_jobs.daily, "2027-02-22 12:00")  # the next day: nothing more
    assert len(gallring_lines(w)) == 1
    [message] = by_header(tables(run_export(w, "csv"))["Meddelanden"])
    assert (message["Status"], message["Text"]) == ("kunde inte levereras", "(texten är gallrad)")
    # The log line counts in words that agree with the number.
    log = by_header(tables(run_export(w, "csv"))["Logg"])
    assert log[-1]["Händelse"].startswith("Gallring efter 90 dagar: texten togs bort i 1 meddelande och i ")


def test_the_retention_line_in_english_agrees_with_its_numbers() -> None:
    from bot.presenters.audit_log import LogContext, describe

    ctx = LogContext(tz=ZoneInfo("Europe/Stockholm"), person=str)
    line = {"meddelanden": 1, "utskick": 1, "andra_utskick": 1, "dagar": 1}
    assert describe("gallring", None, None, line, ctx, translator("en")) == (
        "Retention after 1 day: the text was removed from 1 message and from 1 other message sent by Samspel"
    )
    line = {"meddelanden": 2, "utskick": 2, "andra_utskick": 0, "dagar": 90}
    assert describe("gallring", None, None, line, ctx, translator()) == (
        "Gallring efter 90 dagar: texten togs bort i 2 meddelanden och i 0 andra utskick från Samspel"
    )
