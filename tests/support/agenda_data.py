"""Rows for agenda tests, written straight into the database (uppdrag/ärenden are another feature's commands)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AgendaPoint, Arende, Pair, Uppdrag, UppdragFraga
from tests.support.world import KD, KSO, local


def the_pair(session: Session) -> Pair:
    return session.scalars(select(Pair)).one()


def add_uppdrag(session: Session, pair: Pair, nr: int, text: str, given: str, deadline: str | None = None, status: str = "open") -> Uppdrag:
    u = Uppdrag(
        pair_id=pair.id,
        nr=nr,
        text=text,
        given_by=KSO,
        given_at=local(given),
        deadline=date.fromisoformat(deadline) if deadline else None,
        status=status,
    )
    if status == "done":
        u.done_by, u.done_at = KD, local(given)
    session.add(u)
    session.flush()
    return u


def add_fraga(session: Session, uppdrag: Uppdrag, fraga: str, asked: str, svar: str | None = None) -> UppdragFraga:
    f = UppdragFraga(uppdrag_id=uppdrag.id, fraga=fraga, asked_by=KD, asked_at=local(asked))
    if svar:
        f.svar, f.answered_by, f.answered_at = svar, KSO, local(asked)
    session.add(f)
    session.flush()
    return f


def add_arende(
    session: Session,
    pair: Pair,
    nr: int,
    titel: str,
    submitted: str,
    *,
    status: str = "vantar",
    decided: str | None = None,
    ks: str | None = None,
    link: str | None = None,
) -> Arende:
    a = Arende(
        pair_id=pair.id,
        nr=nr,
        titel=titel,
        submitted_by=KD,
        submitted_at=local(submitted),
        status=status,
        ks_meeting=date.fromisoformat(ks) if ks else None,
        link=link,
    )
    if decided:
        a.decided_by, a.decided_at = KSO, local(decided)
    session.add(a)
    session.flush()
    return a


def add_point(session: Session, pair: Pair, typ: str, text: str, created: str, *, by: str = KD, closed: str | None = None) -> AgendaPoint:
    p = AgendaPoint(pair_id=pair.id, typ=typ, text=text, created_by=by, created_at=local(created))
    if closed:
        p.closed_by, p.closed_at = by, local(closed)
    session.add(p)
    session.flush()
    return p


def fill_every_section(session: Session) -> dict[str, int]:
    """A pair with something in each of the nine sections for the meeting on Monday 2026-11-30
    (the previous agenda went out Monday 2026-11-23 08:00), plus rows that must not show."""
    pair = the_pair(session)
    late = add_uppdrag(session, pair, 1, "Ta fram underlag om skolskjutsar", "2026-11-10 09:00", "2026-11-20")
    add_uppdrag(session, pair, 2, "Budgetdialog med nämnderna", "2026-11-12 09:00", "2026-12-11")
    add_uppdrag(session, pair, 3, "Utred <!channel> & samverkan med <@U0999|pelle>", "2026-11-16 09:00")
    add_uppdrag(session, pair, 4, "Redan klart uppdrag", "2026-11-02 09:00", status="done")
    add_uppdrag(session, pair, 5, "Plan för lokalförsörjning", "2026-11-25 14:00", "2026-12-18")
    fraga = add_fraga(session, late, "Gäller det även gymnasiet?", "2026-11-24 11:00")
    add_fraga(session, late, "Besvarad fråga", "2026-11-24 12:00", svar="Ja")
    case = add_arende(session, pair, 1, "Detaljplan Norra hamnen", "2026-11-26 10:00", ks="2026-12-08")
    add_arende(session, pair, 2, "Redan till KS", "2026-11-20 10:00", status="till_ks", decided="2026-11-23 10:30")
    points = {
        "prioritering": add_point(session, pair, "prioritering", "Budgeten före december", "2026-11-24 09:00", by=KSO),
        "info": add_point(session, pair, "info", "Ny förvaltningschef på plats", "2026-11-24 09:30"),
        "incident": add_point(session, pair, "incident", "Läckan i simhallen", "2026-11-25 08:15"),
        "olöst": add_point(session, pair, "olöst", "Vem äger lokalfrågan? <!here>", "2026-11-26 16:00", by=KSO),
        "kommande": add_point(session, pair, "kommande", "Nationaldagsfirandet 2027", "2026-11-27 10:00"),
    }
    add_point(session, pair, "info", "Stängd punkt", "2026-11-24 09:00", closed="2026-11-25 09:00")
    return {"arende": case.id, "fraga": fraga.id, **{k: p.id for k, p in points.items()}}
