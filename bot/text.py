"""User text in and out: mention parsing, escaping, and dates in the reader's language (CLDR, through Babel)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, get_day_names, get_month_names

from bot.adapters.holidays import SWEDEN
from bot.domain.calendar import HOLIDAY, OWN_DAY_OFF, WorkingCalendar
from bot.i18n import N_, SOURCE_LANGUAGE, Translator, translator

MAX_TEXT = 3000

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SPECIAL = re.compile(r"<([!@#])([^>|]*)(?:\|([^>]*))?>")
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_LINK = re.compile(r"<((?:https?|mailto):[^>|\s]+)(?:\|([^>]*))?>")


def mentioned_users(text: str) -> list[str]:
    """User ids in Slack's mention forms `<@U123|namn>` and `<@U123>`, in order."""
    return _MENTION.findall(text)


def _disguising_label(url: str, label: str | None) -> str:
    """A masked link's label when it differs from its address (so the address must be shown beside it), else ''."""
    shown = label.strip() if label else ""
    return shown if shown and shown not in (url, url.split(":", 1)[-1].lstrip("/")) else ""


def _neutralise(match: re.Match[str]) -> str:
    """Slack's `<!channel>`, `<@U1|bo>`, `<#C1|kanal>` as plain `@channel`, `@bo`, `#kanal`: nothing pings."""
    sigil, ident, label = match.groups()
    if sigil == "!":
        return "@" + (label or ident.split("^")[0]).lstrip("@")
    return ("@" if sigil == "@" else "#") + (label or ident)


def escape(text: str) -> str:
    """Make user text safe to post: no @channel/@here, no pings, no stray markup.

    Mentions and channel links become plain `@namn`/`#kanal` text, special commands
    like `<!channel>` become `@channel` (which does not notify when posted by a bot
    without link_names), and `&`, `<`, `>` are entity-escaped. Web links survive, but a
    masked link shows its real address: `<https://x|Logga in>` becomes `Logga in (https://x)`.
    """
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        url, label = match.group(1), _disguising_label(match.group(1), match.group(2))
        # In Slack's own form: `&` inside the address as `&amp;`, as Slack sends it to us.
        links.append(f"{entities(label)} (<{entities(url)}>)" if label else f"<{entities(url)}>")
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep_link, text.replace("\x00", ""))
    text = _SPECIAL.sub(_neutralise, text)
    text = entities(text)
    return _PLACEHOLDER.sub(lambda m: links[int(m.group(1))], text)


# Canvas Markdown: `[label](url)` is a link with a label, `![](@U…)`/`![](#C…)` a mention.
_MD_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\s]*)\)")


def canvas_text(text: str) -> str:
    """User text for a canvas (Markdown): no link hides its address, nothing pings.

    Slack's markup goes as for a message (`<https://x|Logga in>` → `Logga in (https://x)`,
    `<!channel>` → `@channel`, `<@U1|bo>` → `@bo`), and Markdown's own `[label](url)` and
    `![](@U…)` become plain text with the address shown.
    """

    def slack_link(match: re.Match[str]) -> str:
        url, label = match.group(1), _disguising_label(match.group(1), match.group(2))
        return f"{label} ({url})" if label else url

    def md_link(match: re.Match[str]) -> str:
        image, label, target = match.groups()
        shown = label.strip()
        if image or not shown or shown == target:
            return " ".join(part for part in (shown, target) if part)
        return f"{shown} ({target})"

    text = _SPECIAL.sub(_neutralise, _LINK.sub(slack_link, text))
    return _MD_LINK.sub(md_link, text)


def from_slack(text: str) -> str:
    """Slack sends `&`, `<` and `>` in message and command text as entities; this is what the user typed.

    Slack's own markup (`<@U1|namn>`, `<!channel>`) is not entity-encoded and stays as it
    is, so `escape()` still neutralises it when the text is posted.
    """
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def entities(text: str) -> str:
    """`&`, `<` and `>` as mrkdwn entities: literal text that can never become a mention or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, ending in … when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def one_line(text: str, limit: int) -> str:
    """Whitespace folded to single spaces, then shortened: for previews in lists."""
    return shorten(" ".join(text.split()), limit)


# The nouns services pass to bot.services.refusals.require_text, marked so their English is kept with the rest.
LENGTH_NOUNS = (N_("Texten"), N_("Titeln"), N_("Kommentaren"), N_("Punkten"), N_("Uppdraget"), N_("Frågan"), N_("Svaret"))


# Excel runs a cell that starts with these as a formula: a leading apostrophe keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def safe_url(text: str) -> str | None:
    """`text` when it is a plain http(s) address with a host; None for anything else."""
    if len(text) > 500 or any(c.isspace() or c in "<>|\"'`" for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.hostname else None


# Dates come from CLDR through Babel: the names from the locale, the order from a pattern in the
# catalog (a Swedish msgid that is a CLDR pattern), so a new language brings a catalog and no code.
# Swedish shortens months with a period ("30 nov."); `fill` keeps a sentence from ending in "..".


@cache
def cldr_locale(language: str) -> Locale:
    """Babel's locale for a translator's language; the source language's for one CLDR does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def _reader(t: Translator | None) -> tuple[Translator, Locale]:
    t = t or translator(SOURCE_LANGUAGE)
    return t, cldr_locale(t.language)


def language_name(code: str, t: Translator | None = None) -> str:
    """'engelska' (English: 'English'): a language's name from CLDR, in the reader's language, as it stands in a sentence."""
    return str(cldr_locale(code).get_display_name(_reader(t)[1]) or code)


