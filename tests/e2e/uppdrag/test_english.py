"""English mode (SAMSPEL_LANGUAGE=en) for uppdrag, ärenden and the diarium export.

Signed requests through the real Bolt app; what the KSO and the KD receive (ephemeral
answers, DMs, message updates, modals, CLI output) must contain no Swedish beyond
the users' own words and the command words that stay Swedish.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from bot import cli
from bot.models import Arende, Pair, UppdragFraga
from tests.support.dataskydd import tables as csv_tables
from tests.support.english import swedish_left
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World

KD_DM = "D" + KD[1:]
KSO_DM = "D" + KSO[1:]

TASK = "Prepare a briefing on school transport"
QUESTION = "Does this include upper secondary schools?"
ANSWER = "Yes, all schools from next autumn"
CASE = "Zoning plan North Harbour"
COMMENT = "The impact on rural areas is missing"
USER_TEXTS = (TASK, QUESTION, ANSWER, CASE, COMMENT)


def say(world: World, command: str, text: str, user: str) -> str:
    return ephemeral_text(world.command(command, text, user=user))


def dms(world: World, user: str) -> list[str]:
    """The texts (and block texts) of every DM the bot sent to `user`."""
    return [
        (m["text"] or "") + ("\n" + json.dumps(m["blocks"], ensure_ascii=False) if m.get("blocks") else "")
        for m in world.slack.posted_to("D" + user[1:])
    ]


def ephemerals(world: World, user: str) -> list[str]:
    return [c["text"] for c in world.slack.of("chat.postEphemeral") if c["user"] == user]


def view_texts(view: dict[str, Any]) -> str:
    """Every text a person sees in a modal: title, buttons, sections, labels."""
    parts = [view["title"]["text"], view["submit"]["text"], view["close"]["text"]]
    for block in view["blocks"]:
        parts.append((block.get("text") or {}).get("text", ""))
        parts.append((block.get("label") or {}).get("text", ""))
    return "\n".join(parts)


def no_swedish(*texts: str) -> None:
    for text in texts:
        assert swedish_left(text, *USER_TEXTS) == [], text


@pytest.mark.usefixtures("english")
def test_uppdrag_give_list_close_in_english(paired: World) -> None:
    given = say(paired, "/uppdrag", f"{TASK} senast fredag", KSO)
    assert given == f"Assignment (uppdrag) #1 is registered: {TASK}\nDue Friday 27 Nov (2026-11-27).\n<@{KD}> will be told."
    paired.deliver()
    [note] = dms(paired, KD)
    assert note.startswith(
        f"New assignment (uppdrag) #1 from <@{KSO}>: {TASK}\nDue Friday 27 Nov (2026-11-27).\nMark it done with `/uppdrag klart 1`"
    )

    listed = say(paired, "/uppdrag", "lista", KD)
    assert listed.startswith("*Open assignments (1)*\n")
    assert "_(given Monday 23 Nov, due Friday 27 Nov)_" in listed

    # A week later it is overdue, and the list says so.
    paired.at("2026-11-30 09:00")
    overdue = say(paired, "/uppdrag", "lista", KSO)
    assert overdue.startswith("*Open assignments (1)*: 1 overdue")
    assert "*due Friday 27 Nov: 3 days overdue*" in overdue

    closed = say(paired, "/uppdrag", "klart 1", KD)
    assert closed == f"Assignment #1 is done: {TASK}. <@{KSO}> will be told."
    again = say(paired, "/uppdrag", "klart 1", KSO)
    assert again == f"Assignment #1 is already marked done (by <@{KD}>)."
    paired.deliver()
    assert f"<@{KD}> marked assignment #1 as done: {TASK}" in dms(paired, KSO)
    empty = say(paired, "/uppdrag", "lista", KD)
    assert empty.startswith("No open assignments right now.")
    no_swedish(given, note, listed, overdue, closed, again, empty, *dms(paired, KSO))


@pytest.mark.usefixtures("english")
def test_a_held_uppdrag_and_a_held_answer_say_when_they_arrive_in_english(paired: World) -> None:
    paired.at("2026-11-23 10:00")
    say(paired, "/uppdrag", TASK, KSO)
    say(paired, "/uppdrag", f"oklart 1 {QUESTION}", KD)
    paired.at("2026-11-23 21:00")
    given = say(paired, "/uppdrag", TASK, KSO)
    assert given.endswith(" It will be delivered on Tuesday 24 Nov at 08:00, under the respekt rule (working hours only).")
    answered = say(paired, "/uppdrag", "svar 1 Yes, upper secondary too", KSO)
    assert answered.endswith(" It will be delivered on Tuesday 24 Nov at 08:00, under the respekt rule (working hours only).")
    no_swedish(given, answered)


@pytest.mark.usefixtures("english")
def test_oklart_and_the_svara_modal_in_english(paired: World) -> None:
    say(paired, "/uppdrag", TASK, KSO)
    asked = say(paired, "/uppdrag", f"oklart 1 {QUESTION}", KD)
    assert asked == (f"Your question about assignment #1 has been sent to <@{KSO}> and stays on the next agenda until it is answered.")
    second = say(paired, "/uppdrag", "oklart 1 One more?", KD)
    assert second == f"Assignment #1 already has an unanswered question: {QUESTION}. Wait for the KSO's answer."
    listed = say(paired, "/uppdrag", "lista", KSO)
    assert f":grey_question: Open question: {QUESTION}" in listed

    paired.deliver()
    [question_msg] = [m for m in paired.slack.posted_to(KSO_DM) if m["blocks"]]
    assert question_msg["text"] == f"<@{KD}> has a question about assignment #1"
    assert question_msg["blocks"][0]["text"]["text"] == (f"*Question about assignment #1:* {TASK}\n<@{KD}> asks: {QUESTION}")
    button = question_msg["blocks"][-1]["elements"][0]
    assert button["text"]["text"] == "Answer"

    with paired.sessions() as s:
        q = s.scalars(select(UppdragFraga)).one()
    # The KD cannot open the answer form; the refusal is English.
    paired.driver.action("uppdrag_svara", str(q.id), user=KD, channel=KSO_DM)
    assert paired.slack.of("views.open") == []
    paired.deliver()
    refusal = [t for t in ephemerals(paired, KD) + dms(paired, KD) if "answered by the KSO" in t]
    assert refusal and refusal[0].startswith("Questions about assignments are answered by the KSO.")

    paired.driver.action("uppdrag_svara", str(q.id), user=KSO, channel=KSO_DM, message_ts=question_msg["ts"])
    [opened] = paired.slack.of("views.open")
    view = opened["view"]
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == ("Answer: assignment #1", "Send answer", "Cancel")
    assert view["blocks"][1]["label"]["text"] == "Your answer"

    resp = paired.driver.submit(
        "uppdrag_svar", {"svar": {"svar": {"type": "plain_text_input", "value": ANSWER}}}, user=KSO, private_metadata=str(q.id)
    )
    assert resp.status == 200 and not resp.body
    paired.deliver()
    answered = [t for t in dms(paired, KD) if "answered your question" in t]
    assert answered and answered[0].startswith(f"<@{KSO}> answered your question about assignment #1.\n>{QUESTION}\n{ANSWER}")
    [updated] = [c for c in paired.slack.of("chat.update") if c["ts"] == question_msg["ts"]]
    assert updated["text"] == "The question about assignment #1 is answered"
    assert f"Answered by <@{KSO}>: {ANSWER}" in json.dumps(updated["blocks"], ensure_ascii=False)

    twice = paired.driver.submit(
        "uppdrag_svar", {"svar": {"svar": {"type": "plain_text_input", "value": "Again"}}}, user=KSO, private_metadata=str(q.id)
    )
    error = json.loads(twice.body)["errors"]["svar"]
    assert error == f"The question about assignment #1 has already been answered by <@{KSO}>."
    no_swedish(
        asked,
        second,
        listed,
        view_texts(view),
        error,
        updated["text"],
        json.dumps(updated["blocks"], ensure_ascii=False),
        *dms(paired, KSO),
        *dms(paired, KD),
    )


@pytest.mark.usefixtures("english")
def test_svar_command_and_wrong_roles_in_english(paired: World) -> None:
    refused = say(paired, "/uppdrag", f"{TASK} senast fredag", KD)
    assert refused.startswith("Only the KSO gives assignments.")
    say(paired, "/uppdrag", TASK, KSO)
    kso_asks = say(paired, "/uppdrag", "oklart 1 Why?", KSO)
    assert kso_asks.startswith("Questions about an assignment are raised by the KD.")
    no_question = say(paired, "/uppdrag", f"svar 1 {ANSWER}", KSO)
    assert no_question == "Assignment #1 has no unanswered question."
    say(paired, "/uppdrag", f"oklart 1 {QUESTION}", KD)
    kd_answers = say(paired, "/uppdrag", f"svar 1 {ANSWER}", KD)
    assert kd_answers == "Questions about assignments are answered by the KSO."
    sent = say(paired, "/uppdrag", f"svar 1 {ANSWER}", KSO)
    assert sent == f"Your answer on assignment #1 has been sent to <@{KD}>."
    missing = say(paired, "/uppdrag", "klart 7", KD)
    assert missing == "There is no assignment #7. See `/uppdrag lista`."
    bad_nr = say(paired, "/uppdrag", "klart sju", KD)
    assert bad_nr == "Give the assignment's number: `/uppdrag klart <nr>`."
    bad_day = say(paired, "/uppdrag", f"{TASK} senast snart", KSO)
    assert bad_day.startswith("Can't read the deadline 'snart'. Write e.g. `senast fredag` (by Friday), `imorgon` (tomorrow)")
    past = say(paired, "/uppdrag", f"{TASK} senast 2026-01-01", KSO)
    assert past == "The deadline Thursday 1 Jan (2026-01-01) has already passed: choose today (`idag`) or a later date."
    empty = say(paired, "/uppdrag", "", KSO)
    assert empty.startswith("Write the assignment after the command:")
    no_text = say(paired, "/uppdrag", "senast fredag", KSO)
    assert no_text == "The assignment is empty: write something after the command."
    no_swedish(refused, kso_asks, no_question, kd_answers, sent, missing, bad_nr, bad_day, past, empty, no_text)


@pytest.mark.usefixtures("english")
def test_outsiders_are_refused_without_data(paired: World) -> None:
    say(paired, "/uppdrag", TASK, KSO)
    say(paired, "/arende", CASE, KD)
    for command, text in (("/uppdrag", "lista"), ("/uppdrag", "klart 1"), ("/arende", "lista")):
        answer = say(paired, command, text, OUTSIDER)
        assert answer == "Only the pair's KSO and KD can use this.", text
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    paired.driver.action("arende_till_ks", str(case_id), user=OUTSIDER, channel=CHANNEL)
    paired.deliver()
    assert ephemerals(paired, OUTSIDER) == ["Only the pair's KSO and KD can use this."]
    with paired.sessions() as s:
        assert s.scalars(select(Arende.status)).one() == "vantar"


@pytest.mark.usefixtures("english")
def test_arende_hand_over_and_till_ks_in_english(paired: World) -> None:
    handed = say(paired, "/arende", f"{CASE} KS 2026/123 ks 2026-12-08", KD)
    assert handed == f"Case #1 has been handed over to <@{KSO}>: {CASE}. Planned for KS 8 Dec · cut-off 24 Nov."
    kso_try = say(paired, "/arende", "Own case", KSO)
    assert kso_try == ("Only the KD hands over cases. As KSO you decide them with the *To KS* and *Back for preparation* buttons.")
    paired.deliver()
    [message] = [m for m in paired.slack.posted_to(KSO_DM) if m["blocks"]]
    assert message["text"] == f"Case #1 for your decision: {CASE}"
    assert message["blocks"][0]["text"]["text"] == (
        f"*Case #1: {CASE}*\nKS 2026/123 · from <@{KD}>, Monday 23 Nov at 10:00 · KS 8 Dec · cut-off 24 Nov"
    )
    labels = [e["text"]["text"] for e in message["blocks"][1]["elements"]]
    assert labels == ["To KS", "Back for preparation"]

    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
    # The KD's click decides nothing.
    paired.driver.action("arende_till_ks", str(case_id), user=KD, channel=CHANNEL)
    paired.deliver()
    assert "Only the KSO decides cases: case #1 is unchanged." in ephemerals(paired, KD)

    paired.driver.action("arende_till_ks", str(case_id), user=KSO, channel=KSO_DM, message_ts=message["ts"])
    paired.deliver()
    assert f"Case #1 is decided: to KS. <@{KD}> will be told." in ephemerals(paired, KSO) + dms(paired, KSO)
    decided = [t for t in dms(paired, KD) if "has decided" in t]
    assert decided and decided[0].startswith(f"<@{KSO}> has decided case #1 ({CASE}): *to KS*.")
    [update] = [c for c in paired.slack.of("chat.update") if c["ts"] == message["ts"]]
    assert update["text"] == "Case #1: To KS"
    shown = json.dumps(update["blocks"], ensure_ascii=False)
    assert f"*To KS*, decided by <@{KSO}> on Monday 23 Nov at 10:00" in shown

    paired.driver.action("arende_till_ks", str(case_id), user=KSO, channel=KSO_DM, message_ts=message["ts"])
    paired.deliver()
    twice = f"Case #1 has already been decided (To KS, by <@{KSO}> on Monday 23 Nov at 10:00). Nothing was changed."
    assert twice in ephemerals(paired, KSO) + dms(paired, KSO)
    no_swedish(
        handed, kso_try, shown, update["text"], *ephemerals(paired, KD), *ephemerals(paired, KSO), *dms(paired, KD), *dms(paired, KSO)
    )


@pytest.mark.usefixtures("english")
def test_ater_modal_and_lista_in_english(paired: World) -> None:
    say(paired, "/arende", f"{CASE} <https://diariet.example.se/arende/42|dnr 42>", KD)
    say(paired, "/arende", "Budget frame 2027", KD)
    say(paired, "/arende", "School structure", KD)
    paired.deliver()
    with paired.sessions() as s:
        ids = list(s.scalars(select(Arende.id).order_by(Arende.nr)).all())
    first = next(m for m in paired.slack.posted_to(KSO_DM) if (m["text"] or "").startswith("Case #1"))
    assert "<https://diariet.example.se/arende/42>" in first["blocks"][0]["text"]["text"]

    paired.driver.action("arende_ater", str(ids[0]), user=KSO, channel=KSO_DM, message_ts=first["ts"])
    [opened] = paired.slack.of("views.open")
    view = opened["view"]
    assert (view["title"]["text"], view["submit"]["text"], view["close"]["text"]) == ("Back for preparation", "Send back", "Cancel")
    assert view["blocks"][0]["text"]["text"] == f"*Case #1:* {CASE}"
    assert view["blocks"][1]["label"]["text"] == "What needs more preparation?"

    empty = paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": " "}}},
        user=KSO,
        private_metadata=view["private_metadata"],
    )
    assert json.loads(empty.body)["errors"]["kommentar"] == "Write what needs more preparation."
    resp = paired.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"type": "plain_text_input", "value": COMMENT}}},
        user=KSO,
        private_metadata=view["private_metadata"],
    )
    assert resp.status == 200 and not resp.body
    paired.driver.action("arende_till_ks", str(ids[1]), user=KSO, channel=CHANNEL)
    paired.deliver()
    returned = [t for t in dms(paired, KD) if "has decided case #1" in t]
    assert returned and returned[0].startswith(f"<@{KSO}> has decided case #1 ({CASE}): *back for preparation*.\nComment: {COMMENT}")

    listed = say(paired, "/arende", "lista", KD)
    lines = listed.split("\n")
    assert lines[0] == "*Waiting for the KSO (1)*"
    assert lines[1] == "• *#3* School structure · handed over on Monday 23 Nov at 10:00"
    assert lines[2] == "*To KS (1)*"
    assert lines[3] == "• *#2* Budget frame 2027 · decided on Monday 23 Nov at 10:00"
    assert lines[4] == "*Back for preparation (1)*"
    assert lines[5] == (f"• *#1* {CASE} · <https://diariet.example.se/arende/42> · decided on Monday 23 Nov at 10:00 · comment: {COMMENT}")
    with paired.sessions() as s:
        assert [a.status for a in s.scalars(select(Arende).order_by(Arende.nr))] == ["ater", "till_ks", "vantar"]
    bad = say(paired, "/arende", "Old case ks 2026-01-01", KD)
    assert bad == "The KS meeting on 2026-01-01 has already taken place: give an upcoming meeting."
    no_title = say(paired, "/arende", "KS 2026/99", KD)
    assert no_title == "The title is empty: write the case title before the registration number or the link."
    no_swedish(view_texts(view), listed, bad, no_title, *dms(paired, KD), *ephemerals(paired, KSO))


@pytest.mark.usefixtures("english")
def test_empty_arende_list_in_english(paired: World) -> None:
    empty = say(paired, "/arende", "lista", KSO)
    assert empty == "No cases yet. The KD hands one over with `/arende <title> [dnr] [ks YYYY-MM-DD]`."
    no_swedish(empty)


@pytest.mark.usefixtures("english")
def test_export_headers_in_english(paired: World, monkeypatch: pytest.MonkeyPatch) -> None:
    say(paired, "/uppdrag", TASK, KSO)
    say(paired, "/uppdrag", f"oklart 1 {QUESTION}", KD)
    say(paired, "/uppdrag", f"svar 1 {ANSWER}", KSO)
    say(paired, "/uppdrag", "klart 1", KD)
    say(paired, "/arende", f"{CASE} KS 2026/123", KD)
    with paired.sessions() as s:
        case_id = s.scalars(select(Arende.id)).one()
        pair_id = s.scalars(select(Pair.id)).one()
    paired.driver.action("arende_till_ks", str(case_id), user=KSO, channel=CHANNEL)

    monkeypatch.setenv("DATABASE_URL", paired.bot.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("SAMSPEL_LANGUAGE", "en")
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["export", "--pair", str(pair_id), "--format", "csv"], out=out, err=err) == 0
    tables = csv_tables(out.getvalue())
    assert list(tables) == [
        "Samspel: export for the registry (diarium)",
        "Assignments",
        "Questions on assignments",
        "Cases",
        "Agenda points",
        "Messages",
        "Rules of the game",
        "Development talk",
        "Log",
    ]
    header, meta = tables["Samspel: export for the registry (diarium)"]
    assert header == ["Pair", "Channel", "Status", "KSO", "KSO (id)", "KD", "KD (id)", "From", "To", "Time zone", "Exported", "Retention"]
    assert meta[:10] == [str(pair_id), CHANNEL, "active", f"{KSO} (KSO)", KSO, f"{KD} (KD)", KD, "(start)", "(today)", "Europe/Stockholm"]
    header, row = tables["Assignments"]
    assert header == ["No.", "Assignments", "Given by", "Given by (id)", "Given", "Due date", "Status", "Done by", "Done by (id)", "Done"]
    assert row[:2] == ["#1", TASK] and row[6] == "done"
    header, row = tables["Questions on assignments"]
    assert header == [
        "Assignments",
        "Question",
        "Asked by",
        "Asked by (id)",
        "Asked",
        "Answer",
        "Answered by",
        "Answered by (id)",
        "Answered",
    ]
    assert row[:2] == ["#1", QUESTION] and row[5] == ANSWER
    header, row = tables["Cases"]
    assert header == [
        "No.",
        "Title",
        "Reg. no./link",
        "KS meeting",
        "Handed over by",
        "Handed over by (id)",
        "Handed over",
        "Decision",
        "Decided by",
        "Decided by (id)",
        "Decided",
        "Comment",
    ]
    assert row[:3] == ["#1", CASE, "KS 2026/123"] and row[7] == "to KS"
    header, *log = tables["Log"]
    assert header == ["Time", "Who", "Who (id)", "Event", "Concerns"]
    # The log reads as English sentences; the references people read are translated too.
    assert [(e[3], e[4]) for e in log[1:]] == [
        (f"Assignment #1 given: {TASK}", "assignment #1"),
        (f"Question on assignment #1: {QUESTION}", "question on assignment #1"),
        (f"The question on assignment #1 was answered: {ANSWER}", "question on assignment #1"),
        ("Assignment #1 marked done", "assignment #1"),
        (f"Case #1 handed over for decision: {CASE} (reg. no./link KS 2026/123)", "case #1"),
        ("Case #1 decided: to KS", "case #1"),
    ]
    no_swedish(*[e[3] for e in log])
    labels = list(tables) + [c for table in tables.values() for c in table[0]] + ["done", "to KS"]
    no_swedish(*labels)

    json_out = io.StringIO()
    assert cli.main(["export", "--pair", str(pair_id), "--format", "json"], out=json_out, err=err) == 0
    doc = json.loads(json_out.getvalue())
    assert [e["ref"] for e in doc["audit"]][-2:] == ["case #1", "case #1"]
    assert doc["arenden"][0]["status"] == "till_ks"  # stored values are kept as they are

    assert cli.main(["export", "--pair", str(pair_id), "--from", "2026-12-31", "--to", "2026-12-01"], out=io.StringIO(), err=err) == 2
    assert "--from 2026-12-31 is after --to 2026-12-01." in err.getvalue()
