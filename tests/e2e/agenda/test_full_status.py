"""The full status on the agenda and cases sent back, through signed requests (issue 14, item 5)."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.cli import export
from bot.models import Arende, AuditEntry, Pair
from jobs.agenda import agenda_tick
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World

KSO_DM = "D" + KSO[1:]


def say(world: World, command: str, text: str, user: str = KSO) -> str:
    return ephemeral_text(world.command(command, text, user=user))


def agenda_text(world: World) -> str:
    return json.dumps(world.slack.posted_to(CHANNEL), ensure_ascii=False)


def send_back(world: World, arende_id: int, comment: str) -> None:
    meta = json.dumps({"arende": arende_id, "channel": None, "ts": None})
    world.driver.submit(
        "arende_ater", {"kommentar": {"kommentar": {"type": "plain_text_input", "value": comment}}}, user=KSO, private_metadata=meta
    )
    world.deliver()


def case(world: World, nr: int) -> Arende:
    with world.sessions() as s:
        return s.scalars(select(Arende).where(Arende.nr == nr)).one()


def test_status_lists_what_was_done_and_decided_and_a_returned_case_stays(paired: World) -> None:
    say(paired, "/uppdrag", "Ta fram underlag om skolskjutsar")
    say(paired, "/uppdrag", "Budgetdialog med nämnderna")
    say(paired, "/arende", "Detaljplan Norra hamnen", user=KD)
    say(paired, "/arende", "Taxor 2027", user=KD)
    paired.tick(agenda_tick, "2026-11-30 08:00")  # the first meeting

    paired.at("2026-12-01 10:00")
    say(paired, "/uppdrag", "klart 1", user=KD)
    paired.driver.action("arende_till_ks", str(case(paired, 1).id), user=KSO, channel=CHANNEL, message_ts="1.1")
    send_back(paired, case(paired, 2).id, "Konsekvensanalys saknas")
    paired.deliver()
    paired.slack.messages.clear()

    paired.tick(agenda_tick, "2026-12-07 08:00")
    text = agenda_text(paired)
    status = text[text.index("1. Status") : text.index("2. Färdigberedda")]
    assert "#1* Ta fram underlag om skolskjutsar · klart, markerat av KD tisdag 1 dec." in status
    assert "*Ärende #1* Detaljplan Norra hamnen · till KS, beslutat av KSO tisdag 1 dec." in status
    assert "*Ärende #2* Taxor 2027 · åter för beredning, beslutat av KSO tisdag 1 dec." in status
    # What was done comes before the open uppdrag.
    assert status.index("klart, markerat") < status.index("#2* Budgetdialog")
    cases = text[text.index("2. Färdigberedda") : text.index("3. Nya uppdrag")]
    assert "*Åter för beredning*" in cases
    assert "#2* Taxor 2027 · åter sedan tisdag 1 dec., av KSO · behöver: _Konsekvensanalys saknas_" in cases

    # The week after, the decisions are old news, but the returned case is still there.
    paired.slack.messages.clear()
    paired.tick(agenda_tick, "2026-12-14 08:00")
    text = agenda_text(paired)
    assert "till KS, beslutat av" not in text
    assert "#2* Taxor 2027 · åter sedan tisdag 1 dec." in text


def test_kd_resubmits_under_the_same_number_with_its_history(paired: World) -> None:
    say(paired, "/arende", "Taxor 2027", user=KD)
    send_back(paired, case(paired, 1).id, "Konsekvensanalys saknas")
    assert "Bara KD" in say(paired, "/arende", "åter 1")
    assert "Det finns inget ärende #5." in say(paired, "/arende", "åter 5", user=KD)
    paired.slack.messages.clear()

    answer = say(paired, "/arende", "åter 1 Kompletterat med konsekvensanalys", user=KD)
    assert "Ärende #1 är överlämnat igen till" in answer and "(gång 2)" in answer
    a = case(paired, 1)
    assert (a.nr, a.status, a.rounds, a.decided_by, a.comment) == (1, "vantar", 2, None, None)
    with paired.sessions() as s:
        assert len(s.scalars(select(Arende)).all()) == 1
    # The KSO gets it again, with the buttons and what was asked for and done.
    paired.deliver()
    [dm] = [m for m in paired.slack.posted_to(KSO_DM) if "lämnas över igen" in (m["text"] or "")]
    blocks = json.dumps(dm["blocks"], ensure_ascii=False)
    assert "arende_till_ks" in blocks and "Återsänt för beredning: Konsekvensanalys saknas" in blocks
    assert "KD:s anteckning: Kompletterat med konsekvensanalys" in blocks
    assert "inte återsänt" in say(paired, "/arende", "åter 1", user=KD)

    # A second decision works, and the whole history is in the audit trail and the export.
    paired.driver.action("arende_till_ks", str(a.id), user=KSO, channel=KSO_DM, message_ts=dm["ts"])
    assert case(paired, 1).status == "till_ks"
    with paired.sessions() as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "arende").order_by(AuditEntry.id))]
        igen = s.scalars(select(AuditEntry).where(AuditEntry.action == "arende_igen")).one()
        csv_text = export(s, s.scalars(select(Pair.id)).one(), "csv")
    assert actions == ["arende_ny", "arende_ater", "arende_igen", "arende_till_ks"]
    assert igen.before is not None and igen.before["comment"] == "Konsekvensanalys saknas"
    assert "Ärende #1 lämnades över igen efter beredning (gång 2): Kompletterat med konsekvensanalys" in csv_text
