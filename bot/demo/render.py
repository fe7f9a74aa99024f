"""The demo's transcript, as plain text and as one self-contained HTML page.

Block Kit is flattened into a few kinds of lines (header, text, context, buttons, divider,
input) and Slack's mrkdwn (`*bold*`, `_italic_`, `<@U…>`, `<#C…>`, links, `&lt;`) is made
legible: as words in the text version, as escaped HTML in the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.i18n import SOURCE_LANGUAGE, Translator, translator
from bot.outbox.fit import rich_text_mrkdwn
from bot.text import fmt_when

Names = Callable[[str], str]

EMOJI = {
    "warning": "⚠️",
    "white_check_mark": "✅",
    "calendar": "📅",
    "pause_button": "⏸️",
    "memo": "📝",
    "handshake": "🤝",
    "arrow_forward": "▶️",
    "leftwards_arrow_with_hook": "↩️",
    "hourglass_flowing_sand": "⏳",
    "grey_question": "❔",
    "rotating_light": "🚨",
    "wave": "👋",
}
_EMOJI = re.compile(r":([a-z0-9_+-]+):")
_TOKEN = re.compile(r"<([^<>\n]+)>")


@dataclass(frozen=True)
class Line:
    """One rendered line of a message: kind is header, text, context, buttons, divider or input."""

    kind: str
    text: str = ""
    mrkdwn: bool = True
    buttons: tuple[tuple[str, str | None], ...] = ()  # (label, style)


@dataclass(frozen=True)
class Seen:
    """What one person (or the pair channel) got at a step."""

    audience: str  # e.g. "Anna ser (bara hon)"
    where: str  # e.g. "DM från Samspel", "#ks-kd", "Hem-fliken"
    kind: str  # ephemeral | dm | post | update | home | modal | refused
    lines: tuple[Line, ...]


@dataclass
class Step:
    when: datetime
    actor: str
    action: str
    seen: list[Seen] = field(default_factory=list)


@dataclass
class Transcript:
    title: str
    intro: str
    steps: list[Step] = field(default_factory=list)
    # The language the transcript's own words (times, "välj") are in.
    t: Translator = field(default_factory=lambda: translator(SOURCE_LANGUAGE))


# --- Block Kit -> lines -------------------------------------------------------


def _text_of(obj: Any) -> tuple[str, bool]:
    if isinstance(obj, dict):
        return str(obj.get("text") or ""), obj.get("type") == "mrkdwn"
    return (str(obj), True) if obj else ("", True)


def _element(el: dict[str, Any], t: Translator) -> tuple[str, str | None] | None:
    """A button or another interactive element, as a label."""
    kind = el.get("type")
    if kind == "button":
        return _text_of(el.get("text"))[0], el.get("style")
    if kind in ("static_select", "users_select", "conversations_select", "channels_select", "multi_users_select"):
        return "▾ " + (_text_of(el.get("placeholder"))[0] or t("välj")), None
    if kind == "datepicker":
        return "📅 " + str(el.get("initial_date") or _text_of(el.get("placeholder"))[0] or t("datum")), None
    if kind == "overflow":
        return "⋯", None
    return None


def blocks_to_lines(blocks: list[dict[str, Any]] | None, t: Translator, fallback: str = "") -> tuple[Line, ...]:
    """The message as lines; a message without blocks is its text."""
    if not blocks:
        return (Line("text", fallback),) if fallback else ()
    lines: list[Line] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(Line("header", _text_of(block.get("text"))[0], mrkdwn=False))
        elif kind == "section":
            text, md = _text_of(block.get("text"))
            if text:
                lines.append(Line("text", text, mrkdwn=md))
            for f in block.get("fields") or []:
                lines.append(Line("text", *_text_of(f)))
            acc = block.get("accessory")
            if isinstance(acc, dict) and (button := _element(acc, t)):
                lines.append(Line("buttons", buttons=(button,)))
        elif kind == "context":
            parts = [_text_of(e)[0] for e in block.get("elements") or [] if isinstance(e, dict) and e.get("type") != "image"]
            lines.append(Line("context", " · ".join(p for p in parts if p)))
        elif kind == "actions":
            labels = tuple(lbl for e in block.get("elements") or [] if isinstance(e, dict) and (lbl := _element(e, t)))
            if labels:
                lines.append(Line("buttons", buttons=labels))
        elif kind == "divider":
            lines.append(Line("divider"))
        elif kind == "input":
            label = _text_of(block.get("label"))[0]
            element = block.get("element") or {}
            value = element.get("initial_value") or ""
            lines.append(Line("input", f"{label}: [{value}]" if value else f"{label}: [ ]", mrkdwn=False))
        elif kind == "rich_text":
            lines.append(Line("text", rich_text_mrkdwn(block, canvas=lambda file_id: f"[📄 canvas {file_id}]")))
        elif kind == "image":
            lines.append(Line("context", f"[{block.get('alt_text') or 'bild'}]", mrkdwn=False))
    return tuple(lines)


# --- mrkdwn -------------------------------------------------------------------


def _unescape(text: str) -> str:
    """Slack escapes only these three in message text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _token(inner: str, names: Names, channels: Names) -> tuple[str, str | None]:
    """A `<…>` token of Slack's as (words, link or None)."""
    target, _sep, label = inner.partition("|")
    if target.startswith("@"):
        return "@" + (label or names(target[1:])), None
    if target.startswith("#"):
        return "#" + (label or channels(target[1:])), None
    if target.startswith("!"):
        word = target[1:].split("^")[0]
        if word in ("here", "channel", "everyone"):
            return "@" + word, None
        return label or word, None
    if target.startswith(("http://", "https://", "mailto:")):
        return label or target, target
    return _unescape(inner), None


