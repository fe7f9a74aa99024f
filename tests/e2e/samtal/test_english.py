"""English mode for spelregler and the development talk (reminders, material, recording it).

`rapport` and `ics` in English are CLI tests on a database: tests/integration/test_rapport.py and test_ics.py.

The spelregler template is the pair's own document from a Swedish source (Örebro): its text stays Swedish, only
the headings around it are translated, so the template texts are passed to `swedish_left` like user text.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.spelregler import SECTIONS, TEMPLATE
from bot.i18n import translator
from bot.models import Pair, SpelreglerVersion
from bot.presenters.spelregler import heading_label
from jobs.samtal import remind
from tests.support.english import swedish_left
from tests.support.world import CHANNEL, KD, KSO, STHLM, World, local

KSO_DM = "D" + KSO[1:]
KD_DM = "D" + KD[1:]
# The template's own words, and the town it comes from, are not the bot's text.
TEMPLATE_WORDS = (*TEMPLATE.values(), "Örebro")
ENGLISH_HEADINGS = [
    "Our shared mission",
    "Focus for the coming years",
    "The chair's role and responsibilities",
    "The director's role and responsibilities",
    "Meetings and contacts",
    "How we work together",
    "Being available to each other, and how we behave",
    "Development talk",
]


def texts_in(value: Any) -> str:
    """Every string under a "text" key (Block Kit, views, answers): what people read, not the prefilled fields."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "text" and isinstance(inner, str):
                found.append(inner)
            else:
                found.append(texts_in(inner))
    elif isinstance(value, list):
        found += [texts_in(item) for item in value]
    return "\n".join(t for t in found if t)


def answer(world: World, args: str, user: str = KD) -> str:
    resp = world.command("/spelregler", args, user=user)
    assert resp.status == 200
    return texts_in(json.loads(resp.body)) if resp.body else ""


def submit(world: World, texts: dict[str, str], *, user: str, base: int) -> dict[str, Any]:
    with world.sessions() as s:
        pid = s.scalars(select(Pair.id)).one()
    values = {f"avsnitt_{i}": {"text": {"type": "plain_text_input", "value": texts.get(h, "")}} for i, h in enumerate(SECTIONS)}
    meta = json.dumps({"pair_id": pid, "base_version": base, "channel": CHANNEL})
    resp = world.driver.submit("spelregler_uppdatera", values, user=user, private_metadata=meta)
    assert resp.status == 200
    return json.loads(resp.body) if resp.body else {}


def run_until(world: World, end: str) -> list[tuple[str, str, str]]:
    """Tick the reminder job and deliver every 4 hours; (local time, channel, all text) of what arrived."""
    arrived: list[tuple[str, str, str]] = []
    while world.clock.now() <= local(end):
        before = len(world.slack.posts)
        remind(world.bot.deps)
        world.deliver()
        for call in world.slack.posts[before:]:
            text = str(call["text"]) + "\n" + texts_in(call.get("blocks") or [])
            arrived.append((world.clock.now().astimezone(STHLM).strftime("%Y-%m-%d %H:%M"), str(call["channel"]), text))
        world.clock.advance(timedelta(hours=4))
    return arrived


def set_talk(world: World, day: str) -> None:
    world.command("/samspel", f"utvecklingssamtal {day}", user=KSO)
    with world.sessions() as s:
        assert s.scalars(select(Pair.next_talk)).one() == date.fromisoformat(day)


@pytest.fixture
def english_pair(english: None, paired: World) -> World:
    """The pair's bot speaking English: SAMSPEL_LANGUAGE=en when the bot is built, so `english` comes first."""
    return paired


def test_heading_labels_are_the_stored_keys_in_swedish() -> None:
    assert [heading_label(h, translator()) for h in SECTIONS] == list(SECTIONS)


def test_show_versions_update_and_save_in_english(english_pair: World) -> None:
    paired = english_pair
    shown = answer(paired, "")
    assert swedish_left(shown, *TEMPLATE_WORDS) == []
    assert "Our rules of the game (spelregler)" in shown
    assert "Version 1, saved Monday 23 Nov at 10:00 by Samspel (template from Örebro's spelregler)" in shown
    assert all(f"*{heading}*" in shown for heading in ENGLISH_HEADINGS)
    assert "The template text comes from Örebro's spelregler and is in Swedish" in shown
    assert TEMPLATE["Vårt samarbete"] in shown  # the pair's document is shown as written

    paired.command("/spelregler", "uppdatera", user=KD)
    (call,) = paired.slack.of("views.open")
    view = call["view"]
    assert swedish_left(texts_in(view), *TEMPLATE_WORDS) == []
    assert view["title"]["text"] == "Rules of the game" and view["submit"]["text"] == "Save new version"
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["label"]["text"] for b in inputs] == ENGLISH_HEADINGS
    assert inputs[5]["element"]["initial_value"] == TEMPLATE["Vårt samarbete"]

    unchanged = submit(paired, TEMPLATE, user=KD, base=1)
    assert unchanged["errors"]["avsnitt_0"] == "No changes compared with version 1: nothing new was saved."
    too_long = submit(paired, dict(TEMPLATE, **{"Vårt samarbete": "x" * 3001}), user=KD, base=1)
    assert too_long["errors"] == {"avsnitt_5": "The section “How we work together” is too long (3001 characters): the limit is 3000."}

    ours = {heading: f"Our own words on {i}." for i, heading in enumerate(SECTIONS)}
    paired.at("2026-11-27 21:00")  # Friday evening: the channel hears of it on Monday morning
    assert submit(paired, ours, user=KD, base=1) == {}
    paired.at("2026-11-30 08:00")
    paired.deliver()
    (post,) = paired.slack.posted_to(CHANNEL)
    assert post["text"] == (
        f":memo: <@{KD}> saved version 2 of your spelregler. "
        "See them with `/spelregler`, and earlier versions with `/spelregler versioner`."
    )
    with paired.sessions() as s:
        stored = s.scalars(select(SpelreglerVersion).where(SpelreglerVersion.version == 2)).one()
        assert list(stored.sections) == list(SECTIONS)  # the keys stay Swedish

    current = answer(paired, "", user=KSO)
    assert swedish_left(current) == []
    assert "*How we work together*\nOur own words on 5." in current
    assert "Örebro" not in current  # no template left, no note

    versions = answer(paired, "versioner")
    assert swedish_left(versions, "Örebro") == []
    assert versions.startswith("*Versions of your spelregler* (newest first)")
    assert f"• Version 2: Friday 27 Nov at 21:00, <@{KD}>" in versions
    old = answer(paired, "version 1")
    assert old.startswith("Rules of the game, version 1: Version 1, saved")
    assert swedish_left(old, *TEMPLATE_WORDS) == []
    assert answer(paired, "version 9") == "There is no version 9: you have versions 1–2. See `/spelregler versioner`."
    assert answer(paired, "version x") == "Give the version number: `/spelregler version 2`. See `/spelregler versioner`."


