"""Issue 11 item 5: one bad row never blocks another pair's messages."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.models import DayOff, MemberCalendar, OutboxMessage, Pair
from bot.outbox import enqueue
from tests.support.world import CHANNEL, KD, World, couple

KSO2, KD2, CHANNEL2 = "UKSO0002", "UKD00002", "GPAIR002"


def test_a_row_whose_gate_raises_costs_itself_an_attempt_and_the_akut_goes_out(paired: World, caplog: pytest.LogCaptureFixture) -> None:
    couple(paired, KSO2, KD2, CHANNEL2)
    paired.at("2026-11-28 20:00")  # Saturday evening
    with paired.sessions() as s:
        first = s.scalars(select(Pair).where(Pair.channel_id == CHANNEL)).one()
        # A calendar the commands now refuse, as an older database could still hold it: Sundays only, none free.
        s.add(
            MemberCalendar(pair_id=first.id, user=KD, work_start_min=480, work_end_min=1020, work_days="7", changed_at=paired.clock.now())
        )
        sunday = date(2026, 11, 29)
        for week in range(60):
            s.add(DayOff(pair_id=first.id, user=KD, day=sunday + timedelta(weeks=week), note=""))
        poison = enqueue(s, kind="dm", now=paired.clock.now(), user=KD, pair_id=first.id, text="hålls", respekt=True).id
    paired.command("/meddela", "akut Vattenläcka i stadshuset", user=KSO2, channel=CHANNEL2)
    with caplog.at_level(logging.ERROR):
        paired.deliver()
    assert any("Vattenläcka" in (m["text"] or "") for m in paired.slack.posted_to("D" + KD2[1:]))
    with paired.sessions() as s:
        row = s.get(OutboxMessage, poison)
        assert row is not None and row.status == "pending" and row.attempts == 1 and row.sent_at is None
    assert any(r.exc_info for r in caplog.records if "unexpected error" in r.getMessage())
