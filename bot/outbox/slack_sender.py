"""The Slack side of delivery: typed send jobs, one Web API call each, and errors sorted into a SendError.

No database here. Each post carries its outbox id in message metadata, so a send whose
outcome is unknown (a lost reply, a process that died mid-send) is looked up in
`conversations.history` before it is posted again. The window of that lookup is the
attempt's time on Slack's clock (`attempt_ts`), not the bot's, and it is bounded.
A file (files.uploadV2) carries no metadata; an uncertain one is looked for in the DM's
history by its name and title instead (see `SlackSender._file` for what that cannot see).
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.outbox import fit
from bot.outbox.policy import ErrorKind, SendError

log = logging.getLogger(__name__)

METADATA_EVENT = "samspel_outbox"
# Errors Slack answers with HTTP 200 that are worth another try.
TRANSIENT_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"})
# Slack's answers to a payload over its size limits: the message is resent as plain text.
TOO_LARGE_ERRORS = frozenset({"msg_blocks_too_long", "invalid_blocks", "msg_too_long", "invalid_blocks_format"})
# A workspace without channel canvases (free plans, an admin's policy): not a fault, the blocks stay the record.
CANVAS_UNAVAILABLE = frozenset(
    {
        "team_tier_cannot_create_channel_canvases",
        "canvas_disabled_user_team",
        "free_team_canvas_tab_already_exists",
        "restricted_action",
        "not_allowed_token_type",
    }
)
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, socket.timeout, ConnectionError, TimeoutError)
POSTING_KINDS = ("post", "dm")
# Sends that may have reached Slack although the reply was lost, and are looked for before they are repeated.
CHECKED_KINDS = (*POSTING_KINDS, "file")


@dataclass(frozen=True)
class SendJob:
    """A detached copy of an outbox row: no session is held open during network calls."""

    id: int
    kind: str  # post | dm | ephemeral | update | home | canvas | file
    lane: str
    channel: str | None
    user: str | None
    text: str
    blocks: list[Any] | None
    ts: str | None  # the message an update changes
    uncertain: bool
    attempt_ts: str | None  # Slack's clock when the attempt whose outcome is unknown began
    created_at: datetime
    attempts: int = 0  # failed attempts before this one
    team_id: str | None = None  # the workspace it goes to (migration 0012)
    enterprise_id: str | None = None
    pair_id: int | None = None  # for log lines (SAMSPEL_LOG_FORMAT=json)
    # That workspace's Web API client (Hooks.client_for); None: the sender's own client.
    client: WebClient | None = field(default=None, compare=False, repr=False)

    @property
    def posts(self) -> bool:
        """Whether this goes through chat.postMessage (paced per channel, checked in history)."""
        return self.kind in POSTING_KINDS

    @property
    def checked(self) -> bool:
        """Whether a lost reply leaves the send uncertain: looked for in Slack before it is made again."""
        return self.kind in CHECKED_KINDS

    def as_plain_text(self) -> SendJob:
        """The same message without blocks: the fallback when Slack refuses the payload's size."""
        return replace(self, blocks=None, text=fit.blocks_to_text(self.blocks, self.text))


@dataclass(frozen=True)
class SendResult:
    channel: str | None
    ts: str | None
    posts: int = 0  # chat.postMessage calls Slack accepted: what the lane's pace counts


def slack_ts(at: float) -> str:
    return f"{at:.6f}"


