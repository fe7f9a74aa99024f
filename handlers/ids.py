"""Every action_id, callback_id and block_id that Samspel puts into Slack, and the private_metadata codecs.

One place, because the presenters write these ids into blocks and views and the listeners in
`handlers/` match on them: a renamed id that only one side knows would be a dead button.
This module imports nothing of ours, so presenters below the edge may import it too.
"""

from __future__ import annotations

# --- pairs, consent, onboarding --------------------------------------------------------------

# The buttons on the proposal DM (value: the proposal id) and on the `/samspel lämna` prompt (value: the pair id).
PAIR_ACCEPT = "pair_accept"
PAIR_DECLINE = "pair_decline"
PAIR_LEAVE = "pair_leave"
PAIR_LEAVE_CANCEL = "pair_leave_cancel"

# --- respekt (/meddela) ----------------------------------------------------------------------

# --- uppdrag and ärenden ---------------------------------------------------------------------

# --- agenda and rådsmöte ---------------------------------------------------------------------

# --- spelregler, samtal, rapport -------------------------------------------------------------
