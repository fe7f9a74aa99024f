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
    "Skriv `/samspel språk sv` eller `/samspel språk en`.": "Write `/samspel språk sv` or `/samspel språk en`.",
    # onboarding: the welcome, the channel intro, the forms (bot/presenters/onboarding.py, help.py)
    "Genvägen *Nytt uppdrag* (⚡ i meddelandefältet) öppnar ett formulär där KSO ger KD ett uppdrag med slutdatum. "
    "Knappen *Koppla paret* (i kanalen när Samspel bjuds in, och på fliken *Hem*) gör samma sak som `/samspel koppla`, "
    "och fliken *Hem* har knappar för arbetstid, lediga dagar, agendatid och utvecklingssamtal.":
        "The shortcut *Nytt uppdrag* (⚡ in the message box) opens a form where the KSO gives the KD an assignment with "
        "a deadline. The *Koppla paret* button (in the channel when Samspel is invited, and on the *Home* tab) does "
        "the same as `/samspel koppla`, and the *Home* tab has buttons for working hours, days off, agenda time and "
        "the development talk.",
    "Välkommen till Samspel! Samspel hjälper KSO och KD att styra och leda tillsammans: måndagsagendan, uppdrag, "
    "ärenden för beslut och respekt för varandras fritid.\nKoppla ert par i er privata kanal med "
    "`/samspel koppla @kso @kd`, eller med knappen.":
        "Welcome to Samspel! Samspel helps the KSO and the KD lead together: the Monday agenda, assignments, cases for "
        "decision and respect for each other's free time.\nConnect your pair in your private channel with "
        "`/samspel koppla @kso @kd`, or with the button.",
    "Välkommen till Samspel! Du är {roles}. Under fliken *Hem* här ser du vad som väntar och ställer in din arbetstid "
    "och lediga dagar. Alla kommandon: `/samspel hjälp`.":
        "Welcome to Samspel! You are {roles}. On the *Home* tab here you see what is waiting and set your working "
        "hours and days off. All commands: `/samspel help`.",
    "Ett nytt uppdrag till KD ger du med `/uppdrag` eller genvägen *Nytt uppdrag* (⚡ i meddelandefältet).":
        "You give the KD a new assignment with `/uppdrag` or the shortcut *Nytt uppdrag* (⚡ in the message box).",
    "Hej! Jag är Samspel. Jag hjälper KSO och KD att styra och leda tillsammans: måndagsagendan, uppdrag, ärenden för "
    "beslut och respekt för varandras fritid.\nKoppla paret här med `/samspel koppla @kso @kd` (först KSO, sedan KD) "
    "eller med knappen. Den andra av er godkänner i ett direktmeddelande från Samspel.":
        "Hello! I am Samspel. I help the KSO and the KD lead together: the Monday agenda, assignments, cases for "
        "decision and respect for each other's free time.\nConnect the pair here with `/samspel koppla @kso @kd` "
        "(the KSO first, then the KD) or with the button. The other one of you accepts in a direct message from Samspel.",
    ":lock: Det här är en öppen kanal, och parets kanal måste vara privat så att bara ni två och Samspel läser er "
    "agenda. Skapa en privat kanal för er två och bjud in Samspel dit.":
        ":lock: This is a public channel, and the pair's channel must be private, so that only the two of you and "
        "Samspel read your agenda. Create a private channel for the two of you and invite Samspel there.",
    ":wave: *Välkommen till Samspel!* Samspel hjälper kommunstyrelsens ordförande (KSO) och kommundirektören (KD) "
    "att styra och leda tillsammans, efter de spelregler ni kommer överens om.":
        ":wave: *Welcome to Samspel!* Samspel helps the chair of the municipal executive board (KSO) and the "
        "municipal director (KD) lead together, by the working rules (spelregler) you agree on.",
    "*KSO* ger uppdrag till KD och avgör om ärenden är tillräckligt beredda för KS.\n*KD* lämnar över "
    "färdigberedda ärenden och tar upp det som är oklart i ett uppdrag.\n*Ni båda* får måndagsagendan och "
    "påminnelser om utvecklingssamtalet, och era meddelanden till varandra väntar till mottagarens arbetstid om de "
    "inte är akuta.":
        "*The KSO* gives the KD assignments and decides whether cases are prepared well enough for the KS.\n*The KD* "
        "hands over cases ready for decision and raises what is unclear in an assignment.\n*Both of you* get the "
        "Monday agenda and reminders of the development talk, and your messages to each other wait for the "
        "recipient's working hours unless they are urgent.",
    "*Kom igång:* skapa en privat kanal för er två och bjud in Samspel (`/invite @Samspel`). Skriv sedan "
    "`/samspel koppla @kso @kd` där, eller tryck på knappen.":
        "*Get started:* create a private channel for the two of you and invite Samspel (`/invite @Samspel`). Then type "
        "`/samspel koppla @kso @kd` there, or press the button.",
    ":wave: *Välkommen till Samspel!* Här ser du för varje par era öppna uppdrag, ärenden som väntar och dina "
    "meddelanden som hålls, och under *Inställningar* ställer du in din arbetstid, lediga dagar, agendatid och "
    "utvecklingssamtalet. Alla kommandon: `/samspel hjälp`.":
        ":wave: *Welcome to Samspel!* Here you see, for each pair, your open assignments, cases waiting and your held "
        "messages, and under *Settings* you set your working hours, days off, agenda time and the development talk. "
        "All commands: `/samspel help`.",
    "{role} i <#{channel}>": "{role} in <#{channel}>",
    "Koppla paret": "Connect the pair",
    "Föreslå": "Propose",
    "Föreslå <#{channel}> som ert pars kanal. Den andra av er får ett direktmeddelande från Samspel och godkänner; "
    "först då finns paret.":
        "Propose <#{channel}> as your pair's channel. The other one of you gets a direct message from Samspel and "
        "accepts; only then does the pair exist.",
    "Välj er privata kanal, där ni båda och Samspel är med. Den andra av er får ett direktmeddelande från Samspel och "
    "godkänner; först då finns paret.":
        "Choose your private channel, where both of you and Samspel are members. The other one of you gets a direct "
        "message from Samspel and accepts; only then does the pair exist.",
    "Parets kanal": "The pair's channel",
    "KSO (kommunstyrelsens ordförande)": "KSO (chair of the executive board)",
    "KD (kommundirektör)": "KD (municipal director)",
    "Du är inte med i något par ännu. Skapa en privat kanal för er två, bjud in Samspel (`/invite @Samspel`) och "
    "skriv `/samspel koppla @kso @kd` där.":
        "You are not in a pair yet. Create a private channel for the two of you, invite Samspel (`/invite @Samspel`) "
        "and type `/samspel koppla @kso @kd` there.",
    "Nytt uppdrag": "New assignment",
    "Ge uppdraget": "Give the assignment",
    "Senast": "Deadline",
    "Till KD <@{kd}> i <#{channel}>. KD får beskedet inom sin arbetstid.":
        "To the KD <@{kd}> in <#{channel}>. The KD hears of it within their working hours.",
    "Parets kanal: uppdraget går till KD i det paret.": "The pair's channel: the assignment goes to the KD of that pair.",
    "Välj en av era parkanaler.": "Choose one of your pair channels.",
    "Välj ett datum i kalendern.": "Pick a date in the calendar.",
    "Knappen fungerar inte längre. Öppna fliken *Hem* i Samspel igen.":
        "This button no longer works. Open Samspel's *Home* tab again.",
    "*Inställningar*": "*Settings*",
    "Ändra": "Change",
    "Lägg till": "Add",
    "Spara": "Save",
    "*Din arbetstid:* {hours}": "*Your working hours:* {hours}",
    "*Dina lediga dagar:* {days}": "*Your days off:* {days}",
    "inga utöver helgdagarna": "none besides public holidays",
    "*Måndagsagendan:* {when}": "*The Monday agenda:* {when}",
    "*Utvecklingssamtalet:* {day}": "*The development talk:* {day}",
    "_KSO bestämmer datumet._": "_The KSO sets the date._",
    "Din egen arbetstid i <#{channel}>: meddelanden till dig väntar utanför den.":
        "Your own working hours in <#{channel}>: messages to you wait outside them.",
    "Börjar": "Starts",
    "Slutar": "Ends",
    "Arbetsdagar": "Working days",
    "En ledig dag, eller flera i följd, utöver helgdagarna. Meddelanden till dig väntar till nästa arbetsdag.":
        "A day off, or several in a row, besides public holidays. Messages to you wait until the next working day.",
    "Första dagen": "First day",
    "Sista dagen": "Last day",
    "Anteckning": "Note",
    "När måndagsagendan postas i <#{channel}>.": "When the Monday agenda is posted in <#{channel}>.",
    "Dag": "Day",
    "Klockan": "Time",
    "På mötesdagen": "On the meeting day",
    "Arbetsdagen före mötet": "The working day before the meeting",
    "Det årliga utvecklingssamtalet, som KSO håller med KD. Ni får påminnelser före.":
        "The yearly development talk, which the KSO holds with the KD. You get reminders before it.",
    "Datum": "Date",
    "Arbetstid": "Working hours",
    "Lediga dagar": "Days off",
    "Agendatid": "Agenda time",
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
