"""English for the Monday agenda, agenda points, the close button and the rådsmöte post.

The section questions are Örebro's own questions (seed 004), translated as they stand.
"""

EN: dict[str, str] = {
    # The nine sections: heading and the seed's question.
    "Status på de politiska besluten": "Status of the political decisions",
    "Vilken är den aktuella statusen på de politiska besluten?":
        "What is the current status of the political decisions?",
    "Färdigberedda ärenden": "Cases ready for decision",
    "Lämnar kommundirektören över färdigberedda ärenden, och är de tillräckligt beredda för att gå vidare till KS?":
        "Is the municipal director handing over cases ready for decision, and are they prepared well enough "
        "to go on to KS?",
    "Nya uppdrag sedan förra mötet": "New assignments since the last meeting",
    "Överlämnar KSO nya uppdrag till KD?": "Is the KSO handing new assignments to the KD?",
    "Prioriteringar att stämma av": "Priorities to agree on",
    "Finns det prioriteringar som behöver genomföras och stämmas av?":
        "Are there priorities that need to be carried out and agreed on?",
    "Osäkerhet i uppdrag": "Uncertainty in assignments",
    "Finns det frågor där det råder osäkerhet i uppdraget?":
        "Are there questions where the assignment is uncertain?",
    "Information för att hålla ihop styrningen": "Information to keep the steering together",
    "Finns det något den andre bör informeras om för att hålla ihop styrningen?":
        "Is there anything the other should be informed about to keep the steering together?",
    "Incidenter som behöver följas upp och klaras ut": "Incidents that need to be followed up and cleared up",
    "Har det funnits incidenter som behöver följas upp och klaras ut?":
        "Have there been incidents that need to be followed up and cleared up?",
    "Olösta frågor": "Unresolved questions",
    "Finns det olösta frågor som behöver redas ut?": "Are there unresolved questions that need to be sorted out?",
    "Kommande frågor inom den närmaste tiden": "Upcoming matters in the near future",
    "Behöver hanteringen av kommande frågor inom den närmaste framtiden stämmas av?":
        "Does the handling of upcoming matters in the near future need to be agreed on?",
    # Agenda lines.
    "någon utanför paret": "someone outside the pair",
    "från {role}, {date}": "from {role}, {date}",
    "KS-möte {date}": "KS meeting {date}",
    "givet {date}": "assigned {date}",
    "lämnat av {role} {date}": "handed over by {role} on {date}",
    "har väntat {days}": "waiting for {days}",
    "överförd, sedan {weeks}": "carried over for {weeks}",
    "klart": "done",
    "inget slutdatum": "no due date",
    "försenat": "overdue",
    "{warning} {overdue} {days}, senast {date}": "{warning} {overdue} by {days}, due {date}",
    "senast {date}": "due {date}",
    "Till KS": "To KS",
    "Åter för beredning": "Back for preparation",
    "Svara": "Answer",
    "Stäng": "Close",
    # Title, notes, footer.
    "Agenda för KSO och KD {date} (vecka {week})": "Agenda for the KSO and KD, {date} (week {week})",
    "{title}, forts. ({part})": "{title}, continued ({part})",
    "egen ledig dag": "one of your own days off",
    "Mötet flyttas från måndag till {date}: måndagen är ledig ({reason}).":
        "The meeting moves from Monday to {date}: Monday is a day off ({reason}).",
    "Lägg till en punkt med `/agenda + &lt;typ&gt; &lt;text&gt;` ({types}). "
    "Punkter som inte stängs följer med till nästa veckas agenda.":
        "Add a point with `/agenda + &lt;type&gt; &lt;text&gt;` (`{types}`). "
        "Points that are not closed carry over to next week's agenda.",
    "Lägg till en punkt i Slack med /agenda + <typ> <text> ({types}). "
    "Punkter som inte stängs följer med till nästa veckas agenda.":
        "Add a point in Slack with /agenda + <type> <text> ({types}). "
        "Points that are not closed carry over to next week's agenda.",
    "Inget ännu. Fråga: {question}": "Nothing yet. Question: {question}",
    # Preview.
    "Det finns ingen arbetsdag de närmaste veckorna, så ingen agenda är planerad.":
        "There is no working day in the coming weeks, so no agenda is planned.",
    "Veckan med {date} (vecka {week}) har ingen arbetsdag och får ingen agenda.":
        "The week of {date} (week {week}) has no working day, so it gets no agenda.",
    "Förhandsvisning utan att posta, med dagens uppgifter. Agendan postas {when} i parets kanal.":
        "Preview only, nothing posted, built from today's data. The agenda will be posted {when} "
        "in the pair's channel.",
    "Förhandsvisning utan att posta, med dagens uppgifter. Agendan postades {when} i parets kanal.":
        "Preview only, nothing posted, built from today's data. The agenda was posted {when} in the pair's channel.",
    # Agenda points.
    "Skriv `/agenda + &lt;typ&gt; &lt;text&gt;`, där typ är en av {types}.":
        "Write `/agenda + &lt;type&gt; &lt;text&gt;`, where type is one of {types}.",
    "Okänd typ `{typ}`. Skriv `/agenda + &lt;typ&gt; &lt;text&gt;`, där typ är en av {types}.":
        "Unknown type `{typ}`. Write `/agenda + &lt;type&gt; &lt;text&gt;`, where type is one of {types}.",
    "Punkten är tillagd under *{heading}* och kommer med på agendan {date}: {text}":
        "Point added under *{heading}*; it will be on the agenda for {date}: {text}",
    "Punkten finns inte längre.": "That point no longer exists.",
    "Punkten var redan stängd av {role} {date}.": "The point was already closed by {role} on {date}.",
    "stängd av {role}": "closed by {role}",
    "Punkten är stängd och följer inte med till nästa agenda: {text}":
        "Point closed; it will not carry over to the next agenda: {text}",
    "besvarad av {role}: {text}": "answered by {role}: {text}",
    "Förstår inte `/agenda {word}`.": "I don't understand `/agenda {word}`.",
    # The rådsmöte post.
    "Rådsmöte {date} kl. {time}": "Council meeting (rådsmöte), {date} at {time}",
    "Ärenden till KS": "Cases going to KS",
    "Kommande frågor": "Upcoming matters",
    "Inga ärenden har gått till KS sedan förra rådsmötet.": "No cases have gone to KS since the last council meeting.",
    "Inga kommande frågor är anmälda.": "No upcoming matters have been raised.",
    # Media points (seed 004, Kontakter: "Media; KSO har huvudansvaret").
    "Media, KSO:s ansvar:": "Media, the KSO's responsibility:",
    "KSO, som har huvudansvaret för media, får den direkt.":
        "The KSO, who has the main responsibility for media, gets it at once.",
    "KSO, som har huvudansvaret för media, får den {when}, enligt respektregeln. Kan det inte vänta, skriv "
    "`/meddela akut &lt;text&gt;`.":
        "The KSO, who has the main responsibility for media, gets it {when}, under the respect rule. If it cannot "
        "wait, write `/meddela akut &lt;text&gt;`.",
    ":loudspeaker: *Mediefråga* från {role}, på agendan under *{heading}*: {text}\n"
    "_Du har huvudansvaret för media (spelreglerna, Kontakter)._":
        ":loudspeaker: *Media question* from {role}, on the agenda under *{heading}*: {text}\n"
        "_You have the main responsibility for media (your rules, Contacts)._",
    "/agenda + media SVT vill intervjua om budgeten": "/agenda + media SVT wants an interview about the budget",
    "en mediefråga: först på agendan under information, och KSO får den direkt":
        "a media question: first on the agenda under information, and the KSO gets it at once",
    # Closing an incident: who owns the follow-up and how it was cleared up.
    "KSO och KD": "KSO and KD",
    "uppföljning: {owner} · klarades ut: {note}": "follow-up: {owner} · cleared up: {note}",
    "Stäng incidenten": "Close the incident",
    "Vem äger uppföljningen?": "Who owns the follow-up?",
    "Hur klarades det ut?": "How was it cleared up?",
    "Välj vem som äger uppföljningen.": "Choose who owns the follow-up.",
    "Skriv kort hur incidenten klarades ut.": "Write briefly how the incident was cleared up.",
    "Anteckningen är för lång ({length} tecken): högst {limit} tecken.":
        "The note is too long ({length} characters): at most {limit} characters.",
    "Uppföljning": "Follow-up",
    "Klarades ut": "Cleared up",
}

EN_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("{n} dag", "{n} dagar"): ("{n} day", "{n} days"),
    ("{n} vecka", "{n} veckor"): ("{n} week", "{n} weeks"),
    ("{n} öppen fråga", "{n} öppna frågor"): ("{n} open question", "{n} open questions"),
    # The stopptid flag on a waiting case ("stopptid": the cut-off for deciding a case before a KS meeting).
    ("{n} arbetsdag kvar till stopptiden", "{n} arbetsdagar kvar till stopptiden"):
        ("{n} working day left to the cut-off", "{n} working days left to the cut-off"),
}
