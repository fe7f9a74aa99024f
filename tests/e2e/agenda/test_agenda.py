"""The Monday agenda's content: sections, questions, points, carry-over, the close button, the CLI."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from bot import cli, db
from bot.domain.agenda import POINT_TYPES, SECTION_KEYS
from bot.i18n import translator
from bot.models import AgendaPoint, AuditEntry, OutboxMessage, Pair
from bot.presenters.agenda import render_messages, section_heading, section_question
from bot.services.agenda import Agenda, build_agenda, meeting_of_week
from bot.services.pairs import calendar_for
from tests.support.agenda import blocks_text, buttons, post_agenda_at, visible
from tests.support.agenda_data import (
    add_arende,
    add_fraga,
    add_point,
    add_uppdrag,
    fill_every_section,
    the_pair,
)
from tests.support.english import swedish_left
from tests.support.modals import close_incident
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, local

GOLDEN = """\
_Förhandsvisning utan att posta, med dagens uppgifter. Agendan postas måndag 30 nov. kl. 08:00 i parets kanal._

*Agenda för KSO och KD måndag 30 nov. (vecka 49)*

*1. Status på de politiska besluten*
• :white_check_mark: *Ärende #2* Redan till KS · till KS, beslutat av KSO måndag 23 nov.
• *#1* Ta fram underlag om skolskjutsar · :warning: *försenat* 10 dagar, senast fredag 20 nov. · 1 öppen fråga
• *#2* Budgetdialog med nämnderna · senast fredag 11 dec.
• *#3* Utred @channel &amp; samverkan med @pelle · inget slutdatum

*2. Färdigberedda ärenden*
• *#1* Detaljplan Norra hamnen · lämnat av KD torsdag 26 nov. · har väntat 4 dagar · KS 8 dec.

*3. Nya uppdrag sedan förra mötet*
• *#5* Plan för lokalförsörjning · senast fredag 18 dec. · givet onsdag 25 nov.

*4. Prioriteringar att stämma av*
• Budgeten före december · från KSO, tisdag 24 nov.

*5. Osäkerhet i uppdrag*
• *#1* Ta fram underlag om skolskjutsar: _Gäller det även gymnasiet?_ · från KD, tisdag 24 nov.

*6. Information för att hålla ihop styrningen*
• Ny förvaltningschef på plats · från KD, tisdag 24 nov.

*7. Incidenter som behöver följas upp och klaras ut*
• Läckan i simhallen · från KD, onsdag 25 nov.

*8. Olösta frågor*
• Vem äger lokalfrågan? @here · från KSO, torsdag 26 nov.

*9. Kommande frågor inom den närmaste tiden*
• Nationaldagsfirandet 2027 · från KD, fredag 27 nov.

