"""Media points and closing incidents (issue 14, item 8), through signed requests and the fake Slack.

Seed 004: "Media; KSO har huvudansvaret" and "Har det funnits incidenter som behöver följas upp
och klaras ut?". A media point is first under the information section, marked as the KSO's,
and goes to the KSO at once when the KD adds it; an incident is closed with an owner and a note,
shown on the posted agenda and in the diarium export.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select

from bot.cli import export
from bot.models import AgendaPoint, Pair
from jobs.agenda import agenda_tick
from tests.support.modals import close_incident, last_opened
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World


def _post_agenda(world: World, when: str) -> dict[str, Any]:
    world.at(when)
    before = len(world.slack.posted_to(CHANNEL))
    agenda_tick(world.bot.deps)
    world.deliver()
    [message] = world.slack.posted_to(CHANNEL)[before:]
    return message


def _text(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(b["text"]["text"] for b in blocks if b.get("type") == "section")


def _dms_to(world: World, user: str) -> list[str]:
    return [m["text"] for m in world.slack.posted_to("D" + user.lstrip("U"))]


def _point_id(world: World, text: str) -> int:
    with world.sessions() as s:
        return int(s.scalars(select(AgendaPoint.id).where(AgendaPoint.text == text)).one())


def test_media_point_is_first_under_information_and_marked_as_the_kso(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    paired.command("/agenda", "+ info Budgetramarna är klara", user=KSO)
    for word in ("media", "press", "medier"):
        answer = ephemeral_text(paired.command("/agenda", f"+ {word} SVT frågar om badhuset ({word})", user=KSO))
        assert answer.startswith("Punkten är tillagd under *Information för att hålla ihop styrningen*")
    message = _post_agenda(paired, "2026-11-30 08:00")
    text = _text(message["blocks"])
    section = text[text.index("*6. Information för att hålla ihop styrningen*") : text.index("*7. Incidenter")]
    lines = [line for line in section.split("\n") if line.startswith("• ")]
    assert [line.split(" · ")[0] for line in lines] == [
        "• *Media, KSO:s ansvar:* SVT frågar om badhuset (media)",
        "• *Media, KSO:s ansvar:* SVT frågar om badhuset (press)",
        "• *Media, KSO:s ansvar:* SVT frågar om badhuset (medier)",
        "• Budgetramarna är klara",
    ]
    # The seed's nine sections stay as they are: no heading of its own.
    assert text.count("*10.") == 0


def test_kd_media_point_goes_to_the_kso_at_once_within_working_time(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    answer = ephemeral_text(paired.command("/agenda", "+ media Sydsvenskan vill intervjua om skolan", user=KD))
    assert "KSO, som har huvudansvaret för media, får den direkt." in answer
    paired.deliver()
    [dm] = _dms_to(paired, KSO)
    assert dm.startswith(
        ":loudspeaker: *Mediefråga* från KD, på agendan under *Information för att hålla ihop "
        "styrningen*: Sydsvenskan vill intervjua om skolan"
    )
    assert "Du har huvudansvaret för media" in dm
    assert _dms_to(paired, KD) == []


def test_kd_media_point_outside_working_time_waits_for_the_kso(paired: World) -> None:
    paired.at("2026-11-27 19:00")  # Friday evening
    answer = ephemeral_text(paired.command("/agenda", "+ press Journalist ringde om bygglovet", user=KD))
    assert "får den måndag 30 nov. kl. 08:00, enligt respektregeln" in answer
    assert "`/meddela akut &lt;text&gt;`" in answer
    paired.deliver()
    assert _dms_to(paired, KSO) == []
    paired.at("2026-11-30 08:00")
    paired.deliver()
    [dm] = _dms_to(paired, KSO)
    assert "Journalist ringde om bygglovet" in dm


def test_the_kso_own_media_point_sends_no_notice(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    answer = ephemeral_text(paired.command("/agenda", "+ media Pressträff om budgeten", user=KSO))
    assert "huvudansvaret för media" not in answer
    paired.deliver()
    assert _dms_to(paired, KSO) == [] and _dms_to(paired, KD) == []


def test_closing_an_incident_asks_for_owner_and_note(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    paired.command("/agenda", "+ incident Larmet gick i stadshuset", user=KD)
    paired.command("/agenda", "+ prioritering Budgeten först", user=KSO)
    message = _post_agenda(paired, "2026-11-30 08:00")
    incident, other = _point_id(paired, "Larmet gick i stadshuset"), _point_id(paired, "Budgeten först")

    paired.at("2026-11-30 09:30")
    paired.driver.action("agenda_stang", str(incident), user=KSO, channel=CHANNEL, message_ts=message["ts"])
    view = last_opened(paired)
    assert view["title"]["text"] == "Stäng incidenten"
    radios = next(b for b in view["blocks"] if b.get("block_id") == "agarskap")
    assert [o["text"]["text"] for o in radios["element"]["options"]] == ["KSO", "KD", "KSO och KD"]
    assert radios["element"]["type"] == "radio_buttons"
    paired.deliver()
    with paired.sessions() as s:
        assert s.get(AgendaPoint, incident).closed_at is None  # type: ignore[union-attr]

    # Without owner, and with an empty note: refused on each field.
    empty = paired.driver.submit(
        view["callback_id"], {"klarades_ut": {"klarades_ut": {"value": "Klart"}}}, user=KSO, private_metadata=view["private_metadata"]
    )
    assert json.loads(empty.body)["errors"] == {"agarskap": "Välj vem som äger uppföljningen."}
    blank = paired.driver.submit(
        view["callback_id"],
        {"agarskap": {"agarskap": {"selected_option": {"value": "bada"}}}, "klarades_ut": {"klarades_ut": {"value": "  "}}},
        user=KSO,
        private_metadata=view["private_metadata"],
    )
    assert json.loads(blank.body)["errors"] == {"klarades_ut": "Skriv kort hur incidenten klarades ut."}

    resp = close_incident(paired, str(incident), owner="bada", note="Ny rutin <!here> för larmet", message_ts=message["ts"])
    assert resp is not None and resp.status == 200 and not resp.body
    paired.deliver()
    [update] = paired.slack.of("chat.update")
    closed_line = next(line for line in _text(update["blocks"]).split("\n") if "Larmet" in line)
    assert closed_line == (
        ":white_check_mark: Larmet gick i stadshuset · från KD, tisdag 24 nov. · _stängd av KSO_ · "
        "uppföljning: KSO och KD · klarades ut: Ny rutin @here för larmet"
    )
    answers = [c["text"] for c in paired.slack.of("chat.postEphemeral") if c["user"] == KSO]
    assert answers[-1] == "Punkten är stängd och följer inte med till nästa agenda: Larmet gick i stadshuset"

    # Another point type closes at once, as before.
    opened = len(paired.slack.of("views.open"))
    paired.driver.action("agenda_stang", str(other), user=KD, channel=CHANNEL, message_ts=message["ts"])
    assert len(paired.slack.of("views.open")) == opened
    with paired.sessions() as s:
        point = s.get(AgendaPoint, incident)
        assert point is not None and (point.owner, point.resolution) == ("bada", "Ny rutin <!here> för larmet")
        assert s.get(AgendaPoint, other).closed_by == KD  # type: ignore[union-attr]


def test_the_export_shows_the_owner_and_the_note(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    paired.command("/agenda", "+ incident Vattenläcka i simhallen", user=KD)
    close_incident(paired, str(_point_id(paired, "Vattenläcka i simhallen")), owner="kd", note="Pumpen är bytt", user=KSO)
    with paired.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
        out = export(s, pair_id, "csv", None, None, now=paired.clock.now())
    assert isinstance(out, str)
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline=""), delimiter=";"))
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Agendapunkter")
    point = dict(zip(rows[start + 1], rows[start + 2], strict=False))
    assert (point["Typ"], point["Uppföljning"], point["Klarades ut"]) == ("incident", "KD", "Pumpen är bytt")
