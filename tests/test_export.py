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


def test_json_is_one_document_with_everything(history: World) -> None:
    doc = json.loads(run_export(history, "json"))
    assert [u["nr"] for u in doc["uppdrag"]] == [1, 2, 3]
    assert doc["uppdrag"][0]["fragor"][0]["svar"] == "Ja; hela äldreomsorgen"
    assert doc["uppdrag"][0]["given_at"] == "2026-11-23T10:00:00+01:00"
    assert doc["arenden"][0]["decision"]["decided_by"] == KSO
    assert doc["audit"][-1]["action"] == "uppdrag_ny" and doc["audit"][-1]["role"] == "kso"


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
