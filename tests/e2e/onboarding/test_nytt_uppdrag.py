"""The global shortcut Nytt uppdrag: a form with the text and a date picker, ending where `/uppdrag … senast` does."""

from __future__ import annotations

import re

from bot.manifest import manifest
from bot.models import Person
from handlers import ids
from tests.support.onboarding import answer, dms, input_ids, opened_view, picked, text_of
from tests.support.world import CHANNEL, CHANNEL2, KD, KD2, KSO, OUTSIDER, World, couple


def give(world: World, user: str, text: str, deadline: str | None, *, metadata: str, pair: str | None = None) -> dict:  # type: ignore[type-arg]
    values = {
        **picked(ids.NYTT_UPPDRAG_TEXT, "plain_text_input", value=text),
        **picked(ids.NYTT_UPPDRAG_DEADLINE, "datepicker", selected_date=deadline),
    }
    if pair is not None:
        values.update(picked(ids.NYTT_UPPDRAG_PAIR, "conversations_select", selected_conversation=pair))
    return answer(world.driver.submit(ids.NYTT_UPPDRAG_MODAL, values, user=user, private_metadata=metadata))


def uppdrag_dms(world: World, user: str) -> list[str]:
    world.deliver()
    return [m["text"] for m in dms(world, user) if "Nytt uppdrag #" in (m["text"] or "")]


def test_the_manifest_lists_the_global_shortcut() -> None:
    shortcuts = {s["callback_id"]: s for s in manifest()["features"]["shortcuts"]}
    assert shortcuts[ids.NYTT_UPPDRAG_SHORTCUT]["type"] == "global"
    assert shortcuts[ids.NYTT_UPPDRAG_SHORTCUT]["name"] == "Nytt uppdrag"


def test_the_kd_hears_exactly_as_after_the_command(paired: World) -> None:
    paired.driver.global_shortcut(ids.NYTT_UPPDRAG_SHORTCUT, user=KSO)
    view = opened_view(paired)
    assert input_ids(view) == {ids.NYTT_UPPDRAG_TEXT: "plain_text_input", ids.NYTT_UPPDRAG_DEADLINE: "datepicker"}
    assert view["private_metadata"] == CHANNEL

    done = give(paired, KSO, "Ta fram underlag om skolskjutsar", "2026-12-04", metadata=view["private_metadata"])
    assert done["response_action"] == "update" and "Uppdrag #1 är registrerat" in text_of(done["view"])
    paired.command("/uppdrag", "Ta fram underlag om skolskjutsar senast 2026-12-04", user=KSO)
    by_form, by_command = uppdrag_dms(paired, KD)
    assert "Senast fredag 4 dec. (2026-12-04)" in by_form
    assert re.sub(r"\b[12]\b", "n", by_form) == re.sub(r"\b[12]\b", "n", by_command)


def test_a_senast_in_the_text_is_just_a_word_and_no_date_is_no_deadline(paired: World) -> None:
    done = give(paired, KSO, "Svara på det senast inkomna remissvaret", None, metadata=CHANNEL)
    assert done["response_action"] == "update"
    [note] = uppdrag_dms(paired, KD)
    assert "Svara på det senast inkomna remissvaret" in note and "Senast " not in note


def test_a_past_date_is_refused_on_the_date_picker(paired: World) -> None:
    refused = give(paired, KSO, "Budget i balans", "2026-11-20", metadata=CHANNEL)
    assert refused["response_action"] == "errors"
    assert "har redan varit" in refused["errors"][ids.NYTT_UPPDRAG_DEADLINE]
    assert not uppdrag_dms(paired, KD)


def test_only_the_kso_gives_uppdrag(paired: World) -> None:
    paired.driver.global_shortcut(ids.NYTT_UPPDRAG_SHORTCUT, user=KD)
    view = opened_view(paired)
    assert "submit" not in view and "Bara KSO ger uppdrag" in text_of(view)
    # A form sent anyway (an old one, or forged) gets the command's refusal.
    refused = give(paired, KD, "Eget uppdrag", None, metadata=CHANNEL)
    assert "Bara KSO ger uppdrag" in refused["errors"][ids.NYTT_UPPDRAG_TEXT]
    assert not uppdrag_dms(paired, KSO)


def test_someone_in_no_pair_hears_how_to_couple(world: World) -> None:
    world.driver.global_shortcut(ids.NYTT_UPPDRAG_SHORTCUT, user=OUTSIDER)
    view = opened_view(world)
    assert "submit" not in view and "`/samspel koppla @kso @kd`" in text_of(view)


def test_the_kso_of_two_pairs_chooses_the_pair(paired: World) -> None:
    couple(paired, KSO, KD2, CHANNEL2)
    paired.driver.global_shortcut(ids.NYTT_UPPDRAG_SHORTCUT, user=KSO)
    view = opened_view(paired)
    assert input_ids(view)[ids.NYTT_UPPDRAG_PAIR] == "conversations_select" and view["private_metadata"] == ""
    assert give(paired, KSO, "Nämndens delårsrapport", "2026-12-18", metadata="", pair=CHANNEL2)["response_action"] == "update"
    assert [n for n in uppdrag_dms(paired, KD2) if "delårsrapport" in n]
    assert not uppdrag_dms(paired, KD)
    # A channel that is no pair of theirs is refused on the choice.
    refused = give(paired, KSO, "Fel kanal", None, metadata="", pair="GOTHER01")
    assert "Välj en av era parkanaler" in refused["errors"][ids.NYTT_UPPDRAG_PAIR]


def test_the_form_and_its_refusals_are_in_the_persons_language(paired: World) -> None:
    with paired.sessions() as s:
        s.get(Person, KSO).language = "en"  # type: ignore[union-attr]
    assert paired.bot.deps.languages is not None
    paired.bot.deps.languages.forget(KSO)
    paired.driver.global_shortcut(ids.NYTT_UPPDRAG_SHORTCUT, user=KSO)
    view = opened_view(paired)
    assert view["title"]["text"] == "New assignment" and "Deadline" in text_of(view)
    refused = give(paired, KSO, "Budget", "2026-11-20", metadata=CHANNEL)
    assert "has already passed" in refused["errors"][ids.NYTT_UPPDRAG_DEADLINE]
