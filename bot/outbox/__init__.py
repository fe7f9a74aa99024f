"""The one durable outbox: every message the bot sends is written here first.

`enqueue*` runs inside the caller's transaction, so a message exists exactly when the
change that caused it was committed. Delivery is at least once, and with the metadata
check exactly once unless Slack itself loses a message it accepted:

- `store.py`: enqueue, claim (a lease, `FOR UPDATE SKIP LOCKED`, a conditional UPDATE), state changes;
- `deliverer.py`: the loop, a bounded pool over lanes, woken at the next due time;
- `slack_sender.py`: typed send jobs, Slack's errors sorted, the `conversations.history` check;
- `policy.py`: the pure retry decision and the hook protocols (the respekt gate);
- `pacing.py`: per-lane token buckets and 429 pauses; `fit.py`: Slack's size limits.
"""

from bot.outbox.deliverer import Deliverer, OutboxDeliverer
from bot.outbox.fit import split_blocks
from bot.outbox.policy import DeliveryPolicy, ErrorKind, Gate, Hooks, OnFailed, OnSent, RetryDecision, SendError
from bot.outbox.slack_sender import METADATA_EVENT, NETWORK_ERRORS, TRANSIENT_ERRORS, SendJob, SendResult
from bot.outbox.store import cancel, enqueue, enqueue_update, lane_for

__all__ = [
    "METADATA_EVENT",
    "NETWORK_ERRORS",
    "TRANSIENT_ERRORS",
    "Deliverer",
    "DeliveryPolicy",
    "ErrorKind",
    "Gate",
    "Hooks",
    "OnFailed",
    "OnSent",
    "OutboxDeliverer",
    "RetryDecision",
    "SendError",
    "SendJob",
    "SendResult",
    "cancel",
    "enqueue",
    "enqueue_update",
    "lane_for",
    "split_blocks",
]
