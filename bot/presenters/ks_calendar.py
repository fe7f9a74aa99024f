"""The KS calendar in words: a case's meeting label, `/samspel ks` and `/samspel stopptid`."""

from __future__ import annotations

from datetime import date

from bot.domain.ks_calendar import Planned
from bot.i18n import Translator
from bot.services.ks_calendar import CalendarNote, Overview, Stopptid
from bot.text import fill, fmt_date, fmt_day_month


def label(meeting: date, last_day: date | None, t: Translator) -> str:
    """'KS 15 dec · stopptid 1 dec': the case's meeting and the last day to decide it."""
    text = t("KS {date}").format(date=fmt_day_month(meeting, t))
    if last_day is not None:
        text += " · " + t("stopptid {date}").format(date=fmt_day_month(last_day, t))
    return text


def planned_label(planned: Planned, t: Translator) -> str:
    return label(planned.meeting, planned.stopptid, t)


def overview(result: Overview, t: Translator) -> str:
    """`/samspel ks`: the coming meetings, each with its stopptid (after 'KS-kalendern är sparad.' when just set)."""
    if not result.meetings:
        text = t("Ingen KS-kalender är inställd. Ange mötesdagarna med `/samspel ks ÅÅÅÅ-MM-DD ÅÅÅÅ-MM-DD …`.")
    else:
        lines = [
            t.ngettext("*KS-möten* (stopptid {n} arbetsdag före):", "*KS-möten* (stopptid {n} arbetsdagar före):", result.stopptid_days)
        ]
        for m in result.meetings:
            passed = t(" (stopptiden har passerat)") if m.passed else ""
            lines.append(
                t("• {date} ({iso}) · stopptid {last}{passed}").format(
                    date=fmt_date(m.day, t), iso=m.day.isoformat(), last=fmt_date(m.stopptid, t), passed=passed
                )
            )
        text = "\n".join(lines)
    return t("KS-kalendern är sparad.") + "\n" + text if result.saved else text


def stopptid(result: Stopptid, t: Translator) -> str:
    """`/samspel stopptid [n]`."""
    if not result.changed:
        return t.ngettext(
            "Stopptiden är {n} arbetsdag före KS-mötet. Ändra med `/samspel stopptid 10`.",
            "Stopptiden är {n} arbetsdagar före KS-mötet. Ändra med `/samspel stopptid 10`.",
            result.days,
        )
    answer = t.ngettext(
        "Ett ärende ska nu vara avgjort senast {n} arbetsdag före KS-mötet.",
        "Ett ärende ska nu vara avgjort senast {n} arbetsdagar före KS-mötet.",
        result.days,
    )
    if result.next is not None:
        answer += " " + fill(t("Ett nytt ärende går till {label}."), label=planned_label(result.next, t))
    return answer


def calendar_note(note: CalendarNote | None, t: Translator) -> str:
    """' Obs: …' after a handed-over case whose KS date is off the calendar, or that no meeting can reach."""
    if note is None:
        return ""
    if note.day is None:
        return t(" Obs: KS-kalendern har inget kommande möte där stopptiden inte har passerat; lägg till möten med `/samspel ks`.")
    text = t(" Obs: {day} är inget KS-möte i er kalender (`/samspel ks`).").format(day=note.day.isoformat())
    if note.next is not None:
        text += " " + fill(t("Nästa möte där stopptiden inte har passerat är {label}."), label=planned_label(note.next, t))
    return text
