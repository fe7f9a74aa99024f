"""Every action_id, callback_id and block_id that Samspel puts into Slack, and the private_metadata codecs.

One place, because the presenters write these ids into blocks and views and the listeners in
`handlers/` match on them: a renamed id that only one side knows would be a dead button.
This module imports nothing of ours, so presenters below the edge may import it too.
"""

from __future__ import annotations

import json

# --- pairs, consent, onboarding --------------------------------------------------------------

# --- respekt (/meddela) ----------------------------------------------------------------------

# The held-message buttons (in /meddela answers, /meddela lista and the Home tab); value: the meddelande id.
MEDDELA_ANGRA = "meddela_angra"
MEDDELA_AKUT = "meddela_akut"
MEDDELA_BUTTONS_BLOCK = "meddela_{id}"  # .format(id=...)
# The "Skicka med Samspel" shortcut itself is bot.manifest.SHORTCUT_CALLBACK (the manifest names it).
MEDDELA_MODAL = "meddela_skicka"
MEDDELA_TEXT, MEDDELA_AKUT_BLOCK, MEDDELA_REASON = "text", "akut", "skal"
MEDDELA_AKUT_VALUE = "akut"


def meddela_metadata(channel: str | None, origin_user: str | None) -> str:
    """The shortcut modal's private_metadata: where it was opened and who wrote the forwarded message."""
    return json.dumps({"channel": channel, "origin_user": origin_user})


def meddela_metadata_of(metadata: str | None) -> tuple[str | None, str | None]:
    """(channel, origin_user) back from `meddela_metadata`."""
    meta = json.loads(metadata or "{}")
    return meta.get("channel"), meta.get("origin_user")


def meddelande_id(value: str | None) -> int | None:
    """A held-message button's value back to the meddelande id (None for anything else)."""
    try:
        return int(value or "")
    except ValueError:
        return None


# --- uppdrag and ärenden ---------------------------------------------------------------------

# --- agenda and rådsmöte ---------------------------------------------------------------------

# --- spelregler, samtal, rapport -------------------------------------------------------------
