"""Spelregler in Slack: one version as blocks or as the channel canvas's Markdown, the list of versions,
the edit form and the answers.

The section headings are stored as Swedish keys (bot/domain/spelregler.py); here they are shown
translated (`heading_label`). The texts are the pair's own document and are shown as written, with
a note in English while the Swedish template text is still in use.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.spelregler import SECTIONS, Version
from bot.errors import UserError
from bot.i18n import Translator
from bot.presenters.blocks import actions, button, context, header, input_block, modal, section, text_input
from bot.text import MAX_TEXT, canvas_text, escape, fmt_when
from handlers import ids

Block = dict[str, Any]


def heading_label(heading: str, t: Translator) -> str:
    """A section heading as shown to people; the stored key stays Swedish."""
    labels = dict(
        zip(
            SECTIONS,
            (
                t("Uppdraget – det gemensamma"),
                t("Fokus på de närmaste åren"),
                t("Ordförandes uppdrag och ansvar"),
                t("Chefens uppdrag och ansvar"),
                t("Möten och kontakter"),
                t("Vårt samarbete"),
                t("Tillgänglighet för varandra och vårt förhållningssätt"),
                t("Utvecklingssamtal"),
            ),
            strict=True,
        )
    )
    return labels.get(heading, heading)


def author_label(version: Version, t: Translator) -> str:
    if version.by_samspel:
        return t("Samspel (mall från Örebros spelregler)")
    return f"<@{version.author}>"


def byline(version: Version, timezone: str, t: Translator) -> str:
    return t("Version {version}, sparad {when} av {author}").format(
        version=version.number, when=fmt_when(version.created_at, timezone, t), author=author_label(version, t)
    )


def template_note(version: Version, t: Translator) -> str | None:
    """In English: say that the text is the pair's own (Swedish) document while the template is still in it."""
    if not t.english or not version.uses_template:
        return None
    return t(
        "Rubrikerna är översatta, men texten är ert eget dokument och visas som den skrevs. Mallens text "
        "kommer från Örebros spelregler och är på svenska: ersätt den med era egna ord med "
        "`/spelregler uppdatera`."
    )


def split_text(text: str, size: int) -> list[str]:
    """Split at line breaks where possible, never above `size` characters."""
    chunks: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut <= 0:
            cut = size
        chunks.append(text[:cut])
        text = text[cut:].lstrip("\n")
    chunks.append(text)
    return chunks


def blocks(version: Version, timezone: str, t: Translator, *, title: str | None = None) -> list[Block]:
    """Block Kit for one version; user text escaped, long sections split to fit Slack's limits."""
    out: list[Block] = [
        header(title or t("Våra spelregler")),
        context(byline(version, timezone, t)),
    ]
    note = template_note(version, t)
    if note:
        out.append(context(note))
    for heading in SECTIONS:
        body = escape(version.text(heading)) or "_" + t("(tomt)") + "_"
        chunks = split_text(f"*{heading_label(heading, t)}*\n{body}", 2900)
        out.extend(section(chunk) for chunk in chunks)
    return out


# --- the pair channel's canvas (Markdown, conversations.canvases.create / canvases.edit) ---------------


def _canvas_author(version: Version, t: Translator) -> str:
    """The author as a canvas shows a person: `![](@U…)` is a user mention in canvas Markdown."""
    if version.by_samspel:
        return t("Samspel (mall från Örebros spelregler)")
    return f"![](@{version.author})"


def canvas_markdown(version: Version, timezone: str, t: Translator) -> str:
    """One version as the channel canvas: a title, the version/author/date line, one heading per section.

    The texts are the pair's own and go in as typed (a canvas reads Markdown), except that no link
    hides its address and nothing in them pings (`canvas_text`)."""
    lines = [
        f"# {t('Våra spelregler')}",
        "",
        "_"
        + t("Version {version}, sparad {when} ({day}) av {author}").format(
            version=version.number,
            when=fmt_when(version.created_at, timezone, t),
            day=version.created_at.astimezone(ZoneInfo(timezone)).date().isoformat(),
            author=_canvas_author(version, t),
        )
        + "_",
        "",
    ]
    note = template_note(version, t)
    if note:
        lines += [f"> {note}", ""]
    for heading in SECTIONS:
        lines += [f"## {heading_label(heading, t)}", "", canvas_text(version.text(heading).strip()) or "_" + t("(tomt)") + "_", ""]
    lines += [
        "---",
        "",
        t(
            "Samspel skriver den här canvasen när ni sparar en ny version; alla versioner finns kvar "
            "i Samspel (`/spelregler versioner`). Ändra med `/spelregler uppdatera`: det som skrivs "
            "direkt här ersätts vid nästa version."
        ),
    ]
    return "\n".join(lines)


