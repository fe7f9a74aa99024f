"""Exploratory QA (round 2): a KD in two pairs, custom hours, DST and year end, awkward input, English."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.models import OutboxMessage, Uppdrag
from jobs.agenda import agenda_tick
from tests.support.signing import ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, World, accept_invitation, couple

KSO2 = "UKSO0002"
CHANNEL2 = "GPAIR002"
DM_KD = "DKD00001"


def second_pair(world: World) -> None:
    """KD also serves a committee chair (KSO2) in a second private channel."""
    resp = world.command("/samspel", f"koppla <@{KSO2}|nämndordf> <@{KD}|bo>", user=KD, channel=CHANNEL2)
    assert "<#GPAIR002>" in ephemeral_text(resp)
    accept_invitation(world, KSO2)


def home_of(world: World, user: str) -> list[dict[str, Any]]:
    world.driver.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home", "event_ts": "1.0"})
    world.deliver()
    views = [c["view"] for c in world.slack.of("views.publish") if c["user_id"] == user]
    return views[-1]["blocks"]


def dm_texts(world: World, user: str) -> list[str]:
    return [str(c.get("text") or "") for c in world.slack.posts if c["channel"] in (user, "D" + user[1:])]


def test_kd_in_two_pairs_keeps_them_apart(paired: World) -> None:
    second_pair(paired)
    paired.command("/uppdrag", "Skolskjutsar i norr", user=KSO)
    paired.command("/uppdrag", "Nämndens delårsrapport", user=KSO2, channel=CHANNEL2)
    paired.deliver()
    one = ephemeral_text(paired.command("/uppdrag", "lista", user=KD))
    two = ephemeral_text(paired.command("/uppdrag", "lista", user=KD, channel=CHANNEL2))
    assert "Skolskjutsar" in one and "delårsrapport" not in one
    assert "delårsrapport" in two and "Skolskjutsar" not in two
    # In a DM the bot cannot tell which pair: it says so instead of guessing.
    dm = ephemeral_text(paired.command("/uppdrag", "lista", user=KD, channel=DM_KD))
    assert "flera par" in dm and "Skolskjutsar" not in dm and "delårsrapport" not in dm
    # KSO of pair 1 cannot read pair 2's channel.
    refused = ephemeral_text(paired.command("/uppdrag", "lista", user=KSO, channel=CHANNEL2))
    assert "delårsrapport" not in refused
    # Each pair numbers its own uppdrag: KD marks #1 done in pair 2 only.
    done = ephemeral_text(paired.command("/uppdrag", "klart 1", user=KD, channel=CHANNEL2))
    assert "#1" in done and "delårsrapport" in done
    with paired.sessions() as s:
        rows = {u.text: u.done_at for u in s.scalars(select(Uppdrag))}
    assert rows["Skolskjutsar i norr"] is None
    assert rows["Nämndens delårsrapport"] is not None


def test_kd_in_two_pairs_home_and_held_messages(paired: World) -> None:
    second_pair(paired)
    paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO2, channel=CHANNEL2)
    paired.at("2026-11-26 16:00")  # Thursday: pair 1 still working, pair 2 has gone home
    r1 = ephemeral_text(paired.command("/meddela", "Till Anna", user=KD))
    r2 = ephemeral_text(paired.command("/meddela", "Till nämndordföranden", user=KD, channel=CHANNEL2))
    assert "arbetstid nu" in r1
    # Pair 2 works mån-tor: Friday is not a working day, so Monday 07:00.
    assert "måndag 30 nov kl. 07:00" in r2
    paired.deliver()
    assert any("Till Anna" in t for t in dm_texts(paired, KSO))
    assert not any("nämndordf" in t for t in dm_texts(paired, KSO2))
    blocks = home_of(paired, KD)
    text = json.dumps(blocks, ensure_ascii=False)
    assert f"<#{CHANNEL}>" in text and f"<#{CHANNEL2}>" in text
    assert "Till nämndordföranden" in text and "Till Anna" not in text
    lista1 = paired.command("/meddela", "lista", user=KD)
    assert "inga meddelanden" in ephemeral_text(lista1)
    # Friday 08:00: pair 2 is off, nothing is delivered; Monday 07:00 it is.
    paired.at("2026-11-27 08:00")
    paired.deliver()
    assert not any("nämndordf" in t for t in dm_texts(paired, KSO2))
    paired.at("2026-11-30 07:00")
    paired.deliver()
    assert any("Till nämndordföranden" in t for t in dm_texts(paired, KSO2))
    ids = [c["view"]["blocks"] for c in paired.slack.of("views.publish") if c["user_id"] == KD][-1]
    block_ids = [b.get("block_id") for b in ids if b.get("block_id")]
    assert len(block_ids) == len(set(block_ids))


def test_agenda_posts_once_per_pair_to_its_own_channel(paired: World) -> None:
    second_pair(paired)
    paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO2, channel=CHANNEL2)
    paired.command("/samspel", "agendatid 07:00", user=KSO2, channel=CHANNEL2)
    paired.command("/uppdrag", "Skolskjutsar i norr", user=KSO)
    paired.command("/uppdrag", "Nämndens delårsrapport", user=KSO2, channel=CHANNEL2)
    paired.at("2026-11-30 07:00")
    keys = agenda_tick(paired.bot.deps)
    paired.deliver()
    assert keys == ["agenda:2:2026-W49"]
    paired.at("2026-11-30 08:00")
    assert agenda_tick(paired.bot.deps) == ["agenda:1:2026-W49"]
    paired.deliver()
    one = json.dumps(paired.slack.posted_to(CHANNEL), ensure_ascii=False)
    two = json.dumps(paired.slack.posted_to(CHANNEL2), ensure_ascii=False)
    assert "Skolskjutsar" in one and "delårsrapport" not in one
    assert "delårsrapport" in two and "Skolskjutsar" not in two


def test_slack_escaped_ampersand_and_brackets_show_as_typed(paired: World) -> None:
    """Slack sends `&`, `<`, `>` in command text as `&amp;`, `&lt;`, `&gt;`: users must see what they typed."""
    paired.command("/uppdrag", "Skola &amp; vård &lt;2027&gt; senast fredag", user=KSO)
    paired.command("/arende", "Taxa &amp; avgifter", user=KD)
    paired.command("/agenda", "+ info Bygg &amp; miljö", user=KD)
    paired.deliver()
    kd = dm_texts(paired, KD)
    assert any("Skola &amp; vård &lt;2027&gt;" in t for t in kd)
    assert not any("&amp;amp;" in t for t in kd)
    lista = ephemeral_text(paired.command("/uppdrag", "lista", user=KD))
    assert "&amp;amp;" not in lista and "Skola &amp; vård" in lista
    with paired.sessions() as s:
        assert s.scalars(select(Uppdrag.text)).one() == "Skola & vård <2027>"
    arenden = ephemeral_text(paired.command("/arende", "lista", user=KSO))
    assert "&amp;amp;" not in arenden and "Taxa &amp; avgifter" in arenden
    preview = ephemeral_text(paired.command("/agenda", "", user=KSO))
    assert "&amp;amp;" not in preview and "Bygg &amp; miljö" in preview


def slack_limit_problems(blocks: list[dict[str, Any]], where: str) -> list[str]:
    """Block Kit limits Slack enforces (it answers invalid_blocks otherwise)."""
    problems = []
    for b in blocks:
        t = b.get("text")
        if b["type"] == "section" and isinstance(t, dict) and len(t["text"]) > 3000:
            problems.append(f"{where}: section text {len(t['text'])}")
        if b["type"] == "header" and len(b["text"]["text"]) > 150:
            problems.append(f"{where}: header {len(b['text']['text'])}")
        for f in b.get("fields") or []:
            if len(f["text"]) > 2000:
                problems.append(f"{where}: field {len(f['text'])}")
        for e in b.get("elements") or []:
            if e.get("type") == "button" and len(e["text"]["text"]) > 75:
                problems.append(f"{where}: button label {len(e['text']['text'])}")
            if b["type"] == "context" and len(e.get("text", "")) > 3000:
                problems.append(f"{where}: context {len(e['text'])}")
        if len(b.get("block_id") or "") > 255:
            problems.append(f"{where}: block_id")
    return problems


def all_limit_problems(world: World) -> list[str]:
    problems = []
    for c in world.slack.calls:
        if c.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            blocks = c.get("blocks") or []
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            if len(blocks) > 50:
                problems.append(f"{c.method}: {len(blocks)} blocks")
            if len(str(c.get("text") or "")) > 40000:
                problems.append(f"{c.method}: text {len(c['text'])}")
            problems += slack_limit_problems(blocks, c.method)
        if c.method in ("views.publish", "views.open", "views.update"):
            view = c["view"] if isinstance(c["view"], dict) else json.loads(c["view"])
            if len(view["blocks"]) > 100:
                problems.append(f"{c.method}: {len(view['blocks'])} blocks")
            problems += slack_limit_problems(view["blocks"], c.method)
    return problems


def ack_problems(resp: Any, where: str) -> list[str]:
    body = json.loads(resp.body) if resp.body else {}
    problems = slack_limit_problems(body.get("blocks") or [], where)
    if len(body.get("text") or "") > 40000:
        problems.append(f"{where}: ack text")
    return problems


LONG = ("Åäö 🚀 " * 600)[:2999] + "x"  # exactly 3000 characters


def test_exactly_3000_characters_everywhere_and_3001_refused(paired: World) -> None:
    assert len(LONG) == 3000
    problems: list[str] = []

    def cmd(command: str, text: str, user: str) -> str:
        resp = paired.command(command, text, user=user)
        problems.extend(ack_problems(resp, f"{command} {text[:20]}"))
        return ephemeral_text(resp)

    assert "#1" in cmd("/uppdrag", LONG + " senast fredag", KSO)
    assert "för långt" in cmd("/uppdrag", LONG + "y", KSO)
    cmd("/arende", LONG, KD)
    assert "för lång" in cmd("/arende", LONG + "y", KD)
    cmd("/agenda", "+ info " + LONG, KD)
    assert "för lång" in cmd("/agenda", "+ info " + LONG + "y", KD)
    cmd("/uppdrag", "oklart 1 " + LONG, KD)
    assert "för lång" in cmd("/uppdrag", "oklart 1 " + LONG + "y", KD)
    paired.at("2026-11-23 18:00")
    cmd("/meddela", LONG, KD)
    assert "för långt" in cmd("/meddela", LONG + "y", KD)
    cmd("/uppdrag", "lista", KD)
    cmd("/arende", "lista", KSO)
    cmd("/meddela", "lista", KD)
    cmd("/agenda", "", KSO)
    paired.deliver()
    home_of(paired, KD)
    home_of(paired, KSO)
    paired.at("2026-11-30 08:00")
    agenda_tick(paired.bot.deps)
    paired.deliver()
    assert paired.slack.posted_to(CHANNEL), "the agenda was posted"
    problems += all_limit_problems(paired)
    with paired.sessions() as s:
        failed = s.scalars(select(OutboxMessage).where(OutboxMessage.status != "sent")).all()
    assert problems == []
    assert [(r.kind, r.status) for r in failed if r.status == "failed"] == []


SLACKY = "Se <https://x.se/a?b=1&amp;c=2|underlag &amp; bilaga> och <https://kommun.se> för <!subteam^S1|@grupp> i <#C0123|kanal> 🙂"


def test_slack_markup_in_user_text_is_neutral_and_links_survive(paired: World) -> None:
    paired.command("/uppdrag", SLACKY, user=KSO)
    paired.command("/arende", SLACKY, user=KD)
    paired.command("/agenda", "+ olöst " + SLACKY, user=KD)
    paired.at("2026-11-23 18:00")
    paired.command("/meddela", SLACKY, user=KD)
    paired.at("2026-11-24 08:00")
    paired.deliver()
    texts = [str(c.get("text") or "") for c in paired.slack.posts]
    texts += [json.dumps(c.get("blocks") or [], ensure_ascii=False) for c in paired.slack.posts]
    preview = ephemeral_text(paired.command("/agenda", "", user=KSO))
    lista = ephemeral_text(paired.command("/uppdrag", "lista", user=KD))
    for t in texts + [preview, lista]:
        assert "<!subteam" not in t and "<#C0123" not in t
        assert "&amp;amp;" not in t
    joined = "\n".join(texts + [preview, lista])
    # A masked link shows its real address next to its label (issue 9: links cannot disguise themselves).
    assert "underlag &amp; bilaga (<https://x.se/a?b=1&amp;c=2>)" in joined and "|underlag" not in joined
    assert "<https://kommun.se>" in joined
    assert "@grupp" in joined and "#kanal" in joined and "🙂" in joined


def test_custom_days_and_own_day_off_move_agenda_and_held_messages(paired: World) -> None:
    assert "Din arbetstid är nu" in ephemeral_text(paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO))
    assert "ledig dag för dig" in ephemeral_text(paired.command("/samspel", "ledig 2026-11-30 klämdag", user=KD))
    status = ephemeral_text(paired.command("/samspel", "status", user=KD))
    assert "mån–tor 07:00–15:30" in status and "2026-11-30" in status
    assert paired.tick(agenda_tick, "2026-11-30 08:00") == []
    assert paired.tick(agenda_tick, "2026-12-01 07:59") == []
    assert paired.tick(agenda_tick, "2026-12-01 08:00") == ["agenda:1:2026-W49"]
    [post] = paired.slack.posted_to(CHANNEL)
    assert "tisdag 1 dec" in post["text"]
    assert "Mötet flyttas från måndag till tisdag 1 dec" in json.dumps(post["blocks"], ensure_ascii=False)
    # Thursday 15:31: the KSO is off until Monday 07:00 (Friday is not the KSO's working day) ...
    paired.at("2026-12-03 15:31")
    answer = ephemeral_text(paired.command("/meddela", "Hinner vi?", user=KD))
    assert "måndag 7 dec kl. 07:00" in answer
    # ... while the KD, on their own hours, still works.
    assert "har arbetstid nu" in ephemeral_text(paired.command("/meddela", "Ja", user=KSO))
    preview = ephemeral_text(paired.command("/agenda", "", user=KSO))
    assert "måndag 7 dec" in preview


def test_dst_nights_hold_messages_and_post_agendas_at_local_time(world: World) -> None:
    world.at("2026-03-02 09:00")
    couple(world)
    paired = world
    paired.at("2026-03-28 22:00")
    assert "måndag 30 mars kl. 08:00" in ephemeral_text(paired.command("/meddela", "Vår", user=KSO))
    assert paired.tick(agenda_tick, "2026-03-30 07:59") == []
    assert paired.tick(agenda_tick, "2026-03-30 08:00") == ["agenda:1:2026-W14"]
    assert any("Vår" in t for t in dm_texts(paired, KD))
    paired.at("2026-10-24 23:30")
    assert "måndag 26 okt kl. 08:00" in ephemeral_text(paired.command("/meddela", "Höst", user=KSO))
    paired.at("2026-10-25 02:30")  # the hour that happens twice
    paired.deliver()
    assert not any("Höst" in t for t in dm_texts(paired, KD))
    assert paired.tick(agenda_tick, "2026-10-26 07:59") == []
    assert paired.tick(agenda_tick, "2026-10-26 08:00") == ["agenda:1:2026-W44"]
    assert any("Höst" in t for t in dm_texts(paired, KD))


def test_year_end_week_53_and_new_year(paired: World) -> None:
    assert paired.tick(agenda_tick, "2026-12-28 08:00") == ["agenda:1:2026-W53"]
    title = paired.slack.posted_to(CHANNEL)[-1]["text"]
    assert "vecka 53" in title and "28 dec" in title
    paired.at("2026-12-31 10:00")  # nyårsafton is a day off
    answer = ephemeral_text(paired.command("/meddela", "Gott nytt år", user=KSO))
    assert "måndag 4 jan kl. 08:00" in answer
    dl = ephemeral_text(paired.command("/uppdrag", "Årsbokslut senast nästa vecka", user=KSO))
    assert "fredag 8 jan" in dl and "2027-01-08" in dl
    dl2 = ephemeral_text(paired.command("/uppdrag", "Budget senast fredag", user=KSO))
    # Thursday nyårsafton: "fredag" is nyårsdagen, which the answer points out.
    assert "2027-01-01" in dl2 and "ledig dag (nyårsdagen)" in dl2
    preview = ephemeral_text(paired.command("/agenda", "", user=KSO))
    assert "måndag 4 jan" in preview and "vecka 1)" in preview
    assert paired.tick(agenda_tick, "2027-01-04 08:00") == ["agenda:1:2027-W01"]
    assert any("Gott nytt år" in t for t in dm_texts(paired, KD))
    assert paired.tick(agenda_tick, "2027-01-04 09:00") == []


def test_english_two_pairs_custom_hours_and_escaped_text(english: None, paired: World) -> None:
    from tests.support.english import swedish_left

    second_pair(paired)
    answer = ephemeral_text(paired.command("/samspel", "arbetstid 07:00-15:30 mån-tor", user=KSO2, channel=CHANNEL2))
    assert "Mon–Thu 07:00–15:30" in answer and not swedish_left(answer)
    dm = ephemeral_text(paired.command("/uppdrag", "lista", user=KD, channel=DM_KD))
    assert "pair" in dm and not swedish_left(dm)
    paired.at("2026-11-26 16:00")
    held = ephemeral_text(paired.command("/meddela", "Vård &amp; omsorg", user=KD, channel=CHANNEL2))
    assert "Monday 30 Nov at 07:00" in held and not swedish_left(held, "Vård &amp; omsorg")
    paired.command("/uppdrag", "Skola &amp; vård <!subteam^S1|@grupp> senast fredag", user=KSO)
    paired.deliver()
    [note] = [t for t in dm_texts(paired, KD) if "Skola" in t]
    assert "Skola &amp; vård @grupp" in note and "&amp;amp;" not in note
    assert not swedish_left(note, "Skola &amp; vård @grupp")
    too_long = ephemeral_text(paired.command("/uppdrag", LONG + "y", user=KSO))
    assert "3001" in too_long and not swedish_left(too_long)
    blocks = home_of(paired, KD)
    home = json.dumps(blocks, ensure_ascii=False)
    assert "Vård &amp; omsorg" in home and "Skola &amp; vård @grupp" in home
    assert not swedish_left(home, "Vård &amp; omsorg", "Skola &amp; vård @grupp")


def test_buttons_of_one_pair_do_nothing_for_the_other_pairs_kso(paired: World) -> None:
    from bot.models import AgendaPoint, Arende, UppdragFraga

    second_pair(paired)
    paired.command("/arende", "Pair ett ärende", user=KD)
    paired.command("/agenda", "+ info Punkt i par ett", user=KD)
    paired.command("/uppdrag", "Uppdrag i par ett", user=KSO)
    paired.command("/uppdrag", "oklart 1 Vilken budget?", user=KD)
    for action in ("arende_till_ks", "arende_ater", "agenda_stang", "uppdrag_svara"):
        paired.driver.action(action, "1", user=KSO2, channel=CHANNEL2)
        paired.driver.action(action, "1", user=KSO2, channel="DKSO0002")
    paired.deliver()
    with paired.sessions() as s:
        assert s.get(Arende, 1).status == "vantar"
        assert s.get(AgendaPoint, 1).closed_at is None
        assert s.get(UppdragFraga, 1).answered_at is None
    leaked = [c for c in paired.slack.calls if c.method in ("chat.postEphemeral", "chat.postMessage", "views.open")
              and c.get("user") == KSO2 or c.get("channel") in ("DKSO0002", KSO2)]
    for c in leaked:
        assert "Pair ett" not in json.dumps(c.params, ensure_ascii=False)
        assert "Vilken budget" not in json.dumps(c.params, ensure_ascii=False)
    assert not paired.slack.of("views.open")