def _emoji(text: str) -> str:
    return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def mrkdwn_to_text(text: str, names: Names, channels: Names) -> str:
    """Readable plain text: mentions as @Namn, links as 'label (url)', entities decoded; *bold* stays as typed."""

    def sub(m: re.Match[str]) -> str:
        words, link = _token(m.group(1), names, channels)
        return f"{words} ({link})" if link and link != words else words

    return _unescape(_emoji(_TOKEN.sub(sub, text)))


_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
_CODE = re.compile(r"`([^`\n]+)`")


def mrkdwn_to_html(text: str, names: Names, channels: Names, *, mrkdwn: bool = True) -> str:
    """Escaped HTML: mentions and channels as chips, http(s) links as links, *bold*, _italic_, ~strike~, `code`, > quotes."""
    if not mrkdwn:
        return html.escape(_emoji(text)).replace("\n", "<br>")
    pieces: list[str] = []

    def hold(markup: str) -> str:
        pieces.append(markup)
        return f"\x00{len(pieces) - 1}\x00"

    def sub(m: re.Match[str]) -> str:
        words, link = _token(m.group(1), names, channels)
        if link:
            return hold(f'<a href="{html.escape(link, quote=True)}">{html.escape(words)}</a>')
        css = "mention" if words.startswith(("@", "#")) else "token"
        return hold(f'<span class="{css}">{html.escape(words)}</span>')

    text = _TOKEN.sub(sub, text.replace("\x00", ""))
    text = _CODE.sub(lambda m: hold(f"<code>{html.escape(_unescape(m.group(1)))}</code>"), text)
    out = html.escape(_unescape(_emoji(text)), quote=False)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _ITALIC.sub(r"<em>\1</em>", out)
    out = _STRIKE.sub(r"<del>\1</del>", out)
    lines = []
    for line in out.split("\n"):
        lines.append(f"<blockquote>{line[5:]}</blockquote>" if line.startswith("&gt; ") else line)
    out = "<br>".join(lines).replace("</blockquote><br>", "</blockquote>")
    # A held piece may hold another (a mention inside `code`): substitute until none is left.
    for _round in range(3):
        out = re.sub("\x00(\\d+)\x00", lambda m: pieces[int(m.group(1))], out)
    return out


# --- the transcript as text ---------------------------------------------------


def _time(when: datetime, t: Translator) -> str:
    return fmt_when(when, str(when.tzinfo), t)


def line_text(line: Line, names: Names, channels: Names) -> str:
    if line.kind == "divider":
        return "────────"
    if line.kind == "buttons":
        return " ".join(f"[{label}]" for label, _style in line.buttons)
    text = mrkdwn_to_text(line.text, names, channels) if line.mrkdwn else _emoji(line.text)
    if line.kind == "header":
        return f"▌{text}"
    if line.kind == "context":
        return f"({text})"
    return text


