"""Every action_id, callback_id and block_id that Samspel puts into Slack, and the private_metadata codecs.

One place, because the presenters write these ids into blocks and views and the listeners in
`handlers/` match on them: a renamed id that only one side knows would be a dead button.
This module imports nothing of ours, so presenters below the edge may import it too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# --- pairs, consent, onboarding --------------------------------------------------------------

# --- respekt (/meddela) ----------------------------------------------------------------------

# --- uppdrag and ärenden ---------------------------------------------------------------------

# --- agenda and rådsmöte ---------------------------------------------------------------------

# --- spelregler, samtal, rapport -------------------------------------------------------------

# The /spelregler edit form: the button that opens it, the view, and one input block per section.
SPELREGLER_OPEN = "spelregler_uppdatera"
SPELREGLER_MODAL = "spelregler_uppdatera"
SPELREGLER_FIELD = "text"


def spelregler_block(index: int) -> str:
    """The input block of section number `index` in the edit form."""
    return f"avsnitt_{index}"


@dataclass(frozen=True)
class SpelreglerForm:
    """The edit form's private_metadata: which pair, and the version the author started from."""

    pair_id: int
    base_version: int
    channel: str

    def encode(self) -> str:
        return json.dumps({"pair_id": self.pair_id, "base_version": self.base_version, "channel": self.channel})

    @classmethod
    def decode(cls, text: str | None) -> SpelreglerForm:
        """Raises ValueError for metadata that is not ours."""
        try:
            meta = json.loads(text or "{}")
            return cls(int(meta["pair_id"]), int(meta["base_version"]), str(meta.get("channel") or ""))
        except (ValueError, KeyError, TypeError) as err:
            raise ValueError("not a spelregler form") from err
