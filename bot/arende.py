"""Ärenden: cases the KD hands over as ready for decision ("färdigberedda ärenden").

The KSO decides whether each is prepared well enough to go on to KS (`till_ks`) or goes
back for more beredning (`ater`, with a comment). Only the KSO's decision counts, and a
case is decided once: the decision is a conditional UPDATE on status 'vantar', so of two
simultaneous clicks exactly one wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import outbox
from bot.db import rowcount
from bot.domain.events import AgendaChanged, CaseDecided, PairChanged
from bot.errors import UserError
from bot.i18n import _
from bot.models import Arende, OutboxMessage, Pair
from bot.services import audit, ks_calendar
from bot.services.pairs import NOT_MEMBER, Member
from bot.services.unit_of_work import emit
from bot.text import check_length, escape, fmt_when, safe_url
from bot.uppdrag import (
    arrival_note,
    insert_numbered,
    local_today,
    respectful,
    sentence,
    short,
)

TILL_KS_ACTION = "arende_till_ks"
ATER_ACTION = "arende_ater"
ATER_CALLBACK = "arende_ater"
COMMENT_BLOCK = "kommentar"
COMMENT_ACTION = "kommentar"
ARENDE_FIELDS = ("nr", "titel", "link", "ks_meeting", "stopptid", "submitted_by", "submitted_at", "status",
                 "decided_by", "decided_at", "comment", "rounds")


def status_label(status: str) -> str:
    """A case's status as a heading ("Till KS"), translated when shown, not at import."""
    labels = {"vantar": _("Väntar på KSO"), "till_ks": _("Till KS"), "ater": _("Åter för beredning")}
    return labels.get(status, status)


def decision_words(decision: str) -> str:
    """A decision mid-sentence ("till KS"): KS stays in capitals."""
    words = {"till_ks": _("till KS"), "ater": _("åter för beredning")}
    return words.get(decision, decision)


