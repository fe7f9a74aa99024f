"""A hand-built year of rows for the rapport figures (tests/integration/test_rapport.py and the English run)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot.models import AgendaPoint, Arende, Meddelande, Pair, Uppdrag
from tests.support.world import KD, KSO, local, stored_pair


def add_pair(session: Session) -> Pair:
    return stored_pair(session, created="2026-01-05 09:00", next_talk=date(2027, 11, 24))


def uppdrag(pair: Pair, nr: int, given: str, *, deadline: str | None = None, done: str | None = None) -> Uppdrag:
    return Uppdrag(
        pair_id=pair.id,
        nr=nr,
        text=f"Uppdrag {nr}",
        given_by=KSO,
        given_at=local(given),
        deadline=date.fromisoformat(deadline) if deadline else None,
        status="done" if done else "open",
        done_by=KD if done else None,
        done_at=local(done) if done else None,
    )


def arende(pair: Pair, nr: int, submitted: str, status: str = "vantar", decided: str | None = None) -> Arende:
    return Arende(
        pair_id=pair.id,
        nr=nr,
        titel=f"Ärende {nr}",
        submitted_by=KD,
        submitted_at=local(submitted),
        status=status,
        decided_by=KSO if decided else None,
        decided_at=local(decided) if decided else None,
    )


def meddelande(
    pair: Pair,
    written: str,
    *,
    held: bool = False,
    akut: bool = False,
    when: str | None = None,
    reason: str | None = None,
    cancelled: bool = False,
    escalated: str | None = None,
    text: str = "…",
    sender: str = KD,
) -> Meddelande:
    t = local(written)
    return Meddelande(
        pair_id=pair.id,
        sender=sender,
        recipient=KSO if sender == KD else KD,
        text=text,
        written_at=t,
        deliver_at=t,
        held=held,
        akut=akut,
        akut_when=when,
        akut_reason=reason,
        cancelled_at=t if cancelled else None,
        escalated_at=local(escalated) if escalated else None,
    )


def point(pair: Pair, created: str, closed: str | None = None, text: str = "Punkt") -> AgendaPoint:
    return AgendaPoint(
        pair_id=pair.id,
        typ="olöst",
        text=text,
        created_by=KSO,
        created_at=local(created),
        closed_by=KSO if closed else None,
        closed_at=local(closed) if closed else None,
    )


def hand_built_year(session: Session) -> Pair:
    pair = add_pair(session)
    session.add_all(
        [
            uppdrag(pair, 1, "2026-10-01 10:00", deadline="2026-11-30", done="2026-12-01 09:00"),  # done late, given before
            # Done 00:30 Stockholm time = the deadline day in UTC: late by the local date.
            uppdrag(pair, 2, "2027-06-01 10:00", deadline="2027-06-09", done="2027-06-10 00:30"),
            uppdrag(pair, 3, "2027-03-01 10:00", done="2027-03-05 15:00"),  # no deadline
            uppdrag(pair, 4, "2027-04-01 10:00", deadline="2027-05-01"),  # open, overdue
            uppdrag(pair, 5, "2027-10-01 10:00", deadline="2027-12-01"),  # open, not due
            uppdrag(pair, 6, "2025-01-01 10:00", deadline="2025-02-01"),  # old but still open and overdue
            uppdrag(pair, 7, "2027-05-05 10:00", deadline="2027-05-20", done="2027-05-19 16:00"),  # on time
            uppdrag(pair, 8, "2026-11-10 23:30"),  # the day before the period
            uppdrag(pair, 9, "2027-11-09 10:00", deadline="2027-11-10"),  # due today: not overdue yet
        ]
    )
    session.add_all(
        [
            arende(pair, 1, "2027-01-04 10:00", "till_ks", "2027-01-04 15:00"),  # 0 days
            arende(pair, 2, "2027-02-01 10:00", "ater", "2027-02-08 09:00"),  # 7
            arende(pair, 3, "2027-03-01 16:00", "till_ks", "2027-03-03 08:00"),  # 2
            arende(pair, 4, "2027-04-01 10:00", "ater", "2027-04-04 10:00"),  # 3
            arende(pair, 5, "2027-10-25 10:00"),  # waiting
            arende(pair, 6, "2026-09-01 10:00", "till_ks", "2026-09-10 10:00"),  # before the period
        ]
    )
    session.add_all(
        [
            meddelande(pair, "2027-02-02 10:00"),
            meddelande(pair, "2027-02-05 18:00", held=True),
            meddelande(pair, "2027-02-12 18:00", held=True, cancelled=True),  # withdrawn: not sent
            meddelande(pair, "2027-02-15 11:00", akut=True, when="arbetstid"),
            meddelande(pair, "2027-03-06 10:00", akut=True, when="helg", reason="Brand på skolan <!channel>"),
            meddelande(pair, "2027-05-11 20:00", akut=True, when="kväll", reason="Pressen ringer"),
            # Held, then escalated: the text is its reason, and it counts when it went akut.
            meddelande(
                pair,
                "2027-08-17 17:30",
                held=True,
                akut=True,
                when="kväll",
                escalated="2027-08-18 07:00",
                text="Vattenläcka",
                reason="Vattenläcka",
                sender=KSO,
            ),
            meddelande(pair, "2026-06-06 10:00", akut=True, when="helg", reason="Förra året"),
        ]
    )
    session.add_all(
        [
            point(pair, "2027-01-04 09:00", "2027-01-11 09:00"),  # one week
            point(pair, "2027-02-01 10:00", "2027-02-22 10:00", text="Lokalförsörjning"),  # exactly three weeks
            point(pair, "2027-10-01 09:00", text="Vindkraft <@UOUT0001>"),  # still open, 5 weeks
            point(pair, "2026-06-01 09:00", "2026-08-01 09:00"),  # long, but closed before the period
            point(pair, "2027-10-25 09:00"),  # open 16 days
        ]
    )
    session.flush()
    return pair