class SlackSender:
    """Sends one SendJob; raises SendError. Learns how far Slack's clock is from ours from each post."""

    def __init__(
        self,
        client: WebClient,
        *,
        history_window: timedelta = timedelta(minutes=10),
        history_pages: int = 5,
        part_chars: int = fit.PART_CHARS,
        local_time: Callable[[], float] = time.time,
        part_interval: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        # A message in several parts keeps its channel's pace: one part per `part_interval` seconds.
        self.part_interval = part_interval
        self.sleep = sleep
        self.history_window = history_window
        self.history_pages = history_pages
        self.part_chars = part_chars
        self._local_time = local_time
        self._skew: float | None = None  # Slack's ts minus our clock, from the latest post
        self._dm_channels: dict[tuple[str | None, str], str] = {}  # (workspace, user) -> DM channel
        self._lock = threading.Lock()

    def slack_now(self, local: float | None = None) -> str:
        """Our best guess of Slack's clock now, as a ts: our time corrected by the last skew seen."""
        now = self._local_time() if local is None else local
        return slack_ts(now + (self._skew or 0.0))

    def send(self, job: SendJob) -> SendResult:
        try:
            return self._dispatch(job)
        except SlackApiError as err:
            error = classify(err, uncertain=job.checked and _server_error(err))
            if error.kind is ErrorKind.TOO_LARGE and not job.blocks:
                # Already plain text in parts under Slack's limit: nothing smaller to fall back to.
                error = SendError(ErrorKind.PERMANENT, error.detail, uncertain=error.uncertain)
            raise error from err
        except NETWORK_ERRORS as err:
            # A connection lost during chat.postMessage (or a file's upload) may still have posted.
            raise SendError(ErrorKind.TRANSIENT, f"{type(err).__name__}: {err}", uncertain=job.checked) from err

    def _dispatch(self, job: SendJob) -> SendResult:
        c = self._client(job)
        if job.kind == "home":
            c.views_publish(user_id=_need(job.user, "user"), view={"type": "home", "blocks": job.blocks or []})
            return SendResult(None, None)
        if job.kind == "ephemeral":
            for part in self._parts(job):
                c.chat_postEphemeral(channel=_need(job.channel, "channel"), user=_need(job.user, "user"), text=part, blocks=job.blocks)
            return SendResult(job.channel, None)
        if job.kind == "canvas":
            return self._canvas(job, c)
        if job.kind == "file":
            return self._file(job, c)
        if job.kind == "update":
            if job.ts is None:
                raise SendError(ErrorKind.NOT_READY, "the message to update is not sent yet")
            text = job.text if job.blocks else self._parts(job)[0]
            c.chat_update(channel=_need(job.channel, "channel"), ts=job.ts, text=text, blocks=job.blocks or [])
            return SendResult(job.channel, job.ts)
        return self._post(job)

    def _canvas(self, job: SendJob, c: WebClient) -> SendResult:
        """The channel canvas gets `job.text` (Markdown) as its whole content: edited if it exists, else created.

        Slack keeps one canvas per channel and says in conversations.info whether there is one,
        so a retry after a lost reply edits what the first attempt created instead of failing.
        """
        channel = _need(job.channel, "channel")
        content = {"type": "markdown", "markdown": job.text}
        info = c.conversations_info(channel=channel).get("channel") or {}
        canvas_id = ((info.get("properties") or {}).get("canvas") or {}).get("file_id")
        if canvas_id:
            c.canvases_edit(canvas_id=canvas_id, changes=[{"operation": "replace", "document_content": content}])
        else:
            canvas_id = c.conversations_canvases_create(channel_id=channel, document_content=content)["canvas_id"]
        return SendResult(channel, str(canvas_id))

    def _file(self, job: SendJob, c: WebClient) -> SendResult:
        """A small text file (the calendar) in the person's DM: `job.text` is its content, its one block the upload's
        name, title and comment (bot/services/ics.py `send_file`).

        files.uploadV2 is three calls (an upload URL, the bytes, the share), and the share carries no
        metadata. So a retry whose earlier attempt may have shared the file (a lost reply, or a process
        that died before recording the send) first looks in the DM's history, around the attempt's
        time, for a message of ours with a file of that name and title, and uploads only if there is
        none. A retry after a recorded success never happens: the row is sent. The limit: Slack may
        show a share in the history a little later than it answered, so a share that does not show
        yet is not seen, and the person may then get the file twice.
        """
        meta = _file_meta(job)
        channel = job.channel or self._open_dm(job)
        found = self.find_file(job, channel, meta["filename"], meta["title"]) if job.uncertain else None
        if found is not None:
            log.info("outbox %s: the file is already in the DM (%s); not uploading again", job.id, found)
            return SendResult(channel, found)
        resp = c.files_upload_v2(
            channel=channel,
            content=job.text.encode("utf-8"),
            filename=meta["filename"],
            title=meta["title"],
            initial_comment=meta["initial_comment"] or None,
        )
        shared = resp.get("files") or []
        return SendResult(channel, str(shared[0].get("id")) if shared and shared[0].get("id") else None)

    def _parts(self, job: SendJob) -> list[str]:
        if job.blocks or len(job.text) <= fit.MAX_TEXT_CHARS:
            return [job.text]
        return fit.split_text(job.text, self.part_chars)

    def _post(self, job: SendJob) -> SendResult:
        channel = job.channel or self._open_dm(job)
        parts = self._parts(job)
        first: str | None = None
        posts = 0
        for number, text in enumerate(parts):
            found = self.find_sent(job, channel, number) if job.uncertain else None
            if found is not None:
                log.info("outbox %s part %s was already posted (ts %s); not posting again", job.id, number, found)
            else:
                if posts:
                    self.sleep(self.part_interval)
                try:
                    found = self._post_part(job, channel, text, number)
                    posts += 1
                except (SlackApiError, *NETWORK_ERRORS) as err:
                    if number == 0:
                        raise
                    # An earlier part is in Slack: the next attempt must look before it posts anything again.
                    raise _as_send_error(err, uncertain=True) from err
            first = first or found
        return SendResult(channel, first, posts)

    def _post_part(self, job: SendJob, channel: str, text: str, number: int) -> str:
        payload: dict[str, Any] = {"outbox_id": job.id}
        if number:
            payload["part"] = number
        resp = self._client(job).chat_postMessage(
            channel=channel,
            text=text,
            blocks=job.blocks,
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": payload},
        )
        ts = str(resp["ts"])
        self._learn_skew(ts)
        return ts

    def _learn_skew(self, ts: str) -> None:
        try:
            skew = float(ts) - self._local_time()
        except ValueError:
            return
        with self._lock:
            self._skew = skew

    def _client(self, job: SendJob) -> WebClient:
        """The job's workspace's client (multi-workspace), else the one client."""
        return job.client if job.client is not None else self.client

    def _open_dm(self, job: SendJob) -> str:
        user = job.user
        if user is None:
            raise SendError(ErrorKind.PERMANENT, "a DM without a user")
        key = (job.team_id, user)
        with self._lock:
            known = self._dm_channels.get(key)
        if known:
            return known
        channel = str(self._client(job).conversations_open(users=user)["channel"]["id"])
        with self._lock:
            self._dm_channels[key] = channel
        return channel

    def find_sent(self, job: SendJob, channel: str, part: int = 0) -> str | None:
        """The ts of this job's post (or part) if Slack has it, looked up around the attempt's time."""
        found = self._find_in_history(job, channel, lambda message: _is_part(message, job.id, part))
        return str(found.get("ts")) if found is not None else None

    def find_file(self, job: SendJob, channel: str, filename: str, title: str) -> str | None:
        """The id of a file of ours with this name and title in `channel` around the attempt's time, if any."""
        found = self._find_in_history(job, channel, lambda message: _file_in(message, filename, title) is not None)
        return _file_in(found, filename, title) if found is not None else None

    def _find_in_history(self, job: SendJob, channel: str, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        """The first message in `channel` near the attempt's time (on Slack's clock) that is `wanted`."""
        around = float(job.attempt_ts) if job.attempt_ts else float(self.slack_now())
        window = self.history_window.total_seconds()
        cursor: str | None = None
        for _page in range(self.history_pages):
            resp = self._client(job).conversations_history(
                channel=channel,
                oldest=slack_ts(around - window),
                latest=slack_ts(around + window),
                inclusive=True,
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            messages: list[dict[str, Any]] = resp.get("messages") or []
            for message in messages:
                if wanted(message):
                    return message
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        log.warning("outbox %s: no trace in %s pages of history around ts %s; posting again", job.id, self.history_pages, slack_ts(around))
        return None


def _file_meta(job: SendJob) -> dict[str, str]:
    """The upload's filename, title and initial_comment, kept as the row's one block."""
    block = (job.blocks or [{}])[0] if job.blocks else {}
    if not isinstance(block, dict) or not block.get("filename"):
        raise SendError(ErrorKind.PERMANENT, "a file without a name")
    return {
        "filename": str(block["filename"]),
        "title": str(block.get("title") or block["filename"]),
        "initial_comment": str(block.get("initial_comment") or ""),
    }


def _file_in(message: dict[str, Any], filename: str, title: str) -> str | None:
    """The id of the file with this name and title that `message` carries, if it does."""
    for item in message.get("files") or []:
        if isinstance(item, dict) and item.get("name") == filename and item.get("title") == title:
            return str(item.get("id") or message.get("ts"))
    return None


def _need(value: str | None, what: str) -> str:
    if not value:
        raise SendError(ErrorKind.PERMANENT, f"no {what} to send to")
    return value


def _is_part(message: dict[str, Any], outbox_id: int, part: int) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return bool(meta.get("event_type") == METADATA_EVENT and payload.get("outbox_id") == outbox_id and payload.get("part", 0) == part)


def _server_error(err: SlackApiError) -> bool:
    return bool(err.response.status_code >= 500)


def _as_send_error(err: BaseException, *, uncertain: bool) -> SendError:
    if isinstance(err, SlackApiError):
        return classify(err, uncertain=uncertain)
    return SendError(ErrorKind.TRANSIENT, f"{type(err).__name__}: {err}", uncertain=uncertain)


def classify(err: SlackApiError, *, uncertain: bool = False) -> SendError:
    """Sort Slack's answer into what the policy needs to know."""
    status = err.response.status_code
    code = err.response.get("error") if isinstance(err.response.data, dict) else None
    if status == 429 or code == "ratelimited":
        # chat.postMessage is limited per channel; every other method per workspace.
        method = str(getattr(err.response, "api_url", "")).rstrip("/").rsplit("/", 1)[-1]
        return SendError(
            ErrorKind.RATE_LIMITED,
            f"429 ratelimited ({method})",
            uncertain=uncertain,
            retry_after=timedelta(seconds=retry_after(err)),
            workspace=method != "chat.postMessage",
        )
    if status >= 500 or code in TRANSIENT_ERRORS:
        return SendError(ErrorKind.TRANSIENT, f"HTTP {status} {code or ''}".strip(), uncertain=uncertain)
    if code in TOO_LARGE_ERRORS:
        return SendError(ErrorKind.TOO_LARGE, str(code), uncertain=uncertain)
    if code in CANVAS_UNAVAILABLE:
        return SendError(ErrorKind.UNAVAILABLE, str(code))
    return SendError(ErrorKind.PERMANENT, f"Slack svarade {code or status}", uncertain=uncertain)


def retry_after(err: SlackApiError) -> int:
    headers = {k.lower(): v for k, v in (err.response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(1, int(str(value)))
    except (TypeError, ValueError):
        return 30
