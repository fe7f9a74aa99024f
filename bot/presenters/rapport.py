"""The year in figures as people read it: Markdown and CSV for `python -m bot rapport`, mrkdwn for the talk material.

Every format is made from one list of rows (`_rows`), so they always agree. Numbers follow the
language: a decimal comma and "25 %" in Swedish, a point and "25%" in English.
"""

from __future__ import annotations

import csv
import io

from bot.errors import UserError
from bot.i18n import N_, Translator
from bot.presenters import retention
from bot.services.rapport import AkutReason, CarriedPoint, YearFigures
from bot.text import csv_cell, escape

LIST_LIMIT = 15
POINT_CHARS = 200
FORMATS = ("markdown", "csv")


def definitions(f: YearFigures, t: Translator) -> tuple[str, ...]:
    """How each figure is counted (printed under the report)."""
    return (
        t("Perioden är de senaste 12 månaderna till och med i dag, i parets tidszon."),
        t("Klara efter slutdatum: klarmarkerade ett senare datum än slutdatumet."),
        t("Öppna efter slutdatum: öppna i dag med slutdatum före i dag, oavsett när de gavs."),
        t("Median dagar till beslut: kalenderdagar från överlämning till beslut, för ärenden överlämnade under perioden."),
        t(
            "Skickade: meddelanden via Samspel som inte ångrades. Akuta räknas den dag de blev akuta "
            "(skickade som akut, eller hållna och sedan skickade som akut)."
        ),
        t("Helg/helgdag: lördag, söndag, helgdag samt midsommar-, jul- och nyårsafton. Vardagskväll: en arbetsdag utanför arbetstiden."),
        t("Agendapunkter: punkter som var öppna under perioden och låg kvar minst 21 dagar innan de stängdes (eller ännu är öppna)."),
        retention.note(f.retention_days, t),
    )


def when_label(when: str, t: Translator) -> str:
    """'helg'/'kväll' (as stored) for people."""
    if when == "helg":
        return t("helg/helgdag")
    if when == "kväll":
        return t("vardagskväll")
    return when


def _num(value: float | None, t: Translator) -> str:
    if value is None:
        return "–"
    if t.english:
        return f"{value:.1f}".removesuffix(".0")
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def _with_share(count: int, total: int, t: Translator) -> str:
    """'3 (25 %)': a count with its share of the messages sent, in whole per cent (Swedish style: a space before %)."""
    if not total:
        return str(count)
    share = round(100 * count / total)
    return f"{count} ({share}%)" if t.english else f"{count} ({share} %)"


def _rows(f: YearFigures, t: Translator) -> list[tuple[str, str, str]]:
    """(area, measure, value): the one list every format is made from."""
    uppdrag, arenden, meddelanden = t("Uppdrag"), t("Ärenden"), t("Meddelanden")
    return [
        (uppdrag, t("Givna"), str(f.uppdrag_given)),
        (uppdrag, t("Klara"), str(f.uppdrag_done)),
        (uppdrag, t("Klara efter slutdatum"), str(f.uppdrag_done_late)),
        (uppdrag, t("Öppna efter slutdatum (i dag)"), str(f.uppdrag_open_overdue)),
        (arenden, t("Överlämnade"), str(f.arenden_handed_over)),
        (arenden, t("Till KS"), str(f.arenden_to_ks)),
        (arenden, t("Åter för beredning"), str(f.arenden_back)),
        (arenden, t("Väntar på beslut"), str(f.arenden_waiting)),
        (arenden, t("Median dagar till beslut"), _num(f.median_days_to_decision, t)),
        (meddelanden, t("Skickade via Samspel"), str(f.messages_sent)),
        (meddelanden, t("Hållna enligt respektregeln"), str(f.messages_held)),
        (meddelanden, t("Akuta"), _with_share(f.messages_akut, f.messages_sent, t)),
        (meddelanden, t("Akuta på helg/helgdag"), _with_share(f.akut_weekend, f.messages_sent, t)),
        (meddelanden, t("Akuta på vardagskväll"), _with_share(f.akut_evening, f.messages_sent, t)),
        (t("Agenda"), t("Punkter som legat kvar 3 veckor eller mer"), str(len(f.carried_points))),
    ]


