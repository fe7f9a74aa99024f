"""SAMSPEL_LANGUAGE=en: the Monday agenda, agenda points, the close button, the rådsmöte post and the CLI preview
speak English; only the users' own words (and the Swedish command words) stay as they were written."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from bot import cli
from bot.models import AgendaPoint, OutboxMessage
from jobs.agenda import radsmote_tick
from tests.support.agenda import buttons, post_agenda_at, visible
from tests.support.agenda_data import add_arende, add_point, fill_every_section, the_pair
from tests.support.english import swedish_left
from tests.support.modals import close_incident
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World

# What `fill_every_section` stores, as the agenda shows it (escaped, no pings).
USER_TEXTS = (
    "Ta fram underlag om skolskjutsar",
    "Budgetdialog med nämnderna",
    "Utred @channel &amp; samverkan med @pelle",
    "Utred @channel & samverkan med @pelle",
    "Plan för lokalförsörjning",
    "Gäller det även gymnasiet?",
    "Detaljplan Norra hamnen",
    "Budgeten före december",
    "Ny förvaltningschef på plats",
    "Läckan i simhallen",
    "Vem äger lokalfrågan? @here",
    "Nationaldagsfirandet 2027",
    "Redan till KS",
)
# The point types are command words the user types; the terminal shows them without code marks.
TYPE_WORDS = "prioritering|info|incident|olöst|kommande"
RAD = "CRAD0001"


@pytest.mark.usefixtures("english")
def test_preview_with_every_section_in_english(paired: World) -> None:
    with paired.sessions() as s:
        fill_every_section(s)
    paired.at("2026-11-27 15:00")
    preview = ephemeral_text(paired.command("/agenda", "", user=KD))
    assert swedish_left(preview, *USER_TEXTS) == []
    assert preview.startswith(
        "_Preview only, nothing posted, built from today's data. "
        "The agenda will be posted Monday 30 Nov at 08:00 in the pair's channel._\n\n"
        "*Agenda for the KSO and KD, Monday 30 Nov (week 49)*\n\n"
        "*1. Status of the political decisions*\n"
        "• :white_check_mark: *Case #2* Redan till KS · to KS, decided by the KSO Monday 23 Nov\n"
        "• *#1* Ta fram underlag om skolskjutsar · :warning: *overdue* by 10 days, due Friday 20 Nov · 1 open question\n"
        "• *#2* Budgetdialog med nämnderna · due Friday 11 Dec\n"
        "• *#3* Utred @channel &amp; samverkan med @pelle · no due date\n\n"
        "*2. Cases ready for decision*\n"
        "• *#1* Detaljplan Norra hamnen · handed over by KD on Thursday 26 Nov · waiting for 4 days · "
        "KS 8 Dec\n\n"
        "*3. New assignments since the last meeting*\n"
        "• *#5* Plan för lokalförsörjning · due Friday 18 Dec · assigned Wednesday 25 Nov\n"
    )
    assert "• *#1* Ta fram underlag om skolskjutsar: _Gäller det även gymnasiet?_ · from KD, Tuesday 24 Nov" in preview
    assert preview.endswith(
        "Add a point with `/agenda + &lt;type&gt; &lt;text&gt;` (`prioritering|info|incident|olöst|kommande`). "
        "Points that are not closed carry over to next week's agenda."
    )


@pytest.mark.usefixtures("english")
def test_adding_points_and_refusals_in_english(paired: World) -> None:
    added = ephemeral_text(paired.command("/agenda", "+ incident Läckan i simhallen", user=KD))
    assert added == (
        "Point added under *Incidents that need to be followed up and cleared up*; "
        "it will be on the agenda for Monday 30 Nov: Läckan i simhallen"
    )
    usage = (
        "Write `/agenda + &lt;type&gt; &lt;text&gt;`, where type is one of "
        "`prioritering`, `info`, `incident`, `olöst`, `kommande`, `media`."
    )
    refusals = {
        "+": usage,
        "+ skvaller Något": "Unknown type `skvaller`. " + usage,
        "+ info": "The point is empty: write something after the command.",
        "+ info " + "x" * 3001: "The point is too long (3001 characters): at most 3000 characters can be sent.",
    }
    for text, expected in refusals.items():
        assert ephemeral_text(paired.command("/agenda", text, user=KSO)) == expected
    unknown = ephemeral_text(paired.command("/agenda", "radera 3", user=KD))
    assert unknown.startswith("I don't understand `/agenda radera`.\n")
    assert swedish_left(unknown) == []
    outsider = ephemeral_text(paired.command("/agenda", "+ info Hemligt", user=OUTSIDER))
    assert outsider == "Only the pair's KSO and KD can use this."
    with paired.sessions() as s:
        assert s.scalars(select(AgendaPoint.text)).all() == ["Läckan i simhallen"]


@pytest.mark.usefixtures("english")
def test_posted_agenda_in_english_then_empty_section_carry_over_and_close(paired: World) -> None:
    with paired.sessions() as s:
        ids = fill_every_section(s)
    [first] = post_agenda_at(paired, "2026-11-30 08:00")
    assert first["text"] == "Agenda for the KSO and KD, Monday 30 Nov (week 49)"
    shown = visible(first["blocks"])
    assert swedish_left(shown, *USER_TEXTS) == []
    assert "*7. Incidents that need to be followed up and cleared up*" in shown
    assert [(label, action) for label, action, _value in buttons(first["blocks"])] == [
        ("To KS", "arende_till_ks"),
        ("Back for preparation", "arende_ater"),
        ("Close", "agenda_stang"),
        ("Answer", "uppdrag_svara"),
        ("Close", "agenda_stang"),
        ("Close", "agenda_stang"),
        ("Close", "agenda_stang"),
        ("Close", "agenda_stang"),
    ]

    # A week later: nothing new was handed over, so that section asks its question; open points carry over.
    [second] = post_agenda_at(paired, "2026-12-07 08:00")
    shown = visible(second["blocks"])
    assert swedish_left(shown, *USER_TEXTS) == []
    assert "*3. New assignments since the last meeting*\n_Is the KSO handing new assignments to the KD?_" in shown
    assert "• Läckan i simhallen · from KD, Wednesday 25 Nov · _carried over for 1 week_" in shown

    paired.at("2026-12-07 09:30")
    paired.driver.action("agenda_stang", str(ids["incident"]), user=OUTSIDER, channel=CHANNEL, message_ts=second["ts"])
    close_incident(paired, str(ids["incident"]), note="Pump replaced", user=KD, message_ts=second["ts"])
    paired.driver.action("agenda_stang", str(ids["incident"]), user=KSO, channel=CHANNEL, message_ts=second["ts"])
    paired.deliver()
    answers = [(c["user"], c["text"]) for c in paired.slack.of("chat.postEphemeral")]
    assert answers == [
        (OUTSIDER, "Only the pair's KSO and KD can use this."),
        (KD, "Point closed; it will not carry over to the next agenda: Läckan i simhallen"),
        (KSO, "The point was already closed by KD on Monday 7 Dec."),
    ]
    [update] = paired.slack.of("chat.update")
    updated = visible(update["blocks"])
    assert ":white_check_mark: Läckan i simhallen · from KD, Wednesday 25 Nov · _carried over for 1 week_ · _closed by KD_" in updated
    assert swedish_left(updated, *USER_TEXTS) == []
    # Answering the open question ticks it off on the posted agenda too.
    paired.command("/uppdrag", "svar 1 Ja, även gymnasiet", user=KSO)
    paired.deliver()
    answered = visible(paired.slack.of("chat.update")[-1]["blocks"])
    assert "_Gäller det även gymnasiet?_ · from KD, Tuesday 24 Nov · _answered by KSO: Ja, även gymnasiet_" in answered
    assert swedish_left(answered, *USER_TEXTS, "Ja, även gymnasiet") == []

    # Two weeks on, the other points say so; the closed one is gone and its section asks again.
    [third] = post_agenda_at(paired, "2026-12-14 08:00")
    shown = visible(third["blocks"])
    assert "Ny förvaltningschef på plats · from KD, Tuesday 24 Nov · _carried over for 2 weeks_" in shown
    assert "Läckan" not in shown
    assert "_Have there been incidents that need to be followed up and cleared up?_" in shown


@pytest.mark.usefixtures("english")
def test_holiday_moves_the_agenda_with_an_english_note(paired: World) -> None:
    paired.command("/samspel", "ledig 2026-11-30 kurs", user=KD)
    preview = ephemeral_text(paired.command("/agenda", "", user=KD))
    assert swedish_left(preview) == []
    assert "_The meeting moves from Monday to Tuesday 1 Dec: Monday is a day off (one of your own days off)._" in preview
    assert post_agenda_at(paired, "2027-03-29 08:00") == []
    [message] = post_agenda_at(paired, "2027-03-30 08:00")
    assert message["text"] == "Agenda for the KSO and KD, Tuesday 30 Mar (week 13)"
    note = message["blocks"][1]["elements"][0]["text"]
    assert note == "The meeting moves from Monday to Tuesday 30 Mar: Monday is a day off (Easter Monday)."
    assert swedish_left(visible(message["blocks"])) == []


@pytest.mark.usefixtures("english")
def test_radsmote_post_in_english(paired: World) -> None:
    paired.command("/samspel", f"rådsmöte <#{RAD}|majoritetsledningen>", user=KSO)
    with paired.sessions() as s:
        pair = the_pair(s)
        add_arende(s, pair, 1, "Detaljplan Norra hamnen", "2026-11-26 10:00", status="till_ks", decided="2026-11-30 10:15", ks="2026-12-08")
        point_id = add_point(s, pair, "kommande", "Nationaldagsfirandet 2027", "2026-11-24 10:00").id
    paired.at("2026-11-30 13:00")
    radsmote_tick(paired.bot.deps)
    paired.deliver()
    [message] = paired.slack.posted_to(RAD)
    shown = visible(message["blocks"])
    assert message["blocks"][0]["text"]["text"] == "Council meeting (rådsmöte), Monday 30 Nov at 13:00"
    assert "*Cases going to KS*\n• *#1* Detaljplan Norra hamnen · KS meeting 2026-12-08" in shown
    assert "*Upcoming matters*\n• Nationaldagsfirandet 2027" in shown
    assert swedish_left(shown + message["text"], *USER_TEXTS) == []

    # The next week nothing new went to KS, and the upcoming point was closed: both sections say so.
    paired.at("2026-12-04 10:00")
    paired.driver.action("agenda_stang", str(point_id), user=KD, channel=CHANNEL)
    paired.at("2026-12-07 13:00")
    radsmote_tick(paired.bot.deps)
    paired.deliver()
    [_first, second] = paired.slack.posted_to(RAD)
    shown = visible(second["blocks"])
    assert "_No cases have gone to KS since the last council meeting._" in shown
    assert "_No upcoming matters have been raised._" in shown
    assert swedish_left(shown) == []


def test_cli_preview_in_english(paired: World, monkeypatch: pytest.MonkeyPatch) -> None:
    with paired.sessions() as s:
        fill_every_section(s)
        pair_id = the_pair(s).id
    monkeypatch.setenv("DATABASE_URL", paired.bot.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAMSPEL_LANGUAGE", "en")
    out = io.StringIO()
    assert cli.main(["agenda", "--pair", str(pair_id), "--date", "2026-12-07"], out=out) == 0
    text = out.getvalue()
    assert swedish_left(text, *USER_TEXTS, TYPE_WORDS) == []
    assert "Preview only, nothing posted, built from today's data." in text
    assert "Agenda for the KSO and KD, Monday 7 Dec (week 50)\n=====" in text
    assert "\n3. New assignments since the last meeting\n  Nothing yet. Question: Is the KSO handing new assignments to the KD?\n" in text
    assert "  • #1 Ta fram underlag om skolskjutsar · (!) overdue by 17 days, due Friday 20 Nov · 1 open question" in text
    assert "  • Läckan i simhallen · from KD, Wednesday 25 Nov · carried over for 1 week" in text
    assert text.rstrip().endswith(
        "Add a point in Slack with /agenda + <type> <text> (prioritering|info|incident|olöst|kommande). "
        "Points that are not closed carry over to next week's agenda."
    )
    with paired.sessions() as s:
        assert s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "post", OutboxMessage.id > paired.mark)) == 0

    # Julveckan 2026 with the pair's own days off: no working day, said in English.
    for day in ("2026-12-21", "2026-12-22", "2026-12-23"):
        paired.command("/samspel", f"ledig {day} jullov")
    out = io.StringIO()
    assert cli.main(["agenda", "--pair", str(pair_id), "--date", "2026-12-22"], out=out) == 0
    assert out.getvalue().strip() == "The week of 2026-12-22 (week 52) has no working day, so it gets no agenda."

    err = io.StringIO()
    assert cli.main(["agenda", "--pair", "99"], out=io.StringIO(), err=err) == 2
    assert err.getvalue().strip() == "There is no pair with id 99."
