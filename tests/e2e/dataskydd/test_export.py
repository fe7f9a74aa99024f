"""Export for the diarium: tables a registrator can file, in CSV (Excel: BOM, `;`), xlsx and JSON, and the CLI.

People by name (from Slack's users.info, cached) with the id beside; local times labelled with
the zone; the log as Swedish sentences; tables for every kind of record, matching what is stored.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot import cli
from bot.errors import UserError
from bot.models import (
    AgendaPoint,
    Arende,
    Meddelande,
    OutboxMessage,
    Pair,
    SpelreglerVersion,
    Uppdrag,
    UserName,
)
from tests.support.dataskydd import by_header, run_export, tables
from tests.support.modals import close_incident
from tests.support.paths import ROOT
from tests.support.samtal import submit as submit_spelregler
from tests.support.world import KD, KSO, STHLM, World

KSO_DM = "D" + KSO[1:]
NAMES = {KSO: "Anna Berg", KD: "Bo Ek"}
TABLES = [
    "Samspel: export för diariet",
    "Uppdrag",
    "Osäkerheter i uppdrag",
    "Ärenden",
    "Agendapunkter",
    "Meddelanden",
    "Spelregler",
    "Utvecklingssamtal",
    "Logg",
]


@pytest.fixture
def history(paired: World) -> World:
    """Two weeks of work: uppdrag given, questioned, answered and closed; a case handed over and decided."""
    paired.command("/uppdrag", "Utred äldreomsorgens bemanning 👵 senast fredag", user=KSO)
    paired.command("/uppdrag", "=SUMMA(A1) ska inte bli en formel", user=KSO)
    paired.command("/uppdrag", "oklart 1 Gäller det även hemtjänsten?", user=KD)
    paired.command("/uppdrag", "svar 1 Ja; hela äldreomsorgen", user=KSO)
    paired.command("/arende", "Taxor för vatten & avlopp KS 2026/77", user=KD)
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    paired.driver.action("arende_till_ks", str(case_id), user=KSO, channel=KSO_DM)
    paired.at("2026-12-02 09:00")
    paired.command("/uppdrag", "klart 1", user=KD)
    paired.command("/uppdrag", "Nytt i december", user=KSO)
    return paired


def cli_export(world: World, monkeypatch: pytest.MonkeyPatch, *argv: str, slack: bool = True) -> tuple[int, str, str]:
    """`python -m bot export …` with the bot token and the fake Slack in the environment (as on the server)."""
    monkeypatch.setenv("DATABASE_URL", world.bot.engine.url.render_as_string(hide_password=False))
    if slack:
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
        monkeypatch.setenv("SLACK_API_URL", world.bot.settings.api_url)
    else:
        monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    out, err = io.StringIO(), io.StringIO()
    rc = cli.main(["export", *argv], out=out, err=err)
    return rc, out.getvalue(), err.getvalue()


def test_csv_opens_cleanly_with_swedish_characters(history: World) -> None:
    text = run_export(history, "csv")
    assert "\r\n" in text and text.count("\ufeff") == 1
    t = tables(text)
    assert list(t) == TABLES
    uppdrag = by_header(t["Uppdrag"])
    assert uppdrag[0]["Nr"] == "#1" and uppdrag[0]["Uppdrag"] == "Utred äldreomsorgens bemanning 👵"
    assert (uppdrag[0]["Status"], uppdrag[0]["Klart av"], uppdrag[0]["Klart av (id)"]) == ("klart", f"{KD} (KD)", KD)
    # A cell that Excel would run as a formula stays text.
    assert uppdrag[1]["Uppdrag"] == "'=SUMMA(A1) ska inte bli en formel"
    [question] = by_header(t["Osäkerheter i uppdrag"])
    assert question["Fråga"] == "Gäller det även hemtjänsten?" and question["Svar"] == "Ja; hela äldreomsorgen"
    [case] = by_header(t["Ärenden"])
    assert [case[k] for k in ("Nr", "Titel", "Dnr/länk", "Beslut", "Beslutat av (id)")] == [
        "#1",
        "Taxor för vatten & avlopp",
        "KS 2026/77",
        "till KS",
        KSO,
    ]
    log = by_header(t["Logg"])
    assert log[1]["Tid"] == "2026-11-23 10:00 CET"  # local time, labelled with the zone
    # The log reads as sentences and names records by the numbers people use.
    assert [(row["Händelse"], row["Gäller"]) for row in log[1:]] == [
        ("Uppdrag #1 gavs: Utred äldreomsorgens bemanning 👵 (senast 2026-11-27)", "uppdrag #1"),
        ("Uppdrag #2 gavs: =SUMMA(A1) ska inte bli en formel", "uppdrag #2"),
        ("Fråga om uppdrag #1: Gäller det även hemtjänsten?", "fråga om uppdrag #1"),
        ("Frågan om uppdrag #1 besvarades: Ja; hela äldreomsorgen", "fråga om uppdrag #1"),
        ("Ärende #1 lämnades för beslut: Taxor för vatten & avlopp (dnr/länk KS 2026/77)", "ärende #1"),
        ("Ärende #1 beslutat: till KS", "ärende #1"),
        ("Uppdrag #1 markerades som klart", "uppdrag #1"),
        ("Uppdrag #3 gavs: Nytt i december", "uppdrag #3"),
    ]
    assert log[0]["Händelse"].startswith("Paret kopplades i kanal GPAIR001: KSO")


def test_log_is_sentences_never_stored_json(history: World) -> None:
    history.command("/samspel", "arbetstid 07:00-16:00")
    history.command("/samspel", "arbetstid 07:00-15:00 mån-tor")
    history.command("/samspel", "agendatid 09:30")
    history.command("/samspel", "rådsmöte <#CRAD0001|rad> 13:15")
    history.command("/samspel", "ledig 2026-12-23 klämdag")
    history.command("/agenda", "+ incident Larmet gick i stadshuset", user=KD)
    with history.sessions() as s:
        point_id = s.scalars(select(AgendaPoint.id)).one()
    close_incident(history, str(point_id), user=KSO, channel="GPAIR001")
    text = run_export(history, "csv")
    events = [row["Händelse"] for row in by_header(tables(text)["Logg"])]
    assert events[-7:-1] == [
        "Arbetstid ändrad från 08:00–17:00 till 07:00–16:00 (mån–fre)",
        "Arbetstid ändrad från mån–fre 07:00–16:00 till mån–tors 07:00–15:00",
        "Agendatid ändrad från 08:00 till 09:30",
        "Rådsmötesagendan ändrad från avstängd till kanal CRAD0001 kl. 13:15",
        "Ledig dag tillagd: 2026-12-23 (klämdag)",
        "Agendapunkt tillagd (incident): Larmet gick i stadshuset",
    ]
    assert events[-1] == "Agendapunkt stängd: Larmet gick i stadshuset"
    # No stored field names, no JSON, no UTC anywhere in what a registrator reads.
    for leak in ("work_start_min", '{"', "+00:00", "T08:00", "agenda_time_min"):
        assert leak not in text


def test_people_by_name_from_slack_cached_with_the_id_beside(history: World, monkeypatch: pytest.MonkeyPatch) -> None:
    history.slack.names.update(NAMES)
    history.slack.reset()
    rc, out, err = cli_export(history, monkeypatch, "--pair", "1")
    assert rc == 0, err
    t = tables(out)
    [meta] = by_header(t["Samspel: export för diariet"])
    assert (meta["KSO"], meta["KSO (id)"], meta["KD"], meta["KD (id)"]) == ("Anna Berg (KSO)", KSO, "Bo Ek (KD)", KD)
    first = by_header(t["Uppdrag"])[0]
    assert (first["Givet av"], first["Givet av (id)"], first["Klart av"]) == ("Anna Berg (KSO)", KSO, "Bo Ek (KD)")
    assert "KSO Anna Berg (KSO), KD Bo Ek (KD)" in by_header(t["Logg"])[0]["Händelse"]
    assert sorted(c["user"] for c in history.slack.of("users.info")) == sorted([KSO, KD])
    # A second export uses the cache; a month later Slack is asked again (people change names).
    history.slack.names[KD] = "Bo Ek-Lund"
    assert cli_export(history, monkeypatch, "--pair", "1")[0] == 0
    assert len(history.slack.of("users.info")) == 2
    with history.sessions() as s:
        for row in s.scalars(select(UserName)):
            row.fetched_at -= timedelta(days=31)
    rc, out, _err = cli_export(history, monkeypatch, "--pair", "1")
    assert len(history.slack.of("users.info")) == 4
    assert by_header(tables(out)["Uppdrag"])[0]["Klart av"] == "Bo Ek-Lund (KD)"
    # Without a token (or with Slack down) the cache still answers.
    history.slack.fail_next("users.info", "500", times=10)
    rc, out, _err = cli_export(history, monkeypatch, "--pair", "1", slack=False)
    assert rc == 0 and "Bo Ek-Lund (KD)" in out


def test_summer_time_is_labelled_cest(paired: World) -> None:
    paired.at("2027-06-15 09:30")
    paired.command("/uppdrag", "Sommaruppdrag", user=KSO)
    [row] = by_header(tables(run_export(paired, "csv", date_from=date(2027, 6, 1)))["Uppdrag"])
    assert row["Givet"] == "2027-06-15 09:30 CEST"
    doc = json.loads(run_export(paired, "json", date_from=date(2027, 6, 1)))
    assert doc["uppdrag"][0]["given_at"] == "2027-06-15T09:30:00+02:00"


@pytest.fixture
def everything(history: World) -> World:
    """History plus agenda points, messages (held, akut, cancelled), a spelregler version and a held talk."""
    w = history
    w.command("/agenda", "+ incident Larmet gick i stadshuset", user=KD)
    w.command("/agenda", "+ prioritering Budgeten först", user=KSO)
    with w.sessions() as s:
        first_point = s.scalars(select(AgendaPoint.id).order_by(AgendaPoint.id)).first()
    close_incident(w, str(first_point), user=KSO, channel="GPAIR001")
    w.command("/meddela", "Kan vi ta budgeten på måndag?", user=KSO)  # inside working hours: at once
    w.deliver()
    w.at("2026-12-02 19:00")
    w.command("/meddela", "Glöm inte remissen", user=KD)  # held to tomorrow 08:00
    w.command("/meddela", "Strunta i det förra", user=KD)
    with w.sessions() as s:
        cancel_id = s.scalars(select(Meddelande.id).order_by(Meddelande.id.desc())).first()
    w.driver.action("meddela_angra", str(cancel_id), user=KD, channel="GPAIR001")
    w.at("2026-12-05 11:00")  # a Saturday
    w.command("/meddela", "akut Vattenläcka i stadshuset, ring mig", user=KD)
    w.deliver()
    w.at("2026-12-07 09:00")
    w.deliver()
    w.command("/spelregler", "", user=KD)
    submit_spelregler(w, {"Utvecklingssamtal": "I januari varje år."}, user=KD, base=1)
    w.command("/spelregler", "genomfört", user=KSO)
    w.deliver()
    return w


def test_every_kind_of_record_has_its_table(everything: World) -> None:
    t = tables(run_export(everything, "csv"))
    points = by_header(t["Agendapunkter"])
    assert [(p["Typ"], p["Punkt"], p["Lagd av (id)"], p["Utfall"], p["Stängd av (id)"]) for p in points] == [
        ("incident", "Larmet gick i stadshuset", KD, "stängd", KSO),
        ("prioritering", "Budgeten först", KSO, "öppen: följer med till nästa agenda", ""),
    ]
    messages = by_header(t["Meddelanden"])
    assert [(m["Från (id)"], m["Till (id)"], m["Hantering"], m["Status"], m["Text"]) for m in messages] == [
        (KSO, KD, "direkt: mottagaren hade arbetstid", "levererat", "Kan vi ta budgeten på måndag?"),
        (KD, KSO, "hållet till mottagarens arbetstid", "levererat", "Glöm inte remissen"),
        # Ångra removes the text at once: it was never delivered and is not needed.
        (KD, KSO, "hållet till mottagarens arbetstid", "ångrat", "(texten togs bort när meddelandet ångrades)"),
        (KD, KSO, "akut", "levererat", "Vattenläcka i stadshuset, ring mig"),
    ]
    held, akut = messages[1], messages[3]
    assert (held["Skrivet"], held["Levererat"]) == ("2026-12-02 19:00 CET", "2026-12-07 09:00 CET")
    assert (akut["Akut när"], akut["Skäl"], akut["Levererat"]) == (
        "helg/helgdag",
        "Vattenläcka i stadshuset, ring mig",
        "2026-12-05 11:00 CET",
    )
    assert messages[2]["Ångrat"] == "2026-12-02 19:00 CET"
    rules = by_header(t["Spelregler"])
    assert {r["Version"] for r in rules} == {"1", "2"}
    assert [r["Text"] for r in rules if r["Version"] == "2" and r["Avsnitt"] == "Utvecklingssamtal"] == ["I januari varje år."]
    assert {r["Sparad av (id)"] for r in rules if r["Version"] == "2"} == {KD}
    [talk] = by_header(t["Utvecklingssamtal"])
    assert (talk["Hölls"], talk["Registrerat av (id)"]) == ("2026-12-07 09:00 CET", KSO)


def test_json_matches_what_is_stored(everything: World) -> None:
    doc = json.loads(run_export(everything, "json"))
    assert set(doc) >= {
        "pair",
        "period",
        "uppdrag",
        "fragor",
        "arenden",
        "agendapunkter",
        "meddelanden",
        "spelregler",
        "utvecklingssamtal",
        "audit",
        "retention_days",
    }
    with everything.sessions() as s:
        stored_uppdrag = s.scalars(select(Uppdrag).order_by(Uppdrag.nr)).all()
        stored_messages = s.execute(
            select(Meddelande, OutboxMessage)
            .outerjoin(OutboxMessage, OutboxMessage.id == Meddelande.outbox_id)
            .order_by(Meddelande.written_at, Meddelande.id)
        ).all()
        versions = s.scalars(select(SpelreglerVersion)).all()
        assert [(u["nr"], u["text"], u["status"], u["given_by"]["id"], u["deadline"]) for u in doc["uppdrag"]] == [
            (u.nr, u.text, u.status, u.given_by, u.deadline.isoformat() if u.deadline else None) for u in stored_uppdrag
        ]
        assert [(m["sender"]["id"], m["recipient"]["id"], m["text"], m["status"]) for m in doc["meddelanden"]] == [
            (m.sender, m.recipient, m.text or None, "cancelled" if m.cancelled_at else row.status) for m, row in stored_messages
        ]
        assert [m["written_at"] for m in doc["meddelanden"]] == [m.written_at.astimezone(STHLM).isoformat() for m, _row in stored_messages]
        assert len(doc["spelregler"]) == len(versions) * 8
    assert doc["uppdrag"][0]["given_by"] == {"id": KSO, "name": KSO, "role": "KSO"}
    assert doc["uppdrag"][0]["given_at"] == "2026-11-23T10:00:00+01:00"
    assert doc["arenden"][0]["decided_by"]["id"] == KSO and doc["arenden"][0]["status"] == "till_ks"
    assert doc["audit"][-1]["action"] == "utvecklingssamtal_genomfört" and doc["audit"][-1]["actor"]["role"] == "KSO"
    assert doc["audit"][1]["ref"] == "uppdrag #1" and doc["audit"][1]["description"].startswith("Uppdrag #1 gavs")
    assert "before" not in doc["audit"][1]  # sentences, not the stored JSON
    assert doc["retention_days"] == 90


def test_xlsx_has_one_sheet_per_table_with_the_same_cells(everything: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "export.xlsx"
    rc, out, err = cli_export(everything, monkeypatch, "--pair", "1", "--format", "xlsx", "--out", str(target), slack=False)
    assert rc == 0, err
    assert str(target) in out
    book = load_workbook(target)
    assert book.sheetnames == ["Samspel export för diariet", *TABLES[1:]]  # ':' is not allowed in a sheet name
    csv_tables = tables(cli_export(everything, monkeypatch, "--pair", "1", slack=False)[1])
    for title, sheet_name in zip(TABLES, book.sheetnames, strict=True):
        rows = [list(r) for r in book[sheet_name].iter_rows(values_only=True)]
        assert len(rows) == len(csv_tables[title]), title
        assert rows[0] == csv_tables[title][0]
    sheet = book["Uppdrag"]
    formula_cell = sheet["B3"]
    assert formula_cell.value == "=SUMMA(A1) ska inte bli en formel" and formula_cell.data_type == "s"
    given = sheet["E2"]
    assert given.value.isoformat() == "2026-11-23T10:00:00" and '"CET"' in given.number_format
    messages = [list(r) for r in book["Meddelanden"].iter_rows(values_only=True)]
    assert messages[-1][-1] == "Vattenläcka i stadshuset, ring mig"


def test_period_selects_rows_and_log_entries(history: World) -> None:
    november = json.loads(run_export(history, "json", date_to=date(2026, 11, 30)))
    assert [u["nr"] for u in november["uppdrag"]] == [1, 2]
    assert "uppdrag_klart" not in [e["action"] for e in november["audit"]]
    december = json.loads(run_export(history, "json", date_from=date(2026, 12, 1), date_to=date(2026, 12, 31)))
    # #1 was closed in December, so it is part of December's record.
    assert [u["nr"] for u in december["uppdrag"]] == [1, 3]
    assert [e["action"] for e in december["audit"]] == ["uppdrag_klart", "uppdrag_ny"]
    assert december["arenden"] == []
    assert december["period"] == {"from": "2026-12-01", "to": "2026-12-31"}
    with pytest.raises(UserError, match="ligger efter"):
        run_export(history, "csv", date_from=date(2026, 12, 31), date_to=date(2026, 12, 1))


def test_cli_writes_the_export_and_refuses_bad_input(history: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rc, out, _err = cli_export(history, monkeypatch, "--pair", "1", "--format", "csv", "--from", "2026-11-01")
    assert rc == 0 and "Utred äldreomsorgens bemanning" in out and out.startswith("\ufeff")
    for argv, words in (
        (["--pair", "999", "--format", "json"], "inget par med id 999"),
        (["--pair", "1", "--person", KSO], "Fel i kommandoraden"),
        ([], "Fel i kommandoraden"),
        (["--pair", "1", "--format", "xlsx"], "--out"),
        (["--person", "anna"], "inget Slack-id"),
        (["--person", "UNOBODY01"], "inga uppgifter om UNOBODY01"),
    ):
        rc, _out, err = cli_export(history, monkeypatch, *argv, slack=False)
        assert rc == 2 and words in err and len(err.strip().splitlines()) == 1, (argv, err)


def test_csv_quotes_separators_newlines_and_quotes_in_text(paired: World) -> None:
    paired.command("/uppdrag", 'Rad ett\nRad två; med "citat" 🙂', user=KSO)
    paired.command("/arende", "Budget; del 2", user=KD)
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    comment = 'Saknar:\n- konsekvenser; för landsbygden\n- "nollalternativ"'
    paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": comment}}},
        user=KSO,
        private_metadata=json.dumps({"arende": case_id, "channel": KSO_DM, "ts": None}),
    )
    text = run_export(paired, "csv")
    # Excel reads a quoted cell with ; and line breaks as one cell; quotes inside are doubled.
    assert '"Rad ett\nRad två; med ""citat"" 🙂"' in text
    assert '"Budget; del 2"' in text
    # Every record ends in CRLF; a bare LF only ever occurs inside a quoted cell.
    outside_quotes = "".join(part for i, part in enumerate(text.split('"')) if i % 2 == 0)
    assert "\n" not in outside_quotes.replace("\r\n", "")
    t = tables(text)
    assert by_header(t["Uppdrag"])[0]["Uppdrag"] == 'Rad ett\nRad två; med "citat" 🙂'
    [case] = by_header(t["Ärenden"])
    assert case["Titel"] == "Budget; del 2"
    assert [case[k] for k in ("Beslut", "Beslutat av", "Beslutat", "Kommentar")] == [
        "åter för beredning",
        f"{KSO} (KSO)",
        "2026-11-23 10:00 CET",
        comment,
    ]
    decision = by_header(t["Logg"])[-1]
    assert decision["Händelse"] == f"Ärende #1 beslutat: åter för beredning. Kommentar: {comment}"
    assert decision["Vem"] == f"{KSO} (KSO)"


def test_period_is_inclusive_local_dates_across_midnight_and_dst(paired: World) -> None:
    # 23:30 on 30 November is 22:30 UTC; 00:30 on 1 December is still 30 November in UTC.
    for when, text in (
        ("2026-11-30 23:30", "Sent på kvällen"),
        ("2026-12-01 00:30", "Strax efter midnatt"),
        # Summer time starts on 28 March 2027: local midnight is then 22:00 UTC.
        ("2027-03-28 23:30", "Sista timmen på DST-dagen"),
        ("2027-03-29 00:30", "Första timmen efter"),
    ):
        paired.at(when)
        paired.command("/uppdrag", text, user=KSO)

    def texts(date_from: date | None, date_to: date | None) -> list[str]:
        doc = json.loads(run_export(paired, "json", date_from=date_from, date_to=date_to))
        return [u["text"] for u in doc["uppdrag"]]

    assert texts(date(2026, 11, 30), date(2026, 11, 30)) == ["Sent på kvällen"]
    assert texts(date(2026, 12, 1), date(2026, 12, 1)) == ["Strax efter midnatt"]
    assert texts(date(2027, 3, 28), date(2027, 3, 28)) == ["Sista timmen på DST-dagen"]
    assert texts(date(2027, 3, 29), None) == ["Första timmen efter"]
    assert texts(None, date(2026, 12, 1)) == ["Sent på kvällen", "Strax efter midnatt"]
    csv_rows = tables(run_export(paired, "csv", date_from=date(2026, 12, 1), date_to=date(2027, 3, 28)))
    [meta] = by_header(csv_rows["Samspel: export för diariet"])
    assert (meta["Från"], meta["Till"], meta["Tidszon"]) == ("2026-12-01", "2027-03-28", "Europe/Stockholm")
    assert [r["Uppdrag"] for r in by_header(csv_rows["Uppdrag"])] == ["Strax efter midnatt", "Sista timmen på DST-dagen"]
    assert [r["Tid"] for r in by_header(csv_rows["Logg"])] == ["2026-12-01 00:30 CET", "2027-03-28 23:30 CEST"]


def test_cli_writes_utf8_bytes_whatever_the_console_encoding(history: World) -> None:
    """`python -m bot export > fil.csv` on a console whose encoding is cp1252 still gives Excel's UTF-8 with BOM."""
    import os
    import subprocess
    import sys

    with history.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
    env = {**os.environ, "DATABASE_URL": history.bot.engine.url.render_as_string(hide_password=False), "PYTHONIOENCODING": "cp1252"}
    env.pop("SLACK_BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "export", "--pair", str(pair_id), "--format", "csv"],
        check=False,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.startswith(b"\xef\xbb\xbf")
    assert "Utred äldreomsorgens bemanning 👵".encode() in done.stdout
    assert b"\r\n" in done.stdout and b"\r\r\n" not in done.stdout
