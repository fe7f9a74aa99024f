"""The words of `/samspel`: the answers to the settings, the status, and the notes about the pair.

Every function takes the translator `t`; the data comes from `bot.services.pairs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bot.domain.calendar import WorkingCalendar, format_hhmm
from bot.domain.pairs import day_ranges, weekday_digits
from bot.i18n import Translator
from bot.models import MemberCalendar, Pair
from bot.services.pairs import AgendaTimeSet, DaysOffAdded, HoursSet, PairStatus, RadsmoteSet, TalkDateSet
from bot.text import day_off_words, fmt_date, fmt_iso, language_name, weekdays_text


def describe_hours(hours: Pair | MemberCalendar | WorkingCalendar | HoursSet, t: Translator, timezone: str | None = None) -> str:
    """'mån–fre 08:00–17:00 (Europe/Stockholm)' for a pair, one member's hours or a calendar."""
    if isinstance(hours, WorkingCalendar):
        digits, start, end, tz = sorted(hours.weekdays), hours.start_min, hours.end_min, hours.timezone
    elif isinstance(hours, HoursSet):
        digits, start, end, tz = weekday_digits(hours.work_days), hours.start_min, hours.end_min, hours.timezone
    else:
        digits, start, end = weekday_digits(hours.work_days), hours.work_start_min, hours.work_end_min
        tz = timezone or str(getattr(hours, "timezone", None) or "Europe/Stockholm")
    return f"{weekdays_text(digits, t)} {format_hhmm(start)}–{format_hhmm(end)} ({tz})"


def describe_days(days: Iterable[date]) -> str:
    """'2027-07-05–2027-07-30, 2027-08-14': consecutive days shown as one range."""
    return ", ".join(first.isoformat() if first == last else f"{first.isoformat()}–{last.isoformat()}" for first, last in day_ranges(days))


# --- answers to the settings -------------------------------------------------------------


def hours_answer(result: HoursSet, t: Translator) -> str:
    return t(
        "Din arbetstid är nu {hours}. Meddelanden till dig följer den; måndagsmötet och kanalen följer tiden då ni båda arbetar."
    ).format(hours=describe_hours(result, t))


def agenda_time_answer(result: AgendaTimeSet, t: Translator) -> str:
    time = format_hhmm(result.minutes)
    start, end = format_hhmm(result.both_start_min), format_hhmm(result.both_end_min)
    if result.days_before:
        return t(
            "Agendan kommer kl. {time} arbetsdagen före mötet (fredag, när mötet är på måndag). Fram till mötet "
            "hålls den aktuell med det som läggs till."
        ).format(time=time)
    if not result.within_working_time:
        # The bot obeys the respekt rule too: the agenda waits for working time.
        return t(
            "Agendatiden är {time}, men den ligger utanför er gemensamma arbetstid ({start}–{end}), så agendan "
            "kommer först kl. {start}. Vill ni ha den tidigare: ändra er arbetstid med "
            "`/samspel arbetstid {time}-{end}`."
        ).format(time=time, start=start, end=end)
    return t("Måndagsagendan kommer kl. {time} på veckans första arbetsdag.").format(time=time)


def agenda_time_text(pair: Pair, t: Translator) -> str:
    """When the agenda comes, as `/samspel status` says it."""
    if pair.agenda_days_before:
        return t("kl. {time} arbetsdagen före mötet, och hålls aktuell fram till mötet").format(time=format_hhmm(pair.agenda_time_min))
    return t("kl. {time} på veckans första arbetsdag").format(time=format_hhmm(pair.agenda_time_min))


def radsmote_answer(result: RadsmoteSet, t: Translator) -> str:
    if result.channel is None:
        return t("Rådsmötesagendan är avstängd.")
    return t("Rådsmötesagendan postas i <#{channel}> kl. {time} på mötesdagen.").format(
        channel=result.channel, time=format_hhmm(result.minutes)
    )


def _stage(code: str, t: Translator) -> str:
    return {"four_weeks": t("fyra veckor innan"), "one_week": t("en vecka innan"), "on_the_day": t("på dagen")}[code]


