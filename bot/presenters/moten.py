"""`/samspel möten` in words: the pair's meetings and contacts, each with who is responsible (seed 004)."""

from __future__ import annotations

from bot.domain.calendar import format_hhmm
from bot.i18n import Translator
from bot.services.moten import Meetings
from bot.text import fill, fmt_date, fmt_iso


def meetings_text(m: Meetings, t: Translator) -> str:
    if m.next_ks is not None and m.next_ks_stopptid is not None:
        ks_when = t("nästa {date}, stopptid {last}").format(date=fmt_date(m.next_ks, t), last=fmt_date(m.next_ks_stopptid, t))
    else:
        ks_when = t("ingen KS-kalender (`/samspel ks`)")
    radsmote = (
        t("postas i <#{channel}> kl. {time}").format(channel=m.radsmote_channel, time=format_hhmm(m.radsmote_time_min))
        if m.radsmote_channel
        else t("ingen kanal inställd (`/samspel rådsmöte #kanal`)")
    )
    lines = [
        t("*Möten och kontakter*"),
        t(
            "• *Måndagsmötet* KSO och KD, två timmar på veckans första arbetsdag (agendan kl. {time}). Ansvar: KSO och KD tillsammans."
        ).format(time=format_hhmm(m.agenda_time_min)),
        t(
            "• *Rådsmöte* på eftermiddagen: majoritetsledningen och KD går igenom ärendena till KS; {radsmote}. "
            "Ansvar: KSO för rådsberedningarna."
        ).format(radsmote=radsmote),
        fill(t("• *KS* (kommunstyrelsen): {when}. Ansvar: KSO före beslut i KS, därefter tar KD över."), when=ks_when),
        t("• *Oppositionsberedningar*. Ansvar: KD."),
        t("• *Media*. Ansvar: KSO har huvudansvaret."),
        t("• *Utvecklingssamtal* en gång per år, {date}. Ansvar: KSO håller det med KD.").format(date=fmt_iso(m.next_talk)),
    ]
    return "\n".join(lines)
