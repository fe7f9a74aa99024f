"""The audit trail as sentences people read: "Arbetstid ändrad från 08:00–17:00 till 07:00–16:00".

`bot.services.audit` stores before/after as JSON with internal field names and UTC times; a
registrator should never have to read that. There is one describer per action that the
code records (grep `audit.record(`), and a fallback that still gives labelled fields in
local time for an action added later. Pure: names, references and the time zone come in
through `LogContext`, the language as the translator `t`; nothing here reads the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import LANGUAGES, N_, Translator
from bot.text import language_name, weekdays_text

Json = Mapping[str, Any] | None
_USER_ID = re.compile(r"^[UW][A-Z0-9]{5,}$")

# Field names as they are stored → what they are called in a sentence (the fallback uses these).
FIELD_LABELS: dict[str, str] = {
    "channel_id": N_("kanal"),
    "kso_user": "KSO",
    "kd_user": "KD",
    "timezone": N_("tidszon"),
    "work_start_min": N_("arbetstidens början"),
    "work_end_min": N_("arbetstidens slut"),
    "work_days": N_("arbetsdagar"),
    "agenda_time_min": N_("agendatid"),
    "radsmote_channel": N_("rådsmöteskanal"),
    "radsmote_time_min": N_("rådsmötestid"),
    "next_talk": N_("nästa utvecklingssamtal"),
    "planned_date": N_("planerat datum"),
    "day": N_("dag"),
    "note": N_("anteckning"),
    "nr": N_("nummer"),
    "text": N_("text"),
    "given_by": N_("givet av"),
    "given_at": N_("givet"),
    "deadline": N_("slutdatum"),
    "status": N_("status"),
    "done_by": N_("klart av"),
    "done_at": N_("klart"),
    "fraga": N_("fråga"),
    "svar": N_("svar"),
    "asked_by": N_("ställd av"),
    "answered_by": N_("besvarad av"),
    "titel": N_("titel"),
    "link": N_("dnr/länk"),
    "ks_meeting": N_("KS-möte"),
    "submitted_by": N_("lämnat av"),
    "decided_by": N_("beslutat av"),
    "comment": N_("kommentar"),
    "typ": N_("typ"),
    "closed_by": N_("stängd av"),
    "closed_at": N_("stängd"),
    "version": N_("version"),
}


@dataclass(frozen=True)
class LogContext:
    """What a sentence needs from outside: people's names, the numbers people use, the time zone."""

    tz: ZoneInfo
    person: Callable[[str | None], str]
    uppdrag_nr: Mapping[int, int] = field(default_factory=dict)
    point_text: Mapping[int, str] = field(default_factory=dict)
    section_label: Callable[[str], str] = str


# --- values --------------------------------------------------------------------


def hhmm(minutes: object) -> str:
    if not isinstance(minutes, int):
        return "–"
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def days_text(digits: object, t: Translator) -> str:
    """'12345' → 'mån–fre'; '1245' → 'mån, tis, tors, fre'."""
    if not isinstance(digits, str) or not digits.isdigit():
        return "–"
    return weekdays_text([int(c) for c in digits], t) or "–"


def local_time(value: datetime, tz: ZoneInfo) -> str:
    """'2026-11-23 10:00 CET': local, and labelled with the zone (CET/CEST tells winter from summer time)."""
    t = value.astimezone(tz)
    return f"{t:%Y-%m-%d %H:%M} {t.tzname()}"


