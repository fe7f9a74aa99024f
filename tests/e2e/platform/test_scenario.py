"""Two weeks of a KSO (Anna) and a KD (Bo), end to end through signed requests."""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from bot import cli
from bot.services import pairs, rapport
from tests.support.modals import last_opened
from tests.support.samtal import form_values
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, STHLM, World, accept_invitation


class Reader:
    """What reached Slack since the last look, as a person would read it."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.seen = 0
        self.delivered: list[tuple[datetime, str, str]] = []  # (local time, channel, text) of every post

    def new(self) -> list[Any]:
        self.world.deliver()
        calls = self.world.slack.calls[self.seen :]
        self.seen = len(self.world.slack.calls)
        now = self.world.clock.now().astimezone(STHLM)
        for c in calls:
            if c.method == "chat.postMessage":
                self.delivered.append((now, str(c["channel"]), str(c.get("text") or "")))
        return [c for c in calls if c.method not in ("auth.test", "conversations.open", "conversations.history")]

    def texts_to(self, channel: str) -> list[str]:
        return [text for _, ch, text in self.delivered if ch in (channel, "D" + channel[1:])]


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for b in blocks or []:
        t = b.get("text")
        if isinstance(t, dict):
            out.append(t.get("text", ""))
        for e in b.get("elements", []) or []:
            if isinstance(e, dict) and isinstance(e.get("text"), (dict, str)):
                out.append(e["text"]["text"] if isinstance(e["text"], dict) else e["text"])
            if isinstance(e, dict) and e.get("value"):
                out.append(f"[{e.get('action_id')}={e.get('value')}]")
        acc = b.get("accessory")
        if isinstance(acc, dict) and acc.get("value"):
            out.append(f"[{acc.get('action_id')}={acc.get('value')}]")
        for f in b.get("fields", []) or []:
            out.append(f.get("text", ""))
    return out


def dump(label: str, calls: list[Any], resp: Any = None) -> None:
    """What everyone received at this step; pytest shows it only when the scenario fails."""
    print(f"\n===== {label}")
    if resp is not None:
        print("  [svar]", ephemeral_text(resp)[:1500])
    for c in calls:
        p = c.params
        if c.method == "views.publish":
            print("  [home]", p.get("user_id"), " | ".join(_texts(p.get("view", {}).get("blocks", [])))[:1500])
        else:
            print(f"  [{c.method}] ch={p.get('channel')} user={p.get('user')}: {p.get('text')}")
            if p.get("blocks"):
                print("     blocks:", " | ".join(_texts(p["blocks"] if isinstance(p["blocks"], list) else json.loads(p["blocks"])))[:3000])


def test_two_weeks(world: World, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    r = Reader(world)

    def do(label: str, cmd: str, text: str, user: str = KSO) -> str:
        resp = world.command(cmd, text, user=user)
        dump(f"{label}: {user} {cmd} {text}", r.new(), resp)
        return ephemeral_text(resp)

    world.at("2026-11-23 09:00")
    do("koppla", "/samspel", f"koppla <@{KSO}|anna> <@{KD}|bo>")
    accept_invitation(world, KD)
    dump("godkänn: KD", r.new())
    do("arbetstid", "/samspel", "arbetstid 07:30-16:30")
    # Each person sets their own hours: the KD starts at 07:30 too, so held messages reach the KD then.
    do("arbetstid KD", "/samspel", "arbetstid 07:30-16:30", KD)
    do("status", "/samspel", "status", KD)
    do("uppdrag1", "/uppdrag", "Ta fram underlag om skolskjutsar senast fredag")
    do("uppdrag2", "/uppdrag", "Utred <!channel> & äldreboende senast nästa vecka")
    do("uppdrag3", "/uppdrag", "Budgetramar för 2027 senast imorgon")
    do("uppdrag4", "/uppdrag", "Plan för vinterväghållning senast 2026-12-18")
    do("lista", "/uppdrag", "lista", KD)
    kd_dms = [text for text in r.texts_to(KD) if text.startswith("Nytt uppdrag")]
    assert "Senast fredag 27 nov. (2026-11-27)" in kd_dms[0]
    assert "Senast fredag 4 dec. (2026-12-04)" in kd_dms[1] and "<!channel>" not in kd_dms[1]
    assert "Senast tisdag 24 nov. (2026-11-24)" in kd_dms[2]

    world.at("2026-11-23 10:15")
    do("arende1", "/arende", "Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08", KD)
    do("arende2", "/arende", "Taxa för <@UKSO0001> bygglov 2027", KD)
    do("arende3", "/arende", "Ny skolorganisation", KD)
    do("arende4", "/arende", "Försäljning av fastigheten Hjärsta 1:2", KD)
    do("arende lista", "/arende", "lista", KSO)

    def act(label: str, action: str, value: str, user: str, channel: str, ts: str = "1700000001.000100") -> None:
        resp = world.driver.action(action, value, user=user, channel=channel, message_ts=ts)
        dump(f"{label}: {user} klickar {action}={value} i {channel}", r.new(), resp)

    dm_kso = world.slack.posted_to("DKSO0001")
    act("till ks i DM", "arende_till_ks", "1", KSO, "DKSO0001", dm_kso[-4]["ts"])
    act("ater i DM", "arende_ater", "2", KSO, "DKSO0001", dm_kso[-3]["ts"])
    resp = world.driver.submit(
        "arende_ater",
        {"kommentar": {"kommentar": {"value": "Behöver <!here> konsekvensanalys"}}},
        user=KSO,
        private_metadata=json.dumps({"arende": 2, "channel": "DKSO0001", "ts": dm_kso[-3]["ts"]}),
    )
    dump("ater submit", r.new(), resp)
    act("KD försöker avgöra", "arende_till_ks", "3", KD, CHANNEL)
    kd_dms = r.texts_to(KD)
    assert "ärende #1 (Detaljplan Norra hamnen): *till KS*" in kd_dms[-2]
    assert "åter för beredning" in kd_dms[-1] and "Behöver @here konsekvensanalys" in kd_dms[-1]
    assert "Bara KSO avgör ärenden" in world.slack.of("chat.postEphemeral")[-1]["text"]
    act("KSO klickar igen", "arende_till_ks", "1", KSO, "DKSO0001", dm_kso[-4]["ts"])
    assert "redan avgjort" in world.slack.of("chat.postEphemeral")[-1]["text"]
    assert len([t for t in r.texts_to(KD) if "ärende #1" in t]) == 1  # a second click tells the KD nothing twice

    world.at("2026-11-24 09:30")
    do("klart 3", "/uppdrag", "klart 3", KD)
    do("oklart 1", "/uppdrag", "oklart 1 Gäller det även <b>gymnasiet</b>?", KD)
    world.at("2026-11-24 11:00")
    do("svar 1", "/uppdrag", "svar 1 Ja, även gymnasiet", KSO)
    assert "&lt;b&gt;gymnasiet&lt;/b&gt;" in r.texts_to(KD)[-1] and "Ja, även gymnasiet" in r.texts_to(KD)[-1]
    do("oklart 2", "/uppdrag", "oklart 2 Vilka boenden avses?", KD)
    do("agenda+ kso", "/agenda", "+ prioritering Budgetprocessen 2027", KSO)
    do("agenda+ kd", "/agenda", "+ incident Vattenläcka i simhallen <!everyone>", KD)
    do("agenda+ kd2", "/agenda", "+ kommande Besök av landshövdingen", KD)
    do("agenda+ bad", "/agenda", "+ fika Kanelbullar", KD)
    do("agenda preview", "/agenda", "", KSO)

    world.at("2026-11-27 18:30")
    do("fre kväll", "/meddela", "Kan vi ta budgeten på måndag?", KSO)
    world.at("2026-11-28 10:00")
    do("lör akut", "/meddela", "akut Brand på Rudbecksskolan, ring mig", KD)
    assert r.texts_to(KSO)[-1].startswith("🚨 AKUT") and "lördag 28 nov. kl. 10:00" in r.texts_to(KSO)[-1]
    assert not any("budgeten på måndag" in t for t in r.texts_to(KD))  # still held over the weekend
    do("lör held", "/meddela", "Läste du rapporten om <@UKD00001> hemtjänsten?", KSO)
    do("lör held2", "/meddela", "Glöm inte julbordet", KSO)
    do("lista", "/meddela", "lista", KSO)
    act("eskalera 3", "meddela_akut", "3", KSO, CHANNEL)
    form = last_opened(world)  # the reason form (issue 14, item 7)
    world.driver.submit(
        form["callback_id"], {"akut_skal": {"akut_skal": {"value": "Läs före mötet"}}}, user=KSO, private_metadata=form["private_metadata"]
    )
    act("ångra 4", "meddela_angra", "4", KSO, CHANNEL)
    act("ångra 4 igen", "meddela_angra", "4", KSO, CHANNEL)
    act("KD ångrar KSO:s 1", "meddela_angra", "1", KD, CHANNEL)
    assert r.texts_to(KD)[-1].startswith("🚨 AKUT")  # the escalated one, at once

    from jobs.agenda import agenda_tick
    from jobs.samtal import remind

    def tick(label: str) -> None:
        posted = agenda_tick(world.bot.deps)
        n = remind(world.bot.deps)
        dump(f"{label}: agenda_tick={posted} samtal={n}", r.new())

    world.at("2026-11-29 23:59")
    tick("sön natt")
    world.at("2026-11-30 07:30")
    tick("mån 07:30")
    world.at("2026-11-30 08:00")
    tick("mån 08:00")
    world.at("2026-11-30 08:01")
    tick("mån 08:01")
    monday = [(t, ch, text) for t, ch, text in r.delivered if t.date().isoformat() == "2026-11-30"]
    assert [(t.strftime("%H:%M"), ch) for t, ch, _ in monday] == [("07:30", "DKD00001"), ("08:00", CHANNEL)]
    assert "Kan vi ta budgeten på måndag?" in monday[0][2] or "skrivet fredag 27 nov. kl. 18:30" in monday[0][2]
    assert len([1 for _, ch, text in r.delivered if ch == CHANNEL and text.startswith("Agenda för")]) == 1
    agenda_msg = world.slack.posted_to(CHANNEL)[-1]
    act("till ks från agendan", "arende_till_ks", "3", KSO, CHANNEL, agenda_msg["ts"])
    assert any(
        c["channel"] == CHANNEL and "Till KS" in json.dumps(c.get("blocks"), ensure_ascii=False) for c in world.slack.of("chat.update")
    )
    act("stäng punkt 2", "agenda_stang", "2", KD, CHANNEL, agenda_msg["ts"])
    form = last_opened(world)  # an incident: owner and "klarades ut" (issue 14, item 8)
    world.driver.submit(
        form["callback_id"],
        {"agarskap": {"agarskap": {"selected_option": {"value": "kd"}}}, "klarades_ut": {"klarades_ut": {"value": "Läckan är lagad"}}},
        user=KD,
        private_metadata=form["private_metadata"],
    )
    world.at("2026-11-30 10:00")
    do("klart 1", "/uppdrag", "klart 1", KD)
    do("svar 2", "/uppdrag", "svar 2 Alla kommunala", KSO)
    do("agenda+ info", "/agenda", "+ info Ny ekonomichef börjar 1 feb", KSO)
    world.at("2026-12-07 08:00")
    tick("mån 7 dec 08:00")
    week50 = json.dumps(world.slack.posted_to(CHANNEL)[-1]["blocks"], ensure_ascii=False)
    assert "vecka 50" in week50 and "Budgetprocessen 2027" in week50 and "överförd" in week50
    assert "Vattenläcka" not in week50  # closed last week
    assert "Ny ekonomichef" in week50

    world.at("2026-12-07 09:00")
    do("samtal datum", "/samspel", "utvecklingssamtal 2027-01-07", KSO)
    for when in [
        "2026-12-07 09:05",
        "2026-12-10 07:00",
        "2026-12-10 07:30",
        "2026-12-10 12:00",
        "2026-12-21 08:00",
        "2026-12-23 16:45",
        "2026-12-24 08:00",
        "2026-12-25 12:00",
        "2026-12-28 07:30",
        "2026-12-28 08:00",
        "2026-12-31 08:00",
        "2027-01-01 09:00",
        "2027-01-04 07:30",
        "2027-01-04 08:00",
        "2027-01-07 07:30",
    ]:
        world.at(when)
        tick(when)
        if when == "2026-12-23 16:45":
            do("jul-meddelande", "/meddela", "God jul! Vi hörs efter helgerna om budgeten.", KD)
            world.at("2026-12-23 17:30")
            do("jul-meddelande efter arbetstid", "/meddela", "En sak till om julbelysningen", KD)
    world.at("2027-01-07 10:00")
    do("spelregler", "/spelregler", "", KSO)
    resp = world.command("/spelregler", "uppdatera", user=KSO)
    dump("uppdatera", r.new(), resp)
    do("genomfört", "/spelregler", "genomfört", KSO)
    do("genomfört igen", "/spelregler", "genomfört", KD)
    do("status", "/samspel", "status", KD)
    dm_kso = {t.strftime("%Y-%m-%d %H:%M"): text for t, ch, text in r.delivered if ch == "DKSO0001"}
    assert "fyra veckor" in dm_kso["2026-12-10 07:30"]
    assert "skrivet onsdag 23 dec. kl. 16:45" in dm_kso["2026-12-28 07:30"] or any(
        "skrivet onsdag 23 dec." in text for t, ch, text in r.delivered if t.date().isoformat() == "2026-12-28"
    )
    assert "om tre dagar" in dm_kso["2027-01-04 07:30"]  # the one-week reminder waited over nyårsafton and trettonhelgen
    assert "i dag" in dm_kso["2027-01-07 07:30"]
    material = [(t, text) for t, ch, text in r.delivered if ch == CHANNEL and text.startswith("Underlag")]
    assert [t.strftime("%Y-%m-%d %H:%M") for t, _ in material] == ["2026-12-28 07:30"]  # not on julafton
    # Nothing but akut reaches anyone outside working hours (07:30–16:30, weekdays, not a holiday).
    days_off = {"2026-12-24", "2026-12-25", "2026-12-26", "2026-12-31", "2027-01-01", "2027-01-06"}
    for t, ch, text in r.delivered:
        working = t.weekday() < 5 and t.date().isoformat() not in days_off and "07:30" <= t.strftime("%H:%M") < "16:30"
        assert working or text.startswith("🚨 AKUT"), (t, ch, text)
    assert not any("julbordet" in text for _, _, text in r.delivered)  # cancelled, never delivered
    texts = {"Uppdraget – det gemensamma": "Vi leder <!channel> kommunen tillsammans.", "Utvecklingssamtal": "I januari varje år."}
    resp = world.driver.submit(
        "spelregler_uppdatera", form_values(texts), user=KD, private_metadata=json.dumps({"pair_id": 1, "base_version": 1})
    )
    dump("spelregler submit", r.new(), resp)
    assert "sparade version 2" in r.texts_to(CHANNEL)[-1]
    do("spelregler visa", "/spelregler", "", KD)
    do("spelregler versioner", "/spelregler", "versioner", KD)

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    outputs: dict[str, tuple[int, str, str]] = {}
    for argv in (
        ["export", "--pair", "1", "--format", "csv"],
        ["export", "--pair", "1", "--format", "json"],
        ["rapport", "--pair", "1"],
        ["rapport", "--pair", "1", "--format", "csv"],
        ["ics", "--pair", "1"],
        ["agenda", "--pair", "1"],
        ["agenda", "--pair", "1", "--date", "2027-03-29"],
        ["rapport", "--pair", "9"],
    ):
        out, err = io.StringIO(), io.StringIO()
        rc = cli.main(argv, out=out, err=err)
        print(f"\n===== CLI {argv} rc={rc}\n{out.getvalue()[:8000]}\nERR: {err.getvalue()}")
        outputs[" ".join(argv)] = (rc, out.getvalue(), err.getvalue())
    export_csv = outputs["export --pair 1 --format csv"][1]
    assert "#2;Utred <!channel> & äldreboende" in export_csv  # the diarium keeps what was written
    assert "#2;Taxa för <@UKSO0001> bygglov 2027;;;UKD00001 (KD)" in export_csv and "Behöver <!here> konsekvensanalys" in export_csv
    assert "#4;Försäljning av fastigheten Hjärsta 1:2;;;UKD00001 (KD);UKD00001;2026-11-23 10:15 CET;väntar på KSO" in export_csv
    exported = json.loads(outputs["export --pair 1 --format json"][1])
    assert [(u["nr"], u["status"]) for u in exported["uppdrag"]] == [(1, "done"), (2, "open"), (3, "done"), (4, "open")]
    assert [a["status"] for a in exported["arenden"]] == ["till_ks", "ater", "till_ks", "vantar"]
    assert all(outputs[k][0] == 0 for k in outputs if not k.endswith("--pair 9"))
    assert "Utvecklingssamtal KSO och KD" in outputs["ics --pair 1"][1]
    assert "tisdag 30 mars" in outputs["agenda --pair 1 --date 2027-03-29"][1]  # annandag påsk moves the meeting
    assert outputs["rapport --pair 9"][0] == 2 and "inget par med id 9" in outputs["rapport --pair 9"][2]
    # The year in figures, as of the talk, matches what happened.
    with world.sessions() as session:
        f = rapport.year_figures(session, pairs.get_pair(session, 1), world.clock.now())
    assert (f.uppdrag_given, f.uppdrag_done, f.uppdrag_done_late, f.uppdrag_open_overdue) == (4, 2, 1, 2)
    assert (f.arenden_handed_over, f.arenden_to_ks, f.arenden_back, f.arenden_waiting) == (4, 2, 1, 1)
    # Sent: all but the cancelled one; held: the four that waited; akut: the fire and the escalation, both on a Saturday.
    assert (f.messages_sent, f.messages_held, f.messages_akut, f.akut_weekend) == (5, 4, 2, 2)
