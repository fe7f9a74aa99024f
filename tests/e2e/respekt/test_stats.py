"""The akut figures for the yearly utvecklingssamtal (bot.services.respekt.akut_counts)."""

from __future__ import annotations

from bot.models import Pair
from bot.services import respekt
from tests.support.modals import escalate
from tests.support.respekt import buttons, send
from tests.support.world import CHANNEL, KD, KSO, World, local


def test_akut_counts_for_the_year(paired: World) -> None:
    send(paired, "Gammalt akut", when="2026-11-23 20:00")  # before the period: not counted
    paired.at("2026-11-24 10:00")
    since = paired.clock.now()
    send(paired, "Inom arbetstid")  # delivered now
    send(paired, "akut Inom arbetstid men akut")  # akut, arbetstid
    send(paired, "akut Tisdag kväll", user=KD, when="2026-11-24 21:00")  # akut, kväll
    send(paired, "akut Lördag", when="2026-11-28 10:00")  # akut, helg
    held = buttons(send(paired, "Söndag, eskaleras", when="2026-11-29 09:00"))["meddela_akut"]
    escalate(paired, held, "Söndag, eskaleras")  # held, then akut on a Sunday (the reason as given)
    gone = buttons(send(paired, "Söndag, ångras", when="2026-11-29 09:30"))["meddela_angra"]
    paired.driver.action("meddela_angra", gone, user=KSO, channel=CHANNEL)
    send(paired, "Söndag, hålls", when="2026-11-29 10:00")
    until = local("2026-12-01 00:00")
    send(paired, "akut Efter perioden", when="2026-12-05 10:00")

    with paired.sessions() as s:
        pair = s.query(Pair).one()
        stats = respekt.akut_counts(s, pair.id, since, until)
    assert stats.sent == 6  # the cancelled one is not sent
    assert stats.cancelled == 1
    assert stats.held == 2  # the escalated one and the one still held
    assert stats.akut == 4 and stats.escalated == 1
    assert stats.by_when == {"arbetstid": 1, "kväll": 1, "helg": 2}
    assert stats.weekend == 2 and stats.outside_hours == 3
    assert [r.reason for r in stats.reasons] == ["Inom arbetstid men akut", "Tisdag kväll", "Lördag", "Söndag, eskaleras"]
    assert [r.sender for r in stats.reasons] == [KSO, KD, KSO, KSO]
    assert stats.reasons[-1].at == local("2026-11-29 09:00")


def test_akut_counts_are_per_pair(paired: World) -> None:
    send(paired, "akut Lördag", when="2026-11-28 10:00")
    with paired.sessions() as s:
        pair = s.query(Pair).one()
        mine = respekt.akut_counts(s, pair.id, local("2026-01-01 00:00"), local("2027-01-01 00:00"))
        other = respekt.akut_counts(s, pair.id + 1, local("2026-01-01 00:00"), local("2027-01-01 00:00"))
    assert (mine.akut, mine.weekend) == (1, 1)
    assert (other.sent, other.akut, other.by_when) == (0, 0, {"arbetstid": 0, "kväll": 0, "helg": 0})
