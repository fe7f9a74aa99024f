"""The retry decision is a pure function of (error, attempts, now)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox.policy import DeliveryPolicy, ErrorKind, RetryDecision, SendError
from bot.outbox.store import Pace

NOW = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
POLICY = DeliveryPolicy()


def test_a_rate_limit_waits_retry_after_pauses_the_lane_and_is_not_an_attempt() -> None:
    error = SendError(ErrorKind.RATE_LIMITED, "429", retry_after=timedelta(seconds=7))
    assert POLICY.decide(error, 1, NOW) == RetryDecision(NOW + timedelta(seconds=7), count=False, pause=True)
    # However often Slack says 429, the message is not given up on.
    assert POLICY.decide(error, 10_000, NOW) is not None


def test_transient_errors_back_off_doubling_up_to_the_cap_then_give_up() -> None:
    error = SendError(ErrorKind.TRANSIENT, "HTTP 500")
    waits = [POLICY.decide(error, n, NOW).at - NOW for n in range(1, 6)]  # type: ignore[union-attr]
    assert waits == [timedelta(seconds=s) for s in (2, 4, 8, 16, 32)]
    assert POLICY.decide(error, 12, NOW).at - NOW == POLICY.max_backoff  # type: ignore[union-attr]
    assert POLICY.decide(error, POLICY.max_attempts, NOW) is None


@pytest.mark.parametrize("kind", [ErrorKind.PERMANENT])
def test_permanent_errors_fail_at_once(kind: ErrorKind) -> None:
    assert POLICY.decide(SendError(kind, "channel_not_found"), 1, NOW) is None


def test_a_payload_slack_refuses_as_too_large_goes_again_at_once_as_plain_text() -> None:
    decision = POLICY.decide(SendError(ErrorKind.TOO_LARGE, "msg_blocks_too_long"), 1, NOW)
    assert decision == RetryDecision(NOW, plain_text=True)


def test_our_own_exception_counts_like_a_transient_error() -> None:
    error = SendError(ErrorKind.INTERNAL, "ZeroDivisionError")
    assert POLICY.decide(error, 1, NOW) == RetryDecision(NOW + timedelta(seconds=2))
    assert POLICY.decide(error, POLICY.max_attempts, NOW) is None


def test_an_update_of_a_message_not_yet_sent_waits_without_counting() -> None:
    decision = POLICY.decide(SendError(ErrorKind.NOT_READY, "no ts"), 3, NOW)
    assert decision is not None and not decision.count


def test_the_lane_pace_is_a_token_bucket_of_three_at_one_a_second() -> None:
    pace = Pace(rate=1.0, burst=3)
    tokens, ready = pace.after(None, None, 1, NOW)
    assert (tokens, ready) == (2.0, NOW)
    tokens, ready = pace.after(NOW, tokens, 1, NOW)
    tokens, ready = pace.after(NOW, tokens, 1, NOW)
    assert (tokens, ready) == (0.0, NOW + timedelta(seconds=1))
    # Half a second later a fourth post would be early; a second later it is on time, and the next waits again.
    tokens, ready = pace.after(NOW, tokens, 1, NOW + timedelta(seconds=1))
    assert (tokens, ready) == (0.0, NOW + timedelta(seconds=2))
    # A quiet lane fills up again, to three at most.
    tokens, ready = pace.after(NOW, 0.0, 1, NOW + timedelta(minutes=5))
    assert (tokens, ready) == (2.0, NOW + timedelta(minutes=5))
