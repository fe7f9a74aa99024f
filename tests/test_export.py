"""Export for the diarium: CSV that Excel opens (BOM, `;`), JSON, date ranges, and the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from bot import cli
from bot.errors import UserError
from bot.export import export
from bot.models import Arende, Pair
from tests.conftest import KD, KSO, World

KSO_DM = "D" + KSO[1:]


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


def run_export(world: World, fmt: str, **period: object) -> str:
    with world.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
        return export(s, pair_id, fmt, period.get("date_from"), period.get("date_to"))  # type: ignore[arg-type]


def tables(text: str) -> dict[str, list[list[str]]]:
    """The CSV's titled tables: {title: [header, rows…]}."""
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    out: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = out.setdefault(row[0], [])
        else:
            current.append(row)
    return out


def test_csv_opens_cleanly_with_swedish_characters(history: World) -> None:
    text = run_export(history, "csv")
    assert "\r\n" in text and text.count("\ufeff") == 1
    t = tables(text)
    assert set(t) == {"Samspel: export för diariet", "Uppdrag", "Osäkerheter i uppdrag", "Ärenden", "Logg"}
    header, *uppdrag = t["Uppdrag"]
    assert header[:3] == ["Nr", "Uppdrag", "Givet av"]
    assert uppdrag[0][:2] == ["#1", "Utred äldreomsorgens bemanning 👵"]
    assert uppdrag[0][5:7] == ["klart", f"{KD} (KD)"]
    # A cell that Excel would run as a formula stays text.
    assert uppdrag[1][1] == "'=SUMMA(A1) ska inte bli en formel"
    [question] = t["Osäkerheter i uppdrag"][1:]
    assert question[1] == "Gäller det även hemtjänsten?" and question[4] == "Ja; hela äldreomsorgen"
    [case] = t["Ärenden"][1:]
    assert case[:3] == ["#1", "Taxor för vatten & avlopp", "KS 2026/77"]
    assert case[6:8] == ["till KS", f"{KSO} (KSO)"]
    log = t["Logg"][1:]
    assert [row[2] for row in log] == ["koppla", "uppdrag_ny", "uppdrag_ny", "uppdrag_oklart", "uppdrag_svar", "arende_ny",
                                      "arende_till_ks", "uppdrag_klart", "uppdrag_ny"]
    assert log[1][0] == "2026-11-23 10:00"  # local time, not UTC
    klart = log[7]
    assert json.loads(klart[5])["status"] == "open" and json.loads(klart[6])["status"] == "done"
    # The log names the records by the numbers people use, not by database ids.
    assert [row[7] for row in log] == ["", "uppdrag #1", "uppdrag #2", "fråga om uppdrag #1", "fråga om uppdrag #1",
                                       "ärende #1", "ärende #1", "uppdrag #1", "uppdrag #3"]


def test_json_is_one_document_with_everything(history: World) -> None:
    doc = json.loads(run_export(history, "json"))
    assert [u["nr"] for u in doc["uppdrag"]] == [1, 2, 3]
    assert doc["uppdrag"][0]["fragor"][0]["svar"] == "Ja; hela äldreomsorgen"
    assert doc["uppdrag"][0]["given_at"] == "2026-11-23T10:00:00+01:00"
    assert doc["arenden"][0]["decision"]["decided_by"] == KSO
    assert doc["audit"][-1]["action"] == "uppdrag_ny" and doc["audit"][-1]["role"] == "kso"
    assert doc["audit"][-1]["ref"] == "uppdrag #3"


def test_period_selects_rows_and_log_entries(history: World) -> None:
    from datetime import date

    november = json.loads(run_export(history, "json", date_to=date(2026, 11, 30)))
    assert [u["nr"] for u in november["uppdrag"]] == [1, 2]
    assert "uppdrag_klart" not in [e["action"] for e in november["audit"]]
    december = json.loads(run_export(history, "json", date_from=date(2026, 12, 1), date_to=date(2026, 12, 31)))
    # #1 was closed in December, so it is part of December's record.
    assert [u["nr"] for u in december["uppdrag"]] == [1, 3]
    assert [e["action"] for e in december["audit"]] == ["uppdrag_klart", "uppdrag_ny"]
    assert december["arenden"] == []
    with pytest.raises(UserError, match="ligger efter"):
        run_export(history, "csv", date_from=date(2026, 12, 31), date_to=date(2026, 12, 1))


