"""The Home tab's settings: each value with a button; its form saves through the command's own use case."""

from __future__ import annotations

from sqlalchemy import select

from bot.models import Pair, Person
from handlers import ids
from tests.support.onboarding import answer, buttons, input_ids, latest_home, open_home, opened_view, picked, text_of
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL2, KD, KD2, KSO, World, couple


def pair_id(world: World, kd: str = KD) -> int:
    with world.sessions() as s:
        return s.scalars(select(Pair.id).where(Pair.kd_user == kd)).one()


def submit(world: World, user: str, setting: str, values: dict, pair: int) -> dict:  # type: ignore[type-arg]
    return answer(world.driver.submit(ids.SETTING_MODAL, values, user=user, private_metadata=ids.setting_value(setting, pair)))


def hours(start: str, end: str, *days: str) -> dict:  # type: ignore[type-arg]
    return {
        **picked(ids.SETTING_START, "timepicker", selected_time=start),
        **picked(ids.SETTING_END, "timepicker", selected_time=end),
        **picked(ids.SETTING_DAYS, "checkboxes", selected_options=[{"value": d} for d in days]),
    }


def test_each_setting_shows_its_value_and_a_button(paired: World) -> None:
    pid = pair_id(paired)
    home = open_home(paired, KSO)
    text = text_of(home)
    assert "Inställningar" in text and "*Din arbetstid:* mån–fre 08:00–17:00" in text
    assert "*Dina lediga dagar:* inga utöver helgdagarna" in text
    assert "*Måndagsagendan:* kl. 08:00 på veckans första arbetsdag" in text and "*Utvecklingssamtalet:*" in text
    assert {(ids.SETTING_OPEN.format(setting=s), ids.setting_value(s, pid)) for s in ids.SETTINGS} <= set(buttons(home))
    # The KD sees the talk date, but only the KSO sets it.
    kd_home = open_home(paired, KD)
    assert "KSO bestämmer datumet" in text_of(kd_home)
    assert ids.SETTING_OPEN.format(setting="talk_date") not in {a for a, _v in buttons(kd_home)}


def test_working_hours_from_the_form_show_in_status_and_home(paired: World) -> None:
    pid = pair_id(paired)
    paired.driver.view_action(ids.SETTING_OPEN.format(setting="hours"), ids.setting_value("hours", pid), user=KD)
    view = opened_view(paired)
    assert input_ids(view) == {ids.SETTING_START: "timepicker", ids.SETTING_END: "timepicker", ids.SETTING_DAYS: "checkboxes"}
    assert view["blocks"][1]["element"]["initial_time"] == "08:00"

    saved = submit(paired, KD, "hours", hours("09:00", "16:00", "mån", "tis", "ons", "tor"), pid)
    assert saved["response_action"] == "update" and "Din arbetstid är nu mån–tors 09:00–16:00" in text_of(saved["view"])
    paired.deliver()
    assert "*Din arbetstid:* mån–tors 09:00–16:00" in text_of(latest_home(paired, KD))
    assert "mån–tors 09:00–16:00" in ephemeral_text(paired.command("/samspel", "status", user=KD))


def test_agenda_time_days_off_and_talk_date(paired: World) -> None:
    pid = pair_id(paired)
    agenda = {
        **picked(ids.SETTING_WHEN, "radio_buttons", selected_option={"value": "arbetsdagen före"}),
        **picked(ids.SETTING_TIME, "timepicker", selected_time="15:00"),
    }
    assert submit(paired, KSO, "agenda_time", agenda, pid)["response_action"] == "update"
    off = {
        **picked(ids.SETTING_FIRST, "datepicker", selected_date="2026-12-07"),
        **picked(ids.SETTING_LAST, "datepicker", selected_date="2026-12-08"),
        **picked(ids.SETTING_NOTE, "plain_text_input", value="kurs"),
    }
    assert submit(paired, KSO, "days_off", off, pid)["response_action"] == "update"
    talk = picked(ids.SETTING_DATE, "datepicker", selected_date="2027-03-15")
    assert "2027-03-15" in text_of(submit(paired, KSO, "talk_date", talk, pid)["view"])
    paired.deliver()
    text = text_of(latest_home(paired, KSO))
    assert "kl. 15:00 arbetsdagen före mötet" in text and "2026-12-07–2026-12-08" in text
    assert "*Utvecklingssamtalet:* måndag 15 mars 2027" in text
    status = ephemeral_text(paired.command("/samspel", "status", user=KSO))
    assert "kl. 15:00 arbetsdagen före mötet" in status and "2027-03-15" in status


def test_refusals_come_back_on_their_field_in_the_persons_language(paired: World) -> None:
    pid = pair_id(paired)
    backwards = submit(paired, KD, "hours", hours("17:00", "08:00", "mån"), pid)
    assert "måste börja före den slutar" in backwards["errors"][ids.SETTING_END]
    kd_talk = submit(paired, KD, "talk_date", picked(ids.SETTING_DATE, "datepicker", selected_date="2027-03-15"), pid)
    assert "Bara KSO bestämmer datum" in kd_talk["errors"][ids.SETTING_DATE]
    with paired.sessions() as s:
        s.get(Person, KD).language = "en"  # type: ignore[union-attr]
    assert paired.bot.deps.languages is not None
    paired.bot.deps.languages.forget(KD)
    past = submit(paired, KD, "days_off", picked(ids.SETTING_FIRST, "datepicker", selected_date="2026-11-01"), pid)
    assert past["errors"][ids.SETTING_FIRST] == "2026-11-01 has passed: give days off to come."
    with paired.sessions() as s:
        assert s.get(Pair, pid).next_talk.isoformat() != "2027-03-15"  # type: ignore[union-attr]


def test_someone_else_cannot_open_a_pairs_settings(paired: World) -> None:
    pid = pair_id(paired)
    paired.driver.view_action(ids.SETTING_OPEN.format(setting="hours"), ids.setting_value("hours", pid), user=KD2)
    view = opened_view(paired)
    assert "submit" not in view and "bara parets KSO och KD" in text_of(view)


def test_a_member_of_two_pairs_gets_settings_for_each_within_100_blocks(paired: World) -> None:
    couple(paired, KSO, KD2, CHANNEL2)
    for i in range(30):
        paired.command("/uppdrag", f"Uppdrag {i}", user=KSO)
    home = open_home(paired, KSO)
    assert len(home) <= 100
    assert text_of(home).count("Inställningar") >= 2
    assert {v for a, v in buttons(home) if a == ids.SETTING_OPEN.format(setting="hours")} == {
        ids.setting_value("hours", pair_id(paired)),
        ids.setting_value("hours", pair_id(paired, KD2)),
    }
