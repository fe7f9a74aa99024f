"""Spelregler as versions: the template, showing, the update modal, authorship and history."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.domain.spelregler import SECTIONS, TEMPLATE
from bot.models import AuditEntry, SpelreglerVersion
from tests.support.samtal import pair_id, submit
from tests.support.signing import command_body, ephemeral_text
from tests.support.world import CHANNEL, KD, KSO, OUTSIDER, World


def stored_versions(world: World) -> list[tuple[int, str, dict[str, Any]]]:
    with world.sessions() as s:
        rows = s.scalars(select(SpelreglerVersion).order_by(SpelreglerVersion.version)).all()
        return [(r.version, r.author, dict(r.sections)) for r in rows]


def test_new_pair_sees_template_with_all_headings(paired: World) -> None:
    text = ephemeral_text(paired.command("/spelregler", "", user=KD))
    for heading in SECTIONS:
        assert heading in text
    assert "Version 1" in text and "mall från Örebros spelregler" in text
    assert "Vi undviker att störa varandra utanför ordinarie arbetstid" in text
    assert stored_versions(paired) == [(1, "samspel", TEMPLATE)]


def test_outsider_sees_nothing_and_nothing_is_created(paired: World) -> None:
    for verb in ("", "versioner", "uppdatera", "genomfört"):
        text = ephemeral_text(paired.command("/spelregler", verb, user=OUTSIDER))
        assert "bara parets KSO och KD" in text, verb
        assert "Uppdraget" not in text
    assert stored_versions(paired) == []
    assert paired.slack.of("views.open") == []


def test_uppdatera_opens_prefilled_modal_with_one_field_per_section(paired: World) -> None:
    resp = paired.driver.send(command_body("/spelregler", "uppdatera", user=KD, channel=CHANNEL, trigger_id="1.2.3"))
    assert resp.status == 200
    (call,) = paired.slack.of("views.open")
    view = call["view"]
    assert call["trigger_id"] == "1.2.3"
    assert view["callback_id"] == "spelregler_uppdatera"
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["label"]["text"] for b in inputs] == list(SECTIONS)
    assert all(b["element"]["multiline"] for b in inputs)
    assert inputs[7]["element"]["initial_value"] == TEMPLATE["Utvecklingssamtal"]
    assert json.loads(view["private_metadata"])["base_version"] == 1


def test_versions_keep_authorship_and_history(paired: World) -> None:
    paired.command("/spelregler", "uppdatera", user=KD)
    kd_texts = dict(TEMPLATE, **{"Fokus på de närmaste åren": "Bostadsbyggande och skolresultat."})
    assert submit(paired, kd_texts, user=KD, base=1) == {}
    paired.at("2026-12-01 09:30")
    kso_texts = dict(kd_texts, **{"Vårt samarbete": "Vi ses varje måndag och ringer bara om det brinner."})
    assert submit(paired, kso_texts, user=KSO, base=2) == {}

    versions = stored_versions(paired)
    assert [(v, a) for v, a, _ in versions] == [(1, "samspel"), (2, KD), (3, KSO)]
    assert versions[0][2] == TEMPLATE  # the old text is kept
    assert versions[1][2]["Fokus på de närmaste åren"] == "Bostadsbyggande och skolresultat."

    listing = ephemeral_text(paired.command("/spelregler", "versioner", user=KD))
    assert f"Version 3: tisdag 1 dec. kl. 09:30, <@{KSO}>" in listing
    assert f"Version 2: måndag 23 nov. kl. 10:00, <@{KD}>" in listing
    assert "Version 1: måndag 23 nov. kl. 10:00, Samspel" in listing

    current = ephemeral_text(paired.command("/spelregler", "", user=KD))
    assert "Version 3" in current and "ringer bara om det brinner" in current
    old = ephemeral_text(paired.command("/spelregler", "version 2", user=KSO))
    assert f"<@{KD}>" in old and "ringer bara om det brinner" not in old and "Bostadsbyggande" in old
    assert "ingen version 9" in ephemeral_text(paired.command("/spelregler", "version 9", user=KSO))

    paired.deliver()
    posts = [m["text"] for m in paired.slack.posted_to(CHANNEL)]
    assert any(f"<@{KD}> sparade version 2" in t for t in posts)
    assert any(f"<@{KSO}> sparade version 3" in t for t in posts)
    with paired.sessions() as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "spelregler_ny_version")) == 2


def test_save_at_night_is_announced_at_next_working_start(paired: World) -> None:
    paired.at("2026-11-27 21:00")  # Friday evening
    assert submit(paired, dict(TEMPLATE, Utvecklingssamtal="I november."), user=KSO, base=1) == {}
    paired.deliver()
    assert paired.slack.posted_to(CHANNEL) == []
    paired.at("2026-11-30 08:00")
    paired.deliver()
    assert "sparade version 2" in paired.slack.posted_to(CHANNEL)[0]["text"]


def test_concurrent_edit_is_refused_instead_of_overwritten(paired: World) -> None:
    assert submit(paired, dict(TEMPLATE, Utvecklingssamtal="KSO:s version"), user=KSO, base=1) == {}
    answer = submit(paired, dict(TEMPLATE, Utvecklingssamtal="KD:s version"), user=KD, base=1)
    assert answer["response_action"] == "errors"
    assert f"<@{KSO}> sparade version 2" in answer["errors"]["avsnitt_0"]
    assert [v for v, _, _ in stored_versions(paired)] == [1, 2]


def test_bad_submissions_store_nothing(paired: World) -> None:
    unchanged = submit(paired, TEMPLATE, user=KD, base=1)
    assert "Inga ändringar" in unchanged["errors"]["avsnitt_0"]
    empty = submit(paired, {}, user=KD, base=1)
    assert "tomma" in empty["errors"]["avsnitt_0"]
    too_long = submit(paired, dict(TEMPLATE, **{"Vårt samarbete": "x" * 3001}), user=KD, base=1)
    assert "för långt" in too_long["errors"]["avsnitt_5"]
    outsider = submit(paired, dict(TEMPLATE, Utvecklingssamtal="Aldrig"), user=OUTSIDER, base=1)
    assert "bara parets KSO och KD" in outsider["errors"]["avsnitt_0"]
    # Not even the template's version 1, which a save makes on first use: a refused save rolls all of it back
    # (on SQLite that version stayed, a savepoint's RELEASE having committed it). The pair still sees the template.
    assert stored_versions(paired) == []
    assert all(heading in ephemeral_text(paired.command("/spelregler", "", user=KD)) for heading in SECTIONS)


def test_user_text_is_escaped_when_shown_and_posted(paired: World) -> None:
    hostile = "<!channel> Ring <@UOUT0001> & <!here>"
    assert submit(paired, dict(TEMPLATE, **{"Vårt samarbete": hostile}), user=KD, base=1) == {}
    text = ephemeral_text(paired.command("/spelregler", "", user=KSO))
    assert "<!channel>" not in text and "<!here>" not in text and "<@UOUT0001>" not in text
    assert "@channel Ring @UOUT0001 &amp; @here" in text


def test_a_masked_link_in_the_spelregler_shows_its_address(paired: World) -> None:
    masked = "Se <https://evil.example/p|Logga in på nytt>"
    assert submit(paired, dict(TEMPLATE, **{"Vårt samarbete": masked}), user=KD, base=1) == {}
    text = ephemeral_text(paired.command("/spelregler", "", user=KSO))
    assert "Logga in på nytt (<https://evil.example/p>)" in text and "|Logga" not in text


def test_button_opens_the_same_modal_and_refuses_outsiders(paired: World) -> None:
    pid = str(pair_id(paired))
    paired.driver.action("spelregler_uppdatera", pid, user=KSO, channel=CHANNEL)
    (call,) = paired.slack.of("views.open")
    assert call["view"]["callback_id"] == "spelregler_uppdatera"
    paired.driver.action("spelregler_uppdatera", pid, user=OUTSIDER, channel=CHANNEL)
    paired.deliver()
    assert len(paired.slack.of("views.open")) == 1
    (refusal,) = paired.slack.of("chat.postEphemeral")
    assert refusal["user"] == OUTSIDER and "bara parets KSO och KD" in refusal["text"]


def test_template_spelregler_are_dated_when_the_pair_was_connected(paired: World) -> None:
    paired.at("2026-12-24 09:00")
    text = ephemeral_text(paired.command("/spelregler", "versioner"))
    assert "Version 1: måndag 23 nov. kl. 10:00" in text
    assert "24 dec" not in text
