"""Radering (erasure): a whole pair, or one person, on request (GDPR art. 17), with an audit line that it happened.

`erase_pair` deletes the pair and everything stored for it, also what lies outside it: the
proposal that became the pair, with its question, answers and log lines, and the bot's notes
about the pair to its members that belong to no pair (the pair paused or dissolved). What
remains is one audit line (who ran it, when, the pair's id and workspace, and how many rows
of each kind went) with a few all-time figures that name no one, so the kommun can still say
how much the pair used Samspel. `python -m bot erase --list` lists these lines.

`erase_person` removes one person from every pair they are in, and keeps the pair's
records for the other person and for the figures: their Slack id is replaced by a
placeholder per role (`raderad-kso`, `raderad-kd`, so the yearly figures still tell KSO
from KD), mentions of them in texts are neutralised, the texts of messages they sent or
received are blanked, the bot's outbox rows for those pairs and to them are deleted, and
so are their cached name, their settings (`people`) and their pair proposals; where they
installed Samspel, the installation keeps the placeholder as its installer. A pair they were
in is dissolved: it cannot work without them. The audit line never names the person.

Neither queues a fresh Home tab for a workspace that removed Samspel: nothing more is sent
there (bot.services.tenants).

Both functions only change the session; the caller commits. Called in a transaction that
is then rolled back, they give the preview the CLI prints before asking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.domain.events import HomeStale
from bot.errors import UserError
from bot.i18n import N_
from bot.models import (
    AgendaPoint,
    Arende,
    AuditEntry,
    DayOff,
    JobRun,
    KsMeeting,
    Meddelande,
    MemberCalendar,
    OutboxMessage,
    Pair,
    PairProposal,
    Person,
    RemovedWorkspace,
    SpelreglerVersion,
    Uppdrag,
    UppdragFraga,
    UserName,
    Utvecklingssamtal,
)
from bot.services import audit, subject
from bot.services.names import ERASED_PREFIX, check_user_id
from bot.services.retention import rowcount
from bot.services.unit_of_work import emit


def placeholder(role: str | None) -> str:
    """What an erased person's id becomes: per role inside a pair, so the figures still tell KSO from KD."""
    return f"{ERASED_PREFIX}-{role}" if role else ERASED_PREFIX


@dataclass
class Erasure:
    """What an erasure removed (`deleted`) and where it replaced the person by a placeholder (`anonymised`)."""

    target: str  # "pair", "person" or "team"
    subject: str
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    pairs: list[int] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, n: int, *, kept: bool = False) -> None:
        if n:
            bucket = self.anonymised if kept else self.deleted
            bucket[table] = bucket.get(table, 0) + n

    @property
    def empty(self) -> bool:
        return not self.deleted and not self.anonymised


def _count(session: Session, model: type[Any], *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _delete(session: Session, result: Erasure, table: str, model: type[Any], *where: Any) -> None:
    n = rowcount(session.execute(delete(model).where(*where).execution_options(synchronize_session=False)))
    result.count(table, n)


def _figures(session: Session, pair_id: int) -> dict[str, int]:
    """All-time numbers that name no one: what the audit line keeps of a deleted pair."""

    def n(model: type[Any], *where: Any) -> int:
        return _count(session, model, model.pair_id == pair_id, *where)

    return {
        "uppdrag_givna": n(Uppdrag),
        "uppdrag_klara": n(Uppdrag, Uppdrag.status == "done"),
        "arenden": n(Arende),
        "arenden_till_ks": n(Arende, Arende.status == "till_ks"),
        "arenden_ater": n(Arende, Arende.status == "ater"),
        "meddelanden": n(Meddelande, Meddelande.cancelled_at.is_(None)),
        "meddelanden_hallna": n(Meddelande, Meddelande.cancelled_at.is_(None), Meddelande.held.is_(True)),
        "meddelanden_akuta": n(Meddelande, Meddelande.akut.is_(True)),
        "akuta_helg": n(Meddelande, Meddelande.akut.is_(True), Meddelande.akut_when == "helg"),
        "utvecklingssamtal": n(Utvecklingssamtal),
    }


def forget_outbox(session: Session, result: Erasure, *where: Any) -> None:
    """Delete outbox rows, after unhooking what points at them (records keep their row, lose the link)."""
    # A subquery, not a list of ids: a pair or a workspace may have more rows than SQLite takes parameters.
    # `where` must not test ref_id, which the unhooking below changes (`_forget_outside` passes ids).
    doomed = select(OutboxMessage.id).where(*where).scalar_subquery()
    for model in (Meddelande, Arende, UppdragFraga, PairProposal):
        session.execute(
            update(model).where(model.outbox_id.in_(doomed)).values(outbox_id=None).execution_options(synchronize_session=False)
        )
    session.execute(
        update(OutboxMessage).where(OutboxMessage.ref_id.in_(doomed)).values(ref_id=None).execution_options(synchronize_session=False)
    )
    _delete(session, result, "utskick", OutboxMessage, *where)


def _forget_homes(session: Session, result: Erasure, users: list[str], now: datetime) -> None:
    """A Home tab shows every pair a person is in, so its snapshots hold this pair's data whatever their pair_id."""
    forget_outbox(
        session,
        result,
        OutboxMessage.kind == "home",
        OutboxMessage.user.in_(users),
        # One a deliverer holds right now goes out, and the fresh one queued below replaces it.
        or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now),
    )


