"""Bolt listener middleware: the request's unit of work, and for a command the pair member who typed it.

    app.command("/uppdrag", middleware=[with_member()])(uppdrag_command)   # listener gets `uow` and `member`
    app.action(ids.UPPDRAG_SVARA, middleware=[with_uow])(svara_clicked)      # listener gets `uow`

Bolt hands context values to listeners as arguments of the same name. The unit is begun at its first use
and ended by `handlers.unit.finish` after the listener (see there why not around `next()`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, BoltResponse

from bot.errors import UserError
from bot.services import pairs
from handlers.common import CommandInput, deps_of, translator_of
from handlers.unit import MEMBER, UOW, RequestUnit

Middleware = Callable[..., BoltResponse | None]


def _begin(context: BoltContext) -> RequestUnit:
    unit = RequestUnit(deps_of(context).uow)
    context[UOW] = unit
    return unit


def with_uow(context: BoltContext, next: Callable[[], None]) -> None:
    """The listener's `uow`: its request's unit of work, begun when the listener first touches the database."""
    _begin(context)
    next()


def _always(_cmd: CommandInput) -> bool:
    return True


def with_member(needs: Callable[[CommandInput], bool] = _always) -> Middleware:
    """For a command: `uow`, and `member`, the typist's membership of the channel's pair (else their only pair).

    A refusal (no pair here, not a member, paused) is the command's private answer, and the listener does not
    run. Help, and a command `needs` says does without a member (an unknown verb), get `member` None.
    """

    def resolve_member(ack: Ack, body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        unit = _begin(context)
        cmd = CommandInput.from_body(body)
        context[MEMBER] = None
        if not cmd.wants_help and needs(cmd):
            try:
                context[MEMBER] = pairs.require_member(unit.session, channel_id=cmd.channel_id, user_id=cmd.user_id)
            except UserError as err:
                unit.rollback()
                # Not calling next(): Bolt answers with this response and the listener does not run.
                return ack(response_type="ephemeral", text=err.render(translator_of(context)))
        next()
        return None

    return resolve_member
