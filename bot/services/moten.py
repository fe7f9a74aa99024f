"""`/samspel möten`: the pair's recurring meetings and contacts, and who is responsible for each.

Follows the seed's *Kontakter* and meeting structure (seed 004) and the workshop's
heading "Möten och kontakter – lista dessa" (seed 000).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.calendar import format_hhmm
from bot.i18n import _
from bot.services import ks_calendar
from bot.services.pairs import Member, calendar_for
from bot.text import fmt_date, fmt_iso


def meetings_text(session: Session, member: Member, rest: str, now: datetime) -> str:
    pair = member.pair
    today = calendar_for(session, pair).local(now).date()
    ks_days = ks_calendar.upcoming(session, pair.id, today)
    if ks_days:
        last = ks_calendar.stopptid_for(session, pair, ks_days[0])
        ks_when = _("nästa {date}, stopptid {last}").format(date=fmt_date(ks_days[0]), last=fmt_date(last))
    else:
        ks_when = _("ingen KS-kalender (`/samspel ks`)")
    radsmote = (_("postas i <#{channel}> kl. {time}").format(channel=pair.radsmote_channel,
                                                              time=format_hhmm(pair.radsmote_time_min))
                if pair.radsmote_channel else _("ingen kanal inställd (`/samspel rådsmöte #kanal`)"))
    lines = [
        _("*Möten och kontakter*"),
        _("• *Måndagsmötet* KSO och KD, två timmar på veckans första arbetsdag (agendan kl. {time}). "
          "Ansvar: KSO och KD tillsammans.").format(time=format_hhmm(pair.agenda_time_min)),
        _("• *Rådsmöte* på eftermiddagen: majoritetsledningen och KD går igenom ärendena till KS; {radsmote}. "
          "Ansvar: KSO för rådsberedningarna.").format(radsmote=radsmote),
        _("• *KS* (kommunstyrelsen): {when}. Ansvar: KSO före beslut i KS, därefter tar KD över.").format(when=ks_when),
        _("• *Oppositionsberedningar*. Ansvar: KD."),
        _("• *Media*. Ansvar: KSO har huvudansvaret."),
        _("• *Utvecklingssamtal* en gång per år, {date}. Ansvar: KSO håller det med KD.").format(date=fmt_iso(pair.next_talk)),
    ]
    return "\n".join(lines)
