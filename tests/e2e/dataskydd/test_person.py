"""A person's extract holds everything stored about them, and erasing them or their pair leaves nothing of it.

Through the real app and the real CLI, on SQLite and (where TEST_DATABASE_URL is set) PostgreSQL.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import Engine, select

from bot.clock import FakeClock
from bot.models import AuditEntry, KsMeeting, OutboxMessage, Person
from tests.support.dataskydd import NAMES, OTHER, by_header, everything_stored, mentions, run_cli, tables
from tests.support.signing import TEAM, SlackDriver, ephemeral_text
from tests.support.slack_mock import SlackServer
from tests.support.world import CHANNEL, KD, KSO, World, couple, make_bot

PUBLIC_URL = "https://samspel.example.se"
FEED = re.compile(r"/kalender/([A-Za-z0-9_-]{40,})\.ics")


@pytest.fixture
def settled(slack: SlackServer, any_engine: Engine, clock: FakeClock) -> World:
    """A pair whose KD has chosen a language, their own hours, a day off and a calendar feed; the KSO a KS day."""
    bot = make_bot(slack, any_engine, clock, SAMSPEL_PUBLIC_URL=PUBLIC_URL)
    w = World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))
    w.slack.names.update(NAMES)
    couple(w)
    for text in ("arbetstid 07:00-16:00 mån-tor", "ledig 2026-12-28 mellandagar", "språk en"):
        assert w.command("/samspel", text, user=KD).status == 200
    assert "KS" in ephemeral_text(w.command("/samspel", "ks 2026-12-15", user=KSO))
    w.deliver()
    return w


def feed_token(w: World, user: str) -> str:
    found = FEED.search(ephemeral_text(w.command("/samspel", "kalender", user=user)))
    assert found, "no calendar address in the answer"
    return found.group(1)


def test_the_extract_holds_their_settings_days_off_hours_and_log_but_never_the_calendar_secret(
    settled: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = settled
    token = feed_token(w, KD)
    rc, out, err = run_cli(w, monkeypatch, "export", "--person", KD, "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    me = doc["person"]
    assert (me["language"], me["calendar_feed"]) == ("en", True)
    assert me["calendar_feed_at"] and me["settings_since"]
    assert doc["lediga_dagar"] == [{"pair": 1, "day": "2026-12-28", "note": "mellandagar", "whose": "egen"}]
    [hours] = doc["arbetstider"]
    assert (hours["pair"], hours["days"], hours["hours"]) == (1, "mån–tors", "07:00–16:00")
    # The proposal's log line lies outside any pair: it names them, so it is theirs too.
    [line] = doc["audit"]
    assert line["action"] == "koppla_forslag" and "Bo Ek" in line["description"] and line["actor"]["id"] == KSO
    assert doc["installationer"] == []
    for fmt in ("json", "csv"):
        rc, out, _err = run_cli(w, monkeypatch, "export", "--person", KD, "--format", fmt)
        assert rc == 0 and token not in out
    [row] = by_header(tables(out)["Registerutdrag"])
    assert row["Kalenderlänk"].startswith("finns: den som har adressen /kalender/") and "kalender ny" in row["Kalenderlänk"]
    assert row["Språk"] == "engelska"
    [day] = by_header(tables(out)["Lediga dagar"])
    assert (day["Dag"], day["Anteckning"], day["Gäller"]) == ("2026-12-28", "mellandagar", "din egen")

    # The KSO never asked for a calendar address, and follows Slack's language.
    rc, out, _err = run_cli(w, monkeypatch, "export", "--person", KSO, "--format", "json")
    assert rc == 0
    kso = json.loads(out)["person"]
    assert (kso["calendar_feed"], kso["calendar_feed_at"], kso["language"]) == (False, None, "auto")


def test_someone_known_only_by_their_settings_gets_an_extract_and_then_an_erasure(settled: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # An outsider who only chose a language: one `people` row, nothing else.
    w = settled
    assert w.command("/samspel", "språk en", user=OTHER, channel="DOTHER001").status == 200
    with w.sessions() as s:
        assert s.get(Person, OTHER) is not None
    rc, out, err = run_cli(w, monkeypatch, "export", "--person", OTHER, "--format", "json")
    assert rc == 0, err
    assert json.loads(out)["person"]["language"] == "en"
    rc, out, err = run_cli(w, monkeypatch, "erase", "--person", OTHER, "--yes")
    assert rc == 0, err
    assert "personliga inställningar 1" in out
    assert mentions(w, OTHER) == []
    # Now both agree that nothing is left.
    for argv in (("export", "--person", OTHER), ("erase", "--person", OTHER, "--yes")):
        rc, _out, err = run_cli(w, monkeypatch, *argv)
        assert rc == 2 and f"Samspel har inga uppgifter om {OTHER}." in err


def test_erasing_a_person_replaces_them_in_the_ks_calendar_too(settled: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = settled
    feed_token(w, KSO)
    rc, out, err = run_cli(w, monkeypatch, "erase", "--person", KSO, "--yes")
    assert rc == 0, err
    assert "KS-mötesdagar 1" in out
    with w.sessions() as s:
        assert [m.created_by for m in s.scalars(select(KsMeeting))] == ["raderad-kso"]
    assert mentions(w, KSO) == []


def test_after_erasing_a_pair_no_extract_finds_anything_of_it(settled: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = settled
    rc, out, err = run_cli(w, monkeypatch, "erase", "--pair", "1")
    assert rc == 1 and "KS-mötesdagar 1" in out  # the preview counts them
    rc, out, err = run_cli(w, monkeypatch, "erase", "--pair", "1", "--yes", "--actor", "registrator")
    assert rc == 0, err
    # The consent question and its answer, the log line of the proposal, the bot's notes to either member: all gone.
    # (What stays for them is a fresh Home tab, so Slack no longer shows the pair.)
    left = [(t, r) for t, r in everything_stored(w) if not (t == "outbox" and r["kind"] == "home")]
    for needle in (CHANNEL, KSO, KD, "vill koppla", "Anna Berg", "Bo Ek"):
        assert [(t, r) for t, r in left if needle in json.dumps(r, default=str, ensure_ascii=False)] == [], needle
    for member in (KSO, KD):
        rc, _out, err = run_cli(w, monkeypatch, "export", "--person", member, "--format", "json")
        assert rc == 2 and f"Samspel har inga uppgifter om {member}." in err
    with w.sessions() as s:
        [line] = s.scalars(select(AuditEntry).where(AuditEntry.action == "radera_par")).all()
        assert (line.pair_id, line.entity_id, line.actor) == (None, 1, "registrator")
        assert line.after is not None and line.after["arbetsyta"] == TEAM and line.after["antal"]["ks_moten"] == 1
        assert line.after["antal"]["forslag"] == 1
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.kind != "home")).all() == []
    # The erasure is findable: `erase --list` shows it, with who, when, what and how much.
    rc, out, err = run_cli(w, monkeypatch, "erase", "--list")
    assert rc == 0, err
    [listed] = out.splitlines()
    assert "registrator" in listed and f"Par 1 i arbetsytan {TEAM} raderades: " in listed and "KS-mötesdagar 1" in listed


def test_erase_list_without_erasures(paired: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rc, out, _err = run_cli(paired, monkeypatch, "erase", "--list")
    assert rc == 0 and out.strip() == "Inga raderingar har gjorts."
