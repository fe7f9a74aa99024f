"""Every action_id, callback_id and block_id that Samspel puts into Slack, and the private_metadata codecs.

One place, because the presenters write these ids into blocks and views and the listeners in
`handlers/` match on them: a renamed id that only one side knows would be a dead button.
This module imports nothing of ours, so presenters below the edge may import it too.
"""

from __future__ import annotations

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