def weekday_name(weekday: int, t: Translator | None = None, width: Literal["wide", "abbreviated"] = "wide") -> str:
    """'måndag' (English: 'Monday') for Python's weekday number, 0 = Monday; 'mån'/'Mon' abbreviated."""
    return str(get_day_names(width, locale=_reader(t)[1])[weekday])


def weekdays_text(digits: Sequence[int], t: Translator | None = None) -> str:
    """'mån–fre' for ISO weekday digits 1–5 (English: 'Mon–Fri'); 'mån, tis, tors' when not three or more in a row."""
    days = sorted(d for d in digits if 1 <= d <= 7)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{weekday_name(days[0] - 1, t, 'abbreviated')}–{weekday_name(days[-1] - 1, t, 'abbreviated')}"
    return ", ".join(weekday_name(d - 1, t, "abbreviated") for d in days)


def month_name(month: int, t: Translator | None = None, width: Literal["wide", "abbreviated"] = "abbreviated") -> str:
    """'nov.' (English: 'Nov') for a month number, 1 = January; 'november'/'November' wide."""
    return str(get_month_names(width, locale=_reader(t)[1])[month])


@lru_cache(maxsize=4096)
def _format_day(day: date, pattern: str, language: str) -> str:
    # Babel takes about 35 µs a date; a list of 50 uppdrag formats 100, most of them the same few days.
    return str(format_date(day, pattern, locale=cldr_locale(language)))


def fmt_date(day: date, t: Translator | None = None) -> str:
    """'måndag 30 nov.' (English: 'Monday 30 Nov')."""
    t = t or translator(SOURCE_LANGUAGE)
    return _format_day(day, t("EEEE d MMM"), t.language)


def fmt_date_year(day: date, t: Translator | None = None) -> str:
    """'torsdag 7 jan. 2027' (English: 'Thursday 7 Jan 2027'): a date with its year, e.g. the next talk."""
    t = t or translator(SOURCE_LANGUAGE)
    return _format_day(day, t("EEEE d MMM y"), t.language)


def fmt_day_month(day: date, t: Translator | None = None) -> str:
    """'15 dec.' (English: '15 Dec'): a date in a short label, the year left out."""
    t = t or translator(SOURCE_LANGUAGE)
    return _format_day(day, t("d MMM"), t.language)


def fmt_when(moment: datetime, tz: ZoneInfo | str, t: Translator | None = None) -> str:
    """'måndag 30 nov. kl. 08:00' in the given zone (English: 'Monday 30 Nov at 08:00')."""
    t, locale = _reader(t)
    # Converted here, not by Babel: a naive moment means local time to astimezone, as it always has.
    local = moment.astimezone(ZoneInfo(tz) if isinstance(tz, str) else tz)
    return format_datetime(local, t("EEEE d MMM 'kl.' HH:mm"), locale=locale)


def fill(template: str, **fields: object) -> str:
    """`template.format(**fields)`, but a value that ends in a period ('30 nov.') is not followed by another."""
    for name, value in fields.items():
        if str(value).endswith("."):
            template = template.replace("{" + name + "}.", "{" + name + "}")
    return template.format(**fields)


SV_HOLIDAY_NAMES = {
    "New Year's Day": "nyårsdagen",
    "Epiphany": "trettondedag jul",
    "Good Friday": "långfredagen",
    "Easter Sunday": "påskdagen",
    "Easter Monday": "annandag påsk",
    "May Day": "första maj",
    "Ascension Day": "Kristi himmelfärds dag",
    "Pentecost": "pingstdagen",
    "National Day": "nationaldagen",
    "Midsummer Eve": "midsommarafton",
    "Midsummer Day": "midsommardagen",
    "All Saints' Day": "alla helgons dag",
    "Christmas Eve": "julafton",
    "Christmas Day": "juldagen",
    "Second Day of Christmas": "annandag jul",
    "New Year's Eve": "nyårsafton",
}


def holiday_words(name: str, t: Translator) -> str:
    """A holiday's name as the holidays package gives it (English; "A; B" for two on one day) in `t`'s language."""
    if t.english:
        return name
    return "; ".join(SV_HOLIDAY_NAMES.get(part.strip(), part.strip()) for part in name.split(";"))


def swedish_holiday(day: date, t: Translator | None = None) -> str | None:
    """The name of a Swedish public or de-facto holiday (in `t`'s language), or None."""
    name = SWEDEN.name(day)
    return None if name is None else holiday_words(name, t or translator(SOURCE_LANGUAGE))


def day_off_reason(cal: WorkingCalendar, day: date, t: Translator | None = None) -> str | None:
    """Why `day` is no working day, for people ('julafton', 'egen ledig dag', 'helg'), or None."""
    code = cal.day_off(day)
    return None if code is None else day_off_words(code, day, t or translator(SOURCE_LANGUAGE))


def day_off_words(code: str, day: date, t: Translator) -> str:
    """The words for a day-off code (bot.domain.calendar: HOLIDAY, OWN_DAY_OFF, WEEKEND) on `day`."""
    return reason_words(code, SWEDEN.name(day) if code == HOLIDAY else None, t)


def reason_words(code: str, holiday: str | None, t: Translator) -> str:
    """The words for a day-off code; `holiday` is the holiday's name as the holidays package gives it."""
    if code == HOLIDAY:
        return holiday_words(holiday, t) if holiday else t("ledig dag")
    return t("egen ledig dag") if code == OWN_DAY_OFF else t("helg")


def fmt_iso(day: date | None) -> str:
    return day.isoformat() if day else "–"