def to_text(transcript: Transcript, names: Names, channels: Names) -> str:
    out = [transcript.title, "=" * len(transcript.title), transcript.intro, ""]
    for step in transcript.steps:
        out.append(f"── {_time(step.when, transcript.t)} · {step.actor}: {mrkdwn_to_text(step.action, names, channels)}")
        for seen in step.seen:
            out.append(f"   ▸ {seen.audience} · {seen.where}")
            for line in seen.lines:
                for part in line_text(line, names, channels).split("\n"):
                    out.append(f"       {part}" if part else "")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- the transcript as HTML ---------------------------------------------------

_CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#f4f2f5;color:#1d1c1d;margin:0;
 line-height:1.45}
main{max-width:54rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}
.intro{color:#555}
.step{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:1.1rem 0;padding:1rem 1.2rem}
.when{font-size:.85rem;color:#616061;font-weight:600;text-transform:capitalize}
.act{font-size:1.05rem;margin:.2rem 0 .6rem}
.act b{color:#4a154b}
.seen{border-left:4px solid #ddd;margin:.6rem 0;padding:.4rem .8rem;background:#fafafa;border-radius:0 6px 6px 0}
.seen.ephemeral{border-color:#1264a3;background:#f2f8fd}
.seen.dm{border-color:#2eb67d}
.seen.post,.seen.update{border-color:#4a154b}
.seen.home{border-color:#ecb22e;background:#fffbf0}
.seen.modal{border-color:#616061}
.seen.refused{border-color:#e01e5a;background:#fdf0f4}
.who{font-size:.8rem;color:#616061;margin-bottom:.3rem}
.who b{color:#1d1c1d}
.hdr{font-weight:700;font-size:1.05rem;margin:.4rem 0 .2rem}
.ctx{font-size:.8rem;color:#616061}
.txt{margin:.15rem 0}
.btns{margin:.35rem 0}
.btn{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:.1rem .6rem;margin:0 .35rem .2rem 0;
 font-size:.85rem;font-weight:600;background:#fff}
.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.btn.danger{color:#e01e5a;border-color:#e01e5a}
.inp{font-size:.85rem;color:#444;border:1px dashed #bbb;padding:.2rem .4rem;margin:.2rem 0}
hr{border:0;border-top:1px solid #ddd;margin:.5rem 0}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
blockquote{border-left:3px solid #ccc;margin:.2rem 0;padding-left:.6rem;color:#444}
code{background:#f0f0f0;border-radius:3px;padding:0 3px;font-size:.9em}
a{color:#1264a3}
"""


def _line_html(line: Line, names: Names, channels: Names) -> str:
    if line.kind == "divider":
        return "<hr>"
    if line.kind == "buttons":
        spans = "".join(
            f'<span class="btn {html.escape(style or "")}">{html.escape(_emoji(label))}</span>' for label, style in line.buttons
        )
        return f'<div class="btns">{spans}</div>'
    body = mrkdwn_to_html(line.text, names, channels, mrkdwn=line.mrkdwn)
    css = {"header": "hdr", "context": "ctx", "input": "inp"}.get(line.kind, "txt")
    return f'<div class="{css}">{body}</div>'


def to_html(transcript: Transcript, names: Names, channels: Names, *, lang: str = "sv") -> str:
    esc = html.escape
    parts = [
        "<!doctype html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(transcript.title)}</title><style>{_CSS}</style></head><body><main>",
        f'<h1>{esc(transcript.title)}</h1><p class="intro">{esc(transcript.intro)}</p>',
    ]
    for step in transcript.steps:
        parts.append('<section class="step">')
        parts.append(f'<div class="when">{esc(_time(step.when, transcript.t))}</div>')
        parts.append(f'<div class="act"><b>{esc(step.actor)}</b>: {mrkdwn_to_html(step.action, names, channels)}</div>')
        for seen in step.seen:
            parts.append(f'<div class="seen {esc(seen.kind)}"><div class="who"><b>{esc(seen.audience)}</b> · {esc(seen.where)}</div>')
            parts.extend(_line_html(line, names, channels) for line in seen.lines)
            parts.append("</div>")
        parts.append("</section>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)