def _value(name: str, value: Any, ctx: LogContext, t: Translator) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return "–"
    if name.endswith("_min") and isinstance(value, int):
        return hhmm(value)
    if name == "work_days":
        return days_text(value, t)
    if isinstance(value, bool):
        return t("ja") if value else t("nej")
    if isinstance(value, str):
        if _USER_ID.match(value):
            return ctx.person(value)
        if len(value) >= 16 and value[4:5] == "-" and "T" in value:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            return local_time(moment, ctx.tz) if moment.tzinfo else value
        return value
    if isinstance(value, list):
        return ", ".join(_value(name, v, ctx, t) for v in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{_label(k, t)}: {_value(k, v, ctx, t)}" for k, v in value.items()) or "–"
    return str(value)


def _label(name: str, t: Translator) -> str:
    label = FIELD_LABELS.get(name)
    return t(label) if label else name.replace("_", " ")


def _get(data: Json, key: str) -> Any:
    return data.get(key) if data else None


def _hours(data: Json) -> str:
    return f"{hhmm(_get(data, 'work_start_min'))}–{hhmm(_get(data, 'work_end_min'))}"


def _channel(channel: object, t: Translator) -> str:
    return t("kanal {channel}").format(channel=channel) if channel else t("ingen kanal")


def _with_comment(sentence: str, comment: object, t: Translator) -> str:
    if isinstance(comment, str) and comment.strip():
        return t("{sentence}. Kommentar: {comment}").format(sentence=sentence, comment=comment.strip())
    return sentence


# --- one describer per recorded action -------------------------------------------

Describer = Callable[[Json, Json, LogContext, Translator], str]


def _koppla(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t(
        "Paret kopplades i {channel}: KSO {kso}, KD {kd}; arbetstid {days} {hours}, agenda kl. {agenda}, utvecklingssamtal {talk}"
    ).format(
        channel=_channel(_get(after, "channel_id"), t),
        kso=ctx.person(_get(after, "kso_user")),
        kd=ctx.person(_get(after, "kd_user")),
        days=days_text(_get(after, "work_days"), t),
        hours=_hours(after),
        agenda=hhmm(_get(after, "agenda_time_min")),
        talk=_get(after, "next_talk") or "–",
    )


def _arbetstid(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    days_before, days_after = _get(before, "work_days"), _get(after, "work_days")
    if days_before == days_after:
        return t("Arbetstid ändrad från {before} till {after} ({days})").format(
            before=_hours(before), after=_hours(after), days=days_text(days_after, t)
        )
    return t("Arbetstid ändrad från {before} till {after}").format(
        before=f"{days_text(days_before, t)} {_hours(before)}", after=f"{days_text(days_after, t)} {_hours(after)}"
    )


def _agendatid(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Agendatid ändrad från {before} till {after}").format(
        before=hhmm(_get(before, "agenda_time_min")), after=hhmm(_get(after, "agenda_time_min"))
    )


def _radsmote_place(data: Json, t: Translator) -> str:
    channel = _get(data, "radsmote_channel")
    if not channel:
        return t("avstängd")
    minutes = _get(data, "radsmote_time_min")
    place = _channel(channel, t)
    return t("{channel} kl. {time}").format(channel=place, time=hhmm(minutes)) if minutes is not None else place


def _radsmote(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    if not _get(after, "radsmote_channel"):
        return t("Rådsmötesagendan stängdes av (var: {before})").format(before=_radsmote_place(before, t))
    return t("Rådsmötesagendan ändrad från {before} till {after}").format(
        before=_radsmote_place(before, t), after=_radsmote_place(after, t)
    )


def _language_name(data: Json, t: Translator) -> str:
    code = _get(data, "language")
    return language_name(code, t) if isinstance(code, str) and code in LANGUAGES else t("KSO:ns språk")


def _sprak(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Parets språk ändrat från {before} till {after}").format(before=_language_name(before, t), after=_language_name(after, t))


def _talk_date(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Datum för utvecklingssamtalet ändrat från {before} till {after}").format(
        before=_get(before, "next_talk") or "–", after=_get(after, "next_talk") or "–"
    )


def _ledig(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    note = _get(after, "note")
    day = _get(after, "day") or "–"
    last = _get(after, "last")
    if last and last != day:
        # `ledig ÅÅÅÅ-MM-DD..ÅÅÅÅ-MM-DD`: one line for the range, with whose days off they are.
        return t("Lediga dagar tillagda för {who}: {first}–{last} ({days} dagar){note}").format(
            who=ctx.person(_get(after, "user")), first=day, last=last, days=_get(after, "days"), note=f" ({note})" if note else ""
        )
    if note:
        return t("Ledig dag tillagd: {day} ({note})").format(day=day, note=note)
    return t("Ledig dag tillagd: {day}").format(day=day)


def _koppla_forslag(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Förslag att koppla {channel}: KSO {kso}, KD {kd}").format(
        channel=_channel(_get(after, "channel_id"), t), kso=ctx.person(_get(after, "kso_user")), kd=ctx.person(_get(after, "kd_user"))
    )


def _koppla_avbojd(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Förslaget att koppla paret avböjdes")


def _pausad(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Paret pausades: {who} lämnade kanalen").format(who=ctx.person(_get(after, "left")))


def _aterupptagen(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Paret återupptogs: alla är med i kanalen igen")


def _lamna(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Paret upplöstes; {n} väntande meddelanden ställdes in").format(n=_get(after, "cancelled_messages") or 0)


def _uppdrag_ny(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    sentence = t("Uppdrag #{nr} gavs: {text}").format(nr=_get(after, "nr") or "?", text=_get(after, "text") or "")
    deadline = _get(after, "deadline")
    return t("{sentence} (senast {deadline})").format(sentence=sentence, deadline=deadline) if deadline else sentence


def _uppdrag_klart(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Uppdrag #{nr} markerades som klart").format(nr=_get(after, "nr") or _get(before, "nr") or "?")


def _fraga_nr(data: Json, ctx: LogContext) -> object:
    uppdrag_id = _get(data, "uppdrag_id")
    return ctx.uppdrag_nr.get(uppdrag_id, "?") if isinstance(uppdrag_id, int) else "?"


def _oklart(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Fråga om uppdrag #{nr}: {question}").format(nr=_fraga_nr(after, ctx), question=_get(after, "fraga") or "")


def _svar(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Frågan om uppdrag #{nr} besvarades: {answer}").format(nr=_fraga_nr(after, ctx), answer=_get(after, "svar") or "")


def _arende_ny(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    sentence = t("Ärende #{nr} lämnades för beslut: {title}").format(nr=_get(after, "nr") or "?", title=_get(after, "titel") or "")
    if _get(after, "link"):
        sentence = t("{sentence} (dnr/länk {link})").format(sentence=sentence, link=_get(after, "link"))
    if _get(after, "ks_meeting"):
        sentence = t("{sentence}, KS-möte {day}").format(sentence=sentence, day=_get(after, "ks_meeting"))
    return sentence


def _arende_till_ks(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return _with_comment(t("Ärende #{nr} beslutat: till KS").format(nr=_get(after, "nr") or "?"), _get(after, "comment"), t)


def _arende_ater(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return _with_comment(t("Ärende #{nr} beslutat: åter för beredning").format(nr=_get(after, "nr") or "?"), _get(after, "comment"), t)


def _arende_igen(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    sentence = t("Ärende #{nr} lämnades över igen efter beredning (gång {rounds})").format(
        nr=_get(after, "nr") or "?", rounds=_get(after, "rounds") or "?"
    )
    note = _get(after, "anteckning")
    return t("{sentence}: {note}").format(sentence=sentence, note=note) if note else sentence


def _ks_kalender(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    days = _get(after, "ks_meetings") or []
    return t("KS-kalendern sattes: {days}").format(days=", ".join(str(d) for d in days) or "–")


def _stopptid(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Stopptiden ändrades från {before} till {after} arbetsdagar före KS").format(
        before=_get(before, "stopptid_days") or "–", after=_get(after, "stopptid_days") or "–"
    )


def _agenda_punkt(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Agendapunkt tillagd ({kind}): {text}").format(kind=_get(after, "typ") or "?", text=_get(after, "text") or "")


def _spelregler(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    changed = _get(after, "ändrade_avsnitt") or []
    sentence = t("Spelreglerna sparades som version {version}").format(version=_get(after, "version") or "?")
    if changed:
        sections = ", ".join(ctx.section_label(str(h)) for h in changed)
        return t("{sentence} (ändrade avsnitt: {sections})").format(sentence=sentence, sections=sections)
    return sentence


def _samtal(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    planned = _get(after, "planned_date")
    sentence = t("Utvecklingssamtalet hölls (planerat {planned})").format(planned=planned) if planned else t("Utvecklingssamtalet hölls")
    return t("{sentence}; nästa är {next}").format(sentence=sentence, next=_get(after, "next_talk") or "–")


def _gallring(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    days, n_messages, n_notices = (
        int(_get(after, "dagar") or 0),
        int(_get(after, "meddelanden") or 0),
        int(_get(after, "andra_utskick") or 0),
    )
    period = t.ngettext("{n} dag", "{n} dagar", days)
    messages = t.ngettext("{n} meddelande", "{n} meddelanden", n_messages)
    notices = t.ngettext("{n} annat utskick", "{n} andra utskick", n_notices)
    return t("Gallring efter {period}: texten togs bort i {messages} och i {notices} från Samspel").format(
        period=period, messages=messages, notices=notices
    )


# The tables an erasure or export counts, by the keys stored in the audit line.
TABLE_LABELS: dict[str, str] = {
    "par": N_("par"),
    "uppdrag": N_("uppdrag"),
    "fragor": N_("frågor om uppdrag"),
    "arenden": N_("ärenden"),
    "agendapunkter": N_("agendapunkter"),
    "meddelanden": N_("meddelanden"),
    "utskick": N_("utskick"),
    "meddelandetexter": N_("meddelandetexter"),
    "spelregler": N_("spelregelversioner"),
    "utvecklingssamtal": N_("utvecklingssamtal"),
    "lediga_dagar": N_("lediga dagar"),
    "kalendrar": N_("arbetstider"),
    "logg": N_("loggrader"),
    "forslag": N_("kopplingsförslag"),
    "namn": N_("namn"),
    "person": N_("personliga inställningar"),
    "korningar": N_("jobbkörningar"),
    "ks_moten": N_("KS-mötesdagar"),
    "installationer": N_("installationer"),
}


def table_label(key: str, t: Translator) -> str:
    label = TABLE_LABELS.get(key)
    return t(label) if label else key


def counts_text(counts: object, t: Translator) -> str:
    """{'uppdrag': 3, 'meddelanden': 2} → 'uppdrag 3, meddelanden 2'."""
    if not isinstance(counts, dict):
        return "–"
    return ", ".join(f"{table_label(str(k), t)} {n}" for k, n in counts.items() if n) or t("inget")


def _counts(after: Json, t: Translator) -> str:
    return counts_text(_get(after, "antal"), t)


def _radera_person(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("En person ({role}) raderades på begäran. Borttaget: {deleted}. Avidentifierat: {anonymised}").format(
        role=_get(after, "roll") or "–",
        deleted=counts_text(_get(after, "raderat"), t),
        anonymised=counts_text(_get(after, "avidentifierat"), t),
    )


def _radera_par(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    team = _get(after, "arbetsyta")
    if team:
        return t("Par {pair} i arbetsytan {team} raderades: {counts}").format(
            pair=_get(after, "par") or "?", team=team, counts=_counts(after, t)
        )
    return t("Par {pair} raderades: {counts}").format(pair=_get(after, "par") or "?", counts=_counts(after, t))


def _radera_arbetsyta(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    pairs = _get(after, "par") or []
    return t("Arbetsytan {team} raderades (par: {pairs}): {counts}").format(
        team=_get(after, "arbetsyta") or "?", pairs=", ".join(str(p) for p in pairs) or t("inga"), counts=_counts(after, t)
    )


def _avinstallerad(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Samspel togs bort från arbetsytan: paret pausades (raderas efter karenstiden om appen inte installeras igen)")


def _aterinstallerad(before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    return t("Samspel installerades igen i arbetsytan: paret fortsätter")


DESCRIBERS: dict[str, Describer] = {
    "koppla": _koppla,
    "koppla_forslag": _koppla_forslag,
    "koppla_avböjd": _koppla_avbojd,
    "pausad": _pausad,
    "återupptagen": _aterupptagen,
    "lämna": _lamna,
    "arbetstid": _arbetstid,
    "agendatid": _agendatid,
    "rådsmöte": _radsmote,
    "språk": _sprak,
    "utvecklingssamtal_datum": _talk_date,
    "ledig_dag": _ledig,
    "uppdrag_ny": _uppdrag_ny,
    "uppdrag_klart": _uppdrag_klart,
    "uppdrag_oklart": _oklart,
    "uppdrag_svar": _svar,
    "arende_ny": _arende_ny,
    "arende_till_ks": _arende_till_ks,
    "arende_ater": _arende_ater,
    "arende_igen": _arende_igen,
    "ks_kalender": _ks_kalender,
    "stopptid": _stopptid,
    "agenda_punkt": _agenda_punkt,
    "spelregler_ny_version": _spelregler,
    "utvecklingssamtal_genomfört": _samtal,
    "gallring": _gallring,
    "radera_person": _radera_person,
    "radera_par": _radera_par,
    "radera_arbetsyta": _radera_arbetsyta,
    "avinstallerad": _avinstallerad,
    "återinstallerad": _aterinstallerad,
}


def describe(action: str, entity_id: int | None, before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    """One log entry as a sentence; an action without its own describer still reads as labelled fields."""
    if action == "agenda_stang":
        # The close records only who and when; the point's text is in its own row.
        text = ctx.point_text.get(entity_id) if entity_id is not None else None
        return t("Agendapunkt stängd: {text}").format(text=text) if text else t("Agendapunkt stängd")
    describer = DESCRIBERS.get(action)
    if describer is not None:
        try:
            return describer(before, after, ctx, t)
        except (KeyError, TypeError, ValueError):
            pass  # an older row with other fields: the fallback still shows everything
    return fallback(action, before, after, ctx, t)


def fallback(action: str, before: Json, after: Json, ctx: LogContext, t: Translator) -> str:
    """'Händelse: kanal ändrad från A till B; anteckning: C'."""
    parts = []
    for key in list(before or {}) + [k for k in (after or {}) if k not in (before or {})]:
        old, new = _get(before, key), _get(after, key)
        if before and key in before and after and key in after:
            if old == new:
                continue
            parts.append(
                t("{label} ändrat från {before} till {after}").format(
                    label=_label(key, t), before=_value(key, old, ctx, t), after=_value(key, new, ctx, t)
                )
            )
        elif after and key in after:
            parts.append(t("{label}: {value}").format(label=_label(key, t), value=_value(key, new, ctx, t)))
        else:
            parts.append(t("{label} var {value}").format(label=_label(key, t), value=_value(key, old, ctx, t)))
    name = action.replace("_", " ").strip().capitalize() or "?"
    return f"{name}: {'; '.join(parts)}" if parts else name