Lägg till en punkt med `/agenda + &lt;typ&gt; &lt;text&gt;` (prioritering|info|incident|olöst|kommande). \
Punkter som inte stängs följer med till nästa veckas agenda."""

HEADINGS = [
    "1. Status på de politiska besluten",
    "2. Färdigberedda ärenden",
    "3. Nya uppdrag sedan förra mötet",
    "4. Prioriteringar att stämma av",
    "5. Osäkerhet i uppdrag",
    "6. Information för att hålla ihop styrningen",
    "7. Incidenter som behöver följas upp och klaras ut",
    "8. Olösta frågor",
    "9. Kommande frågor inom den närmaste tiden",
]
QUESTIONS = [section_question(key, translator()) for key in SECTION_KEYS]


def test_golden_preview_with_every_section(paired: World) -> None:
    with paired.sessions() as s:
        fill_every_section(s)
    paired.at("2026-11-27 15:00")
    assert ephemeral_text(paired.command("/agenda", "", user=KD)) == GOLDEN
    # A preview posts nothing.
    paired.deliver()
    assert paired.slack.posted_to(CHANNEL) == []


def test_posted_agenda_has_sections_in_order_with_buttons(paired: World) -> None:
    with paired.sessions() as s:
        ids = fill_every_section(s)
    [message] = post_agenda_at(paired, "2026-11-30 08:00")
    blocks = message["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Agenda för KSO och KD måndag 30 nov. (vecka 49)", "emoji": True},
    }
    text = blocks_text(blocks)
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert buttons(blocks) == [
        ("Till KS", "arende_till_ks", str(ids["arende"])),
        ("Åter för beredning", "arende_ater", str(ids["arende"])),
        ("Stäng", "agenda_stang", str(ids["prioritering"])),
        ("Svara", "uppdrag_svara", str(ids["fraga"])),
        ("Stäng", "agenda_stang", str(ids["info"])),
        ("Stäng", "agenda_stang", str(ids["incident"])),
        ("Stäng", "agenda_stang", str(ids["olöst"])),
        ("Stäng", "agenda_stang", str(ids["kommande"])),
    ]
    # User text is escaped: no @channel/@here pings, no mentions, no raw markup.
    assert "<!channel>" not in text and "<!here>" not in text and "<@U0999" not in text
    assert "@channel &amp; samverkan" in text
    # Uppdrag done before the last meeting, answered questions and closed points are not on the agenda;
    # a case decided since the last meeting is in the status, not among the cases to decide.
    for hidden in ("Redan klart uppdrag", "Besvarad fråga", "Stängd punkt"):
        assert hidden not in text
    assert text.index("Redan till KS") < text.index("2. Färdigberedda ärenden")
    # The overdue uppdrag is listed before the ones that are on time.
    assert text.index("#1* Ta fram underlag") < text.index("#2* Budgetdialog") < text.index("#3* Utred")


HEADINGS_EN = [
    "1. Status of the political decisions",
    "2. Cases ready for decision",
    "3. New assignments since the last meeting",
    "4. Priorities to agree on",
    "5. Uncertainty in assignments",
    "6. Information to keep the steering together",
    "7. Incidents that need to be followed up and cleared up",
    "8. Unresolved questions",
    "9. Upcoming matters in the near future",
]
QUESTIONS_EN = [
    "What is the current status of the political decisions?",
    "Is the municipal director handing over cases ready for decision, and are they prepared well enough to go on to KS?",
    "Is the KSO handing new assignments to the KD?",
    "Are there priorities that need to be carried out and agreed on?",
    "Are there questions where the assignment is uncertain?",
    "Is there anything the other should be informed about to keep the steering together?",
    "Have there been incidents that need to be followed up and cleared up?",
    "Are there unresolved questions that need to be sorted out?",
    "Does the handling of upcoming matters in the near future need to be agreed on?",
]
SECTIONS_IN = {"sv": (HEADINGS, QUESTIONS), "en": (HEADINGS_EN, QUESTIONS_EN)}
# QUESTIONS is built with the translator; one question written out checks that it says what it should.
SIXTH_QUESTION = {
    "sv": "Finns det något den andre bör informeras om för att hålla ihop styrningen?",
    "en": "Is there anything the other should be informed about to keep the steering together?",
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_empty_pair_shows_all_nine_questions(paired: World, language: str) -> None:
    headings, questions = SECTIONS_IN[language]
    preview = ephemeral_text(paired.command("/agenda", ""))
    for heading, question in zip(headings, questions, strict=True):
        assert f"*{heading}*\n_{question}_" in preview
    assert SIXTH_QUESTION[language] in preview
    [message] = post_agenda_at(paired, "2026-11-30 08:00")
    posted = blocks_text(message["blocks"])
    shown = visible(message["blocks"])
    for question in questions:
        assert question in posted
        assert f"_{question}_" in shown
    assert buttons(message["blocks"]) == []
    if language == "en":
        assert swedish_left(shown) == []


def test_preview_on_monday_after_posting_shows_next_week(paired: World) -> None:
    # The fixture's clock is Monday 2026-11-23 10:00: this week's agenda time has passed.
    assert "måndag 30 nov. (vecka 49)" in ephemeral_text(paired.command("/agenda", "", user=KD))
    paired.at("2026-11-30 07:30")
    assert "måndag 30 nov. (vecka 49)" in ephemeral_text(paired.command("/agenda", "visa", user=KD))


def test_add_points_of_every_type(paired: World) -> None:
    answers = {
        "prioritering": "+ prioritering Budgeten före december",
        "info": "+info Ny förvaltningschef",
        "incident": "+ incident Läckan i simhallen",
        "olöst": "+ olost Vem äger lokalfrågan?",
        "kommande": "+ Kommande Nationaldagen 2027",
    }
    for typ, text in answers.items():
        reply = ephemeral_text(paired.command("/agenda", text, user=KD))
        assert section_heading(typ, translator()) in reply
        assert "måndag 30 nov." in reply
    with paired.sessions() as s:
        rows = s.scalars(select(AgendaPoint).order_by(AgendaPoint.id)).all()
        assert [(p.typ, p.created_by) for p in rows] == [(t, KD) for t in answers]
        assert rows[3].text == "Vem äger lokalfrågan?"
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "agenda_punkt")) == 5
    preview = ephemeral_text(paired.command("/agenda", ""))
    assert "*7. Incidenter som behöver följas upp och klaras ut*\n• Läckan i simhallen · från KD" in preview


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+", "Skriv `/agenda + &lt;typ&gt; &lt;text&gt;`"),
        ("+ incident", "Punkten är tom"),
        ("+ skvaller Något", "Okänd typ `skvaller`"),
        ("+ info " + "x" * 3001, "för lång"),
        ("radera 3", "Förstår inte `/agenda radera`"),
    ],
)
def test_bad_agenda_input_is_explained_and_nothing_stored(paired: World, text: str, expected: str) -> None:
    assert expected in ephemeral_text(paired.command("/agenda", text, user=KD))
    with paired.sessions() as s:
        assert s.scalar(select(func.count(AgendaPoint.id))) == 0


def test_outsider_can_neither_preview_nor_add(paired: World) -> None:
    with paired.sessions() as s:
        fill_every_section(s)
    for text in ("", "+ info Hemligt"):
        reply = ephemeral_text(paired.command("/agenda", text, user=OUTSIDER))
        assert "bara parets KSO och KD" in reply
        assert "skolskjutsar" not in reply
    with paired.sessions() as s:
        assert s.scalar(select(func.count(AgendaPoint.id)).where(AgendaPoint.text == "Hemligt")) == 0


def test_carry_over_across_two_weeks_then_close(paired: World) -> None:
    paired.at("2026-11-24 10:00")
    paired.command("/agenda", "+ olöst Vem äger lokalfrågan?", user=KSO)

    [first] = post_agenda_at(paired, "2026-11-30 08:00")
    assert 'Vem äger lokalfrågan? · från KSO, tisdag 24 nov."' in blocks_text(first["blocks"])
    assert "överförd" not in blocks_text(first["blocks"])

    [second] = post_agenda_at(paired, "2026-12-07 08:00")
    assert "Vem äger lokalfrågan? · från KSO, tisdag 24 nov. · _överförd, sedan 1 vecka_" in blocks_text(second["blocks"])

    [third] = post_agenda_at(paired, "2026-12-14 08:00")
    assert "_överförd, sedan 2 veckor_" in blocks_text(third["blocks"])

    # Closing it on the posted agenda marks it there, and it does not carry over again.
    with paired.sessions() as s:
        point_id = s.scalar(select(AgendaPoint.id))
    paired.at("2026-12-14 09:30")
    resp = paired.driver.action("agenda_stang", str(point_id), user=KD, channel=CHANNEL, message_ts=third["ts"])
    assert resp.status == 200
    paired.deliver()
    [update] = paired.slack.of("chat.update")
    assert update["ts"] == third["ts"]
    assert ":white_check_mark: Vem äger lokalfrågan?" in blocks_text(update["blocks"])
    assert "_stängd av KD_" in blocks_text(update["blocks"])
    assert ("Stäng", "agenda_stang", str(point_id)) not in buttons(update["blocks"])
    [ephemeral] = paired.slack.of("chat.postEphemeral")
    assert ephemeral["user"] == KD and "Punkten är stängd" in ephemeral["text"]
    with paired.sessions() as s:
        point = s.get(AgendaPoint, point_id)
        assert point is not None and point.closed_by == KD
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "agenda_stang")) == "agenda_stang"

    [fourth] = post_agenda_at(paired, "2026-12-21 08:00")
    assert "lokalfrågan" not in blocks_text(fourth["blocks"])
    assert "Finns det olösta frågor som behöver redas ut?" in blocks_text(fourth["blocks"])


def test_only_pair_members_can_close_a_point(paired: World) -> None:
    paired.command("/agenda", "+ incident Läckan i simhallen", user=KD)
    [message] = post_agenda_at(paired, "2026-11-30 08:00")
    with paired.sessions() as s:
        point_id = s.scalar(select(AgendaPoint.id))
    paired.driver.action("agenda_stang", str(point_id), user=OUTSIDER, channel=CHANNEL, message_ts=message["ts"])
    paired.deliver()
    [refusal] = paired.slack.of("chat.postEphemeral")
    assert refusal["user"] == OUTSIDER and "bara parets KSO och KD" in refusal["text"]
    assert "Läckan" not in refusal["text"]
    assert paired.slack.of("chat.update") == []
    with paired.sessions() as s:
        point = s.get(AgendaPoint, point_id)
        assert point is not None and point.closed_at is None
    # A second click by a member after closing says it is already closed, and changes nothing.
    close_incident(paired, str(point_id), user=KSO, message_ts=message["ts"])
    paired.driver.action("agenda_stang", str(point_id), user=KD, channel=CHANNEL, message_ts=message["ts"])
    paired.deliver()
    texts = [c["text"] for c in paired.slack.of("chat.postEphemeral")]
    assert "Punkten är stängd" in texts[1] and texts[2] == "Punkten var redan stängd av KSO måndag 30 nov."
    with paired.sessions() as s:
        point = s.get(AgendaPoint, point_id)
        assert point is not None and point.closed_by == KSO


def test_new_uppdrag_and_status_split_at_the_previous_meeting(paired: World) -> None:
    with paired.sessions() as s:
        pair = the_pair(s)
        add_uppdrag(s, pair, 1, "Före förra mötet", "2026-11-23 07:59")
        add_uppdrag(s, pair, 2, "Under förra mötet", "2026-11-23 08:30")
        add_uppdrag(s, pair, 3, "Klart men nytt", "2026-11-25 09:00", status="done")
    preview = ephemeral_text(paired.command("/agenda", ""))
    status = preview.split("*2. ")[0]
    new = preview.split("*3. ")[1].split("*4. ")[0]
    assert "Före förra mötet" in status and "Före förra mötet" not in new
    assert "Under förra mötet" in new and "Under förra mötet" not in status
    assert "#3* Klart men nytt · klart" in new


def test_cli_preview_prints_without_posting(paired: World, monkeypatch: pytest.MonkeyPatch) -> None:
    with paired.sessions() as s:
        fill_every_section(s)
        pair_id = the_pair(s).id
    monkeypatch.setenv("DATABASE_URL", paired.bot.engine.url.render_as_string(hide_password=False))
    out = io.StringIO()
    assert cli.main(["agenda", "--pair", str(pair_id), "--date", "2026-11-30"], out=out) == 0
    text = out.getvalue()
    for heading in HEADINGS:
        assert heading in text
    # The terminal shows the user's own characters, still without pings.
    assert "Utred @channel & samverkan med @pelle" in text
    assert "måndag 30 nov. kl. 08:00 i parets kanal" in text
    # Plain text for a terminal: no Slack markup, entities or emoji codes.
    assert "  • #1 Ta fram underlag om skolskjutsar · (!) försenat 10 dagar, senast fredag 20 nov." in text
    assert "  • #1 Ta fram underlag om skolskjutsar: Gäller det även gymnasiet? · från KD" in text
    assert "\n1. Status på de politiska besluten\n" in text
    for markup in ("*", "_", ":warning:", "`", "&lt;", "&amp;"):
        assert markup not in text, markup
    with paired.sessions() as s:
        assert s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "post", OutboxMessage.id > paired.mark)) == 0

    err = io.StringIO()
    assert cli.main(["agenda", "--pair", "99"], out=io.StringIO(), err=err) == 2
    assert err.getvalue().strip() == "Det finns inget par med id 99."


def _count_queries(engine: Engine, work: Any) -> int:
    with db.count_queries(engine) as queries:
        work()
    return queries.n


def _pair_with_volume(engine: Engine, n: int) -> int:
    sessions = db.make_session_factory(engine)
    with db.transaction(sessions) as s:
        pair = Pair(team_id="T1", channel_id=f"GVOL{n:05d}", kso_user=KSO, kd_user=KD, created_by=KSO, created_at=local("2026-01-05 09:00"))
        s.add(pair)
        s.flush()
        for i in range(1, n + 1):
            u = add_uppdrag(
                s, pair, i, f"Uppdrag {i}", "2026-11-10 09:00" if i % 2 else "2026-11-25 09:00", "2026-11-20" if i % 3 == 0 else None
            )
            add_fraga(s, u, f"Fråga {i}", "2026-11-24 10:00")
            add_arende(s, pair, i, f"Ärende {i}", "2026-11-26 10:00")
            add_point(s, pair, POINT_TYPES[i % 5], f"Punkt {i}", "2026-11-24 10:00")
        return pair.id


def test_building_uses_a_fixed_number_of_queries(engine: Engine) -> None:
    sessions = db.make_session_factory(engine)
    counts = {}
    for n in (3, 300):
        pair_id = _pair_with_volume(engine, n)
        with db.transaction(sessions) as s:
            pair = s.get(Pair, pair_id)
            assert pair is not None
            cal = calendar_for(s, pair)
            meeting = meeting_of_week(cal, pair, date(2026, 11, 30))
            assert meeting is not None
            built: list[Agenda] = []
            counts[n] = _count_queries(engine, lambda: built.append(build_agenda(s, pair, meeting)))  # noqa: B023
            assert sum(len(sec.items) for sec in built[0].sections) == 4 * n
            # Rendering touches no database at all.
            assert _count_queries(engine, lambda: render_messages(built[0], translator())) == 0  # noqa: B023
    # Constant in the volume (no N+1): items, plus the KS calendar and both members' calendars for the stopptid flags.
    assert counts[3] == counts[300] == 8


def test_long_agenda_is_split_into_messages_slack_accepts(paired: World) -> None:
    with paired.sessions() as s:
        pair = the_pair(s)
        for i in range(1, 61):
            add_arende(s, pair, i, f"Ärende nummer {i}", "2026-11-26 10:00")
            add_point(s, pair, "info", f"Information {i} " + "lång text " * 40, "2026-11-24 10:00")
    messages = post_agenda_at(paired, "2026-11-30 08:00")
    assert len(messages) > 1
    all_buttons = [b for m in messages for b in buttons(m["blocks"])]
    assert len([b for b in all_buttons if b[1] == "arende_till_ks"]) == 60
    assert len([b for b in all_buttons if b[1] == "agenda_stang"]) == 60
    for m in messages:
        assert len(m["blocks"]) <= 50
        for block in m["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
    assert "forts. (2)" in blocks_text(messages[1]["blocks"])
    # Every case's buttons stay together with its text in the same message.
    for m in messages:
        for i, block in enumerate(m["blocks"]):
            if block["type"] == "actions":
                assert m["blocks"][i - 1]["type"] == "section"


def test_preview_before_easter_shows_the_tuesday_meeting(paired: World) -> None:
    paired.at("2027-03-26 12:00")
    preview = ephemeral_text(paired.command("/agenda", ""))
    assert "*Agenda för KSO och KD tisdag 30 mars (vecka 13)*" in preview
    assert "måndagen är ledig (annandag påsk)" in preview


def test_very_long_point_text_still_gives_a_valid_agenda(paired: World) -> None:
    paired.command("/agenda", "+ info " + "Mycket lång bakgrund. " * 130, user=KD)
    [message] = post_agenda_at(paired, "2026-11-30 08:00")
    [point] = [b for b in message["blocks"] if b.get("block_id", "").startswith("agenda_punkt_")]
    assert len(point["text"]["text"]) < 3000
    assert point["text"]["text"].startswith("• Mycket lång bakgrund.") and "…" in point["text"]["text"]