# `ks 2026-12-08` at the end: the KS meeting the case is meant for.
_KS = re.compile(r"(?:^|\s)[Kk][Ss]\s+(?P<day>\d{4}-\d{1,2}-\d{1,2})\s*$")
# A link at the end: a Slack-formatted or bare URL, `dnr …`, or a diarienummer like `KS 2026/123`.
_LINK = re.compile(
    r"(?:^|\s)(?P<link><https?://[^>\s|]+(?:\|[^>]*)?>|https?://\S+|[Dd][Nn][Rr]:?\s*\S+"
    r"|[A-ZÅÄÖ]{1,6}[ -]?\d{4}[/-]\d+(?:[-.:/]\d+)*|\d{4}/\d+(?:[-.:/]\d+)*)\s*$"
)
_SLACK_URL = re.compile(r"<(https?://[^>\s|]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class Submission:
    """The parsed `/arende <titel> [dnr eller länk] [ks ÅÅÅÅ-MM-DD]`."""

    titel: str
    link: str | None
    ks_meeting: date | None


def parse_submission(text: str, today: date) -> Submission:
    """Split the KD's text into title, link and KS meeting; a `UserError` for bad input."""
    rest = text.strip()
    ks_meeting = None
    ks = _KS.search(rest)
    if ks:
        try:
            ks_meeting = date.fromisoformat(ks.group("day"))
        except ValueError:
            raise UserError(_("Förstår inte KS-datumet {day!r}: skriv t.ex. `ks 2026-12-08`.")
                            .format(day=ks.group("day")[:20])) from None
        if ks_meeting < today:
            raise UserError(_("KS-mötet {day} har redan varit: ange ett kommande möte.").format(day=ks_meeting.isoformat()))
        rest = rest[: ks.start()].strip()
    link = None
    found = _LINK.search(rest)
    if found and found.start("link") == 0:
        raise UserError(_("Titeln är tom: skriv ärendets titel före diarienumret eller länken."))
    if found:
        raw = found.group("link")
        url = _SLACK_URL.fullmatch(raw)
        link = url.group(1) if url else raw
        if link.lower().startswith(("http://", "https://")) and safe_url(link) is None:
            raise UserError(_("Länken går inte att använda: skriv en hel adress som börjar med https://, utan mellanslag "
                              "eller tecknen < > |."))
        rest = rest[: found.start()].strip()
    refusal = check_length(rest, "Titeln")
    if refusal:
        raise UserError(refusal)
    if link is not None and len(link) > 500:
        raise UserError(_("Länken är för lång: högst 500 tecken."))
    return Submission(rest, link, ks_meeting)


def submit(session: Session, member: Member, text: str, now: datetime) -> str:
    """The KD hands over a case; the KSO gets it with the decision buttons (respekt rule)."""
    if not member.is_kd:
        raise UserError(_("Bara KD lämnar över ärenden. Som KSO avgör du dem med knapparna *Till KS* och *Åter för beredning*."))
    pair = member.pair
    today = local_today(session, pair, now)
    parsed = parse_submission(text, today)
    note = ""
    if parsed.ks_meeting is not None:
        meeting: date | None = parsed.ks_meeting
        last: date | None = ks_calendar.stopptid_for(session, pair, parsed.ks_meeting)
        note = ks_calendar.calendar_note(session, pair, parsed.ks_meeting, today)
    else:
        planned = ks_calendar.plan_case(session, pair, today)
        meeting, last = (planned.meeting, planned.stopptid) if planned else (None, None)
        if planned is None and ks_calendar.has_calendar(session, pair.id):
            note = _(" Obs: KS-kalendern har inget kommande möte där stopptiden inte har passerat; lägg till möten med "
                     "`/samspel ks`.")

    def build(nr: int) -> Arende:
        return Arende(pair_id=pair.id, nr=nr, titel=parsed.titel, link=parsed.link, ks_meeting=meeting,
                      stopptid=last, submitted_by=member.user, submitted_at=now, status="vantar")

    a = insert_numbered(session, Arende, pair.id, build)
    audit.record(session, pair_id=pair.id, actor=member.user, action="arende_ny", entity="arende", entity_id=a.id,
                 at=now, after=audit.snapshot(a, ARENDE_FIELDS))
    when = respectful(session, pair, now, pair.kso_user)
    msg = outbox.enqueue(session, kind="dm", now=now, user=pair.kso_user, pair_id=pair.id, deliver_after=when, respekt=True,
                         text=_("Ärende #{nr} för beslut: {title}").format(nr=a.nr, title=escape(short(a.titel))),
                         blocks=arende_blocks(a, pair.timezone))
    a.outbox_id = msg.id
    emit(session, PairChanged(at=now, pair_id=pair.id))
    emit(session, AgendaChanged(at=now, pair_id=pair.id))
    planned_text = " " + _("Planerat till {label}.").format(label=ks_label(a)) if a.ks_meeting else ""
    return (_("Ärende #{nr} är överlämnat till <@{kso}>: {title}").format(
                nr=a.nr, kso=pair.kso_user, title=sentence(escape(short(a.titel))))
            + planned_text + note + arrival_note(session, pair, now, when))


def ks_label(a: Arende) -> str:
    """'KS 15 dec · stopptid 1 dec', or '' for a case without a KS meeting."""
    return ks_calendar.label(a.ks_meeting, a.stopptid) if a.ks_meeting else ""


def resubmit(session: Session, member: Member, text: str, now: datetime) -> str:
    """`/arende åter <nr> [text]`: the KD hands a case sent back over again, under the same number.

    The earlier decision and comment stay in the audit trail (the `before` of this entry);
    the case waits for the KSO again, with the decision buttons, and is planned anew onto KS.
    """
    if not member.is_kd:
        raise UserError(_("Bara KD lämnar över ett ärende igen. Som KSO avgör du det när det kommer."))
    pair = member.pair
    first, _sep, note = text.strip().partition(" ")
    nr_text = first.lstrip("#")
    if not nr_text.isdigit():
        raise UserError(_("Ange ärendets nummer: `/arende åter 3 Kompletterat med konsekvensanalys`."))
    note = note.strip()
    if note:
        refusal = check_length(note, "Texten")
        if refusal:
            raise UserError(refusal)
    a = session.scalar(select(Arende).where(Arende.pair_id == pair.id, Arende.nr == int(nr_text)))
    if a is None:
        raise UserError(_("Det finns inget ärende #{nr}.").format(nr=int(nr_text)))
    if a.status != "ater":
        raise UserError(_("Ärende #{nr} är inte återsänt för beredning ({label}), så det lämnas inte över igen.").format(
            nr=a.nr, label=status_label(a.status)))
    before = audit.snapshot(a, ARENDE_FIELDS)
    today = local_today(session, pair, now)
    planned = ks_calendar.plan_case(session, pair, today)
    meeting, last = (planned.meeting, planned.stopptid) if planned else (a.ks_meeting, a.stopptid)
    # Conditional on 'ater': of two simultaneous resubmissions exactly one counts.
    won = rowcount(session.execute(
        update(Arende).where(Arende.id == a.id, Arende.status == "ater")
        .values(status="vantar", decided_by=None, decided_at=None, comment=None, rounds=Arende.rounds + 1,
                resubmitted_at=now, ks_meeting=meeting, stopptid=last)
        .execution_options(synchronize_session=False)
    ))
    session.refresh(a)
    if not won:
        raise UserError(_("Ärende #{nr} är redan inlämnat igen.").format(nr=a.nr))
    after = audit.snapshot(a, ARENDE_FIELDS)
    if note:
        after["anteckning"] = note
    audit.record(session, pair_id=pair.id, actor=member.user, action="arende_igen", entity="arende", entity_id=a.id,
                 at=now, before=before, after=after)
    when = respectful(session, pair, now, pair.kso_user)
    intro = _("Ärende #{nr} lämnas över igen efter beredning: {title}").format(nr=a.nr, title=escape(short(a.titel)))
    msg = outbox.enqueue(session, kind="dm", now=now, user=pair.kso_user, pair_id=pair.id, deliver_after=when,
                         respekt=True, text=intro,
                         blocks=arende_blocks(a, pair.timezone, note=note, previous=before))
    a.outbox_id = msg.id
    emit(session, PairChanged(at=now, pair_id=pair.id))
    planned_text = " " + _("Planerat till {label}.").format(label=ks_label(a)) if a.ks_meeting else ""
    return (_("Ärende #{nr} är överlämnat igen till <@{kso}> (gång {rounds}).").format(
                nr=a.nr, kso=pair.kso_user, rounds=a.rounds)
            + planned_text + arrival_note(session, pair, now, when))


# --- rendering ---------------------------------------------------------------


def link_text(link: str) -> str:
    """The case's link with its address visible, or its diarienummer; escaped like all user text."""
    url = safe_url(link)
    return f"<{escape(url)}>" if url else escape(link)


def arende_blocks(a: Arende, tz: str = "Europe/Stockholm", *, buttons: bool = True, note: str = "",
                  previous: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """A case as Block Kit: its details, then the decision buttons while it waits, else the decision.

    The agenda and the Home tab use this too; block ids `arende_info:<id>`/`arende:<id>`
    let a decision replace just this case inside a longer message.
    """
    details = [_("från <@{user}> {when}").format(user=a.submitted_by, when=fmt_when(a.submitted_at, tz))]
    if a.link:
        details.insert(0, link_text(a.link))
    if a.ks_meeting:
        details.append(ks_label(a))
    text = _("*Ärende #{nr}: {title}*").format(nr=a.nr, title=escape(short(a.titel, 2500))) + "\n" + " · ".join(details)
    if previous and previous.get("comment"):
        text += "\n" + _("Återsänt för beredning: {comment}").format(comment=escape(short(str(previous["comment"]), 500)))
    if note:
        text += "\n" + _("KD:s anteckning: {note}").format(note=escape(short(note, 500)))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "block_id": f"arende_info:{a.id}", "text": {"type": "mrkdwn", "text": short(text, 3000)}},
    ]
    if a.status == "vantar":
        if buttons:
            blocks.append({"type": "actions", "block_id": f"arende:{a.id}", "elements": [
                {"type": "button", "action_id": TILL_KS_ACTION, "value": str(a.id), "style": "primary",
                 "text": {"type": "plain_text", "text": _("Till KS"), "emoji": True}},
                {"type": "button", "action_id": ATER_ACTION, "value": str(a.id),
                 "text": {"type": "plain_text", "text": _("Åter för beredning"), "emoji": True}},
            ]})
        return blocks
    blocks.append({"type": "context", "block_id": f"arende:{a.id}",
                   "elements": [{"type": "mrkdwn", "text": short(decision_text(a, tz), 2000)}]})
    return blocks


