"""English for each person's own calendar, the agenda time the day before, and late or missed agendas."""

EN = {
    # hjälp
    "visar paret, bådas arbetstid och lediga dagar och hur många meddelanden som hålls":
        "shows the pair, both people's working hours and days off, and how many messages are held",
    "din egen arbetstid: när du får störas": "your own working hours: when you may be disturbed",
    "/samspel ledig 2027-07-05..2027-07-30 semester": "/samspel ledig 2027-07-05..2027-07-30 holiday",
    "dina egna lediga dagar utöver helgdagarna": "your own days off, on top of the public holidays",
    "när agendan postas: på mötesdagen, eller arbetsdagen före":
        "when the agenda is posted: on the meeting day, or the working day before",
    # each person's own working hours and days off
    "Din arbetstid är nu {hours}. Meddelanden till dig följer den; måndagsmötet och kanalen följer tiden då ni "
    "båda arbetar.":
        "Your working hours are now {hours}. Messages to you follow them; the Monday meeting and the channel follow "
        "the time when you both work.",
    "Ange minst en arbetsdag, t.ex. `mån-fre`.": "Give at least one working day, e.g. `mån-fre` (Mon-Fri).",
    "Då skulle du inte ha någon arbetsdag alls det närmaste året, så inget meddelande skulle nå dig. Behåll minst "
    "en arbetsdag, t.ex. `/samspel arbetstid 08:00-17:00 mån-fre`.":
        "Then you would have no working day at all in the coming year, so no message would reach you. Keep at "
        "least one working day, e.g. `/samspel arbetstid 08:00-17:00 mån-fre`.",
    "Då skulle du och <@{other}> inte ha någon gemensam arbetstid det närmaste året, och måndagsmötet och "
    "agendan behöver en tid då ni båda arbetar. Se `/samspel status` för er arbetstid, och välj tider och dagar "
    "som möts någon gång.":
        "Then you and <@{other}> would have no working time in common in the coming year, and the Monday meeting "
        "and its agenda need a time when you both work. See `/samspel status` for your working hours, and choose "
        "hours and days that meet.",
    "Skriv den lediga dagen som `/samspel ledig ÅÅÅÅ-MM-DD`, eller flera i följd som "
    "`/samspel ledig 2027-07-05..2027-07-30 semester`.":
        "Write the day off as `/samspel ledig YYYY-MM-DD`, or several in a row as "
        "`/samspel ledig 2027-07-05..2027-07-30 holiday`.",
    "Den sista dagen kommer före den första: skriv t.ex. `2027-07-05..2027-07-30`.":
        "The last day comes before the first: write e.g. `2027-07-05..2027-07-30`.",
    "Högst {limit} dagar åt gången: dela upp ledigheten.": "At most {limit} days at a time: split the leave.",
    "{day} har redan varit: ange kommande lediga dagar.": "{day} has passed: give days off to come.",
    "{day} räknas nu som ledig dag för dig. Meddelanden till dig väntar till nästa arbetsdag.":
        "{day} now counts as a day off for you. Messages to you wait for your next working day.",
    "{first}–{last} ({count} dagar) räknas nu som lediga dagar för dig. Meddelanden till dig väntar till nästa "
    "arbetsdag.":
        "{first}–{last} ({count} days) now count as days off for you. Messages to you wait for your next working "
        "day.",
    # /samspel status
    "• Arbetstid {role} <@{user}>: {hours}": "• Working hours {role} <@{user}>: {hours}",
    "  Lediga dagar: {days}": "  Days off: {days}",
    "• Gemensam arbetstid (måndagsmötet och kanalen): {hours}":
        "• Working time in common (the Monday meeting and the channel): {hours}",
    "ingen: ändra er arbetstid med `/samspel arbetstid`": "none: change your working hours with `/samspel arbetstid`",
    "• Måndagsagenda: {when}": "• Monday agenda: {when}",
    "kl. {time} på veckans första arbetsdag": "at {time} on the first working day of the week",
    "kl. {time} arbetsdagen före mötet, och hålls aktuell fram till mötet":
        "at {time} on the working day before the meeting, kept up to date until the meeting",
    "arbetstider": "working hours",
    "Lediga dagar tillagda för {who}: {first}–{last} ({days} dagar){note}":
        "Days off added for {who}: {first}–{last} ({days} days){note}",
    # /samspel agendatid
    "Skriv tiden som `/samspel agendatid 08:00` (på mötesdagen) eller `/samspel agendatid fredag 15:00` "
    "(arbetsdagen före mötet).":
        "Write the time as `/samspel agendatid 08:00` (on the meeting day) or `/samspel agendatid fredag 15:00` "
        "(the working day before the meeting).",
    "Agendan kan komma på mötesdagen eller arbetsdagen före: skriv `/samspel agendatid 08:00` eller "
    "`/samspel agendatid fredag 15:00`.":
        "The agenda can come on the meeting day or the working day before: write `/samspel agendatid 08:00` or "
        "`/samspel agendatid fredag 15:00`.",
    "Dagen före mötet kan agendan komma inom er gemensamma arbetstid, {start}–{end}: välj en tid däremellan, "
    "t.ex. `/samspel agendatid fredag 15:00`.":
        "On the day before the meeting the agenda can come within your working time in common, {start}–{end}: "
        "choose a time in between, e.g. `/samspel agendatid fredag 15:00`.",
    "Agendan kommer kl. {time} arbetsdagen före mötet (fredag, när mötet är på måndag). Fram till mötet hålls den "
    "aktuell med det som läggs till.":
        "The agenda comes at {time} on the working day before the meeting (Friday, when the meeting is on "
        "Monday). Until the meeting it is kept up to date with what is added.",
    "Agendatiden är {time}, men den ligger utanför er gemensamma arbetstid ({start}–{end}), så agendan kommer "
    "först kl. {start}. Vill ni ha den tidigare: ändra er arbetstid med `/samspel arbetstid {time}-{end}`.":
        "The agenda time is {time}, but that is outside your working time in common ({start}–{end}), so the "
        "agenda comes at {start}. To have it earlier, change your working hours with "
        "`/samspel arbetstid {time}-{end}`.",
    # the posted agenda, late or missed
    "Försenad: agendan skulle ha kommit {when}, men Samspel var inte igång då.":
        "Late: the agenda was due {when}, but Samspel was not running then.",
    ":warning: Agendan för mötet {date} (vecka {week}) postades aldrig: Samspel var inte igång från {when} till "
    "veckans slut. Det som skulle ha stått på den följer med till nästa agenda: {cases} ärenden att avgöra, "
    "{uppdrag} uppdrag, {questions} frågor om uppdrag och {points} agendapunkter. Se den nu med `/agenda`.":
        ":warning: The agenda for the meeting on {date} (week {week}) was never posted: Samspel was not running "
        "from {when} to the end of the week. What it would have held carries over to the next agenda: {cases} "
        "cases to decide, {uppdrag} assignments, {questions} questions about assignments and {points} agenda "
        "points. See it now with `/agenda`.",
    "_Agendan är kortare nu: allt står ovan._": "_The agenda is shorter now: all of it is above._",
    "Agendan är kortare nu: allt står ovan.": "The agenda is shorter now: all of it is above.",
}
