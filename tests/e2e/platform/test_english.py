"""One sweep through every feature in English: nothing anyone receives is left in Swedish."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.spelregler import TEMPLATE
from bot.models import Arende, UppdragFraga
from jobs.agenda import agenda_tick, radsmote_tick
from jobs.samtal import remind
from tests.support.english import swedish_left
from tests.support.signing import ephemeral_text
from tests.support.world import KD, KSO, OUTSIDER, World

USER_TEXTS = (
    "Budget 2027",
    "Skolskjutsar",
    "Simhallen",
    "Läckan",
    "Norra hamnen",
    "Vilken simhall",
    "Den gamla",
    "Ring mig",
    "Kan vi ses",
    "Mer siffror",
)


def texts_in(value: Any) -> list[str]:
    """Every text field in a Slack payload (message text, blocks, views)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for item in value for t in texts_in(item)]
    if isinstance(value, dict):
        return [
            t
            for key, item in value.items()
            if key
            in (
                "text",
                "blocks",
                "elements",
                "fields",
                "view",
                "title",
                "submit",
                "close",
                "label",
                "placeholder",
                "accessory",
                "confirm",
                "deny",
                "initial_value",
            )
            for t in texts_in(item)
        ]
    return []


@pytest.mark.usefixtures("english")
def test_everything_the_pair_receives_is_english(paired: World) -> None:
    w = paired
    answers: list[str] = []

    def say(command: str, text: str, user: str = KSO) -> None:
        answers.append(ephemeral_text(w.command(command, text, user=user)))
        w.deliver()

    w.command("/samspel", "rådsmöte <#CRAD0001|majoriteten>")
    say("/samspel", "status")
    say("/uppdrag", "Budget 2027 senast fredag")
    say("/uppdrag", "Skolskjutsar senast 2026-11-24")
    say("/uppdrag", "lista", KD)
    say("/uppdrag", "oklart 1 Vilken simhall?", KD)
    say("/uppdrag", "svar 1 Den gamla", KSO)
    say("/uppdrag", "klart 2", KD)
    say("/arende", "Norra hamnen KS 2026/123 ks 2026-12-08", KD)
    say("/arende", "Simhallen", KD)
    with w.sessions() as s:
        first, second = s.scalars(select(Arende.id).order_by(Arende.id)).all()
    w.driver.action("arende_till_ks", str(first), user=KSO, channel="D" + KSO[1:])
    w.driver.action("arende_till_ks", str(second), user=KD, channel="D" + KSO[1:])
    w.deliver()
    say("/arende", "lista", KSO)
    say("/agenda", "+ incident Läckan i simhallen", KD)
    say("/agenda", "")
    say("/meddela", "Kan vi ses?", KD)
    say("/meddela", "lista", KD)
    say("/spelregler", "")
    say("/spelregler", "versioner")
    say("/samspel", "status", OUTSIDER)
    say("/uppdrag", "Ring mig", KD)
    w.at("2026-11-28 11:00")
    say("/meddela", "akut Ring mig", KSO)
    w.at("2026-11-30 08:00")
    agenda_tick(w.bot.deps)
    w.deliver()
    w.at("2026-11-30 13:00")
    radsmote_tick(w.bot.deps)
    say("/samspel", "utvecklingssamtal 2026-12-28")
    remind(w.bot.deps)
    w.deliver()
    with w.sessions() as s:
        assert s.scalars(select(UppdragFraga.svar)).one() == "Den gamla"

    sent = [
        t
        for call in w.slack.calls
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.publish", "views.open", "views.update")
        for t in texts_in(call.params)
    ]
    everything = answers + sent
    assert len(sent) > 20
    # The spelregler are the pair's own document; the template they start from is Örebro's, in Swedish.
    template_words = {w for text in TEMPLATE.values() for w in text.split()}
    shown_rules = [t for t in everything if sum(w in t for w in template_words) > 30]
    assert shown_rules and all("template" in t for t in shown_rules)
    left = {text[:120]: swedish_left(text, *USER_TEXTS, "Örebro") for text in everything if text not in shown_rules}
    assert {k: v for k, v in left.items() if v} == {}
    assert json.dumps(everything).count("Assignment") > 0