def decision_text(a: Arende, tz: str, *, comment_limit: int = 1500) -> str:
    if a.status == "vantar" or a.decided_at is None:
        return _("Väntar på KSO:s beslut.")
    icon = ":white_check_mark:" if a.status == "till_ks" else ":leftwards_arrow_with_hook:"
    text = f"{icon} " + _("*{label}*, beslutat av <@{user}> {when}").format(
        label=status_label(a.status), user=a.decided_by, when=fmt_when(a.decided_at, tz))
    if a.comment:
        text += _("\nKommentar: {comment}").format(comment=escape(short(a.comment, comment_limit)))
    return text


def replace_case(blocks: list[dict[str, Any]], a: Arende, tz: str) -> list[dict[str, Any]] | None:
    """`blocks` with this case's blocks re-rendered; None when the case is not in them.

    Our own messages (the DM, the Home tab) carry `arende_info:<id>`/`arende:<id>`; the
    Monday agenda shows the case as its own section followed by an actions block
    `arende_<id>`, whose buttons give way to the decision.
    """
    ids = {f"arende_info:{a.id}", f"arende:{a.id}"}
    at = next((i for i, b in enumerate(blocks) if b.get("block_id") in ids), None)
    if at is None:
        return None
    kept = [b for b in blocks if b.get("block_id") not in ids]
    before = sum(1 for b in blocks[:at] if b.get("block_id") not in ids)
    return kept[:before] + arende_blocks(a, tz) + kept[before:]


