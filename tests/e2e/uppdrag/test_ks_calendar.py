"""The KS calendar and stopptid through signed requests and the fake clock (issue 14, item 6)."""

from __future__ import annotations

import json
from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from bot.cli import ics_text
from bot.models import Arende, AuditEntry, KsMeeting, Pair
from jobs.agenda import agenda_tick
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World

KSO_DM = "D" + KSO[1:]


def say(world: World, command: str, text: str, user: str = KSO) -> str:
    return ephemeral_text(world.command(command, text, user=user))


def home_text(world: World, user: str) -> str:
    views = [c["view"] for c in world.slack.of("views.publish") if c["user_id"] == user]
    return json.dumps(views[-1], ensure_ascii=False) if views else ""


def the_case(world: World, nr: int = 1) -> Arende:
    with world.sessions() as s:
        return s.scalars(select(Arende).where(Arende.nr == nr)).one()


def test_a_saturday_or_a_past_day_is_refused_and_nothing_is_stored(paired: World) -> None:
    assert "ingen arbetsdag (helg)" in say(paired, "/samspel", "ks 2026-12-12")
    assert "juldagen" in say(paired, "/samspel", "ks 2026-12-15 2026-12-25")
    assert "har redan varit" in say(paired, "/samspel", "ks 2026-11-20")
    assert "Förstår inte datumet" in say(paired, "/samspel", "ks 15/12")
    with paired.sessions() as s:
        assert s.scalars(select(KsMeeting)).all() == []
    assert "Ingen KS-kalender" in say(paired, "/samspel", "ks")


def test_a_case_for_ks_on_a_saturday_or_a_holiday_is_refused_with_or_without_a_calendar(paired: World) -> None:
    assert "ingen arbetsdag (helg)" in say(paired, "/arende", "Detaljplan Norra hamnen ks 2026-12-12", user=KD)
    assert "juldagen" in say(paired, "/arende", "Detaljplan Norra hamnen ks 2026-12-25", user=KD)
    say(paired, "/samspel", "ks 2026-12-15", user=KD)
    assert "ingen arbetsdag (helg)" in say(paired, "/arende", "Detaljplan Norra hamnen ks 2026-12-19", user=KD)
    with paired.sessions() as s:
        assert s.scalars(select(Arende)).all() == []
    assert "Planerat till KS 15 dec." in say(paired, "/arende", "Detaljplan Norra hamnen ks 2026-12-15", user=KD)


def test_calendar_plans_cases_flags_them_and_moves_a_late_till_ks(paired: World) -> None:
    answer = say(paired, "/samspel", "ks 2026-12-15 2027-01-19", user=KD)
    assert "KS-kalendern är sparad" in answer and "stopptid tisdag 1 dec." in answer
    listing = say(paired, "/samspel", "ks")
    assert "tisdag 15 dec. (2026-12-15) · stopptid tisdag 1 dec." in listing
    # 6 January is trettondedag jul, so the January stopptid is Monday 4 January.
    assert "tisdag 19 jan. (2027-01-19) · stopptid måndag 4 jan." in listing

    handed = say(paired, "/arende", "Detaljplan Norra hamnen", user=KD)
    # The month's period ends the sentence too: never "1 dec..".
    assert "Planerat till KS 15 dec. · stopptid 1 dec." in handed and ".." not in handed
    assert the_case(paired).ks_meeting == date(2026, 12, 15)
    paired.deliver()
    [dm] = [m for m in paired.slack.posted_to(KSO_DM) if "Ärende #1" in (m["text"] or "")]
    assert "KS 15 dec. · stopptid 1 dec." in json.dumps(dm["blocks"], ensure_ascii=False)
    assert "KS 15 dec. · stopptid 1 dec." in home_text(paired, KSO)

    # Monday 30 November: one working day left, flagged on the agenda.
    paired.tick(agenda_tick, "2026-11-30 08:00")
    agenda = json.dumps(paired.slack.posted_to(CHANNEL), ensure_ascii=False)
    assert "KS 15 dec. · stopptid 1 dec. · :warning: *1 arbetsdag kvar till stopptiden*" in agenda

    # A Till KS on Wednesday 2 December, after the stopptid, reaches the January meeting.
    paired.at("2026-12-02 10:00")
    case = the_case(paired)
    paired.driver.action("arende_till_ks", str(case.id), user=KSO, channel=CHANNEL, message_ts="1.1")
    paired.deliver()
    told = [c["text"] for c in paired.slack.of("chat.postEphemeral") if c["user"] == KSO][-1]
    assert "Stopptiden för KS 15 dec. · stopptid 1 dec. har passerat, så ärendet når KS 19 jan. · stopptid 4 jan." in told
    assert ".." not in told
    assert the_case(paired).ks_meeting == date(2027, 1, 19)
    kd_note = paired.slack.posted_to("D" + KD[1:])[-1]["text"]
    assert "ärendet når KS 19 jan." in kd_note

    # A new case now goes to January too.
    budget = say(paired, "/arende", "Budget 2027", user=KD)
    assert "Planerat till KS 19 jan. · stopptid 4 jan." in budget and ".." not in budget