def removed_workspace(session: Session, team_id: str | None) -> bool:
    """The workspace removed Samspel (its data waits for the grace period): nothing more is sent there."""
    return team_id is not None and session.get(RemovedWorkspace, team_id) is not None


def _republish(session: Session, users: list[str], now: datetime) -> None:
    """A fresh Home tab, so Slack no longer shows what was erased."""
    for user in users:
        emit(session, HomeStale(at=now, user=user))


def _proposals_of(session: Session, pair: Pair) -> list[PairProposal]:
    """The proposal that became the pair, and the earlier ones for the same two people in its channel."""
    return list(
        session.scalars(
            select(PairProposal).where(
                or_(
                    PairProposal.pair_id == pair.id,
                    and_(
                        PairProposal.team_id == pair.team_id,
                        PairProposal.channel_id == pair.channel_id,
                        PairProposal.kso_user == pair.kso_user,
                        PairProposal.kd_user == pair.kd_user,
                        PairProposal.status != "pending",
                        PairProposal.created_at <= pair.created_at,
                    ),
                )
            )
        ).all()
    )


def _forget_outside(session: Session, result: Erasure, pair: Pair, proposals: list[PairProposal]) -> None:
    """What is the pair's but tied to no pair: its proposals' question and answers, notes to its members, the log lines."""
    questions = [p.outbox_id for p in proposals if p.outbox_id is not None]
    members = [pair.kso_user, pair.kd_user]
    # The ids first (a few): the condition tests ref_id, which forget_outbox unhooks before it deletes.
    ids = session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.pair_id.is_(None),
            OutboxMessage.kind != "home",
            or_(OutboxMessage.team_id == pair.team_id, OutboxMessage.team_id.is_(None)),
            or_(
                OutboxMessage.id.in_(questions),
                OutboxMessage.ref_id.in_(questions),
                # The consent answers, the notes that it paused or was dissolved: they name its channel.
                and_(OutboxMessage.user.in_(members), OutboxMessage.text.contains(f"<#{pair.channel_id}>")),
            ),
        )
    ).all()
    if ids:
        forget_outbox(session, result, OutboxMessage.id.in_(list(ids)))
    ids = [p.id for p in proposals]
    if ids:
        _delete(
            session,
            result,
            "logg",
            AuditEntry,
            AuditEntry.pair_id.is_(None),
            AuditEntry.entity == "pair_proposal",
            AuditEntry.entity_id.in_(ids),
        )
        _delete(session, result, "forslag", PairProposal, PairProposal.id.in_(ids))


def _forget_people(session: Session, result: Erasure, members: Sequence[str]) -> None:
    """A member's cached name and settings go too, unless Samspel still knows them from another pair."""
    for user in members:
        if _count(session, Pair, or_(Pair.kso_user == user, Pair.kd_user == user)) == 0:
            _delete(session, result, "namn", UserName, UserName.user_id == user)
            _delete(session, result, "person", Person, Person.user_id == user)


