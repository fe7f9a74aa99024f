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

# The Stäng button of an agenda point (handlers/agenda.py).
AGENDA_STANG = "agenda_stang"
# The buttons the agenda puts on a waiting case and an open question; their listeners are in
# handlers/arende.py and handlers/uppdrag.py (the same ids as on the KSO's DM and the Home tab).
AGENDA_ARENDE_TILL_KS = "arende_till_ks"
AGENDA_ARENDE_ATER = "arende_ater"
AGENDA_UPPDRAG_SVARA = "uppdrag_svara"
# The posted agenda's own block ids (bot/projections/posted_agenda.py reads them back):
# the "Försenad" line of a late agenda, a point, and an open question.
AGENDA_LATE_BLOCK = "agenda_late"


def agenda_point_block(point_id: int) -> str:
    return f"agenda_punkt_{point_id}"


def agenda_question_block(fraga_id: int) -> str:
    return f"fraga_{fraga_id}"


# A waiting case: its text and its buttons. The same ids as on the KSO's DM and the Home tab, so
# `bot.arende.replace_case` shows a decision wherever the case is.
def agenda_case_info_block(arende_id: int) -> str:
    return f"arende_info:{arende_id}"


def agenda_case_actions_block(arende_id: int) -> str:
    return f"arende:{arende_id}"


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