def test_cli_writes_the_export_and_refuses_unknown_pair(history: World, monkeypatch: pytest.MonkeyPatch) -> None:
    url = history.bot.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    out, err = io.StringIO(), io.StringIO()
    with history.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
    assert cli.main(["export", "--pair", str(pair_id), "--format", "csv", "--from", "2026-11-01"], out=out, err=err) == 0
    assert "Utred äldreomsorgens bemanning" in out.getvalue() and out.getvalue().startswith("\ufeff")
    assert cli.main(["export", "--pair", "999", "--format", "json"], out=io.StringIO(), err=err) == 2
    assert "inget par med id 999" in err.getvalue()


def test_csv_quotes_separators_newlines_and_quotes_in_text(paired: World) -> None:
    paired.command("/uppdrag", 'Rad ett\nRad två; med "citat" 🙂', user=KSO)
    paired.command("/arende", "Budget; del 2", user=KD)
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    comment = "Saknar:\n- konsekvenser; för landsbygden\n- \"nollalternativ\""
    paired.driver.submit("arende_ater", {"kommentar": {"kommentar": {"type": "plain_text_input", "value": comment}}},
                         user=KSO, private_metadata=json.dumps({"arende": case_id, "channel": KSO_DM, "ts": None}))
    text = run_export(paired, "csv")
    # Excel reads a quoted cell with ; and line breaks as one cell; quotes inside are doubled.
    assert '"Rad ett\nRad två; med ""citat"" 🙂"' in text
    assert '"Budget; del 2"' in text
    # Every record ends in CRLF; a bare LF only ever occurs inside a quoted cell.
    outside_quotes = "".join(part for i, part in enumerate(text.split('"')) if i % 2 == 0)
    assert "\n" not in outside_quotes.replace("\r\n", "")
    t = tables(text)
    assert t["Uppdrag"][1][1] == 'Rad ett\nRad två; med "citat" 🙂'
    [case] = t["Ärenden"][1:]
    assert case[1] == "Budget; del 2"
    assert case[6:] == ["åter för beredning", f"{KSO} (KSO)", "2026-11-23 10:00", comment]
    decision = next(row for row in t["Logg"][1:] if row[2] == "arende_ater")
    assert json.loads(decision[5])["status"] == "vantar"
    assert json.loads(decision[6])["comment"] == comment and decision[1] == f"{KSO} (KSO)"


def test_period_is_inclusive_local_dates_across_midnight_and_dst(paired: World) -> None:
    from datetime import date

    # 23:30 on 30 November is 22:30 UTC; 00:30 on 1 December is still 30 November in UTC.
    for when, text in (("2026-11-30 23:30", "Sent på kvällen"), ("2026-12-01 00:30", "Strax efter midnatt"),
                       # Summer time starts on 28 March 2027: local midnight is then 22:00 UTC.
                       ("2027-03-28 23:30", "Sista timmen på DST-dagen"), ("2027-03-29 00:30", "Första timmen efter")):
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
    assert csv_rows["Samspel: export för diariet"][1][4:] == ["2026-12-01", "2027-03-28", "Europe/Stockholm"]
    assert [r[1] for r in csv_rows["Uppdrag"][1:]] == ["Strax efter midnatt", "Sista timmen på DST-dagen"]
    assert [r[0] for r in csv_rows["Logg"][1:]] == ["2026-12-01 00:30", "2027-03-28 23:30"]


def test_cli_writes_utf8_bytes_whatever_the_console_encoding(history: World) -> None:
    """`python -m bot export > fil.csv` on a console whose encoding is cp1252 still gives Excel's UTF-8 with BOM."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    with history.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
    env = {**os.environ, "DATABASE_URL": history.bot.engine.url.render_as_string(hide_password=False),
           "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run([sys.executable, "-m", "bot", "export", "--pair", str(pair_id), "--format", "csv"],
                          check=False, capture_output=True, env=env, cwd=Path(__file__).parent.parent, timeout=60)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert done.stdout.startswith(b"\xef\xbb\xbf")
    assert "Utred äldreomsorgens bemanning 👵".encode() in done.stdout
    assert b"\r\n" in done.stdout and b"\r\r\n" not in done.stdout