def erase_pair(session: Session, pair_id: int, *, actor: str, now: datetime, republish: bool = True) -> Erasure:
    """Delete the pair and all of its records; one audit line with counts and anonymous figures stays.

    `republish=False`, or a workspace that removed Samspel: no fresh Home tab is queued for the members.
    """
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise UserError(N_("Det finns inget par med id {pair_id}."), pair_id=pair_id)
    result = Erasure(target="pair", subject=str(pair_id), pairs=[pair_id], figures=_figures(session, pair_id))
    members = (pair.kso_user, pair.kd_user)
    team_id = pair.team_id
    uppdrag_ids = select(Uppdrag.id).where(Uppdrag.pair_id == pair_id).scalar_subquery()
    forget_outbox(session, result, OutboxMessage.pair_id == pair_id)
    _forget_homes(session, result, list(members), now)
    _forget_outside(session, result, pair, _proposals_of(session, pair))
    _delete(session, result, "fragor", UppdragFraga, UppdragFraga.uppdrag_id.in_(uppdrag_ids))
    for table, model in (
        ("uppdrag", Uppdrag),
        ("arenden", Arende),
        ("agendapunkter", AgendaPoint),
        ("meddelanden", Meddelande),
        ("spelregler", SpelreglerVersion),
        ("utvecklingssamtal", Utvecklingssamtal),
        ("lediga_dagar", DayOff),
        ("kalendrar", MemberCalendar),
        ("ks_moten", KsMeeting),
        ("logg", AuditEntry),
        ("forslag", PairProposal),
        ("korningar", JobRun),
    ):
        _delete(session, result, table, model, model.pair_id == pair_id)
    _delete(session, result, "par", Pair, Pair.id == pair_id)
    session.flush()
    _forget_people(session, result, members)
    if republish and not removed_workspace(session, team_id):
        _republish(session, list(members), now)
    # Outside any pair (the pair is gone), found by `erase --list`: the pair's id, its workspace, the counts.
    audit.record(
        session,
        pair_id=None,
        actor=actor[:32],
        action="radera_par",
        entity="pair",
        entity_id=pair_id,
        at=now,
        after={"par": pair_id, "arbetsyta": team_id, "antal": dict(result.deleted), "statistik": result.figures},
    )
    return result


def _mention_free(text: str, user_id: str, replacement: str) -> str:
    """The text with every mention of the person (`<@U…>`, `<@U…|namn>`) and their bare id replaced."""
    text = re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", "@" + replacement, text)
    return text.replace(user_id, replacement)


def _scrub(value: Any, user_id: str, replacement: str) -> Any:
    """`_mention_free` through a JSON value (audit before/after, spelregler sections)."""
    if isinstance(value, str):
        return _mention_free(value, user_id, replacement)
    if isinstance(value, list):
        return [_scrub(v, user_id, replacement) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, user_id, replacement) for k, v in value.items()}
    return value


def _replace_in(rows: list[Any], columns: tuple[str, ...], texts: tuple[str, ...], user_id: str, replacement: str) -> int:
    """Set id columns equal to the person to the placeholder and clean the texts; returns rows changed."""
    changed = 0
    for row in rows:
        touched = False
        for column in columns:
            if getattr(row, column) == user_id:
                setattr(row, column, replacement)
                touched = True
        for column in texts:
            value = getattr(row, column)
            if value is not None:
                clean = _scrub(value, user_id, replacement)
                if clean != value:
                    setattr(row, column, clean)
                    touched = True
        changed += int(touched)
    return changed


def _blank_texts(session: Session, result: Erasure, involved: ColumnElement[bool]) -> None:
    """What the person wrote or was sent goes; who, when and how stays for the figures."""
    for m in session.scalars(select(Meddelande).where(involved)).all():
        if m.text or m.akut_reason:
            m.text, m.akut_reason = "", "" if m.akut_reason is not None else None
            result.count("meddelandetexter", 1)


def _pair_rows(session: Session, pair: Pair) -> list[tuple[str, Sequence[Any], tuple[str, ...], tuple[str, ...]]]:
    """(table, rows, id columns, free-text columns) of one pair, where the person may appear."""
    uppdrag = session.scalars(select(Uppdrag).where(Uppdrag.pair_id == pair.id)).all()
    fragor = session.scalars(select(UppdragFraga).where(UppdragFraga.uppdrag_id.in_([u.id for u in uppdrag]))).all() if uppdrag else []

    def rows(model: type[Any]) -> Sequence[Any]:
        return session.scalars(select(model).where(model.pair_id == pair.id)).all()

    return [
        ("uppdrag", uppdrag, ("given_by", "done_by"), ("text",)),
        ("fragor", fragor, ("asked_by", "answered_by"), ("fraga", "svar")),
        ("arenden", rows(Arende), ("submitted_by", "decided_by"), ("titel", "comment")),
        ("agendapunkter", rows(AgendaPoint), ("created_by", "closed_by"), ("text",)),
        ("meddelanden", rows(Meddelande), ("sender", "recipient", "origin_user"), ()),
        ("spelregler", rows(SpelreglerVersion), ("author",), ("sections",)),
        ("utvecklingssamtal", rows(Utvecklingssamtal), ("recorded_by",), ()),
        ("logg", rows(AuditEntry), ("actor",), ("before", "after")),
        ("lediga_dagar", rows(DayOff), ("user",), ("note",)),
        ("kalendrar", rows(MemberCalendar), ("user",), ()),
        ("ks_moten", rows(KsMeeting), ("created_by",), ()),
    ]


