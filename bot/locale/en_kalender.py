"""English for each person's calendar feed (`/samspel kalender`) and the spelregler on the channel canvas."""

EN = {
    # hjälp
    "din privata kalenderlänk för Outlook med mötena, rådsmötet, KS och utvecklingssamtalet "
    "(i Socket Mode: en kalenderfil i ditt DM); `ny` ger en ny länk och den gamla slutar fungera":
        "your private calendar link for Outlook with the meetings, the council meeting, KS and the development talk "
        "(in Socket Mode: a calendar file in your DM); `ny` gives a new link and the old one stops working",
    # /samspel kalender
    "Du är inte med i något aktivt par ännu, så kalendern har inget att visa. "
    "Koppla ett par med `/samspel koppla @kso @kd`.":
        "You are not in an active pair yet, so the calendar has nothing to show. "
        "Connect a pair with `/samspel koppla @kso @kd`.",
    "Du har fått en ny kalenderlänk. Den gamla slutar fungera nu, så en kalender som "
    "prenumererar på den behöver den nya länken.":
        "You have a new calendar link. The old one stops working now, so a calendar subscribed to it "
        "needs the new link.",
    "Din privata kalenderlänk (måndagsmötena, rådsmötet, KS-mötena och utvecklingssamtalet "
    "för alla dina par): {url}":
        "Your private calendar link (the Monday meetings, the council meeting, the KS meetings and the "
        "development talk for all your pairs): {url}",
    "I Outlook: *Lägg till kalender → Från internet*, klistra in länken och spara. "
    "Kalendern uppdateras av sig själv.":
        "In Outlook: *Add calendar → Subscribe from web*, paste the link and save. "
        "The calendar keeps itself up to date.",
    "Länken är personlig: dela den inte. Har någon annan fått den: `/samspel kalender ny`.":
        "The link is personal: do not share it. If someone else has it: `/samspel kalender ny`.",
    "Kalenderlänken kräver att Samspels administratör sätter SAMSPEL_PUBLIC_URL (tjänstens "
    "publika https-adress). Fråga hen, och försök sedan igen.":
        "The calendar link needs Samspel's administrator to set SAMSPEL_PUBLIC_URL (the service's "
        "public https address). Ask them, then try again.",
    "Samspel: dina möten": "Samspel: your meetings",
    "Här är din kalender från Samspel: måndagsmötena, rådsmötet, KS-mötena och utvecklingssamtalet. "
    "Öppna filen för att lägga in dem i Outlook. Hämta en ny fil med `/samspel kalender` när något "
    "ändras.":
        "Here is your calendar from Samspel: the Monday meetings, the council meeting, the KS meetings and the "
        "development talk. Open the file to add them to Outlook. Get a new file with `/samspel kalender` when "
        "something changes.",
    "Kalenderfilen kommer strax i ditt direktmeddelande från Samspel. Samspel har ingen publik adress "
    "här, så en prenumerationslänk finns inte: hämta en ny fil när något ändras.":
        "The calendar file is on its way to your direct messages from Samspel. Samspel has no public address "
        "here, so there is no subscription link: get a new file when something changes.",
    "Din gamla kalenderlänk fungerar inte längre.": "Your old calendar link no longer works.",
    # the spelregler canvas
    "Version {version}, sparad {when} ({day}) av {author}": "Version {version}, saved {when} ({day}) by {author}",
    "Samspel skriver den här canvasen när ni sparar en ny version; alla versioner finns kvar "
    "i Samspel (`/spelregler versioner`). Ändra med `/spelregler uppdatera`: det som skrivs "
    "direkt här ersätts vid nästa version.":
        "Samspel writes this canvas when you save a new version; every version of your rules of the game is kept in Samspel "
        "(`/spelregler versioner`). Change them with `/spelregler uppdatera`: what is written directly here "
        "is replaced by the next version.",
    "Spelreglerna": "Your rules of the game (spelregler)",
    "*Gällande spelregler*: {byline}. Läs dem i kanalens canvas: {link}.":
        "*Your current rules of the game*: {byline}. Read them in the channel's canvas: {link}.",
}
