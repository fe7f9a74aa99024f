"""English for uppdrag (assignments), ärenden (cases), deadline words and the diarium export.

Command words stay Swedish (`klart`, `oklart`, `svar`, `lista`, `senast fredag`, `ks ÅÅÅÅ-MM-DD`):
the English texts show them in backticks and say what they mean where a reader needs it.
"""

EN: dict[str, str] = {
    # --- bot/presenters/uppdrag.py, bot/services/uppdrag.py ----------------------
    "Det var många samtidiga ändringar just nu: försök igen om en stund.":
        "Many changes were made at the same moment: please try again shortly.",
    "Ange uppdragets nummer: `{usage}`.": "Give the assignment's number: `{usage}`.",
    " Det levereras {when}, enligt respektregeln.":
        " It will be delivered on {when}, under the respekt rule (working hours only).",
    "senast {date}": "due {date}",
    "inget slutdatum": "no due date",
    "givet {given}, {due}": "given {given}, {due}",
    "Oklart: {question}": "Open question: {question}",
    "Inga öppna uppdrag just nu. KSO ger ett nytt med `/uppdrag <text> [senast fredag]`.":
        "No open assignments right now. The KSO gives a new one with `/uppdrag <text> [senast fredag]` "
        "(`senast fredag` = by Friday).",
    "*Öppna uppdrag ({count})*": "*Open assignments ({count})*",
    "Bara KSO ger uppdrag. Som KD kan du lista, markera klart eller ta upp en osäkerhet: `/uppdrag oklart <nr> <fråga>`.":
        "Only the KSO gives assignments. As KD you can list them, mark one done or raise a question: "
        "`/uppdrag oklart <nr> <question>`.",
    "\nSenast {date} ({iso}).": "\nDue {date} ({iso}).",
    "Nytt uppdrag #{nr} från <@{user}>: {text}{due}\n"
    "Markera klart med `/uppdrag klart {nr}`, eller ta upp en osäkerhet med `/uppdrag oklart {nr} <fråga>`.":
        "New assignment (uppdrag) #{nr} from <@{user}>: {text}{due}\n"
        "Mark it done with `/uppdrag klart {nr}`, or raise a question with `/uppdrag oklart {nr} <question>`.",
    "Uppdrag #{nr} är registrerat: {text}{due}\n<@{kd}> får beskedet.":
        "Assignment (uppdrag) #{nr} is registered: {text}{due}\n<@{kd}> will be told.",
    "Det finns inget uppdrag #{nr}. Se `/uppdrag lista`.": "There is no assignment #{nr}. See `/uppdrag lista`.",
    "Uppdrag #{nr} är redan klarmarkerat (av <@{user}>).": "Assignment #{nr} is already marked done (by <@{user}>).",
    "<@{user}> markerade uppdrag #{nr} som klart: {text}": "<@{user}> marked assignment #{nr} as done: {text}",
    "Uppdrag #{nr} är klart: {text} <@{other}> får veta det.": "Assignment #{nr} is done: {text} <@{other}> will be told.",
    "Det är KD som tar upp osäkerheter i ett uppdrag. Som KSO svarar du med `/uppdrag svar <nr> <text>`.":
        "Questions about an assignment are raised by the KD. As KSO you answer with `/uppdrag svar <nr> <text>`.",
    "/uppdrag oklart <nr> <fråga>": "/uppdrag oklart <nr> <question>",
    "Uppdrag #{nr} är redan klart. Ge KSO frågan direkt med `/meddela` om den fortfarande gäller.":
        "Assignment #{nr} is already done. If the question still matters, send it to the KSO with `/meddela`.",
    "Uppdrag #{nr} har redan en obesvarad fråga: {question}. Vänta på KSO:s svar.":
        "Assignment #{nr} already has an unanswered question: {question}. Wait for the KSO's answer.",
    "<@{user}> har en fråga om uppdrag #{nr}": "<@{user}> has a question about assignment #{nr}",
    "Frågan om uppdrag #{nr} är skickad till <@{kso}> och står på nästa agenda tills den är besvarad.":
        "Your question about assignment #{nr} has been sent to <@{kso}> and stays on the next agenda until it is answered.",
    "*Oklart i uppdrag #{nr}:* {text}\n<@{user}> frågar: {question}":
        "*Question about assignment #{nr}:* {text}\n<@{user}> asks: {question}",
    "Svara": "Answer",
    "Besvarad av <@{user}>: {answer}": "Answered by <@{user}>: {answer}",
    "Det är KSO som svarar på osäkerheter i uppdragen.": "Questions about assignments are answered by the KSO.",
    "Uppdrag #{nr} har ingen obesvarad fråga.": "Assignment #{nr} has no unanswered question.",
    "Frågan finns inte längre.": "That question no longer exists.",
    "Frågan om uppdrag #{nr} är redan besvarad av <@{user}>.":
        "The question about assignment #{nr} has already been answered by <@{user}>.",
    "Frågan om uppdrag #{nr} är besvarad": "The question about assignment #{nr} is answered",
    "<@{user}> svarade på din fråga om uppdrag #{nr}.\n>{question}\n{answer}":
        "<@{user}> answered your question about assignment #{nr}.\n>{question}\n{answer}",
    "Svaret på frågan om uppdrag #{nr} är skickat till <@{user}>.":
        "Your answer on assignment #{nr} has been sent to <@{user}>.",
    "Svar på uppdrag #{nr}": "Answer: assignment #{nr}",
    "Skicka svar": "Send answer",
    "Avbryt": "Cancel",
    "*Uppdrag #{nr}:* {text}\n*Fråga:* {question}": "*Assignment #{nr}:* {text}\n*Question:* {question}",
    "Ditt svar": "Your answer",
    # --- bot/presenters/uppdrag.py (the listeners' words) ------------------------
    "Skriv uppdraget efter kommandot: `/uppdrag Ta fram underlag om skolskjutsar senast fredag`. Se `/uppdrag hjälp`.":
        "Write the assignment after the command: `/uppdrag Prepare a briefing on school transport senast fredag`. "
        "See `/uppdrag help`.",
    "Knappen är trasig: använd `/uppdrag svar <nr> <text>`.": "The button is broken: use `/uppdrag svar <nr> <text>`.",
    "Formuläret är trasigt: använd `/uppdrag svar <nr> <text>`.": "The form is broken: use `/uppdrag svar <nr> <text>`.",
    # --- bot/presenters/arende.py, bot/services/arende.py ------------------------
    "Väntar på KSO": "Waiting for the KSO",
    "Till KS": "To KS",
    "Åter för beredning": "Back for preparation",
    "till KS": "to KS",
    "åter för beredning": "back for preparation",
    "Förstår inte KS-datumet {day!r}: skriv t.ex. `ks 2026-12-08`.":
        "Can't read the KS date {day!r}: write e.g. `ks 2026-12-08`.",
    "KS-mötet {day} har redan varit: ange ett kommande möte.":
        "The KS meeting on {day} has already taken place: give an upcoming meeting.",
    "Titeln är tom: skriv ärendets titel före diarienumret eller länken.":
        "The title is empty: write the case title before the registration number or the link.",
    "Länken är för lång: högst 500 tecken.": "The link is too long: 500 characters at most.",
    "Bara KD lämnar över ärenden. Som KSO avgör du dem med knapparna *Till KS* och *Åter för beredning*.":
        "Only the KD hands over cases. As KSO you decide them with the *To KS* and *Back for preparation* buttons.",
    "Ärende #{nr} för beslut: {title}": "Case #{nr} for your decision: {title}",
    "Ärende #{nr} är överlämnat till <@{kso}>: {title}": "Case #{nr} has been handed over to <@{kso}>: {title}",
    "från <@{user}> {when}": "from <@{user}>, {when}",
    "*Ärende #{nr}: {title}*": "*Case #{nr}: {title}*",
    "Väntar på KSO:s beslut.": "Waiting for the KSO's decision.",
    "*{label}*, beslutat av <@{user}> {when}": "*{label}*, decided by <@{user}> on {when}",
    "\nKommentar: {comment}": "\nComment: {comment}",
    "Inga ärenden ännu. KD lämnar över ett med `/arende <titel> [dnr] [ks ÅÅÅÅ-MM-DD]`.":
        "No cases yet. The KD hands one over with `/arende <title> [dnr] [ks YYYY-MM-DD]`.",
    "_inga_": "_none_",
    "_… och {count} äldre (hela listan finns i exporten)._": "_… and {count} older (the full list is in the export)._",
    "inlämnat {when}": "handed over on {when}",
    "beslutat {when}": "decided on {when}",
    "kommentar: {comment}": "comment: {comment}",
    "Ärendet finns inte längre.": "That case no longer exists.",
    "Bara KSO avgör ärenden: ärende #{nr} är oförändrat.": "Only the KSO decides cases: case #{nr} is unchanged.",
    "Ärende #{nr} är redan avgjort ({label}, av <@{user}> {when}). Inget ändrades.":
        "Case #{nr} has already been decided ({label}, by <@{user}> on {when}). Nothing was changed.",
    "<@{actor}> har avgjort ärende #{nr} ({title}): *{label}*.{note}":
        "<@{actor}> has decided case #{nr} ({title}): *{label}*.{note}",
    "Ärende #{nr} är avgjort: {label}. <@{user}> får veta det.": "Case #{nr} is decided: {label}. <@{user}> will be told.",
    "Ärende #{nr}: {label}": "Case #{nr}: {label}",
    "Skicka tillbaka": "Send back",
    "*Ärende #{nr}:* {title}": "*Case #{nr}:* {title}",
    "Vad behöver beredas mer?": "What needs more preparation?",
    # --- bot/presenters/arende.py (the listeners' words) -------------------------
    "Skriv ärendets titel efter kommandot: `/arende Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08`. "
    "Se `/arende hjälp`.":
        "Write the case title after the command: `/arende Zoning plan North Harbour KS 2026/123 ks 2026-12-08`. "
        "See `/arende help`.",
    "Knappen hör inte till något ärende.": "This button does not belong to any case.",
    "Skriv vad som behöver beredas mer.": "Write what needs more preparation.",
    "Formuläret hör inte till något ärende.": "This form does not belong to any case.",
    # --- bot/presenters/deadline.py (the words people type stay Swedish) ---------------------
    "`senast fredag`, `imorgon`, `18 december`, `18/12`, `vecka 51`, `om två veckor`, "
    "`i slutet av månaden` eller `ÅÅÅÅ-MM-DD`":
        "`senast fredag` (by Friday), `imorgon` (tomorrow), `18 december`, `18/12`, `vecka 51` (week 51), "
        "`om två veckor` (in two weeks), `i slutet av månaden` (at the end of the month) or `YYYY-MM-DD`",
    "Förstår inte slutdatumet {shown!r}. Skriv t.ex. {forms}.": "Can't read the deadline {shown!r}. Write e.g. {forms}.",
    "Slutdatumet {day} har redan varit: välj idag eller ett senare datum.":
        "The deadline {day} has already passed: choose today (`idag`) or a later date.",
    "Slutdatumet {shown!r} ligger mer än tio år fram: kontrollera årtalet.":
        "The deadline {shown!r} is more than ten years away: check the year.",
    "Vecka {week} {year} har ingen arbetsdag ({first}–{last}): välj en annan vecka eller ett datum.":
        "Week {week} of {year} has no working day ({first}–{last}): choose another week or a date.",
    "Det finns ingen arbetsdag mellan {first} och {last}: välj ett datum.":
        "There is no working day between {first} and {last}: choose a date.",
    "År {year} har ingen vecka {week}. Skriv t.ex. {forms}.": "{year} has no week {week}. Write e.g. {forms}.",
    "{day} är ingen {said}: kontrollera datumet eller veckodagen.": "{day} is not a {said}: check the date or the weekday.",
    "Skriv vilken dag efter `senast`, t.ex. {forms}.": "Write which day after `senast` (by), e.g. {forms}.",
    # --- bot/export.py: sheet titles, column headers, labels ----------------------
    "öppet": "open",
    "klart": "done",
    "väntar på KSO": "waiting for the KSO",
    "--from {date_from} ligger efter --to {date_to}.": "--from {date_from} is after --to {date_to}.",
    "Samspel: export för diariet": "Samspel: export for the registry (diarium)",
    "Par": "Pair",
    "Kanal": "Channel",
    "Från": "From",
    "Till": "To",
    "Tidszon": "Time zone",
    "(början)": "(start)",
    "(idag)": "(today)",
    "Uppdrag": "Assignments",
    "Nr": "No.",
    "Givet av": "Given by",
    "Givet": "Given",
    "Klart av": "Done by",
    "Klart": "Done",
    "Osäkerheter i uppdrag": "Questions on assignments",
    "Fråga": "Question",
    "Ställd av": "Asked by",
    "Ställd": "Asked",
    "Svar": "Answer",
    "Besvarad av": "Answered by",
    "Besvarad": "Answered",
    "Ärenden": "Cases",
    "Titel": "Title",
    "Dnr/länk": "Reg. no./link",
    "KS-möte": "KS meeting",
    "Lämnat av": "Handed over by",
    "Lämnat": "Handed over",
    "Beslut": "Decision",
    "Beslutat av": "Decided by",
    "Beslutat": "Decided",
    "Kommentar": "Comment",
    "Logg": "Log",
    "Tid": "Time",
    "Händelse": "Event",
    "Gäller": "Concerns",
    "uppdrag #{nr}": "assignment #{nr}",
    "fråga om uppdrag #{nr}": "question on assignment #{nr}",
    "ärende #{nr}": "case #{nr}",
    "\n:warning: {date} är en ledig dag ({reason}). Vill du ändra det, markera #{nr} klart och ge uppdraget på nytt.":
        "\n:warning: {date} is a day off ({reason}). To change it, mark #{nr} done and give the assignment again.",
    "Länken går inte att använda: skriv en hel adress som börjar med https://, utan mellanslag eller tecknen < > |.":
        "The link cannot be used: write a full address starting with https://, without spaces or the characters < > |.",
    # Said only when a deadline error reaches someone unworded (the edge words it with bot.presenters.deadline).
    "Förstår inte slutdatumet {shown!r}.": "Cannot read the deadline {shown!r}.",
}

EN_PLURAL = {
    ("*senast {date}: försenat {n} dag*", "*senast {date}: försenat {n} dagar*"):
        ("*due {date}: {n} day overdue*", "*due {date}: {n} days overdue*"),
    (": {n} försenat", ": {n} försenade"): (": {n} overdue", ": {n} overdue"),
}
