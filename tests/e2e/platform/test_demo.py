"""`python -m bot demo`: the real bot against the built-in Slack stand-in, as a newcomer runs it."""

from __future__ import annotations

import html
import io
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import cli
from bot.demo.render import blocks_to_lines, mrkdwn_to_html, mrkdwn_to_text
from bot.demo.slack_standin import SlackStandin
from bot.domain.agenda import SECTION_KEYS
from bot.i18n import translator
from bot.presenters.agenda import section_heading
from bot.presenters.respekt import akut_label
from bot.presenters.spelregler import canvas_link
from tests.support.english import swedish_left
from tests.support.paths import ROOT

HEADINGS = [section_heading(key, translator("sv")) for key in SECTION_KEYS]


def _steps(transcript: str) -> list[str]:
    return transcript.split("\n── ")[1:]


def test_demo_runs_offline_without_settings_and_leaves_only_the_page(tmp_path: Path) -> None:
    cwd, tmpdir = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmpdir.mkdir()
    # A .env here would be read by the real bot; the demo must not need (or read) one.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SAMSPEL_")) and k not in ("DATABASE_URL", "PORT")}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmpdir))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--html", "demo.html"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    for heading in HEADINGS:
        assert heading in out, heading
    steps = _steps(out)
    # Friday evening: the sender is told when it arrives; it arrives then, in Bo's DM.
    sent = next(s for s in steps if s.startswith("fredag 20 nov. kl. 18:30"))
    assert "till måndag 23 nov. kl. 08:00" in sent
    delivered = next(s for s in steps if "skrivet fredag 20 nov. kl. 18:30" in s)
    assert delivered.startswith("måndag 23 nov. kl. 08:00") and "Bo får ett DM" in delivered
    saturday = next(s for s in steps if s.startswith("lördag 21 nov.") and "/meddela akut" in s)
    assert f"{akut_label(translator())} · meddelande från @Bo" in saturday and "Anna får ett DM" in saturday
    agenda = next(s for s in steps if "Agenda för KSO och KD måndag 23 nov." in s)
    assert agenda.startswith("måndag 23 nov. kl. 08:00") and "[Till KS] [Åter för beredning]" in agenda
    assert any("Utvecklingssamtalet är om fyra veckor" in s for s in steps)
    assert any(s.startswith("tisdag 17 nov. kl. 09:10") and "Bo (KD): klickar [Godkänn]" in s for s in steps)
    assert "xoxb-" not in out + result.stderr  # the demo's token is never shown

    page = (cwd / "demo.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert html.escape("Agenda för KSO och KD måndag 23 nov. (vecka 48)") in page
    assert html.escape(HEADINGS[-1]) in page
    assert "/agenda + &lt;typ&gt; &lt;text&gt;" in page  # Slack's &lt; is shown as <, escaped once for HTML
    assert "<script" not in page and " src=" not in page and "<link" not in page  # self-contained
    assert sorted(p.name for p in cwd.iterdir()) == ["demo.html"]
    assert list(tmpdir.iterdir()) == []


def test_the_english_demo_is_english_throughout_and_clicks_the_buttons_it_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [k for k in os.environ if k.startswith(("SLACK_", "SAMSPEL_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SAMSPEL_LANGUAGE", "en")
    page_path = tmp_path / "demo.html"
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["demo", "--html", str(page_path)], out=out, err=err) == 0, err.getvalue()
    text = out.getvalue()
    # What Anna and Bo type keeps its command words (senast fredag, klart 1); everything Samspel shows is English.
    typed = re.findall(r"types in #ks-kd: (.*)", text)
    assert len(typed) > 10
    assert swedish_left(text, *typed) == []
    page = page_path.read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    # A <code> span is a command (Slack's `…`), kept Swedish on purpose; the rest of the page is read as text.
    words = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<code>.*?</code>", " ", page)))
    assert swedish_left(words, *typed) == []

    en = translator("en")
    steps = _steps(text)
    clicks = [(i, label) for i, s in enumerate(steps) for label in re.findall(r"clicks \[([^\]]+)\]", s.splitlines()[0])]
    assert [label for _i, label in clicks] == [en("Godkänn"), en("Till KS")]
    for i, label in clicks:
        # The button clicked is one the person was shown, with that very label.
        shown = [line for s in steps[:i] for line in s.splitlines() if line.strip().startswith("[")]
        assert any(f"[{label}]" in line for line in shown), label


def test_demo_talks_only_to_127_0_0_1(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> None:
        seen.append(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] != "127.0.0.1":
            raise AssertionError(f"the demo tried to reach {address}")
        connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for name in [k for k in os.environ if k.startswith(("SLACK_", "SAMSPEL_"))]:
        monkeypatch.delenv(name)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["demo"], out=out, err=err) == 0, err.getvalue()
    assert seen and all(a[0] == "127.0.0.1" for a in seen if isinstance(a, tuple))
    assert "Agenda för KSO och KD" in out.getvalue()


@pytest.fixture
def standin() -> Any:
    with SlackStandin(token="xoxb-t") as slack:
        slack.add_person("UA", "a", "A A")
        slack.add_channel("GX", "x", "UA")
        yield slack


def _section(n: int) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": "x" * n}}


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
@pytest.mark.parametrize(
    ("blocks", "text", "error"),
    [
        ([_section(10)] * 51, "t", "invalid_blocks"),
        ([_section(3001)], "t", "invalid_blocks"),
        ([_section(2900)] * 5, "t", "msg_blocks_too_long"),
        (None, "x" * 40_001, "msg_too_long"),
        (None, "", "no_text"),
    ],
)
def test_the_standin_refuses_what_slack_refuses(standin: SlackStandin, blocks: Any, text: str, error: str) -> None:
    client = WebClient(token="xoxb-t", base_url=standin.url, retry_handlers=[])
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="GX", text=text, blocks=blocks)
    assert refused.value.response["error"] == error
    assert client.chat_postMessage(channel="GX", text="t", blocks=[_section(3000)] * 4)["ok"]
    assert client.chat_postMessage(channel="UA", text="hej")["channel"] == "DA"  # a user id posts to the app's DM
    with pytest.raises(SlackApiError) as bad_token:
        WebClient(token="xoxb-other", base_url=standin.url).auth_test()
    assert bad_token.value.response["error"] == "invalid_auth"


def test_mrkdwn_is_rendered_legibly_and_escaped() -> None:
    names = {"UA": "Anna"}.get
    text = "*Ärende #1* från <@UA> i <#GX|ks-kd>: _&lt;script&gt;_ &amp; <https://example.se/a_b_c|länk> `<@UA>`"
    assert mrkdwn_to_text(text, lambda u: names(u) or u, lambda c: c) == (
        "*Ärende #1* från @Anna i #ks-kd: _<script>_ & länk (https://example.se/a_b_c) `@Anna`"
    )
    page = mrkdwn_to_html(text, lambda u: names(u) or u, lambda c: c)
    assert page == (
        '<strong>Ärende #1</strong> från <span class="mention">@Anna</span> i <span class="mention">#ks-kd</span>: '
        '<em>&lt;script&gt;</em> &amp; <a href="https://example.se/a_b_c">länk</a> '
        '<code><span class="mention">@Anna</span></code>'
    )


def test_a_canvas_link_is_shown_in_the_demo_not_left_out() -> None:
    (line,) = blocks_to_lines([canvas_link("F0CANVAS1", "Läs dem i kanalens canvas:")], translator("sv"))
    assert line.text == "Läs dem i kanalens canvas: [📄 canvas F0CANVAS1]"
