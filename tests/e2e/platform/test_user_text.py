"""User text as typed: Slack's escapes and markup stay neutral, links show their address, 3000 characters fit and 3001 do not."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.models import OutboxMessage, Uppdrag
from jobs.agenda import agenda_tick
from tests.support.pairs import dm_texts, open_home
from tests.support.signing import ephemeral_text
from tests.support.text import LONG
from tests.support.world import CHANNEL, KD, KSO, World


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
    open_home(paired, KD)
    open_home(paired, KSO)
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
