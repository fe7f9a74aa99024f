"""A person's own extract across pairs, and erasure of a pair or a person (preview, confirm, audit line).

On SQLite and, where TEST_DATABASE_URL is set, PostgreSQL: the deletes must respect every foreign key.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from bot.clock import FakeClock
from bot.models import AuditEntry, Meddelande, Pair, Uppdrag, UserName
from bot.services import rapport
from tests.support.dataskydd import NAMES, OTHER, by_header, everything_stored, mentions, run_cli, tables
from tests.support.signing import SlackDriver
from tests.support.slack_mock import SlackServer
from tests.support.world import KD, KSO, World, couple, local, make_bot

SECOND = "GPAIR002"


@pytest.fixture
def two_pairs(slack: SlackServer, any_engine: Engine, clock: FakeClock) -> World:
    """KD is the KD of pair 1 (with KSO) and the chair of a committee in pair 2 (with OTHER)."""
    bot = make_bot(slack, any_engine, clock)
    w = World(bot=bot, slack=slack.mock, clock=clock, driver=SlackDriver(bot.app))
    w.slack.names.update(NAMES)
    w.slack.add_channel(SECOND, KD, OTHER)
    couple(w)
    couple(w, KD, OTHER, SECOND)
    w.command("/uppdrag", "Utred bemanningen i äldreomsorgen", user=KSO)
    w.command("/uppdrag", f"oklart 1 Gäller det <@{KD}|bo> själv?", user=KD)
    w.command("/arende", "Taxor för vatten och avlopp", user=KD)
    w.command("/agenda", "+ incident Larmet gick", user=KD)
    w.command("/meddela", "Hinner du läsa bilagan?", user=KSO)
    w.command("/meddela", "akut Ring mig om bygglovet", user=KD)
    w.command("/uppdrag", "Nämndens uppdrag till förvaltningen", user=KD, channel=SECOND)
    w.command("/meddela", "Hej från nämnden", user=OTHER, channel=SECOND)
    w.deliver()
    return w


def year(w: World, pair_id: int) -> rapport.YearFigures:
    with w.sessions() as s:
        pair = s.get(Pair, pair_id)
        assert pair is not None
        return rapport.year_figures(s, pair, local("2026-12-01 12:00"))


def test_a_persons_extract_covers_every_pair_they_are_in(two_pairs: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rc, out, err = run_cli(two_pairs, monkeypatch, "export", "--person", f"<@{KD}|bo>", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["person"]["id"] == KD and doc["person"]["name"] == "Bo Ek"
    assert [(p["pair"]["id"], p["pair"]["kso"]["name"], p["pair"]["kd"]["name"]) for p in doc["pairs"]] == [
        (1, "Anna Berg", "Bo Ek"),
        (2, "Bo Ek", "Cecilia Ö"),
    ]
    first, second = doc["pairs"]
    assert [u["text"] for u in first["uppdrag"]] == ["Utred bemanningen i äldreomsorgen"]
    assert [u["text"] for u in second["uppdrag"]] == ["Nämndens uppdrag till förvaltningen"]
    assert [(m["sender"]["name"], m["text"]) for m in first["meddelanden"]] == [
        ("Anna Berg", "Hinner du läsa bilagan?"),
        ("Bo Ek", "Ring mig om bygglovet"),
    ]
    assert [(m["sender"]["name"], m["recipient"]["name"]) for m in second["meddelanden"]] == [("Cecilia Ö", "Bo Ek")]
    assert first["fragor"][0]["asked_by"] == {"id": KD, "name": "Bo Ek", "role": "KD"}
    assert second["uppdrag"][0]["given_by"]["role"] == "KSO"  # the same person, another role in another pair
    # What the bot sent to them, across both pairs.
    sent = doc["utskick"]
    # Pair None: the consent question Samspel asked before the pair existed.
    assert {r["pair"] for r in sent} == {1, 2, None} and all(r["kind"] != "home" for r in sent)
    assert any("Hej från nämnden" in (r["text"] or "") for r in sent)
    # The same extract as CSV and xlsx: one titled table per kind and pair.
    rc, out, _err = run_cli(two_pairs, monkeypatch, "export", "--person", KD, "--format", "csv")
    assert rc == 0
    per_pair = ["Uppdrag", "Osäkerheter i uppdrag", "Ärenden", "Agendapunkter", "Meddelanden", "Spelregler", "Utvecklingssamtal", "Logg"]
    own = ["Registerutdrag", "Kopplingsförslag", "Utskick från Samspel till dig", "Lediga dagar", "Egen arbetstid", "Logg utanför par"]
    assert list(tables(out)) == [*own, "Installationer av Samspel"] + [
        f"Par {n}: {title}" for n in (1, 2) for title in ["Samspel: export för diariet", *per_pair]
    ]
    [me] = by_header(tables(out)["Registerutdrag"])
    assert (me["Slack-id"], me["Namn"], me["Par"]) == (KD, "Bo Ek", "1, 2")


def test_erase_person_asks_then_leaves_nothing_about_them_and_the_figures_stay(two_pairs: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = two_pairs
    assert run_cli(w, monkeypatch, "export", "--pair", "1")[0] == 0  # caches the names
    figures_before = (year(w, 1), year(w, 2))
    stored_before = everything_stored(w)

    rc, out, _err = run_cli(w, monkeypatch, "erase", "--person", KD, answer="nej\n")
    assert rc == 1 and "Avbrutet: inget raderades." in out
    assert "Detta raderas för personen " + KD in out and "paren 1, 2 upplöses" in out
    assert everything_stored(w) == stored_before

    rc, out, err = run_cli(w, monkeypatch, "erase", "--person", KD, "--actor", "registrator", answer="ja\n")
    assert rc == 0, err
    preview, done = out.split("Skriv ja för att radera: ")
    assert "Raderat: personen " + KD in done
    # What the preview promised is what was done.
    assert preview.splitlines()[1:3] == done.splitlines()[1:3]
    assert mentions(w, KD) == []
    assert mentions(w, "Bo Ek") == []
    with w.sessions() as s:
        assert s.get(UserName, KD) is None and s.get(UserName, KSO) is not None
        pairs = s.scalars(select(Pair).order_by(Pair.id)).all()
        assert [(p.kso_user, p.kd_user, p.status) for p in pairs] == [(KSO, "raderad-kd", "dissolved"), ("raderad-kso", OTHER, "dissolved")]
        # The other person's records stay, with the erased person as a placeholder; texts they wrote to each other go.
        assert [u.text for u in s.scalars(select(Uppdrag).order_by(Uppdrag.id))] == [
            "Utred bemanningen i äldreomsorgen",
            "Nämndens uppdrag till förvaltningen",
        ]
        assert {m.text for m in s.scalars(select(Meddelande))} == {""}
        lines = s.scalars(select(AuditEntry).where(AuditEntry.action == "radera_person")).all()
        assert [(e.pair_id, e.actor) for e in lines] == [(1, "registrator"), (2, "registrator")]
        assert lines[0].after is not None and lines[0].after["raderat"]["namn"] == 1
    # The figures are anonymous now, and the same.
    after = (year(w, 1), year(w, 2))
    for old, new in zip(figures_before, after, strict=True):
        assert (old.uppdrag_given, old.arenden_handed_over, old.messages_sent, old.messages_held, old.messages_akut, old.akut_weekend) == (
            new.uppdrag_given,
            new.arenden_handed_over,
            new.messages_sent,
            new.messages_held,
            new.messages_akut,
            new.akut_weekend,
        )
    # The pair's export still works and says what happened, without naming them.
    rc, out, _err = run_cli(w, monkeypatch, "export", "--pair", "1")
    assert rc == 0 and "(raderad person) (KD)" in out and "En person (KD) raderades på begäran." in out
    assert [m["Text"] for m in by_header(tables(out)["Meddelanden"])] == ["(texten raderades på begäran)"] * 2
    # Erasing again finds nothing.
    rc, _out, err = run_cli(w, monkeypatch, "erase", "--person", KD, "--yes")
    assert rc == 2 and f"Samspel har inga uppgifter om {KD}." in err


def test_erase_pair_deletes_it_all_and_keeps_one_audit_line(two_pairs: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = two_pairs
    assert run_cli(w, monkeypatch, "export", "--pair", "1")[0] == 0
    rc, out, err = run_cli(w, monkeypatch, "erase", "--pair", "1", "--yes", "--actor", "registrator")
    assert rc == 0, err
    assert "Skriv ja" not in out and "Raderat: par 1." in out
    left = everything_stored(w)
    assert not [(t, r) for t, r in left if r.get("pair_id") == 1 or (t == "pairs" and r["id"] == 1)]
    assert mentions(w, "Utred bemanningen") == [] and mentions(w, "Hinner du läsa") == []
    # KD is still in pair 2, so their name stays cached; KSO was only in pair 1.
    with w.sessions() as s:
        assert s.get(UserName, KD) is not None and s.get(UserName, KSO) is None
        [line] = s.scalars(select(AuditEntry).where(AuditEntry.action == "radera_par")).all()
        assert (line.pair_id, line.entity_id, line.actor) == (None, 1, "registrator")
        assert line.after is not None
        counts, stats = line.after["antal"], line.after["statistik"]
        assert counts["uppdrag"] == 1 and counts["meddelanden"] == 2 and counts["par"] == 1 and counts["namn"] == 1
        assert (stats["uppdrag_givna"], stats["meddelanden"], stats["meddelanden_akuta"]) == (1, 2, 1)
        assert KSO not in json.dumps(line.after) and KD not in json.dumps(line.after)
        assert s.get(Pair, 2) is not None
    assert [u["text"] for u in json.loads(run_cli(w, monkeypatch, "export", "--pair", "2", "--format", "json")[1])["uppdrag"]] == [
        "Nämndens uppdrag till förvaltningen"
    ]
    rc, _out, err = run_cli(w, monkeypatch, "export", "--pair", "1")
    assert rc == 2 and "inget par med id 1" in err
    # KD is still in pair 2: their extract has nothing left of pair 1 (its consent question, its log line, KSO).
    rc, out, err = run_cli(w, monkeypatch, "export", "--person", KD, "--format", "json")
    assert rc == 0, err
    assert "GPAIR001" not in out and KSO not in out and "Anna Berg" not in out
    assert [p["pair"]["id"] for p in json.loads(out)["pairs"]] == [2]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["erase"], "Fel i kommandoraden"),
        (["erase", "--pair", "1", "--person", KSO], "Fel i kommandoraden"),
        (["erase", "--pair", "99", "--yes"], "inget par med id 99"),
        (["erase", "--person", "anna"], "inget Slack-id"),
        (["erase", "--person", "UNOBODY01", "--yes"], "inga uppgifter om UNOBODY01"),
    ],
)
def test_erase_bad_input_is_one_line_and_exit_2(paired: World, monkeypatch: pytest.MonkeyPatch, argv: list[str], words: str) -> None:
    stored = everything_stored(paired)
    rc, _out, err = run_cli(paired, monkeypatch, *argv)
    assert rc == 2 and words in err and len(err.strip().splitlines()) == 1
    assert everything_stored(paired) == stored


def test_erase_a_person_known_only_by_their_cached_name(two_pairs: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # Someone in no pair (say, asked to couple once): erasing them used to fail on the log lines outside any pair.
    w = two_pairs
    with w.sessions() as s:
        s.add(UserName(user_id="UNOBODY01", name="Nils Holm", fetched_at=w.clock.now()))
        s.commit()
    rc, out, err = run_cli(w, monkeypatch, "erase", "--person", "UNOBODY01", "--yes")
    assert rc == 0, err
    assert "Raderat: personen UNOBODY01." in out
    with w.sessions() as s:
        assert s.get(UserName, "UNOBODY01") is None
