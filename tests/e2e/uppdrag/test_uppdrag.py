"""Uppdrag through signed slash commands, buttons and modals: roles, numbering, deadlines, oklart/svar."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from bot.models import AuditEntry, OutboxMessage, Pair, Uppdrag, UppdragFraga
from jobs.agenda import agenda_tick
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World, couple

KD_DM = "D" + KD[1:]
KSO_DM = "D" + KSO[1:]


def dm_texts(world: World, dm: str) -> list[str]:
    return [m["text"] or "" for m in world.slack.posted_to(dm)]


def uppdrag_rows(world: World) -> list[Uppdrag]:
    with world.sessions() as s:
        return list(s.scalars(select(Uppdrag).order_by(Uppdrag.nr)).all())


def give(world: World, text: str, user: str = KSO) -> str:
    return ephemeral_text(world.command("/uppdrag", text, user=user))


def test_kso_logs_uppdrag_and_kd_is_notified(paired: World) -> None:
    answer = give(paired, "Ta fram underlag om skolskjutsar senast fredag")
    assert "Uppdrag #1 är registrerat" in answer
    [u] = uppdrag_rows(paired)
    assert (u.nr, u.text, u.deadline, u.given_by, u.status) == (1, "Ta fram underlag om skolskjutsar", date(2026, 11, 27), KSO, "open")
    paired.deliver()
    [note] = dm_texts(paired, KD_DM)
    assert "Nytt uppdrag #1" in note and "skolskjutsar" in note and "2026-11-27" in note
    with paired.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "uppdrag_ny")).one()
        assert entry.actor == KSO and entry.before is None
        assert entry.after is not None and entry.after["text"] == "Ta fram underlag om skolskjutsar"


def test_numbers_count_per_pair(paired: World) -> None:
    give(paired, "Första")
    give(paired, "Andra")
    couple(paired, "UKSO0002", "UKD00002", "GPAIR002")
    assert "Uppdrag #1" in ephemeral_text(paired.command("/uppdrag", "Tredje", user="UKSO0002", channel="GPAIR002"))
    with paired.sessions() as s:
        rows = s.execute(select(Pair.channel_id, Uppdrag.nr).join(Pair, Pair.id == Uppdrag.pair_id).order_by(Uppdrag.id)).all()
    assert [tuple(r) for r in rows] == [(CHANNEL, 1), (CHANNEL, 2), ("GPAIR002", 1)]


def test_kd_cannot_give_uppdrag_and_nothing_is_stored(paired: World) -> None:
    answer = give(paired, "Ge mig semester senast fredag", user=KD)
    assert "Bara KSO ger uppdrag" in answer
    assert uppdrag_rows(paired) == []
    with paired.sessions() as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "uppdrag")) == 0
        assert s.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "dm", OutboxMessage.id > paired.mark)) == 0


def test_outsider_is_refused_without_data(paired: World) -> None:
    give(paired, "Hemligt uppdrag om budgeten")
    for text in ("lista", "klart 1", "Mitt eget uppdrag"):
        answer = give(paired, text, user=OUTSIDER)
        assert "bara parets KSO och KD" in answer, text
        assert "budgeten" not in answer and KSO not in answer
    assert len(uppdrag_rows(paired)) == 1


def test_deadline_words_are_relative_to_the_local_date(paired: World) -> None:
    # Monday 2026-11-23.
    give(paired, "A senast idag")
    give(paired, "B senast imorgon")
    give(paired, "C senast nästa vecka")
    give(paired, "D senast 2026-12-24")
    give(paired, "E senast onsdag")
    give(paired, "F senast nästa måndag")
    assert [u.deadline for u in uppdrag_rows(paired)] == [
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 12, 4),
        date(2026, 12, 24),
        date(2026, 11, 25),
        date(2026, 11, 30),
    ]


def test_past_or_unparseable_deadline_is_refused_and_nothing_stored(paired: World) -> None:
    assert "redan varit" in give(paired, "Gammalt senast 2026-11-20")
    assert "Förstår inte slutdatumet" in give(paired, "Luddigt senast snart")
    assert "Förstår inte slutdatumet" in give(paired, "Omöjligt senast 2026-02-30")
    assert "efter `senast`" in give(paired, "Utan dag senast")
    assert uppdrag_rows(paired) == []
    # Just after local midnight it is still the day before in UTC: "idag" is the local date.
    paired.at("2026-11-24 00:30")
    assert "Uppdrag #1" in give(paired, "Tidigt senast idag")
    assert uppdrag_rows(paired)[0].deadline == date(2026, 11, 24)


def test_kd_notice_waits_for_working_hours(paired: World) -> None:
    paired.at("2026-11-27 18:00")  # Friday evening
    answer = give(paired, "Fundera över helgen")
    assert "levereras måndag 30 nov. kl. 08:00" in answer
    paired.deliver()
    assert dm_texts(paired, KD_DM) == []
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert any("Fundera över helgen" in t for t in dm_texts(paired, KD_DM))


def test_lista_shows_overdue_first_and_marked(paired: World) -> None:
    give(paired, "Utan deadline")
    give(paired, "Snart försenat senast idag")
    give(paired, "Senare senast 2026-12-10")
    paired.at("2026-11-25 09:00")
    text = give(paired, "lista", user=KD)
    lines = [line for line in text.splitlines() if "#" in line]
    assert ["#2" in lines[0], "#3" in lines[1], "#1" in lines[2]] == [True, True, True]
    assert ":warning:" in lines[0] and "försenat 2 dagar" in lines[0]
    assert ":warning:" not in lines[1] and "givet måndag 23 nov." in lines[1] and "senast torsdag 10 dec." in lines[1]
    assert "inget slutdatum" in lines[2]
    assert "1 försenat" in text


def test_klart_by_kd_closes_once_and_tells_the_kso(paired: World) -> None:
    give(paired, "Skriv remissvaret")
    assert "Uppdrag #1 är klart" in give(paired, "klart #1", user=KD)
    assert "redan klarmarkerat" in give(paired, "klart 1", user=KSO)
    assert "inget uppdrag #7" in give(paired, "klart 7", user=KD)
    assert "Ange uppdragets nummer" in give(paired, "klart ett", user=KD)
    [u] = uppdrag_rows(paired)
    assert (u.status, u.done_by) == ("done", KD)
    paired.deliver()
    assert any("markerade uppdrag #1 som klart" in t for t in dm_texts(paired, KSO_DM))
    assert "Inga öppna uppdrag" in give(paired, "lista")
    with paired.sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "uppdrag_klart")).one()
        assert entry.before is not None and entry.after is not None
        assert (entry.before["status"], entry.after["status"], entry.actor) == ("open", "done", KD)


def test_oklart_goes_to_kso_and_the_answer_button_closes_it(paired: World) -> None:
    give(paired, "Utred skolskjutsarna")
    assert "Det är KD som tar upp" in give(paired, "oklart 1 Vad menar jag?", user=KSO)
    answer = give(paired, "oklart 1 Gäller det även gymnasiet?", user=KD)
    assert "skickad till" in answer and "nästa agenda" in answer
    assert "redan en obesvarad fråga" in give(paired, "oklart 1 En till?", user=KD)
    assert "Oklart: Gäller det även gymnasiet?" in give(paired, "lista", user=KSO)
    paired.deliver()
    [question_msg] = [m for m in paired.slack.posted_to(KSO_DM) if m["blocks"]]
    button = question_msg["blocks"][-1]["elements"][0]
    assert button["action_id"] == "uppdrag_svara"
    with paired.sessions() as s:
        q = s.scalars(select(UppdragFraga)).one()
    assert button["value"] == str(q.id)

    # The KD cannot answer through the button; the KSO gets the modal.
    paired.driver.action("uppdrag_svara", str(q.id), user=KD, channel=KSO_DM)
    assert paired.slack.of("views.open") == []
    paired.driver.action("uppdrag_svara", str(q.id), user=KSO, channel=KSO_DM, message_ts=question_msg["ts"])
    [opened] = paired.slack.of("views.open")
    assert opened["view"]["callback_id"] == "uppdrag_svar" and opened["view"]["private_metadata"] == str(q.id)

    resp = paired.driver.submit(
        "uppdrag_svar",
        {"svar": {"svar": {"type": "plain_text_input", "value": "Ja, även gymnasiet 🚌"}}},
        user=KSO,
        private_metadata=str(q.id),
    )
    assert resp.status == 200 and not resp.body
    paired.deliver()
    with paired.sessions() as s:
        q = s.scalars(select(UppdragFraga)).one()
        assert (q.svar, q.answered_by) == ("Ja, även gymnasiet 🚌", KSO)
    assert any("Ja, även gymnasiet 🚌" in t and "uppdrag #1" in t for t in dm_texts(paired, KD_DM))
    [updated] = [c for c in paired.slack.of("chat.update") if c["ts"] == question_msg["ts"]]
    assert "uppdrag_svara" not in str(updated["blocks"]) and "Besvarad" in str(updated["blocks"])
    assert "Oklart" not in give(paired, "lista")

    # A second answer is refused inside the modal.
    again = paired.driver.submit(
        "uppdrag_svar", {"svar": {"svar": {"type": "plain_text_input", "value": "Nej"}}}, user=KSO, private_metadata=str(q.id)
    )
    assert "redan besvarad" in (again.body or "")


def test_svar_command_answers_the_open_question(paired: World) -> None:
    give(paired, "Ta fram budgetunderlag")
    give(paired, "oklart 1 Vilket år?", user=KD)
    assert "Det är KSO som svarar" in give(paired, "svar 1 2027", user=KD)
    assert "skickat till" in give(paired, "svar 1 Budgetår 2027", user=KSO)
    assert "ingen obesvarad fråga" in give(paired, "svar 1 igen", user=KSO)
    paired.deliver()
    assert any("Budgetår 2027" in t for t in dm_texts(paired, KD_DM))
    with paired.sessions() as s:
        actions = s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["uppdrag_oklart", "uppdrag_svar"]


def test_text_is_escaped_when_echoed_and_round_trips_unchanged(paired: World) -> None:
    raw = "Bjud in <!channel> och <@UOUT0001|eva> till mötet om älgar 🫎 & <b>"
    answer = give(paired, raw)
    assert "<!channel>" not in answer and "<@UOUT0001" not in answer
    assert uppdrag_rows(paired)[0].text == raw
    paired.deliver()
    [note] = dm_texts(paired, KD_DM)
    assert "<!channel>" not in note and "<@UOUT0001" not in note
    assert "@channel" in note and "@eva" in note and "älgar 🫎 &amp; &lt;b&gt;" in note
    assert "<!channel>" not in give(paired, "lista")


def test_too_long_text_is_refused_with_the_limit(paired: World) -> None:
    answer = give(paired, "x" * 3001)
    assert "3000" in answer
    assert uppdrag_rows(paired) == []
    give(paired, "y" * 3000)
    assert len(uppdrag_rows(paired)[0].text) == 3000


def test_concurrent_uppdrag_get_distinct_numbers(paired: World) -> None:
    answers: list[str] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        text = give(paired, f"Parallellt uppdrag {i}")
        with lock:
            answers.append(text)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all("är registrerat" in a for a in answers), answers
    assert sorted(u.nr for u in uppdrag_rows(paired)) == [1, 2, 3, 4, 5, 6]


def test_answering_takes_the_svara_button_out_of_the_monday_agenda(paired: World) -> None:
    give(paired, "Utred simhallen")
    give(paired, "Utred biblioteket")
    give(paired, "oklart 1 Vilken simhall?", user=KD)
    give(paired, "oklart 2 Vilket bibliotek?", user=KD)
    paired.at("2026-11-30 08:00")
    agenda_tick(paired.bot.deps)
    paired.deliver()
    [agenda] = paired.slack.posted_to(CHANNEL)
    with paired.sessions() as s:
        ids = [q.id for q in s.scalars(select(UppdragFraga).order_by(UppdragFraga.id))]
    svara = [(b["accessory"]["action_id"], b["accessory"]["value"]) for b in agenda["blocks"] if "accessory" in b]
    assert svara == [("uppdrag_svara", str(ids[0])), ("uppdrag_svara", str(ids[1]))]

    give(paired, "svar 1 Den gamla vid torget 🏊", user=KSO)
    paired.deliver()
    [updated] = [c["blocks"] for c in paired.slack.of("chat.update") if c["ts"] == agenda["ts"]]
    assert len(updated) == len(agenda["blocks"])
    answered = next(b for b in updated if b.get("block_id") == f"fraga_{ids[0]}")
    assert (
        "accessory" not in answered
        and "besvarad" in answered["text"]["text"].lower()
        and "Den gamla vid torget 🏊" in answered["text"]["text"]
    )
    # The other question keeps its button.
    still_open = next(b for b in updated if b.get("block_id") == f"fraga_{ids[1]}")
    assert still_open["accessory"]["value"] == str(ids[1])


def test_klart_in_the_evening_says_when_the_kso_hears_of_it(paired: World) -> None:
    give(paired, "Utred simhallen.")
    paired.at("2026-11-27 18:00")  # Friday evening
    answer = give(paired, "klart 1", user=KD)
    assert "Uppdrag #1 är klart: Utred simhallen. <@" in answer and ".." not in answer
    assert "levereras måndag 30 nov. kl. 08:00" in answer
    paired.deliver()
    assert not any("som klart" in t for t in dm_texts(paired, KSO_DM))
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert any("markerade uppdrag #1 som klart" in t for t in dm_texts(paired, KSO_DM))


def test_a_deadline_on_a_day_off_is_pointed_out(paired: World) -> None:
    paired.at("2026-12-31 10:00")
    answer = ephemeral_text(paired.command("/uppdrag", "Sammanställ bokslutet senast fredag", user=KSO))
    assert "fredag 1 jan. är en ledig dag (nyårsdagen)" in answer
    ordinary = ephemeral_text(paired.command("/uppdrag", "Boka lokal senast 2027-01-05", user=KSO))
    assert "ledig dag" not in ordinary


def test_empty_uppdrag_and_svar_use_neuter_swedish(paired: World) -> None:
    assert "Uppdraget är tomt" in ephemeral_text(paired.command("/uppdrag", "senast fredag", user=KSO))
    assert "Titeln är tom:" in ephemeral_text(paired.command("/arende", "KS 2026/99", user="UKD00001"))