def _period(f: YearFigures) -> str:
    return f"{f.first_day.isoformat()} – {f.last_day.isoformat()}"


def _reason_line(r: AkutReason, safe: bool, t: Translator) -> str:
    reason = r.reason or t("(inget skäl angivet)")  # only rows written before the reason was required
    return t("{day} ({when}, från {role}): {reason}").format(
        day=r.day.isoformat(), when=when_label(r.when, t), role=r.role, reason=escape(reason) if safe else reason
    )


def _point_line(p: CarriedPoint, safe: bool, t: Translator) -> str:
    state = t("fortfarande öppen") if p.still_open else t("stängd")
    # In Slack a long point is cut (the CLI keeps the whole text).
    text = escape(p.text if len(p.text) <= POINT_CHARS else p.text[: POINT_CHARS - 1].rstrip() + "…") if safe else p.text
    return t("{text} (lagd {created}, {weeks} veckor, {state})").format(
        text=text, created=p.created.isoformat(), weeks=p.weeks, state=state
    )


def _lists(f: YearFigures, safe: bool, t: Translator) -> list[tuple[str, list[str]]]:
    out = []
    if f.akut_reasons:
        out.append((t("Skäl till akuta meddelanden utanför arbetstid"), [_reason_line(r, safe, t) for r in f.akut_reasons]))
    if f.carried_points:
        out.append((t("Agendapunkter som legat kvar 3 veckor eller mer"), [_point_line(p, safe, t) for p in f.carried_points]))
    return out


def markdown(f: YearFigures, t: Translator) -> str:
    lines = ["# " + t("Året i siffror ({period})").format(period=_period(f)), ""]
    area = None
    for a, measure, value in _rows(f, t):
        if a != area:
            if area is not None:
                lines.append("")
            lines.append(f"## {a}")
            area = a
        lines.append(f"- {measure}: {value}")
    for title, items in _lists(f, safe=False, t=t):
        lines += ["", f"### {title}"] + [f"- {item}" for item in items]
    lines += ["", "## " + t("Så räknas siffrorna")] + [f"- {line}" for line in definitions(f, t)]
    return "\n".join(lines) + "\n"


def csv_text(f: YearFigures, t: Translator) -> str:
    """The figures as CSV; every cell formula-safe, since akut reasons and agenda points are people's own text."""
    rows: list[list[str]] = [
        [t("område"), t("mått"), t("värde")],
        [t("Period"), t("Från"), f.first_day.isoformat()],
        [t("Period"), t("Till"), f.last_day.isoformat()],
    ]
    rows += [list(row) for row in _rows(f, t)]
    for r in f.akut_reasons:
        rows.append(
            [t("Akut skäl"), t("{day} {when} från {role}").format(day=r.day.isoformat(), when=when_label(r.when, t), role=r.role), r.reason]
        )
    for p in f.carried_points:
        rows.append([t("Agendapunkt kvar"), t("{created} ({weeks} veckor)").format(created=p.created.isoformat(), weeks=p.weeks), p.text])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([csv_cell(cell) for cell in row] for row in rows)
    return buf.getvalue()


def slack_text(f: YearFigures, t: Translator) -> str:
    """The figures as Slack mrkdwn, user text escaped."""
    lines = [t("*Året i siffror* ({period})").format(period=_period(f))]
    area = None
    for a, measure, value in _rows(f, t):
        if a != area:
            lines.append(f"\n*{a}*")
            area = a
        lines.append(f"• {measure}: {value}")
    for title, items in _lists(f, safe=True, t=t):
        shown = items[:LIST_LIMIT]
        lines.append(f"\n*{title}*")
        lines += [f"• {item}" for item in shown]
        if len(items) > len(shown):
            lines.append(t("• … och {more} till (se `python -m bot rapport`)").format(more=len(items) - len(shown)))
    lines.append(f"\n_{retention.note(f.retention_days, t)}_")
    return "\n".join(lines)


def render(f: YearFigures, fmt: str, t: Translator) -> str:
    """`python -m bot rapport`: Markdown (default) or CSV."""
    if fmt == "markdown":
        return markdown(f, t)
    if fmt == "csv":
        return csv_text(f, t)
    raise UserError(N_("Okänt format {fmt!r}: välj markdown eller csv."), fmt=fmt)