# --- queries -----------------------------------------------------------------


def waiting(session: Session, pair_id: int) -> list[Arende]:
    """Cases waiting for the KSO, oldest first."""
    return list(session.scalars(
        select(Arende).where(Arende.pair_id == pair_id, Arende.status == "vantar").order_by(Arende.nr)
    ).all())


def list_text(session: Session, member: Member, now: datetime, *, per_group: int = 15) -> str:
    """`/arende lista`: waiting, sent to KS, and returned for beredning."""
    pair = member.pair
    rows = session.scalars(select(Arende).where(Arende.pair_id == pair.id)).all()
    if not rows:
        return _("Inga ärenden ännu. KD lämnar över ett med `/arende <titel> [dnr] [ks ÅÅÅÅ-MM-DD]`.")
    lines: list[str] = []
    for status in ("vantar", "till_ks", "ater"):
        group = [a for a in rows if a.status == status]
        if status == "vantar":
            group.sort(key=lambda a: a.nr)
        else:
            group.sort(key=lambda a: (a.decided_at or a.submitted_at, a.nr), reverse=True)
        lines.append(f"*{status_label(status)} ({len(group)})*")
        if not group:
            lines.append(_("_inga_"))
        for a in group[:per_group]:
            lines.append(_list_line(a, pair.timezone))
        if len(group) > per_group:
            lines.append(_("_… och {count} äldre (hela listan finns i exporten)._").format(count=len(group) - per_group))
    return "\n".join(lines)


def _list_line(a: Arende, tz: str) -> str:
    parts = [f"• *#{a.nr}* {escape(short(a.titel))}"]
    if a.link:
        parts.append(link_text(a.link))
    if a.ks_meeting:
        parts.append(ks_label(a))
    if a.status == "vantar":
        parts.append(_("inlämnat {when}").format(when=fmt_when(a.submitted_at, tz)))
    elif a.decided_at is not None:
        parts.append(_("beslutat {when}").format(when=fmt_when(a.decided_at, tz)))
        if a.comment:
            parts.append(_("kommentar: {comment}").format(comment=escape(short(a.comment, 200))))
    return " · ".join(parts)


# --- the KSO's decision ------------------------------------------------------


def _case_for(session: Session, arende_id: int, actor: str) -> tuple[Arende, Pair]:
    """The case and its pair, refusing anyone but the pair's KSO."""
    a = session.get(Arende, arende_id)
    pair = session.get(Pair, a.pair_id) if a else None
    if a is None or pair is None:
        raise UserError(_("Ärendet finns inte längre."))
    role = pair.role_of(actor)
    if role is None:
        raise UserError(NOT_MEMBER)
    if role != "kso":
        raise UserError(_("Bara KSO avgör ärenden: ärende #{nr} är oförändrat.").format(nr=a.nr))
    return a, pair


def already_decided(a: Arende, tz: str) -> str:
    when = fmt_when(a.decided_at, tz) if a.decided_at else ""
    return _("Ärende #{nr} är redan avgjort ({label}, av <@{user}> {when}). Inget ändrades.").format(
        nr=a.nr, label=status_label(a.status), user=a.decided_by, when=when)


def check_can_return(session: Session, arende_id: int, actor: str) -> Arende:
    """Before the comment modal opens: the KSO, and a case still waiting."""
    a, pair = _case_for(session, arende_id, actor)
    if a.status != "vantar":
        raise UserError(already_decided(a, pair.timezone))
    return a