def test_reminders_material_move_and_genomfort_in_english(english_pair: World) -> None:
    paired = english_pair
    set_talk(paired, "2027-03-11")
    paired.at("2027-02-10 00:00")
    four_weeks = run_until(paired, "2027-02-12 00:00")
    assert [(when, ch) for when, ch, _ in four_weeks] == [("2027-02-11 08:00", KSO_DM), ("2027-02-11 08:00", KD_DM)]
    to_kso, to_kd = four_weeks[0][2], four_weeks[1][2]
    assert to_kso.startswith(
        ":calendar: *The development talk is in four weeks* (Thursday 11 Mar 2027).\n"
        f"You hold the talk with <@{KD}>. That is also when you review and update your spelregler.\n"
        f"The material with this year's figures will be posted in <#{CHANNEL}> two weeks before."
    )
    assert f"<@{KSO}> holds the talk with you." in to_kd

    # Moved a day earlier after the four-week reminder: not repeated, the channel is told once.
    paired.at("2027-02-12 10:00")
    set_talk(paired, "2027-03-10")
    moved = run_until(paired, "2027-02-12 10:00")
    assert [text.strip() for _, ch, text in moved if ch == CHANNEL] == [
        (
            ":calendar: The development talk has moved from Thursday 11 Mar 2027 to *Wednesday 10 Mar 2027*. "
            "Your next reminder follows the new date."
        )
    ]

    paired.at("2027-02-13 00:00")
    later = run_until(paired, "2027-03-25 00:00")
    kso = [(when, text) for when, ch, text in later if ch == KSO_DM]
    assert [when for when, _ in kso] == ["2027-03-03 08:00", "2027-03-10 08:00", "2027-03-17 08:00", "2027-03-24 08:00"]
    assert "*The development talk is in one week* (Wednesday 10 Mar 2027)" in kso[0][1]
    assert "*The development talk is today*" in kso[1][1]
    assert "*The development talk was due a week ago*" in kso[2][1]
    assert "*The development talk was due two weeks ago*" in kso[3][1]
    assert (
        "Have you already held the talk? Type `/spelregler genomfört` and the reminders stop. "
        "New date: `/samspel utvecklingssamtal YYYY-MM-DD`."
    ) in kso[3][1]
    assert "Once the talk is held: `/spelregler genomfört`." in kso[0][1]
    for _, _, text in moved + later + four_weeks:
        assert swedish_left(text, *TEMPLATE_WORDS) == [], text

    (material,) = [(when, text) for when, ch, text in later if ch == CHANNEL]
    assert material[0] == "2027-02-24 08:00"
    assert material[1].startswith("Material for the development talk on Wednesday 10 Mar 2027: this year's figures and your spelregler.")
    for expected in (
        "Material for the development talk",
        f"<@{KSO}> holds it with <@{KD}>",
        "*The year in figures* (2026-02-25 – 2027-02-24)",
        "*Assignments*",
        "• Given: 0",
        "• Urgent on a weekday evening: 0",
        "Your current rules of the game (spelregler)",
        "*Our shared mission*",
    ):
        assert expected in material[1], expected

    paired.at("2027-03-25 10:00")
    recorded = answer(paired, "genomfört", user=KSO)
    assert swedish_left(recorded) == []
    assert recorded.startswith(
        "The development talk is recorded as held. Next development talk: Monday 27 Mar 2028 "
        "(change it with `/samspel utvecklingssamtal YYYY-MM-DD`).\n"
        "Now is the time to save the spelregler you agreed on."
    )
    assert "Update the spelregler" in recorded
    again = answer(paired, "genomfört", user=KSO)
    assert again == (f"The development talk was already recorded on 2027-03-25 by <@{KSO}>. The next one is on 2028-03-27.")
    paired.deliver()
    (note,) = [c["text"] for c in paired.slack.posted_to(CHANNEL) if "recorded" in c["text"]]
    assert note == (
        f":white_check_mark: <@{KSO}> has recorded the development talk as held. "
        "Next development talk: Monday 27 Mar 2028. Save the updated spelregler with `/spelregler uppdatera`."
    )
    assert run_until(paired, "2027-04-02 00:00") == []  # the reminders have stopped
