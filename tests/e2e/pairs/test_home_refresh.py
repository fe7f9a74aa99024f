"""When the App Home is sent again: once per member per unit of work, and only to the members whose tab shows the change.

Each Home tab sent costs a rendering and a views.publish (Slack: about 100 a minute per workspace),
so a change the tab does not show (an agenda point, the rådsmöte, the spelregler) sends none.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.domain.spelregler import SECTIONS
from bot.models import Pair
from bot.services import agenda, arende, respekt, spelregler, uppdrag
from bot.services import pairs as pair_service
from handlers.ids import PAIR_LEAVE
from tests.support.pairs import latest_home
from tests.support.world import CHANNEL, KD, KSO, World, couple


def _published(world: World, since: int = 0) -> list[str]:
    return [c["user_id"] for c in world.slack.of("views.publish")[since:]]


def _home_text(world: World, user: str) -> str:
    return json.dumps(latest_home(world, user), ensure_ascii=False)


def test_one_unit_of_work_with_several_changes_publishes_one_home_tab_per_member_who_sees_them(paired: World) -> None:
    paired.at("2026-11-27 19:30")  # a Friday evening: messages to the KD are held until Monday
    now = paired.clock.now()
    with paired.sessions() as s:
        kso = pair_service.require_member(s, channel_id=CHANNEL, user_id=KSO)
        respekt.send(s, kso, respekt.Draft("Läs budgetförslaget"), now)
        respekt.send(s, kso, respekt.Draft("Och bilagan"), now)
        pair_service.set_working_hours(s, kso, "07:00-16:00", now)
        agenda.add_point(s, kso, "+ info Nya lokaler", now)
    paired.deliver()
    # The KSO's held messages and own hours changed; the KD's tab shows none of it.
    assert _published(paired) == [KSO]
    shown = _home_text(paired, KSO)
    assert "Dina meddelanden som hålls (2)" in shown and "Och bilagan" in shown and "07:00" in shown

    before = len(paired.slack.of("views.publish"))
    with paired.sessions() as s:
        kso = pair_service.require_member(s, channel_id=CHANNEL, user_id=KSO)
        kd = pair_service.require_member(s, channel_id=CHANNEL, user_id=KD)
        uppdrag.give(s, kso, "Utred simhallen", now)
        uppdrag.give(s, kso, "Budget i balans", now)
        arende.submit(s, kd, "Detaljplan Norra hamnen KS 2026/123", now)
    paired.deliver()
    assert sorted(_published(paired, before)) == sorted([KSO, KD])
    for user in (KSO, KD):
        shown = _home_text(paired, user)
        assert "Öppna uppdrag (2)" in shown and "Budget i balans" in shown and "Detaljplan Norra hamnen" in shown


def test_changes_the_home_tab_does_not_show_publish_none(paired: World) -> None:
    paired.command("/agenda", "+ info Nya lokaler", user=KSO)
    paired.command("/agenda", "+ prioritering Budgeten", user=KD)
    paired.command("/samspel", "rådsmöte av", user=KSO)
    now = paired.clock.now()
    with paired.sessions() as s:
        pair = s.scalars(select(Pair)).one()
        spelregler.save_version(s, pair, author=KSO, texts={SECTIONS[0]: "KSO leder, KD bereder."}, base_version=None, now=now)
    paired.deliver()
    assert _published(paired) == []


def test_own_working_hours_refresh_that_members_tab_and_the_senders_of_what_waits_for_them(paired: World) -> None:
    paired.command("/samspel", "arbetstid 07:00-16:00", user=KD)
    paired.deliver()
    # The KD's own settings show the hours; the KSO's tab shows nothing of the KD's calendar.
    assert _published(paired) == [KD]

    paired.at("2026-11-27 19:30")  # Friday evening: held until Monday
    paired.command("/meddela", "Kan vi ta budgeten på måndag?", user=KD)
    paired.deliver()
    before = len(paired.slack.of("views.publish"))
    paired.command("/samspel", "ledig 2026-11-30", user=KSO)
    paired.deliver()
    # The KD's message to the KSO now waits until Tuesday: the KD's list shows the new time.
    assert sorted(_published(paired, before)) == sorted([KSO, KD])
    assert "tisdag 1 dec." in _home_text(paired, KD)


def test_accepting_a_proposal_shows_the_new_pair_on_both_home_tabs(world: World) -> None:
    for user in (KSO, KD):
        world.driver.event({"type": "app_home_opened", "user": user, "tab": "home"})
    world.deliver()
    assert all("/samspel koppla" in _home_text(world, user) for user in (KSO, KD))
    before = len(world.slack.of("views.publish"))
    couple(world)
    assert sorted(_published(world, before)) == sorted([KSO, KD])
    for user in (KSO, KD):
        assert CHANNEL in _home_text(world, user)


def test_dissolving_the_pair_takes_it_off_both_home_tabs(paired: World) -> None:
    paired.at("2026-11-23 18:00")
    paired.command("/meddela", "Första", user=KSO)
    paired.deliver()
    assert "Första" in _home_text(paired, KSO)
    before = len(paired.slack.of("views.publish"))
    with paired.sessions() as s:
        pair_id = s.scalars(select(Pair.id)).one()
    paired.driver.action(PAIR_LEAVE, str(pair_id), user=KD, channel=CHANNEL)
    paired.deliver()
    assert sorted(_published(paired, before)) == sorted([KSO, KD])
    for user in (KSO, KD):
        shown = _home_text(paired, user)
        assert "Första" not in shown and "/samspel koppla" in shown