def decide(
    session: Session,
    *,
    arende_id: int,
    actor: str,
    decision: str,
    now: datetime,
    comment: str | None = None,
    clicked: tuple[str, str] | None = None,
) -> str:
    """Decide a case once; returns what the actor is told. `clicked` is (channel, ts) of the clicked message."""
    if decision not in ("till_ks", "ater"):
        raise ValueError(decision)
    comment = (comment or "").strip() or None
    if comment is not None:
        refusal = check_length(comment, "Kommentaren")
        if refusal:
            raise UserError(refusal)
    a, pair = _case_for(session, arende_id, actor)
    before = audit.snapshot(a, ARENDE_FIELDS)
    won = rowcount(session.execute(
        update(Arende).where(Arende.id == a.id, Arende.status == "vantar")
        .values(status=decision, decided_by=actor, decided_at=now, comment=comment)
        .execution_options(synchronize_session=False)
    ))
    session.refresh(a)
    if not won:
        return already_decided(a, pair.timezone)
    late = _after_stopptid(session, a, pair, now) if decision == "till_ks" else ""
    audit.record(session, pair_id=pair.id, actor=actor, action=f"arende_{decision}", entity="arende", entity_id=a.id,
                 at=now, before=before, after=audit.snapshot(a, ARENDE_FIELDS))
    _update_messages(session, a, pair, now, clicked)
    label = decision_words(decision)
    note = _("\nKommentar: {comment}").format(comment=escape(comment)) if comment else ""
    when = respectful(session, pair, now, a.submitted_by)
    outbox.enqueue(session, kind="dm", now=now, user=a.submitted_by, pair_id=pair.id,
                   deliver_after=when, respekt=True,
                   text=_("<@{actor}> har avgjort ärende #{nr} ({title}): *{label}*.{note}").format(
                       actor=actor, nr=a.nr, title=escape(short(a.titel)), label=label, note=note) + late)
    emit(session, PairChanged(at=now, pair_id=pair.id))
    return (_("Ärende #{nr} är avgjort: {label}. <@{user}> får veta det.").format(
        nr=a.nr, label=label, user=a.submitted_by) + late + arrival_note(session, pair, now, when))


def _after_stopptid(session: Session, a: Arende, pair: Pair, now: datetime) -> str:
    """A Till KS after the case's stopptid: the case moves to the meeting it can still reach, and says so."""
    today = local_today(session, pair, now)
    if a.stopptid is None or a.ks_meeting is None or today <= a.stopptid:
        return ""
    missed = ks_calendar.label(a.ks_meeting, a.stopptid)
    reached = ks_calendar.reached_after_stopptid(session, pair, today)
    if reached is None:
        return " " + _("Stopptiden för {missed} har passerat, och KS-kalendern har inget senare möte: lägg till det "
                       "med `/samspel ks`.").format(missed=missed)
    a.ks_meeting, a.stopptid = reached.meeting, reached.stopptid
    return " " + _("Stopptiden för {missed} har passerat, så ärendet når {reached}.").format(
        missed=missed, reached=ks_calendar.label(reached.meeting, reached.stopptid))


def _update_messages(session: Session, a: Arende, pair: Pair, now: datetime, clicked: tuple[str, str] | None) -> None:
    """chat.update every message that still offers this case's buttons.

    The case's own DM to the KSO, and the posted agenda (which owns its layout: see
    `projections.posted_agenda`), including an older agenda if that is where the KSO clicked.
    """
    text = _("Ärende #{nr}: {label}").format(nr=a.nr, label=status_label(a.status))
    original = session.get(OutboxMessage, a.outbox_id) if a.outbox_id else None
    if original is not None and original.status in ("pending", "sent"):
        outbox.enqueue_update(session, original, now=now, text=text, blocks=arende_blocks(a, pair.timezone))
    emit(session, CaseDecided(at=now, pair_id=pair.id, arende_id=a.id, clicked=clicked))


def ater_modal(a: Arende, *, channel: str | None, message_ts: str | None) -> dict[str, Any]:
    """The comment modal for Åter för beredning."""
    return {
        "type": "modal", "callback_id": ATER_CALLBACK,
        "private_metadata": json.dumps({"arende": a.id, "channel": channel, "ts": message_ts}),
        "title": {"type": "plain_text", "text": _("Åter för beredning")[:24]},
        "submit": {"type": "plain_text", "text": _("Skicka tillbaka")},
        "close": {"type": "plain_text", "text": _("Avbryt")},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": _("*Ärende #{nr}:* {title}").format(
                nr=a.nr, title=escape(short(a.titel, 2500)))}},
            {"type": "input", "block_id": COMMENT_BLOCK, "label": {"type": "plain_text", "text": _("Vad behöver beredas mer?")},
             "element": {"type": "plain_text_input", "action_id": COMMENT_ACTION, "multiline": True, "max_length": 3000}},
        ],
    }
