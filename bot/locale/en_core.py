"""English for the core: pairs, /samspel, help, shared texts."""

EN: dict[str, str] = {
    # help
    "Koppla paret och ställ in arbetstid, agenda och utvecklingssamtal": "Connect the pair and set working hours, agenda and development talk",
    "KSO:s uppdrag till KD": "The KSO's assignments (uppdrag) to the KD",
    "Färdigberedda ärenden som KSO avgör": "Cases ready for decision, decided by the KSO",
    "Skicka ett meddelande som respekterar arbetstiden": "Send a message that respects working hours",
    "Måndagsagendan": "The Monday agenda",
    "Era spelregler och utvecklingssamtalet": "Your spelregler (working rules) and the development talk",
    "Alla kommandon: `/samspel hjälp`": "All commands: `/samspel help`",
    "Meddelandegenvägen *Skicka med Samspel* (⋮ på ett meddelande) skickar det vidare enligt respektregeln.":
        "The message shortcut *Skicka med Samspel* (⋮ on a message) forwards it under the respekt rule.",
    "var rådsmötets ärendelista postas": "where the council meeting (rådsmöte) case list is posted",
    "datum för nästa utvecklingssamtal": "the date of the next development talk",
    "/uppdrag Ta fram underlag om skolskjutsar senast fredag": "/uppdrag Prepare a briefing on school transport senast fredag",
    "KSO ger KD ett uppdrag (senast tar också t.ex. nästa fredag, den 18 dec, 18/12 2027, v. 51, "
    "om 3 dagar, om 5 arbetsdagar och månadsskiftet; en vecka betyder dess sista arbetsdag)":
        "the KSO gives the KD an assignment (senast, in Swedish, also takes e.g. nästa fredag, den 18 dec, 18/12 2027, "
        "v. 51, om 3 dagar (in 3 days), om 5 arbetsdagar (in 5 working days) and månadsskiftet (month end); "
        "a week means its last working day)",
    "öppna uppdrag, försenade först": "open assignments, overdue first",
    "markera ett uppdrag som klart": "mark an assignment as done",
    "/uppdrag oklart 3 Gäller det även gymnasiet?": "/uppdrag oklart 3 Does it include upper secondary too?",
    "KD tar upp en osäkerhet i uppdraget": "the KD raises an uncertainty about the assignment",
    "/uppdrag svar 3 Ja, även gymnasiet": "/uppdrag svar 3 Yes, upper secondary too",
    "KSO svarar på osäkerheten": "the KSO answers the uncertainty",
    "/arende Detaljplan Norra hamnen KS 2026/123 ks 2026-12-08": "/arende Zoning plan North harbour KS 2026/123 ks 2026-12-08",
    "KD lämnar över ett färdigberett ärende": "the KD hands over a case ready for decision",
    "ärenden som väntar, gått till KS eller återgått": "cases waiting, sent to KS or returned",
    "/meddela Kan vi ta budgeten på måndag?": "/meddela Can we take the budget on Monday?",
    "levereras inom mottagarens arbetstid": "delivered within the recipient's working hours",
    "/meddela akut Brand på Rudbecksskolan, ring mig": "/meddela akut Fire at Rudbeck school, call me",
    "levereras direkt, även helg": "delivered at once, weekends too",
    "dina meddelanden som hålls, med Ångra och Skicka nu som akut": "your held messages, with Undo and Send now as urgent",
    "förhandsvisar nästa agenda": "previews the next agenda",
    "/agenda + incident Läckan i simhallen": "/agenda + incident The leak at the swimming hall",
    "lägger till en punkt": "adds a point",
    "visar gällande spelregler": "shows the current spelregler",
    "öppnar ett formulär och sparar en ny version": "opens a form and saves a new version",
    "utvecklingssamtalet är hållet": "the development talk has been held",
    "tidigare versioner med författare": "earlier versions with their authors",
    "visar en äldre version": "shows an older version",
    "• `{command} {syntax}`: {what}. Exempel: `{example}`": "• `{command} {syntax}`: {what}. Example: `{example}`",
    # pairs and /samspel
    "Det här kan bara parets KSO och KD använda.": "Only the pair's KSO and KD can use this.",
    "Den här kanalen är inte kopplad till något par. Koppla den med `/samspel koppla @kso @kd`.":
        "This channel is not connected to a pair. Connect it with `/samspel koppla @kso @kd`.",
    "Du finns i flera par: använd kommandot i parets egen kanal.": "You are in more than one pair: use the command in the pair's own channel.",
    "Det finns inget par med id {pair_id}.": "There is no pair with id {pair_id}.",
    "Ange två personer, först KSO och sedan KD: `/samspel koppla @kso @kd`.": "Name two people, the KSO first and then the KD: `/samspel koppla @kso @kd`.",
    "KSO och KD måste vara två olika personer.": "The KSO and the KD must be two different people.",
    "Samspel kan inte själv vara KSO eller KD: nämn två personer.": "Samspel itself cannot be the KSO or the KD: name two people.",
    "Du kan bara koppla ett par där du själv är KSO eller KD.": "You can only connect a pair in which you are the KSO or the KD.",
    "Den här kanalen är redan kopplad till ett par. Se `/samspel status`.": "This channel is already connected to a pair. See `/samspel status`.",
    "Förstår inte dagarna {text}: skriv t.ex. `mån-fre` eller `mån,tis,ons`.":
        "I don't understand the days {text}: write e.g. `mån-fre` (Mon–Fri) or `mån,tis,ons` (Swedish day names).",
    "Dagarna ska anges i ordning, t.ex. `mån-fre`.": "Give the days in order, e.g. `mån-fre`.",
    "Skriv arbetstiden som `/samspel arbetstid 08:00-17:00` (och gärna dagar: `mån-fre`).":
        "Write the working hours as `/samspel arbetstid 08:00-17:00` (and optionally days: `mån-fre`).",
    "Förstår inte {text}: skriv t.ex. `08:00-17:00`.": "I don't understand {text}: write e.g. `08:00-17:00`.",
    "Arbetstiden måste börja före den slutar, t.ex. `08:00-17:00`.": "Working hours must start before they end, e.g. `08:00-17:00`.",
    "Måndagsagendan kommer kl. {time} på veckans första arbetsdag.": "The Monday agenda comes at {time} on the first working day of the week.",
    "Rådsmötesagendan är avstängd.": "The council meeting (rådsmöte) agenda is turned off.",
    "Ange kanalen så här: `/samspel rådsmöte #kanal` (och gärna tid: `13:00`).":
        "Give the channel like this: `/samspel rådsmöte #channel` (and optionally a time: `13:00`).",
    "Förstår inte tiden {text}: skriv t.ex. `13:00`.": "I don't understand the time {text}: write e.g. `13:00`.",
    "Rådsmötesagendan postas i <#{channel}> kl. {time} på mötesdagen.":
        "The council meeting (rådsmöte) agenda is posted in <#{channel}> at {time} on the meeting day.",
    "Skriv datumet som `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`.": "Write the date as `/samspel utvecklingssamtal YYYY-MM-DD`.",
    "{day} har redan varit: välj ett kommande datum.": "{day} has already passed: choose a coming date.",
    "fyra veckor innan": "four weeks before",
    "en vecka innan": "one week before",
    "på dagen": "on the day",
    "Nästa utvecklingssamtal är {iso} ({day} {year}).": "The next development talk is {iso} ({day} {year}).",
    "{first} och {last}": "{first} and {last}",
    "Ni får en påminnelse snart och sedan {stages}.": "You will get a reminder soon and then {stages}.",
    "Ni får påminnelser {stages}.": "You will get reminders {stages}.",
    "Ni får en påminnelse snart.": "You will get a reminder soon.",
    ":warning: Det är en ledig dag ({reason}): påminnelsen på dagen kommer först nästa arbetsdag. "
    "Välj en arbetsdag med `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`.":
        ":warning: That is a day off ({reason}): the reminder for the day only comes on the next working day. "
        "Choose a working day with `/samspel utvecklingssamtal YYYY-MM-DD`.",
    "<#{channel}> kl. {time}": "<#{channel}> at {time}",
    "inte inställt": "not set",
    "*Samspel i <#{channel}>*": "*Samspel in <#{channel}>*",
    "• Rådsmöte: {radsmote}": "• Council meeting (rådsmöte): {radsmote}",
    "• Nästa utvecklingssamtal: {day}": "• Next development talk: {day}",
    "• Meddelanden som hålls enligt respektregeln: {held}": "• Messages held under the respekt rule: {held}",
    ":warning: Samspel kunde inte posta i <#{channel}> ({error}). Bjud in Samspel där med `/invite @Samspel`, "
    "eller ändra kanalen med `/samspel rådsmöte #kanal`.":
        ":warning: Samspel could not post in <#{channel}> ({error}). Invite Samspel there with `/invite @Samspel`, "
        "or change the channel with `/samspel rådsmöte #channel`.",
    "Okänt kommando `{verb}`.": "Unknown command `{verb}`.",
    # text.check_length
    "Texten": "The text",
    "Titeln": "The title",
    "Kommentaren": "The comment",
    "Punkten": "The point",
    "Uppdraget": "The assignment",
    "Frågan": "The question",
    "Svaret": "The answer",
    "{what} är tomt: skriv något efter kommandot.": "{what} is empty: write something after the command.",
    "{what} är tom: skriv något efter kommandot.": "{what} is empty: write something after the command.",
    "{what} är för långt ({n} tecken): högst {max} tecken går att skicka.": "{what} is too long ({n} characters): at most {max} characters can be sent.",
    "{what} är för lång ({n} tecken): högst {max} tecken går att skicka.": "{what} is too long ({n} characters): at most {max} characters can be sent.",
    # CLI
    "Databasen är uppgraderad.": "The database is up to date.",
    "Kan inte nå databasen (DATABASE_URL): {error}. Kontrollera adressen och att databasen kör.":
        "Cannot reach the database (DATABASE_URL): {error}. Check the address and that the database is running.",
    "Slack svarade {code}: kontrollera SLACK_BOT_TOKEN (och SLACK_API_URL).": "Slack answered {code}: check SLACK_BOT_TOKEN (and SLACK_API_URL).",
    "Något gick fel hos Samspel, så inget sparades. Försök igen om en stund.":
        "Something went wrong in Samspel, so nothing was saved. Please try again shortly.",
    # /samspel språk
    "Skriv `/samspel språk sv`, `/samspel språk en` eller `/samspel språk auto` (som din Slack).":
        "Write `/samspel språk sv`, `/samspel språk en` or `/samspel språk auto` (as your Slack).",
    "svenska": "Swedish",
    "engelska": "English",
    "Samspel följer nu språket i din Slack och skriver till dig på {language}.":
        "Samspel now follows the language of your Slack and writes to you in {language}.",
    "Samspel skriver nu till dig på {language}.": "Samspel now writes to you in {language}.",
    "Det ni ser tillsammans (parets kanal, agendan) är på parets språk, som är KSO:ns. "
    "`/samspel språk auto` följer Slack igen.":
        "What you both see (the pair channel, the agenda) is in the pair's language, which is the KSO's. "
        "`/samspel språk auto` follows Slack again.",
    "ditt eget språk: sv, en, eller auto för språket i din Slack":
        "your own language: sv, en, or auto for the language of your Slack",
}

EN_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    # the Home tab
    (":warning: *{n} försenat*: det står först.", ":warning: *{n} försenade*: de står först."):
        (":warning: *{n} overdue*: it is listed first.", ":warning: *{n} overdue*: they are listed first."),
    # /samspel status
    ("• :warning: {n} meddelande kunde inte levereras (senast: {error}). Kontrollera att Samspel är inbjuden i kanalen.",
     "• :warning: {n} meddelanden kunde inte levereras (senast: {error}). Kontrollera att Samspel är inbjuden i kanalen."):
        ("• :warning: {n} message could not be delivered (latest: {error}). Check that Samspel is invited to the channel.",
         "• :warning: {n} messages could not be delivered (latest: {error}). Check that Samspel is invited to the channel."),
}
