"""Every action_id, callback_id and block_id that Samspel puts into Slack, and the private_metadata codecs.

One place, because the presenters write these ids into blocks and views and the listeners in
`handlers/` match on them: a renamed id that only one side knows would be a dead button.
This module imports nothing of ours, so presenters below the edge may import it too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# --- pairs, consent, onboarding --------------------------------------------------------------

# The buttons on the proposal DM (value: the proposal id) and on the `/samspel lämna` prompt (value: the pair id).
PAIR_ACCEPT = "pair_accept"
PAIR_DECLINE = "pair_decline"
PAIR_LEAVE = "pair_leave"
PAIR_LEAVE_CANCEL = "pair_leave_cancel"

# Onboarding (handlers/onboarding.py). The Koppla paret button (in the channel intro, the welcome DM and the
# Home tab; value: the channel id, or "" where there is no channel) and its modal (private_metadata: `koppla_metadata`).
KOPPLA_OPEN = "koppla_paret"
KOPPLA_MODAL = "koppla_paret"
KOPPLA_KSO, KOPPLA_KD, KOPPLA_CHANNEL = "kso", "kd", "kanal"
# The global shortcut Nytt uppdrag (bot/manifest.py lists it) and its modal (private_metadata: `nytt_uppdrag_metadata`).
NYTT_UPPDRAG_SHORTCUT = "nytt_uppdrag"
NYTT_UPPDRAG_MODAL = "nytt_uppdrag"
NYTT_UPPDRAG_TEXT, NYTT_UPPDRAG_DEADLINE, NYTT_UPPDRAG_PAIR = "text", "senast", "par"
# The Home tab's settings buttons (value: `setting_value`) and their modal (private_metadata: the same value).
SETTING_OPEN = "setting_{setting}"  # .format(setting=one of SETTINGS)
SETTING_MODAL = "setting"
# Which setting: /samspel arbetstid, ledig, agendatid, utvecklingssamtal.
SETTINGS = ("hours", "days_off", "agenda_time", "talk_date")
SETTING_START, SETTING_END, SETTING_DAYS = "start", "slut", "dagar"
SETTING_FIRST, SETTING_LAST, SETTING_NOTE = "forsta", "sista", "anteckning"
SETTING_TIME, SETTING_WHEN = "tid", "dag"
SETTING_DATE = "datum"


def koppla_metadata(channel: str | None) -> str:
    """The Koppla paret modal's private_metadata: the channel the button was in ("" for none: the form asks)."""
    return json.dumps({"channel": channel or ""})


def koppla_channel_of(metadata: str | None) -> str | None:
    """The channel back from `koppla_metadata` (None when the form asked for it, or for metadata not ours)."""
    try:
        meta = json.loads(metadata or "{}")
    except ValueError:
        return None
    channel = meta.get("channel") if isinstance(meta, dict) else None
    return str(channel) if channel else None


def nytt_uppdrag_metadata(channel: str | None) -> str:
    """The Nytt uppdrag modal's private_metadata: the one pair's channel, or "" when the form asks which pair."""
    # The bare channel id, as before there was a codec: a form opened before a deploy still submits.
    return channel or ""


def nytt_uppdrag_channel_of(metadata: str | None) -> str | None:
    """The channel back from `nytt_uppdrag_metadata`; None when the form asks which pair."""
    return metadata or None


def setting_value(setting: str, pair_id: int) -> str:
    """A settings button's value and its modal's private_metadata: which setting, of which pair."""
    return f"{setting}:{pair_id}"


def read_setting_value(value: str | None) -> tuple[str, int]:
    """(setting, pair id) from `setting_value`; ValueError for anything else."""
    setting, _sep, pair = (value or "").partition(":")
    if setting not in SETTINGS:
        raise ValueError("not a setting")
    return setting, int(pair)


# --- respekt (/meddela) ----------------------------------------------------------------------

# The held-message buttons (in /meddela answers, /meddela lista and the Home tab); value: the meddelande id.
MEDDELA_ANGRA = "meddela_angra"
MEDDELA_AKUT = "meddela_akut"
MEDDELA_BUTTONS_BLOCK = "meddela_{id}"  # .format(id=...)
# The "Skicka med Samspel" message shortcut (bot/manifest.py lists it as SHORTCUT_CALLBACK).
MEDDELA_SHORTCUT = "skicka_med_samspel"
MEDDELA_MODAL = "meddela_skicka"
MEDDELA_TEXT, MEDDELA_AKUT_BLOCK, MEDDELA_REASON = "text", "akut", "skal"
MEDDELA_AKUT_VALUE = "akut"
# "Skicka nu som akut" opens a modal asking for a one-line reason (private_metadata: `akut_reason_metadata`).
MEDDELA_AKUT_MODAL = "meddela_akut_skal"
MEDDELA_AKUT_REASON = "akut_skal"  # its input block and action id


