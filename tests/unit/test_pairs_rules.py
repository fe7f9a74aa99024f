"""The pure pair and consent rules (bot.domain.pairs, bot.domain.consent), and their wording in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain import consent as consent_rules
from bot.domain import pairs as rules
from bot.domain.consent import ChannelFacts
from bot.i18n import translator
from bot.presenters.pairs import days_off_answer, describe_days
from bot.services.consent import ChannelRefused, check_pair_channel
from bot.services.pairs import DaysOffAdded

TODAY = date(2026, 11, 30)


def test_hours_with_and_without_days() -> None:
    assert rules.parse_hours("07:30-16 mån-tor") == rules.Hours(450, 960, "1234")
    assert rules.parse_hours("8.00-17.00") == rules.Hours(480, 1020, None)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "hours_missing"),
        ("8-x", "hours_unreadable"),
        ("17:00-08:00", "hours_backwards"),
        ("08:00", "hours_unreadable"),
        ("08:00-17:00 fre-mån", "days_out_of_order"),
        ("08:00-17:00 blä", "days_unreadable"),
    ],
)
def test_hours_refused_with_a_code(text: str, kind: str) -> None:
    with pytest.raises(rules.Invalid) as err:
        rules.parse_hours(text)
    assert err.value.kind == kind


def test_days_off_range_note_and_past() -> None:
    off = rules.parse_days_off("2026-11-28..2026-12-02 semester", TODAY)
    assert (off.first, off.last, off.note) == (TODAY, date(2026, 12, 2), "semester") and len(off.days) == 3
    with pytest.raises(rules.Invalid) as err:
        rules.parse_days_off("2026-11-01", TODAY)
    assert (err.value.kind, err.value.fields) == ("days_off_past", {"day": "2026-11-01"})
    with pytest.raises(rules.Invalid) as err:
        rules.parse_days_off("2027-01-01..2028-02-01", TODAY)
    assert err.value.kind == "days_off_too_many"


def test_agenda_time_and_radsmote() -> None:
    assert rules.parse_agenda_time("08:00") == (0, 480)
    assert rules.parse_agenda_time("dagen före 15:00") == (1, 900)
    assert rules.parse_radsmote("<#C123|råd> 13:30") == rules.Radsmote("C123", 810)
    assert rules.parse_radsmote("av") == rules.Radsmote(None)


def test_only_the_kso_sets_the_talk_date_and_reminders_count_down() -> None:
    assert rules.may_set_talk_date("kso") and not rules.may_set_talk_date("kd")
    assert rules.talk_reminders(date(2027, 3, 1), TODAY) == rules.TalkReminders(["four_weeks", "one_week", "on_the_day"], False)
    assert rules.talk_reminders(date(2026, 12, 3), TODAY) == rules.TalkReminders(["on_the_day"], True)


def test_day_ranges_join_consecutive_days() -> None:
    days = [date(2027, 7, 6), date(2027, 7, 5), date(2027, 8, 14)]
    assert describe_days(days) == "2027-07-05–2027-07-06, 2027-08-14"


def test_proposal_rules() -> None:
    assert consent_rules.proposal_problem(["U1"], "U1", None) == "not_two"
    assert consent_rules.proposal_problem(["U1", "U1"], "U1", None) == "same_person"
    assert consent_rules.proposal_problem(["U1", "UBOT"], "U1", "UBOT") == "bot_named"
    assert consent_rules.proposal_problem(["U1", "U2"], "U3", None) == "actor_not_named"
    assert consent_rules.invitee("U1", "U2", proposed_by="U1") == "U2"
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert consent_rules.is_open("pending", consent_rules.expires_at(now), now)
    assert not consent_rules.is_open("pending", now, now)
    assert consent_rules.may_answer("U2", "U2") and not consent_rules.may_answer("U2", "U1")


def test_a_public_channel_is_refused_with_how_to_make_a_private_one_in_each_language() -> None:
    facts = ChannelFacts(id="C1", kind="public", members=frozenset({"U1", "U2"}), bot_is_member=True)
    with pytest.raises(ChannelRefused) as err:
        check_pair_channel(facts, ("U1", "U2"))
    assert err.value.render(translator("sv")).startswith("Det här är en öppen kanal")
    assert "Skapa en privat kanal" in err.value.render(translator("sv"))
    assert "Create a private channel" in err.value.render(translator("en"))


def test_days_off_answer_in_english() -> None:
    answer = days_off_answer(DaysOffAdded(date(2027, 7, 5), date(2027, 7, 30), 26), translator("en"))
    assert "2027-07-05–2027-07-30 (26 days) now count as days off for you" in answer
