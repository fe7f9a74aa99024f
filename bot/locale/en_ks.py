"""English for the KS calendar, stopptid, resubmitted cases, meetings and contacts (issue 14)."""

EN: dict[str, str] = {
    # The KS calendar and stopptid ("stopptid": the cut-off for deciding a case before a KS meeting).
    "KS {date}": "KS {date}",
    "stopptid {date}": "cut-off {date}",
    "stopptiden har passerat": "the cut-off has passed",
    "stopptid idag": "cut-off today",
    " (stopptiden har passerat)": " (the cut-off has passed)",
    "Ingen KS-kalender är inställd. Ange mötesdagarna med `/samspel ks ÅÅÅÅ-MM-DD ÅÅÅÅ-MM-DD …`.":
        "No KS calendar is set. Give the meeting dates with `/samspel ks YYYY-MM-DD YYYY-MM-DD …`.",
    "• {date} ({iso}) · stopptid {last}{passed}": "• {date} ({iso}) · cut-off {last}{passed}",
    "KS-kalendern är sparad.": "The KS calendar is saved.",
    "Högst {n} datum åt gången.": "At most {n} dates at a time.",
    "Förstår inte datumet {word!r}: skriv KS-mötena som `/samspel ks 2026-12-15 2027-01-19`.":
        "Cannot read the date {word!r}: write the KS meetings as `/samspel ks 2026-12-15 2027-01-19`.",
    "{day} har redan varit: ange kommande KS-möten. Inget ändrades.":
        "{day} has already passed: give coming KS meetings. Nothing was changed.",
    "{day} är ingen arbetsdag ({reason}): KS sammanträder på en arbetsdag. Inget ändrades.":
        "{day} is not a working day ({reason}): KS meets on a working day. Nothing was changed.",
    "Skriv stopptiden som ett antal arbetsdagar, 0–{max}: `/samspel stopptid 10`.":
        "Give the cut-off as a number of working days, 0–{max}: `/samspel stopptid 10`.",
    "Ett nytt ärende går till {label}.": "A new case goes to {label}.",
    " Obs: {day} är inget KS-möte i er kalender (`/samspel ks`).":
        " Note: {day} is not a KS meeting in your calendar (`/samspel ks`).",
    "Nästa möte där stopptiden inte har passerat är {label}.":
        "The next meeting whose cut-off has not passed is {label}.",
    " Obs: KS-kalendern har inget kommande möte där stopptiden inte har passerat; lägg till möten med `/samspel ks`.":
        " Note: the KS calendar has no coming meeting whose cut-off has not passed; add meetings with `/samspel ks`.",
    "Planerat till {label}.": "Planned for {label}.",
    "Stopptiden för {missed} har passerat, så ärendet når {reached}.":
        "The cut-off for {missed} has passed, so the case reaches {reached}.",
    "Stopptiden för {missed} har passerat, och KS-kalendern har inget senare möte: lägg till det med `/samspel ks`.":
        "The cut-off for {missed} has passed, and the KS calendar has no later meeting: add it with `/samspel ks`.",
    # The calendar file.
    "Rådsmöte: majoritetsledningen och KD": "Meeting of the majority leadership with the KD",
    "Slutdatum": "Due date",
    "Bara KSO bestämmer datum för utvecklingssamtalet, som KSO håller med KD.":
        "Only the KSO sets the date of the development talk, which the KSO holds with the KD.",
    "Bara KSO registrerar utvecklingssamtalet som genomfört: KSO håller samtalet med KD.":
        "Only the KSO records the development talk as held: the KSO holds the talk with the KD.",
    "Majoritetsledningen och KD går igenom ärendena till KS och aktuella frågor som berör hela kommunledningen.":
        "The majority leadership and the KD go through the cases for KS and current matters that concern the "
        "whole municipal leadership.",
    "Kommunstyrelsen (KS)": "Executive board (KS)",
    "Sammanträde i kommunstyrelsen. Stopptid för ärenden: {date} ({iso}).":
        "Meeting of the executive board. Cut-off for cases: {date} ({iso}).",
    # The full status and cases sent back.
    "till KS, beslutat av {role} {date}": "to KS, decided by the {role} {date}",
    "åter för beredning, beslutat av {role} {date}": "back for preparation, decided by the {role} {date}",
    "åter sedan {date}, av {role}": "sent back {date}, by the {role}",
    "(tills KD lämnar över dem igen med `/arende åter` och numret)":
        "(until the KD hands them over again with `/arende åter` and the number)",
    "behöver: {comment}": "needs: {comment}",
    "klart, markerat av {role} {date}": "done, marked by the {role} {date}",
    "Ärende #{nr}": "Case #{nr}",
    "Bara KD lämnar över ett ärende igen. Som KSO avgör du det när det kommer.":
        "Only the KD hands a case over again. As KSO you decide it when it comes.",
    "Ange ärendets nummer: `/arende åter 3 Kompletterat med konsekvensanalys`.":
        "Give the case's number: `/arende åter 3 Impact analysis added`.",
    "Ärende #{nr} lämnas över igen efter beredning: {title}": "Case #{nr} is handed over again after preparation: {title}",
    "Det finns inget ärende #{nr}.": "There is no case #{nr}.",
    "Ärende #{nr} är inte återsänt för beredning ({label}), så det lämnas inte över igen.":
        "Case #{nr} was not sent back for preparation ({label}), so it is not handed over again.",
    "Ärende #{nr} är redan inlämnat igen.": "Case #{nr} has already been handed over again.",
    "Ärende #{nr} är överlämnat igen till <@{kso}> (gång {rounds}).":
        "Case #{nr} is handed over again to <@{kso}> (round {rounds}).",
    "Återsänt för beredning: {comment}": "Sent back for preparation: {comment}",
    "KD:s anteckning: {note}": "The KD's note: {note}",
    "Ärende #{nr} lämnades över igen efter beredning (gång {rounds})":
        "Case #{nr} was handed over again after preparation (round {rounds})",
    "{sentence}: {note}": "{sentence}: {note}",
    # Help.
    "sätter KS-mötena (arbetsdagar); utan datum visas de med stopptid":
        "sets the KS meetings (working days); without a date, lists them with their cut-off",
    "hur många arbetsdagar före KS ett ärende ska vara avgjort (standard 10)":
        "how many working days before KS a case must be decided (default 10)",
    "parets återkommande möten och kontakter, och vem som ansvarar för vart och ett":
        "the pair's recurring meetings and contacts, and who is responsible for each",
    "/arende åter 3 Kompletterat med konsekvensanalys": "/arende åter 3 Impact analysis added",
    "KD lämnar över ett återsänt ärende igen, med samma nummer och dess historik":
        "the KD hands over a case that was sent back again, under the same number and with its history",
    # Meetings and contacts.
    "*Möten och kontakter*": "*Meetings and contacts*",
    "nästa {date}, stopptid {last}": "next {date}, cut-off {last}",
    "ingen KS-kalender (`/samspel ks`)": "no KS calendar (`/samspel ks`)",
    "postas i <#{channel}> kl. {time}": "posted in <#{channel}> at {time}",
    "ingen kanal inställd (`/samspel rådsmöte #kanal`)": "no channel set (`/samspel rådsmöte #channel`)",
    "• *Måndagsmötet* KSO och KD, två timmar på veckans första arbetsdag (agendan kl. {time}). "
    "Ansvar: KSO och KD tillsammans.":
        "• *The Monday meeting* of the KSO and KD, two hours on the week's first working day (agenda at {time}). "
        "Responsible: the KSO and KD together.",
    "• *Rådsmöte* på eftermiddagen: majoritetsledningen och KD går igenom ärendena till KS; {radsmote}. "
    "Ansvar: KSO för rådsberedningarna.":
        "• *The afternoon meeting* of the majority leadership with the KD goes through the cases for KS; {radsmote}. "
        "Responsible: the KSO, for the majority's preparations.",
    "• *KS* (kommunstyrelsen): {when}. Ansvar: KSO före beslut i KS, därefter tar KD över.":
        "• *KS* (the executive board): {when}. Responsible: the KSO before the decision in KS, then the KD takes over.",
    "• *Oppositionsberedningar*. Ansvar: KD.": "• *Preparations with the opposition*. Responsible: the KD.",
    "• *Media*. Ansvar: KSO har huvudansvaret.": "• *Media*. Responsible: the KSO has the main responsibility.",
    "• *Utvecklingssamtal* en gång per år, {date}. Ansvar: KSO håller det med KD.":
        "• *Development talk* once a year, {date}. Responsible: the KSO holds it with the KD.",
    # The audit trail.
    "KS-kalendern sattes: {days}": "The KS calendar was set: {days}",
    "Stopptiden ändrades från {before} till {after} arbetsdagar före KS":
        "The cut-off was changed from {before} to {after} working days before KS",
}

EN_PLURAL = {
    ("*KS-möten* (stopptid {n} arbetsdag före):", "*KS-möten* (stopptid {n} arbetsdagar före):"):
        ("*KS meetings* (cut-off {n} working day before):", "*KS meetings* (cut-off {n} working days before):"),
    ("Stopptiden är {n} arbetsdag före KS-mötet. Ändra med `/samspel stopptid 10`.",
     "Stopptiden är {n} arbetsdagar före KS-mötet. Ändra med `/samspel stopptid 10`."):
        ("The cut-off is {n} working day before the KS meeting. Change it with `/samspel stopptid 10`.",
         "The cut-off is {n} working days before the KS meeting. Change it with `/samspel stopptid 10`."),
    ("Ett ärende ska nu vara avgjort senast {n} arbetsdag före KS-mötet.",
     "Ett ärende ska nu vara avgjort senast {n} arbetsdagar före KS-mötet."):
        ("A case must now be decided at the latest {n} working day before the KS meeting.",
         "A case must now be decided at the latest {n} working days before the KS meeting."),
}
