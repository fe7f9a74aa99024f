"""The audit log as sentences: one describer per recorded action, and a fallback that never shows JSON."""

from __future__ import annotations

import ast
import re
from typing import Any

import pytest

from bot.i18n import translator
from bot.presenters.audit_log import DESCRIBERS, LogContext, describe
from tests.support.paths import ROOT
from tests.support.world import STHLM

NAMES = {"UKSO0001": "Anna Berg (KSO)", "UKD00001": "Bo Ek (KD)"}
SV = translator("sv")
CTX = LogContext(tz=STHLM, person=lambda u: NAMES.get(u or "", u or "–"), uppdrag_nr={7: 3}, point_text={5: "Larmet gick"})


def recorded_actions() -> set[str]:
    """Every action name the code passes to `audit.record` or to `pairs._change`, read from the source."""
    found: set[str] = set()
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "record":
                for kw in node.keywords:
                    if kw.arg == "action" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                        found.add(kw.value.value)
                    elif kw.arg == "action" and isinstance(kw.value, ast.JoinedStr):
                        # f"arende_{decision}": the decisions a case can get.
                        prefix = "".join(str(v.value) for v in kw.value.values if isinstance(v, ast.Constant))
                        found.update(prefix + d for d in ("till_ks", "ater"))
            elif name == "_change" and len(node.args) >= 4 and isinstance(node.args[3], ast.Constant):
                found.add(str(node.args[3].value))
    return found


def test_every_recorded_action_has_its_own_sentence() -> None:
    actions = recorded_actions()
    assert {"koppla", "arbetstid", "uppdrag_ny", "arende_till_ks", "agenda_stang", "gallring"} <= actions
    missing = actions - set(DESCRIBERS) - {"agenda_stang"}
    assert not missing, f"add a describer in bot/presenters/audit_log.py for: {sorted(missing)}"


@pytest.mark.parametrize(
    ("action", "entity_id", "before", "after", "sentence"),
    [
        (
            "arbetstid",
            None,
            {"work_start_min": 480, "work_end_min": 1020, "work_days": "12345"},
            {"work_start_min": 420, "work_end_min": 960, "work_days": "12345"},
            "Arbetstid ändrad från 08:00–17:00 till 07:00–16:00 (mån–fre)",
        ),
        (
            "arbetstid",
            None,
            {"work_start_min": 480, "work_end_min": 1020, "work_days": "12345"},
            {"work_start_min": 480, "work_end_min": 1020, "work_days": "1245"},
            "Arbetstid ändrad från mån–fre 08:00–17:00 till mån, tis, tors, fre 08:00–17:00",
        ),
        ("agendatid", None, {"agenda_time_min": 480}, {"agenda_time_min": 570}, "Agendatid ändrad från 08:00 till 09:30"),
        (
            "rådsmöte",
            None,
            {"radsmote_channel": "CRAD1", "radsmote_time_min": 780},
            {"radsmote_channel": None},
            "Rådsmötesagendan stängdes av (var: kanal CRAD1 kl. 13:00)",
        ),
        (
            "utvecklingssamtal_datum",
            None,
            {"next_talk": "2027-11-23"},
            {"next_talk": "2027-10-01"},
            "Datum för utvecklingssamtalet ändrat från 2027-11-23 till 2027-10-01",
        ),
        ("uppdrag_ny", 7, None, {"nr": 3, "text": "Utred", "deadline": "2026-12-18"}, "Uppdrag #3 gavs: Utred (senast 2026-12-18)"),
        ("uppdrag_oklart", 2, None, {"uppdrag_id": 7, "fraga": "Även hemtjänsten?"}, "Fråga om uppdrag #3: Även hemtjänsten?"),
        (
            "arende_ater",
            1,
            {"status": "vantar"},
            {"nr": 4, "status": "ater", "comment": "Saknar konsekvenser"},
            "Ärende #4 beslutat: åter för beredning. Kommentar: Saknar konsekvenser",
        ),
        ("agenda_stang", 5, None, {"closed_by": "UKD00001"}, "Agendapunkt stängd: Larmet gick"),
        (
            "spelregler_ny_version",
            9,
            {"version": 1},
            {"version": 2, "ändrade_avsnitt": ["Utvecklingssamtal"]},
            "Spelreglerna sparades som version 2 (ändrade avsnitt: Utvecklingssamtal)",
        ),
        (
            "utvecklingssamtal_genomfört",
            1,
            {"next_talk": "2027-03-01"},
            {"next_talk": "2028-03-01", "planned_date": "2027-03-01"},
            "Utvecklingssamtalet hölls (planerat 2027-03-01); nästa är 2028-03-01",
        ),
    ],
)
def test_sentences(action: str, entity_id: int | None, before: dict[str, Any] | None, after: dict[str, Any], sentence: str) -> None:
    assert describe(action, entity_id, before, after, CTX, SV) == sentence


def test_an_action_added_later_still_reads_as_labelled_fields_in_local_time() -> None:
    text = describe(
        "lämna_par",
        1,
        {"status": "active", "kd_user": "UKD00001"},
        {"status": "dissolved", "kd_user": "UKD00001", "status_changed_at": "2026-11-23T09:00:00+00:00", "work_start_min": 450},
        CTX,
        SV,
    )
    assert text == (
        "Lämna par: status ändrat från active till dissolved; status changed at: 2026-11-23 10:00 CET; arbetstidens början: 07:30"
    )
    assert not re.search(r"[{}\"]", text)


def test_a_describer_that_cannot_read_an_old_row_falls_back() -> None:
    # An entry written before the fields were what they are now must not break the export.
    assert describe("arbetstid", None, {"work_start_min": "8"}, {"work_days": 12345}, CTX, SV).startswith("Arbetstid ändrad")
    assert describe("uppdrag_ny", 1, None, None, CTX, SV) == "Uppdrag #? gavs: "