def _anonymise_pair(session: Session, result: Erasure, pair: Pair, user_id: str, now: datetime) -> None:
    """The person's id becomes the role's placeholder in every row of the pair; the pair is dissolved."""
    mark = placeholder(pair.role_of(user_id))
    for table, rows, columns, free_texts in _pair_rows(session, pair):
        result.count(table, _replace_in(list(rows), columns, free_texts, user_id, mark), kept=True)
    _replace_in([pair], ("kso_user", "kd_user", "created_by"), (), user_id, mark)
    if pair.status != "dissolved":
        # The pair cannot work without them; dissolving frees the channel for a new pair.
        pair.status, pair.status_reason, pair.status_changed_at = "dissolved", "raderad", now
    result.count("par", 1, kept=True)


def _anonymise_outside_pairs(session: Session, result: Erasure, user_id: str) -> None:
    """Log lines outside any pair (a proposal to couple one), forwarded messages, proposals and the cached name."""
    loose = subject.loose_entries(session, user_id)
    # Outside a pair the person has no role: the plain placeholder (was the last pair's role, or unset).
    result.count("logg", _replace_in(loose, ("actor",), ("before", "after"), user_id, placeholder(None)), kept=True)
    # Messages in other pairs that forwarded something the person wrote.
    session.execute(
        update(Meddelande)
        .where(Meddelande.origin_user == user_id)
        .values(origin_user=ERASED_PREFIX)
        .execution_options(synchronize_session=False)
    )
    _delete(session, result, "forslag", PairProposal, subject.in_proposal(user_id))
    _delete(session, result, "namn", UserName, UserName.user_id == user_id)
    _delete(session, result, "person", Person, Person.user_id == user_id)
    # The installer of a workspace: slack_sdk keeps the row to find the workspace's token, so it stays, without them.
    installed = session.execute(
        update(subject.INSTALLATIONS)
        .where(subject.INSTALLATIONS.c.user_id == user_id)
        .values(user_id=placeholder(None))
        .execution_options(synchronize_session=False)
    )
    result.count("installationer", rowcount(installed), kept=True)


def erase_person(session: Session, user_id: str, *, actor: str, now: datetime) -> Erasure:
    """Remove one person; their pairs keep anonymous records and are dissolved. Refuses an unknown person."""
    user_id = check_user_id(user_id)
    result = Erasure(target="person", subject=user_id)
    if not subject.known(session, user_id):
        raise UserError(subject.NOTHING_STORED, user=user_id)
    pairs = subject.pairs_of(session, user_id)
    result.pairs = [p.id for p in pairs]
    roles = {p.id: p.role_of(user_id) for p in pairs}  # read before the ids are replaced
    involved = subject.in_message(user_id)

    # The bot's copies first: they hold texts and names, and the pairs are dissolved below.
    # Rows outside any pair that name them too: the consent question and its updates.
    forget_outbox(
        session,
        result,
        or_(OutboxMessage.pair_id.in_(result.pairs), OutboxMessage.user == user_id, OutboxMessage.text.contains(f"<@{user_id}>")),
    )
    others = sorted({u for p in pairs for u in (p.kso_user, p.kd_user) if u != user_id})
    # A fresh Home tab only where Samspel is still installed.
    told = sorted({u for p in pairs if not removed_workspace(session, p.team_id) for u in (p.kso_user, p.kd_user) if u != user_id})
    _forget_homes(session, result, others, now)
    _blank_texts(session, result, involved)
    for pair in pairs:
        _anonymise_pair(session, result, pair, user_id, now)
    _anonymise_outside_pairs(session, result, user_id)
    session.flush()
    _republish(session, told, now)
    # One line in each pair's log (in the role they had there), or one outside any pair; never their id.
    lines: list[tuple[int | None, str | None]] = [(pair.id, (roles.get(pair.id) or "").upper() or None) for pair in pairs] or [(None, None)]
    for pair_id, role in lines:
        audit.record(
            session,
            pair_id=pair_id,
            actor=actor[:32],
            action="radera_person",
            entity="person",
            entity_id=None,
            at=now,
            after={"roll": role, "raderat": dict(result.deleted), "avidentifierat": dict(result.anonymised)},
        )
    return result


def erasure_lines(session: Session) -> list[AuditEntry]:
    """Every erasure's audit line, oldest first (`python -m bot erase --list`)."""
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.action.in_(subject.ERASURE_ACTIONS)).order_by(AuditEntry.at, AuditEntry.id))
    )