def test_a_ks_date_that_is_not_a_meeting_is_pointed_out(paired: World) -> None:
    # Without a calendar, a ks date is taken as it stands.
    assert "inget KS-möte" not in say(paired, "/arende", "Taxor ks 2026-12-16", user=KD)
    say(paired, "/samspel", "ks 2026-12-15")
    answer = say(paired, "/arende", "Översiktsplan ks 2026-12-16", user=KD)
    assert "Obs: 2026-12-16 är inget KS-möte i er kalender" in answer
    assert "Nästa möte där stopptiden inte har passerat är KS 15 dec. · stopptid 1 dec." in answer and ".." not in answer
    assert the_case(paired, 2).ks_meeting == date(2026, 12, 16)


def test_stopptid_changes_the_plan_and_is_recorded(paired: World) -> None:
    say(paired, "/samspel", "ks 2026-12-15")
    say(paired, "/arende", "Detaljplan", user=KD)
    assert "Stopptiden är 10 arbetsdagar" in say(paired, "/samspel", "stopptid")
    assert "0–60" in say(paired, "/samspel", "stopptid tio")
    answer = say(paired, "/samspel", "stopptid 5")
    assert "senast 5 arbetsdagar före KS-mötet" in answer and "KS 15 dec. · stopptid 8 dec." in answer
    assert the_case(paired).stopptid == date(2026, 12, 8)
    with paired.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "stopptid")).one()
        assert (entry.before, entry.after, entry.actor) == ({"stopptid_days": 10}, {"stopptid_days": 5}, KSO)
        assert s.scalars(select(Pair.stopptid_days)).one() == 5


def test_the_calendar_file_has_ks_and_the_radsmote(paired: World) -> None:
    say(paired, "/samspel", "ks 2026-12-15 2027-01-19")
    with paired.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
        text = ics_text(s, pair_id, paired.clock)
    events = list(Calendar.from_ical(text.encode()).walk("VEVENT"))
    ks = [e for e in events if "Kommunstyrelsen" in str(e["summary"])]
    assert [e.decoded("dtstart") for e in ks] == [date(2026, 12, 15), date(2027, 1, 19)]
    assert "Stopptid för ärenden: tisdag 1 dec. (2026-12-01)" in str(ks[0]["description"])
    radsmoten = [e for e in events if "Rådsmöte" in str(e["summary"])]
    first = radsmoten[0].decoded("dtstart").astimezone(paired.clock.now().tzinfo)
    assert len(radsmoten) >= 51 and (first.hour, first.minute) == (12, 0)  # 13:00 Stockholm is 12:00 UTC


def test_moten_lists_the_meetings_and_who_is_responsible(paired: World) -> None:
    say(paired, "/samspel", "ks 2026-12-15")
    text = say(paired, "/samspel", "möten", user=KD)
    assert "*Måndagsmötet* KSO och KD" in text and "Ansvar: KSO och KD tillsammans" in text
    assert "*Rådsmöte*" in text and "Ansvar: KSO för rådsberedningarna" in text
    assert "*KS* (kommunstyrelsen): nästa tisdag 15 dec., stopptid tisdag 1 dec. Ansvar: KSO före beslut i KS" in text
    assert "*Oppositionsberedningar*. Ansvar: KD." in text
    assert "*Media*. Ansvar: KSO har huvudansvaret" in text
    assert "möten" in say(paired, "/samspel", "hjälp")


def test_only_the_kso_sets_and_records_the_talk(paired: World) -> None:
    assert "Bara KSO bestämmer datum" in say(paired, "/samspel", "utvecklingssamtal 2027-03-15", user=KD)
    assert "Bara KSO registrerar utvecklingssamtalet" in say(paired, "/spelregler", "genomfört", user=KD)
    assert "Nästa utvecklingssamtal är 2027-03-15" in say(paired, "/samspel", "utvecklingssamtal 2027-03-15")


def test_a_sunday_decision_tells_the_kso_when_the_kd_hears(paired: World) -> None:
    say(paired, "/arende", "Taxor 2027", user=KD)
    paired.at("2026-11-29 20:00")  # Sunday evening
    paired.driver.action("arende_till_ks", str(the_case(paired).id), user=KSO, channel=CHANNEL, message_ts="1.1")
    paired.deliver()
    told = [c["text"] for c in paired.slack.of("chat.postEphemeral") if c["user"] == KSO][-1]
    assert "Det levereras måndag 30 nov. kl. 08:00, enligt respektregeln." in told