def canvas_link(canvas_id: str, lead: str) -> Block:
    """`lead`, then a link to the canvas, as a rich_text block.

    Slack documents no canvas URL to build. It does document the rich text `canvas` element, which "renders as a
    link to a canvas" in messages, modals and Home tabs (docs.slack.dev/reference/block-kit/block-elements/canvas-element):
    Slack shows it with the canvas's title, in each reader's own client, and it needs no scope to look the canvas up.
    """
    return {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": f"{lead} "}, {"type": "canvas", "file_id": canvas_id}]}
        ],
    }


def shown(version: Version, timezone: str, pair_id: int, t: Translator, *, numbered: bool) -> tuple[str, list[Block]]:
    """`/spelregler` or `/spelregler version N`: the text and blocks of the answer, with the Uppdatera button."""
    title = t("Spelregler, version {version}").format(version=version.number) if numbered else t("Våra spelregler")
    out = blocks(version, timezone, t, title=title)
    out.append(actions(button(t("Uppdatera"), ids.SPELREGLER_OPEN, str(pair_id))))
    return f"{title}: {byline(version, timezone, t)}", out


def versions_text(rows: list[Version], timezone: str, t: Translator) -> str:
    lines = [t("*Spelreglernas versioner* (nyast först)")]
    for row in rows:
        lines.append(
            t("• Version {version}: {when}, {author}").format(
                version=row.number, when=fmt_when(row.created_at, timezone, t), author=author_label(row, t)
            )
        )
    lines.append(t("Visa en äldre version med `/spelregler version <nr>`."))
    return "\n".join(lines)


def saved_post(user: str, number: int, t: Translator) -> str:
    """The note in the pair channel that a new version was saved."""
    return t(
        ":memo: <@{user}> sparade version {version} av era spelregler. "
        "Visa dem med `/spelregler`, tidigare versioner med `/spelregler versioner`."
    ).format(user=user, version=number)


def talk_recorded(next_talk: str, pair_id: int, t: Translator) -> tuple[str, list[Block]]:
    """The answer to `/spelregler genomfört`; `next_talk` is the date as words."""
    text = t(
        "Utvecklingssamtalet är registrerat som genomfört. Nästa utvecklingssamtal: {next} (ändra med "
        "`/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`).\n"
        "Nu är det dags att spara de spelregler ni kom fram till."
    ).format(next=next_talk)
    return text, [
        section(text),
        actions(button(t("Uppdatera spelreglerna"), ids.SPELREGLER_OPEN, str(pair_id), style="primary")),
    ]


def need_number(t: Translator) -> str:
    return t("Ange versionens nummer: `/spelregler version 2`. Se `/spelregler versioner`.")


def unknown_verb(verb: str, t: Translator) -> str:
    return t("Okänt kommando `{verb}`.").format(verb=verb)


def modal_failed(t: Translator) -> str:
    return t("Formuläret gick inte att öppna just nu. Försök igen om en stund.")


def error_text(err: UserError, t: Translator) -> str:
    """A refused save in the person's language; a too-long section names its heading as they see it."""
    heading = getattr(err, "heading", None)
    if heading is not None:
        return t(err.text).format(**{**err.fields, "heading": heading_label(heading, t)})
    return err.render(t)


def modal_view(version: Version, form: ids.SpelreglerForm, t: Translator) -> Block:
    """The edit form: one multiline field per section, prefilled with the current text."""
    inputs: list[Block] = [
        context(
            t(
                "Du utgår från version {version}. När du sparar blir det version {next}, "
                "med dig som författare; de äldre versionerna finns kvar."
            ).format(version=version.number, next=version.number + 1)
        ),
    ]
    note = template_note(version, t)
    if note:
        inputs.append(context(note))
    for index, heading in enumerate(SECTIONS):
        element = text_input(ids.SPELREGLER_FIELD, max_length=MAX_TEXT, multiline=True, initial=version.text(heading))
        inputs.append(input_block(ids.spelregler_block(index), heading_label(heading, t), element, optional=True))
    return modal(
        t("Spelregler"),
        inputs,
        close=t("Avbryt"),
        submit=t("Spara ny version"),
        callback_id=ids.SPELREGLER_MODAL,
        metadata=form.encode(),
    )


def texts_from_state(values: dict[str, dict[str, Any]]) -> dict[str, str]:
    """heading → text from the form's view_submission state.values (the inverse of `modal_view`)."""
    out: dict[str, str] = {}
    for index, heading in enumerate(SECTIONS):
        field = (values.get(ids.spelregler_block(index)) or {}).get(ids.SPELREGLER_FIELD) or {}
        out[heading] = field.get("value") or ""
    return out