def akut_reason_metadata(meddelande_id: int, channel: str | None, view_id: str | None = None) -> str:
    """The reason modal remembers the message and where the button was: a channel, or the modal it was pushed on."""
    return json.dumps({"meddelande": meddelande_id, "channel": channel, "view": view_id})


def akut_reason_metadata_of(metadata: str | None) -> tuple[int | None, str | None, str | None]:
    """(meddelande id, channel, parent view id) back from `akut_reason_metadata`; all None for anything else."""
    try:
        meta = json.loads(metadata or "{}")
        return int(meta["meddelande"]), meta.get("channel"), meta.get("view")
    except (ValueError, KeyError, TypeError):
        return None, None, None


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

UPPDRAG_SVARA = "uppdrag_svara"  # the Svara button on an oklart question (value: the question's id)
UPPDRAG_SVAR_MODAL = "uppdrag_svar"  # the answer modal (private_metadata: `svar_metadata`)
UPPDRAG_SVAR_BLOCK = "svar"
UPPDRAG_SVAR_INPUT = "svar"
ARENDE_TILL_KS = "arende_till_ks"  # the decision buttons (value: the case's id)
ARENDE_ATER = "arende_ater"
ARENDE_ATER_MODAL = "arende_ater"  # the comment modal for Åter för beredning (private_metadata: `ater_metadata`)
ARENDE_COMMENT_BLOCK = "kommentar"
ARENDE_COMMENT_INPUT = "kommentar"


def svar_metadata(fraga_id: int) -> str:
    """The answer modal's private_metadata: the question's id (bare, as before there was a codec)."""
    return str(fraga_id)


def svar_fraga_of(metadata: str | None) -> int:
    """The question's id back from `svar_metadata` (0, no question, when empty); ValueError for anything else."""
    return int(metadata or "0")


def fraga_block(fraga_id: int) -> str:
    """The actions block of a question's Svara button in the KSO's copy."""
    return f"uppdrag_fraga:{fraga_id}"


def arende_info_block(arende_id: int) -> str:
    """A case's details section wherever it is shown (the KSO's DM, the Home tab, the posted agenda)."""
    return f"arende_info:{arende_id}"


def arende_block(arende_id: int) -> str:
    """A case's buttons, or its decision once decided, wherever the case is shown."""
    return f"arende:{arende_id}"


def ater_metadata(arende_id: int, channel: str | None, message_ts: str | None) -> str:
    """The Åter modal remembers the case and the clicked message, so the decision can update that message."""
    return json.dumps({"arende": arende_id, "channel": channel, "ts": message_ts})


def read_ater_metadata(text: str | None) -> tuple[int, str | None, str | None]:
    """(case id, channel, ts) from `ater_metadata`; ValueError, KeyError or TypeError for anything else."""
    meta = json.loads(text or "{}")
    return int(meta["arende"]), meta.get("channel"), meta.get("ts")


# --- agenda and rådsmöte ---------------------------------------------------------------------

# The Stäng button of an agenda point (handlers/agenda.py).
AGENDA_STANG = "agenda_stang"
# The agenda's buttons on a waiting case and an open question are ARENDE_TILL_KS, ARENDE_ATER and
# UPPDRAG_SVARA (above): the same listeners as on the KSO's DM and the Home tab.
# The posted agenda's block ids: the "Försenad" line of a late agenda, a point, an open question
# (below), and a waiting case's `arende_info_block` / `arende_block` (above: the case's own ids, so
# the decision can be shown with `arende_blocks` as in the KSO's DM). bot/presenters/agenda.py is the
# one module that writes them into the agenda and reads them back when the posted agenda changes: a
# patch rewrites blocks, which is a presenter's work, and the projection above it only applies it.
AGENDA_LATE_BLOCK = "agenda_late"
# Stäng on an incident opens a form: who owns the follow-up (radio buttons) and how it was cleared up.
AGENDA_INCIDENT_MODAL = "agenda_incident_stang"
AGENDA_OWNER = "agarskap"  # block and action id of the radio buttons
AGENDA_RESOLUTION = "klarades_ut"  # block and action id of the note


def incident_metadata(point_id: int, channel: str | None, message_ts: str | None) -> str:
    """The incident form remembers the point and the clicked message, so that closing updates that message."""
    return json.dumps({"punkt": point_id, "channel": channel, "ts": message_ts})


def incident_metadata_of(metadata: str | None) -> tuple[int, str | None, str | None]:
    """(point id, channel, ts) from `incident_metadata`; ValueError, KeyError or TypeError for anything else."""
    meta = json.loads(metadata or "{}")
    return int(meta["punkt"]), meta.get("channel"), meta.get("ts")


def agenda_point_block(point_id: int) -> str:
    """A point's section on the posted agenda (its Stäng button is the section's accessory)."""
    return f"agenda_punkt_{point_id}"


def agenda_question_block(fraga_id: int) -> str:
    """An open question's section on the posted agenda (its Svara button is the section's accessory)."""
    return f"fraga_{fraga_id}"


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