def talk_date_answer(result: TalkDateSet, t: Translator) -> str:
    """What `/samspel utvecklingssamtal` answers: the day, the reminders still to come, and a day off."""
    day = result.day
    lines = [t("Nästa utvecklingssamtal är {iso} ({day} {year}).").format(iso=day.isoformat(), day=fmt_date(day, t), year=day.year)]
    coming = [_stage(code, t) for code in result.reminders.coming]
    if coming:
        stages = coming[0] if len(coming) == 1 else t("{first} och {last}").format(first=", ".join(coming[:-1]), last=coming[-1])
        soon = t("Ni får en påminnelse snart och sedan {stages}.") if result.reminders.passed else t("Ni får påminnelser {stages}.")
        lines.append(soon.format(stages=stages))
    else:
        lines.append(t("Ni får en påminnelse snart."))
    if result.day_off:
        lines.append(
            t(
                ":warning: Det är en ledig dag ({reason}): påminnelsen på dagen kommer först nästa arbetsdag. "
                "Välj en arbetsdag med `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`."
            ).format(reason=day_off_words(result.day_off, day, t))
        )
    return " ".join(lines)


def days_off_answer(result: DaysOffAdded, t: Translator) -> str:
    if result.first == result.last:
        return t("{day} räknas nu som ledig dag för dig. Meddelanden till dig väntar till nästa arbetsdag.").format(
            day=result.first.isoformat()
        )
    return t("{first}–{last} ({count} dagar) räknas nu som lediga dagar för dig. Meddelanden till dig väntar till nästa arbetsdag.").format(
        first=result.first.isoformat(), last=result.last.isoformat(), count=result.count
    )


# --- status ------------------------------------------------------------------------------------


def _people_lines(st: PairStatus, t: Translator) -> list[str]:
    lines = []
    for person in st.people:
        lines.append(
            t("• Arbetstid {role} <@{user}>: {hours}").format(role=person.role, user=person.user, hours=describe_hours(person.calendar, t))
        )
        if person.days_off:
            lines.append(t("  Lediga dagar: {days}").format(days=describe_days(person.days_off)))
    return lines


def _language_line(st: PairStatus, t: Translator) -> str:
    name = language_name(st.language, t)
    if st.language_chosen:
        return t("• Parets språk (kanalen, agendan): {language}, valt med `/samspel språk par`").format(language=name)
    return t("• Parets språk (kanalen, agendan): {language}, som KSO:ns").format(language=name)


def status_text(st: PairStatus, t: Translator) -> str:
    p = st.pair
    radsmote = (
        t("<#{channel}> kl. {time}").format(channel=p.radsmote_channel, time=format_hhmm(p.radsmote_time_min))
        if p.radsmote_channel
        else t("inte inställt")
    )
    both = describe_hours(st.both, t) if st.both else t("ingen: ändra er arbetstid med `/samspel arbetstid`")
    lines = [
        t("*Samspel i <#{channel}>*").format(channel=p.channel_id),
        *(
            [
                t(
                    ":pause_button: Paret är pausat: inget postas eller skickas förrän ni båda och Samspel är med i kanalen "
                    "igen. Upplös paret med `/samspel lämna`."
                )
            ]
            if p.status == "paused"
            else []
        ),
        f"• KSO: <@{p.kso_user}>  •  KD: <@{p.kd_user}>",
        *_people_lines(st, t),
        t("• Gemensam arbetstid (måndagsmötet och kanalen): {hours}").format(hours=both),
        t("• Måndagsagenda: {when}").format(when=agenda_time_text(p, t)),
        t("• Rådsmöte: {radsmote}").format(radsmote=radsmote),
        _language_line(st, t),
        t("• Nästa utvecklingssamtal: {day}").format(day=fmt_iso(p.next_talk)),
        t("• Meddelanden som hålls enligt respektregeln: {held}").format(held=st.held),
    ]
    if st.failed:
        lines.append(
            t.ngettext(
                "• :warning: {n} meddelande kunde inte levereras (senast: {error}). Kontrollera att Samspel är inbjuden i kanalen.",
                "• :warning: {n} meddelanden kunde inte levereras (senast: {error}). Kontrollera att Samspel är inbjuden i kanalen.",
                st.failed,
                error=st.last_failure,
            )
        )
    return "\n".join(lines)


def post_failed(channel: str | None, error: str | None, t: Translator) -> str:
    """To both members when a channel post could not be delivered (usually: Samspel is not in the channel)."""
    return t(
        ":warning: Samspel kunde inte posta i <#{channel}> ({error}). Bjud in Samspel där med `/invite @Samspel`, "
        "eller ändra kanalen med `/samspel rådsmöte #kanal`."
    ).format(channel=channel, error=error)


def unknown_verb(verb: str, t: Translator) -> str:
    return t("Okänt kommando `{verb}`.").format(verb=verb)
