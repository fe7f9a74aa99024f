"""English for `python -m bot demo`: the narration around what the bot says (the bot's own texts are in the other catalogs)."""

EN: dict[str, str] = {
    "Samspel: en vecka för Anna (KSO) och Bo (KD)": "Samspel: a week for Anna (KSO) and Bo (KD)",
    "Den riktiga boten (Bolt, SQLAlchemy, utkorgen, jobben) mot en inbyggd Slack-attrapp på 127.0.0.1, med en "
    "tillfällig SQLite-databas och en simulerad klocka. Tiderna är bottens lokala tid ({tz}).":
        "The real bot (Bolt, SQLAlchemy, the outbox, the jobs) against a built-in Slack stand-in on 127.0.0.1, with a "
        "temporary SQLite database and a simulated clock. Times are the bot's local time ({tz}).",
    "Samma sak som webbsida: {path}": "The same as a web page: {path}",
    "Bara {name} ser": "Only {name} sees",
    "{name} får ett DM": "{name} gets a DM",
    "{kso} och {kd} ser": "{kso} and {kd} see",
    "DM från Samspel": "DM from Samspel",
    "{place}, meddelandet ändras": "{place}, the message changes",
    "Hem-fliken uppdateras": "Home tab updated",
    "Hem-fliken i Samspel": "Samspel's Home tab",
    "dialogruta": "dialog",
    "öppnas i Slack": "opens in Slack",
    "Slack vägrar": "Slack refuses",
    "svar {status}": "answer {status}",
    "skriver i #{channel}: {command} {text}": "types in #{channel}: {command} {text}",
    "klickar [{label}] i sitt DM från Samspel": "clicks [{label}] in their DM from Samspel",
    "arbetstiden börjar: utkorgen skickar det som hållits": "working time begins: the outbox sends what was held",
    "agendajobbet kör (jobs.agenda.agenda_tick)": "the agenda job runs (jobs.agenda.agenda_tick)",
    "samtalsjobbet kör (jobs.samtal.remind)": "the talk job runs (jobs.samtal.remind)",
    "öppnar Samspels Hem-flik": "opens Samspel's Home tab",
    "välj": "choose",
    "datum": "date",
}
