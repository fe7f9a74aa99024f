"""The year in figures, checked against a hand-built year of data, and `python -m bot rapport`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot import cli, db
from bot.cli import rapport_text
from bot.clock import FakeClock
from bot.models import Uppdrag
from bot.services.rapport import year_figures
from tests.support.english import swedish_left
from tests.support.rapport import add_pair, hand_built_year
from tests.support.world import KD, KSO, local

NOW = "2027-11-10 12:00"  # the period is 2026-11-11 – 2027-11-10


def test_figures_match_a_hand_built_year(engine: Engine) -> None:
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        pair = hand_built_year(s)
        f = year_figures(s, pair, local(NOW))
    assert (f.first_day, f.last_day) == (date(2026, 11, 11), date(2027, 11, 10))
    assert (f.uppdrag_given, f.uppdrag_done, f.uppdrag_done_late, f.uppdrag_open_overdue) == (6, 4, 2, 2)
    assert (f.arenden_handed_over, f.arenden_decided, f.arenden_to_ks, f.arenden_back, f.arenden_waiting) == (5, 4, 2, 2, 1)
    assert f.median_days_to_decision == 2.5
    assert (f.messages_sent, f.messages_held, f.messages_akut, f.akut_weekend, f.akut_evening) == (6, 2, 4, 1, 2)
    assert [(r.day.isoformat(), r.when, r.reason) for r in f.akut_reasons] == [
        ("2027-03-06", "helg", "Brand på skolan <!channel>"),
        ("2027-05-11", "kväll", "Pressen ringer"),
        ("2027-08-18", "kväll", "Vattenläcka"),
    ]
    assert [r.role for r in f.akut_reasons] == ["KD", "KD", "KSO"]
    assert [(p.text, p.weeks, p.still_open) for p in f.carried_points] == [
        ("Lokalförsörjning", 3, False),
        ("Vindkraft <@UOUT0001>", 5, True),
    ]


def test_markdown_and_csv_show_the_same_figures(engine: Engine) -> None:
    sessions = db.make_session_factory(engine)
    clock = FakeClock(local(NOW))
    with db.transaction(sessions) as s:
        pair = hand_built_year(s)
        md = rapport_text(s, pair.id, "markdown", clock)
        text = rapport_text(s, pair.id, "csv", clock)
    assert md.startswith("# Året i siffror (2026-11-11 – 2027-11-10)")
    for line in (
        "- Givna: 6",
        "- Klara efter slutdatum: 2",
        "- Öppna efter slutdatum (i dag): 2",
        "- Åter för beredning: 2",
        "- Median dagar till beslut: 2,5",
        "- Hållna enligt respektregeln: 2",
        "- Akuta på helg/helgdag: 1 (17 %)",
        "- Akuta på vardagskväll: 2 (33 %)",
        "- Punkter som legat kvar 3 veckor eller mer: 2",
        "- 2027-03-06 (helg/helgdag, från KD): Brand på skolan <!channel>",
        "- 2027-08-18 (vardagskväll, från KSO): Vattenläcka",
    ):
        assert line in md.splitlines(), line
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["område", "mått", "värde"]
    table = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert table[("Uppdrag", "Klara")] == "4"
    assert table[("Ärenden", "Överlämnade")] == "5"
    assert table[("Meddelanden", "Skickade via Samspel")] == "6"
    assert table[("Akut skäl", "2027-03-06 helg/helgdag från KD")] == "Brand på skolan <!channel>"


def test_cli_rapport_markdown_csv_and_unknown_pair(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI reads the real clock, so this data is placed relative to it.
    now = datetime.now(UTC)
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        pair = add_pair(s)
        s.add_all(
            [
                Uppdrag(
                    pair_id=pair.id,
                    nr=1,
                    text="a",
                    given_by=KSO,
                    given_at=now - timedelta(days=40),
                    deadline=(now - timedelta(days=20)).date(),
                    status="done",
                    done_by=KD,
                    done_at=now - timedelta(days=10),
                ),
                Uppdrag(pair_id=pair.id, nr=2, text="b", given_by=KSO, given_at=now - timedelta(days=500), status="open"),
            ]
        )
        pid = pair.id
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["rapport", "--pair", str(pid)], out=out, err=err) == 0
    lines = out.getvalue().splitlines()
    assert "- Givna: 1" in lines and "- Klara efter slutdatum: 1" in lines
    out = io.StringIO()
    assert cli.main(["rapport", "--pair", str(pid), "--format", "csv"], out=out, err=err) == 0
    assert ["Uppdrag", "Klara", "1"] in list(csv.reader(io.StringIO(out.getvalue())))
    err = io.StringIO()
    assert cli.main(["rapport", "--pair", "999"], out=io.StringIO(), err=err) == 2
    assert err.getvalue().strip() == "Det finns inget par med id 999."


# The same year in English: only the users' own words stay Swedish.
USER_TEXTS = ("Brand på skolan", "Pressen ringer", "Vattenläcka", "Lokalförsörjning", "Vindkraft", "Punkt")


@pytest.mark.usefixtures("english")
def test_rapport_markdown_and_csv_in_english(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction(db.make_session_factory(engine)) as s:
        pid = hand_built_year(s).id
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAMSPEL_LANGUAGE", "en")

    out = io.StringIO()
    assert cli.main(["rapport", "--pair", str(pid), "--date", "2027-11-10"], out=out, err=io.StringIO()) == 0
    report = out.getvalue()
    assert swedish_left(report, *USER_TEXTS) == []
    assert report.startswith("# The year in figures (2026-11-11 – 2027-11-10)\n\n## Assignments\n- Given: ")
    for line in (
        "## Cases",
        "- Median days to decision: 2.5",
        "- Back for preparation: 2",
        "- Held until working hours (the respekt rule): ",
        "### Reasons given for urgent messages outside working hours",
        "- 2027-05-11 (weekday evening, from the KD): Pressen ringer",
        "### Agenda points carried over 3 weeks or more",
        "(added 2027-02-01, 3 weeks, closed)",
        "## How the figures are counted",
        "- The period is the last 12 months up to and including today, in the pair's time zone.",
    ):
        assert line in report, line

    out = io.StringIO()
    assert cli.main(["rapport", "--pair", str(pid), "--format", "csv", "--date", "2027-11-10"], out=out, err=io.StringIO()) == 0
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["area", "measure", "value"]
    assert rows[1] == ["Period", "From", "2026-11-11"]
    assert ["Cases", "Median days to decision", "2.5"] in rows
    assert ["Urgent reason", "2027-03-06 weekend/holiday from the KD", "Brand på skolan <!channel>"] in rows
    assert all(swedish_left(cell, *USER_TEXTS) == [] for row in rows for cell in row)

    err = io.StringIO()
    assert cli.main(["rapport", "--pair", str(pid), "--format", "pdf"], out=io.StringIO(), err=err) == 2
