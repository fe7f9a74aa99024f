"""English for spelregler, the utvecklingssamtal (reminders, material), the year's report and the calendar file.

The section headings of the spelregler are translated for display only: the stored keys and the
template text (from Örebro's spelregler) stay Swedish.
"""

EN: dict[str, str] = {
    # --- spelregler: section headings (shown; stored keys stay Swedish) ---
    "Uppdraget – det gemensamma": "Our shared mission",
    "Fokus på de närmaste åren": "Focus for the coming years",
    "Ordförandes uppdrag och ansvar": "The chair's role and responsibilities",
    "Chefens uppdrag och ansvar": "The director's role and responsibilities",
    "Möten och kontakter": "Meetings and contacts",
    "Vårt samarbete": "How we work together",
    "Tillgänglighet för varandra och vårt förhållningssätt": "Being available to each other, and how we behave",
    "Utvecklingssamtal": "Development talk",
    # --- spelregler: showing, versions, the form ---
    "Våra spelregler": "Our rules of the game (spelregler)",
    "Spelregler, version {version}": "Rules of the game, version {version}",
    "Gällande spelregler": "Your current rules of the game (spelregler)",
    "Samspel (mall från Örebros spelregler)": "Samspel (template from Örebro's spelregler)",
    "Version {version}, sparad {when} av {author}": "Version {version}, saved {when} by {author}",
    "Rubrikerna är översatta, men texten är ert eget dokument och visas som den skrevs. Mallens text "
    "kommer från Örebros spelregler och är på svenska: ersätt den med era egna ord med "
    "`/spelregler uppdatera`.":
        "Note: the headings are translated, but the text is your own document and is shown as it was written. "
        "The template text comes from Örebro's spelregler and is in Swedish: replace it with your own words "
        "using `/spelregler uppdatera`.",
    "(tomt)": "(empty)",
    "*Spelreglernas versioner* (nyast först)": "*Versions of your spelregler* (newest first)",
    "• Version {version}: {when}, {author}": "• Version {version}: {when}, {author}",
    "Visa en äldre version med `/spelregler version <nr>`.":
        "To see an older version, use `/spelregler version <nr>`.",
    "Det finns ingen version {number}: ni har version 1–{count}. Se `/spelregler versioner`.":
        "There is no version {number}: you have versions 1–{count}. See `/spelregler versioner`.",
    "Ange versionens nummer: `/spelregler version 2`. Se `/spelregler versioner`.":
        "Give the version number: `/spelregler version 2`. See `/spelregler versioner`.",
    "Uppdatera": "Update",
    "Uppdatera spelreglerna": "Update the spelregler",
    "Spelregler": "Rules of the game",
    "Spara ny version": "Save new version",
    "Avbryt": "Cancel",
    "Du utgår från version {version}. När du sparar blir det version {next}, "
    "med dig som författare; de äldre versionerna finns kvar.":
        "You are starting from version {version}. When you save, it becomes version {next}, "
        "with you as the author; the older versions are kept.",
    "Formuläret gick inte att öppna just nu. Försök igen om en stund.":
        "The form could not be opened just now. Please try again in a moment.",
    "{who} sparade version {version} medan du skrev. Stäng formuläret och öppna det igen, "
    "så utgår du från den senaste versionen.":
        "{who} saved version {version} while you were writing. Close the form and open it again "
        "to start from the latest version.",
    "Avsnittet ”{heading}” är för långt ({length} tecken): högst {limit}.":
        "The section “{heading}” is too long ({length} characters): the limit is {limit}.",
    "Alla avsnitt är tomma: skriv era spelregler innan du sparar.":
        "Every section is empty: write your spelregler before you save.",
    "Inga ändringar jämfört med version {version}: inget nytt har sparats.":
        "No changes compared with version {version}: nothing new was saved.",
    ":memo: <@{user}> sparade version {version} av era spelregler. "
    "Visa dem med `/spelregler`, tidigare versioner med `/spelregler versioner`.":
        ":memo: <@{user}> saved version {version} of your spelregler. "
        "See them with `/spelregler`, and earlier versions with `/spelregler versioner`.",
    "Okänt kommando `{verb}`.": "Unknown command `{verb}`.",
    # --- the development talk: recording it ---
    "Utvecklingssamtalet är registrerat som genomfört. Nästa utvecklingssamtal: {next} (ändra med "
    "`/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`).\n"
    "Nu är det dags att spara de spelregler ni kom fram till.":
        "The development talk is recorded as held. Next development talk: {next} (change it with "
        "`/samspel utvecklingssamtal YYYY-MM-DD`).\n"
        "Now is the time to save the spelregler you agreed on.",
    ":white_check_mark: <@{user}> har registrerat att utvecklingssamtalet är genomfört. "
    "Nästa utvecklingssamtal: {next}. "
    "Spara de uppdaterade spelreglerna med `/spelregler uppdatera`.":
        ":white_check_mark: <@{user}> has recorded the development talk as held. "
        "Next development talk: {next}. "
        "Save the updated spelregler with `/spelregler uppdatera`.",
    "Utvecklingssamtalet registrerades redan {held} av <@{user}>. Nästa är {next}.":
        "The development talk was already recorded on {held} by <@{user}>. The next one is on {next}.",
    # --- the development talk: reminders ---
    ":calendar: *Utvecklingssamtalet {when}* ({day}).": ":calendar: *The development talk {when}* ({day}).",
    "är i dag": "is today",
    "är i morgon": "is tomorrow",
    # Small numbers in words: "är om fyra veckor" / "is in four weeks".
    "två": "two",
    "tre": "three",
    "fyra": "four",
    "fem": "five",
    "sex": "six",
    "Du håller samtalet med <@{kd}>. Då utvärderar och uppdaterar ni också era spelregler.":
        "You hold the talk with <@{kd}>. That is also when you review and update your spelregler.",
    "<@{kso}> håller samtalet med dig. Då utvärderar och uppdaterar ni också era spelregler.":
        "<@{kso}> holds the talk with you. That is also when you review and update your spelregler.",
    "Underlaget med årets siffror kommer i <#{channel}> två veckor innan.":
        "The material with this year's figures will be posted in <#{channel}> two weeks before.",
    "Underlaget med årets siffror finns i <#{channel}>.":
        "The material with this year's figures is in <#{channel}>.",
    "Har ni redan hållit samtalet? Skriv `/spelregler genomfört`, så slutar påminnelserna. "
    "Nytt datum: `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`.":
        "Have you already held the talk? Type `/spelregler genomfört` and the reminders stop. "
        "New date: `/samspel utvecklingssamtal YYYY-MM-DD`.",
    "När samtalet är hållet: `/spelregler genomfört`. Ändra datum: `/samspel utvecklingssamtal ÅÅÅÅ-MM-DD`.":
        "Once the talk is held: `/spelregler genomfört`. To change the date: "
        "`/samspel utvecklingssamtal YYYY-MM-DD`.",
    ":calendar: Utvecklingssamtalet är flyttat från {old} till *{new}*. "
    "Ni får nästa påminnelse enligt det nya datumet.":
        ":calendar: The development talk has moved from {old} to *{new}*. "
        "Your next reminder follows the new date.",
    ":calendar: Utvecklingssamtalet är flyttat till *{new}*. Ni får nästa påminnelse enligt det nya datumet.":
        ":calendar: The development talk has moved to *{new}*. Your next reminder follows the new date.",
    # --- the development talk: the material post ---
    "Underlag för utvecklingssamtalet": "Material for the development talk",
    "Utvecklingssamtalet är {day}: <@{kso}> håller det med <@{kd}>. "
    "Här är underlaget: årets siffror och era gällande spelregler, som ni utvärderar och uppdaterar vid "
    "samtalet. Efteråt: `/spelregler genomfört`.":
        "The development talk is on {day}: <@{kso}> holds it with <@{kd}>. "
        "Here is the material: this year's figures and your current spelregler, which you review and update "
        "at the talk. Afterwards: `/spelregler genomfört`.",
    "Underlag för utvecklingssamtalet {day}: årets siffror och era spelregler.":
        "Material for the development talk on {day}: this year's figures and your spelregler.",
    # --- the year in figures (rapport) ---
    "Året i siffror ({period})": "The year in figures ({period})",
    "*Året i siffror* ({period})": "*The year in figures* ({period})",
    "Uppdrag": "Assignments",
    "Ärenden": "Cases",
    "Meddelanden": "Messages",
    "Agenda": "Agenda",
    "Givna": "Given",
    "Klara": "Done",
    "Klara efter slutdatum": "Done after the due date",
    "Öppna efter slutdatum (i dag)": "Open past the due date (today)",
    "Överlämnade": "Handed over",
    "Till KS": "To KS",
    "Åter för beredning": "Back for preparation",
    "Väntar på beslut": "Awaiting a decision",
    "Median dagar till beslut": "Median days to decision",
    "Skickade via Samspel": "Sent through Samspel",
    "Hållna enligt respektregeln": "Held until working hours (the respekt rule)",
    "Akuta": "Urgent",
    "Akuta på helg/helgdag": "Urgent on a weekend or holiday",
    "Akuta på vardagskväll": "Urgent on a weekday evening",
    "Punkter som legat kvar 3 veckor eller mer": "Points carried over 3 weeks or more",
    "Skäl till akuta meddelanden utanför arbetstid": "Reasons given for urgent messages outside working hours",
    "Agendapunkter som legat kvar 3 veckor eller mer": "Agenda points carried over 3 weeks or more",
    "helg/helgdag": "weekend/holiday",
    "vardagskväll": "weekday evening",
    "(inget skäl angivet)": "(no reason given)",
    "{day} ({when}, från {role}): {reason}": "{day} ({when}, from the {role}): {reason}",
    "fortfarande öppen": "still open",
    "stängd": "closed",
    "{text} (lagd {created}, {weeks} veckor, {state})": "{text} (added {created}, {weeks} weeks, {state})",
    "• … och {more} till (se `python -m bot rapport`)": "• … and {more} more (see `python -m bot rapport`)",
    "Så räknas siffrorna": "How the figures are counted",
    "Perioden är de senaste 12 månaderna till och med i dag, i parets tidszon.":
        "The period is the last 12 months up to and including today, in the pair's time zone.",
    "Klara efter slutdatum: klarmarkerade ett senare datum än slutdatumet.":
        "Done after the due date: marked done on a later date than the due date.",
    "Öppna efter slutdatum: öppna i dag med slutdatum före i dag, oavsett när de gavs.":
        "Open past the due date: open today with a due date before today, however long ago they were given.",
    "Median dagar till beslut: kalenderdagar från överlämning till beslut, för ärenden överlämnade under "
    "perioden.":
        "Median days to decision: calendar days from handover to decision, for cases handed over in the period.",
    "Skickade: meddelanden via Samspel som inte ångrades. Akuta räknas den dag de blev akuta "
    "(skickade som akut, eller hållna och sedan skickade som akut).":
        "Sent: messages through Samspel that were not withdrawn. Urgent messages count on the day they became "
        "urgent (sent as urgent, or held and then sent as urgent).",
    "Helg/helgdag: lördag, söndag, helgdag samt midsommar-, jul- och nyårsafton. "
    "Vardagskväll: en arbetsdag utanför arbetstiden.":
        "Weekend/holiday: Saturday, Sunday, public holidays, and Midsummer Eve, Christmas Eve and "
        "New Year's Eve. Weekday evening: a working day outside working hours.",
    "Agendapunkter: punkter som var öppna under perioden och låg kvar minst 21 dagar innan de stängdes "
    "(eller ännu är öppna).":
        "Agenda points: points open at some time in the period that stayed at least 21 days before they were "
        "closed (or are still open).",
    "område": "area",
    "mått": "measure",
    "värde": "value",
    "Period": "Period",
    "Från": "From",
    "Till": "To",
    "Akut skäl": "Urgent reason",
    "{day} {when} från {role}": "{day} {when} from the {role}",
    "Agendapunkt kvar": "Agenda point carried over",
    "{created} ({weeks} veckor)": "{created} ({weeks} weeks)",
    "Okänt format {fmt!r}: välj markdown eller csv.": "Unknown format {fmt!r}: choose markdown or csv.",
    # --- the calendar file (ics) ---
    "Samspel: KSO och KD": "Samspel: KSO and KD",
    "Måndagsmöte KSO och KD": "Monday meeting, KSO and KD",
    "Veckans möte enligt spelreglerna: status för politiska beslut och uppdrag, "
    "ärenden till KS, nya uppdrag, prioriteringar, osäkerheter, information, incidenter, "
    "olösta och kommande frågor. Agendan kommer i Slack.":
        "This week's meeting under your spelregler: status of political decisions and assignments, "
        "cases for KS, new assignments, priorities, uncertainties, information, incidents, "
        "unresolved and upcoming issues. The agenda comes in Slack.",
    "Flyttat från måndag {day} ({reason}).": "Moved from Monday {day} ({reason}).",
    "egen ledig dag": "one of your own days off",
    "helg": "weekend",
    "ledig dag": "day off",
    "Utvecklingssamtal KSO och KD": "Development talk, KSO and KD",
    "Det årliga utvecklingssamtalet som KSO håller med KD. Då utvärderas och "
    "uppdateras även spelreglerna. Efteråt: /spelregler genomfört i Slack.":
        "The yearly development talk that the KSO holds with the KD, when the spelregler are also reviewed "
        "and updated. Afterwards: /spelregler genomfört in Slack.",
    # The talk material: the workshop's prompts (seed 000) and the year's incidents.
    "Vilka mål/löften är viktigast att fokusera på?": "Which goals and promises matter most to focus on?",
    "Hur arbetsfördelning ska vara mellan oss?": "How should the work be divided between us?",
    "Hur vi ska samarbeta?": "How are we to work together?",
    "Hur ska vi styra och leda tillsammans?": "How are we to govern and lead together?",
    "Politisk styrning genom visioner, mål och uppföljning": "Political governance through visions, goals and follow-up",
    "Struktur i styrningen och uppdragen": "Structure in the governance and the assignments",
    "Dialog": "Dialogue",
    "Förtroende och tillit": "Confidence and trust",
    "En kultur för medskapande och förnyelse": "A culture of co-creation and renewal",
    "*Att samtala om*": "*To talk about*",
    "För att uppnå det gemensamma uppdraget och för att öka genomslag och resultat av politiken är det bra att komma "
    "överens om:":
        "To achieve the shared mission, and to give policy more impact and results, it helps to agree on:",
    "*Framgångsfaktorer:* hur väl lever vi upp till dem?": "*Success factors:* how well do we live up to them?",
    "*Årets incidenter och hur de klarades ut*": "*This year's incidents and how they were cleared up*",
    "Inga incidenter på agendan under året.": "No incidents on the agenda this year.",
    "• {day}: {text} · fortfarande öppen": "• {day}: {text} · still open",
    "• {day}: {text} · stängd {closed}": "• {day}: {text} · closed {closed}",
    "• {day}: {text} · klarades ut {closed}: {note} (uppföljning: {owner})":
        "• {day}: {text} · cleared up {closed}: {note} (follow-up: {owner})",
    "• … och {more} till (se exporten för diariet)": "• … and {more} more (see the export for the records)",
}

EN_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    # --- utvecklingssamtal: when the talk is, as seen on the day a reminder arrives ---
    ("är om en vecka", "är om {weeks} veckor"): ("is in one week", "is in {weeks} weeks"),
    ("är om {n} dag", "är om {n} dagar"): ("is in {n} day", "is in {n} days"),
    ("skulle ha hållits för en vecka sedan", "skulle ha hållits för {n} veckor sedan"):
        ("was due a week ago", "was due {n} weeks ago"),
    ("skulle ha hållits i går", "skulle ha hållits för {n} dagar sedan"): ("was due yesterday", "was due {n} days ago"),
}
