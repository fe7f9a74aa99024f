"""The posted agenda changes in place: what `render_messages` wrote, its patches find again (bot.presenters.agenda).

A block id that the writer and the reader spelt differently would leave a decided case with
its buttons, or a closed point without its tick, on the channel's agenda, silently.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.domain.agenda import SECTION_KEYS, Meeting
from bot.i18n import translator
from bot.models import Arende
from bot.presenters import agenda as words
from bot.presenters.blocks import Block
from bot.services.agenda import Agenda, OpenQuestion, Point, Section, WaitingCase

MONDAY = date(2026, 11, 30)
POSTED = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
KSO, KD = "UKSO0001", "UKD00001"


def _agenda() -> Agenda:
    case = WaitingCase(7, 3, "Detaljplan Norra hamnen", "kd", date(2026, 11, 25), 5, None, None, None, None)
    question = OpenQuestion(8, 2, "Underlag om skolskjutsar", "Gäller det gymnasiet?", "kd", date(2026, 11, 26))
    point = Point(9, "prioritering", "Budgeten för 2027", "kso", date(2026, 11, 27), None)
    items = {"arenden": (case,), "osakerhet": (question,), "prioritering": (point,)}
    meeting = Meeting(MONDAY, POSTED, datetime(2026, 11, 23, 7, 0, tzinfo=UTC), None)
    return Agenda(1, "GPAIR001", meeting, "Europe/Stockholm", tuple(Section(k, items.get(k, ())) for k in SECTION_KEYS))


def _posted(late: str | None = None) -> list[Block]:
    [message] = words.render_messages(_agenda(), translator("sv"), late)
    return message


def _line(blocks: list[Block], needle: str) -> str:
    return next(json.dumps(b, ensure_ascii=False) for b in blocks if needle in json.dumps(b, ensure_ascii=False))


def _buttons(blocks: list[Block]) -> list[str]:
    found = []
    for b in blocks:
        found += [e["text"]["text"] for e in b.get("elements", []) if e.get("type") == "button"]
        if b.get("accessory", {}).get("type") == "button":
            found.append(b["accessory"]["text"]["text"])
    return found


def test_a_closed_point_is_ticked_off_and_loses_its_button() -> None:
    blocks = _posted()
    assert "Stäng" in _buttons(blocks)
    closed = words.with_point_closed(blocks, 9, "stängd av KSO")
    assert closed is not None
    assert ":white_check_mark: Budgeten för 2027" in _line(closed, "Budgeten") and "_stängd av KSO_" in _line(closed, "Budgeten")
    assert "Stäng" not in _buttons(closed)
    assert words.with_point_closed(blocks, 99, "stängd av KSO") is None  # a point not on this agenda


def test_an_answered_question_is_ticked_off_with_the_answer() -> None:
    t = translator("sv")
    answered = words.with_answer(_posted(), 8, words.answered_note("kso", "Ja, alla skolor", t))
    assert answered is not None
    assert "_besvarad av KSO: Ja, alla skolor_" in _line(answered, "skolskjutsar")
    assert "Svara" not in _buttons(answered)


def test_a_decided_case_shows_the_decision_where_its_buttons_were() -> None:
    blocks = _posted()
    assert {"Till KS", "Åter för beredning"} <= set(_buttons(blocks))
    case = Arende(
        id=7,
        nr=3,
        titel="Detaljplan Norra hamnen",
        submitted_by=KD,
        submitted_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        status="till_ks",
        decided_by=KSO,
        decided_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
    )
    decided = words.with_decision(blocks, case, "Europe/Stockholm", translator("sv"))
    assert decided is not None
    assert {"Till KS", "Åter för beredning"}.isdisjoint(_buttons(decided))
    at = next(i for i, b in enumerate(decided) if "beslutat av" in json.dumps(b, ensure_ascii=False))
    assert "Ärende #3" in json.dumps(decided[at - 1], ensure_ascii=False)  # in the case's place, under its title
    assert len(decided) == len(blocks)


def test_a_late_agenda_keeps_its_late_line_when_rendered_again() -> None:
    assert words.late_line(_posted("Försenad: postad 07:40")) == "Försenad: postad 07:40"
    assert words.late_line(_posted()) is None
