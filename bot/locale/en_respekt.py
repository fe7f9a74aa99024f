"""English for the respekt rule (/meddela, the shortcut, held messages) and the App Home tab."""

EN: dict[str, str] = {
    # bot/services/respekt.py: refusals
    "Meddelandet är tomt: skriv vad du vill skicka.": "The message is empty: write what you want to send.",
    "Meddelandet är tomt: skriv det efter ordet akut, t.ex. `/meddela akut Vattenläcka i stadshuset, ring mig`.":
        "The message is empty: write it after the word akut, e.g. `/meddela akut Water leak at the town hall, call me`.",
    "Meddelandet är tomt: skriv det efter kommandot, t.ex. `/meddela Kan vi ta budgeten på måndag?`":
        "The message is empty: write it after the command, e.g. `/meddela Can we take the budget on Monday?`",
    "Meddelandet är för långt ({length} tecken): högst {limit} tecken går att skicka. "
    "Dela upp det, eller lägg en länk till ett dokument.":
        "The message is too long ({length} characters): at most {limit} characters can be sent. "
        "Split it up, or add a link to a document.",
    "Ett akut meddelande behöver ett kort skäl: skriv varför det inte kan vänta.":
        "An urgent message needs a short reason: say why it cannot wait.",
    "Skälet är för långt ({length} tecken): högst {limit} tecken.":
        "The reason is too long ({length} characters): at most {limit} characters.",
    "Hittar inget sådant meddelande från dig.": "There is no such message from you.",
    "Meddelandet är redan ångrat och skickas inte.": "That message has already been cancelled and will not be sent.",
    "Meddelandet levererades redan {when}, så det går tyvärr inte att ångra längre.":
        "The message was already delivered on {when}, so it can no longer be cancelled.",
    "Meddelandet levererades redan {when}, så det går tyvärr inte att skicka som akut längre.":
        "The message was already delivered on {when}, so it can no longer be sent as urgent.",
    "Meddelandet kunde inte levereras. Se `/samspel status`.": "The message could not be delivered. See `/samspel status`.",
    "Meddelandet levereras just nu, så det går inte att ångra.":
        "The message is being delivered right now, so it can no longer be cancelled.",
    "Meddelandet levereras just nu, så det går inte att skicka som akut.":
        "The message is being delivered right now, so it cannot be sent as urgent.",
    "Meddelandet skickas redan som akut.": "The message is already being sent as urgent.",
    "Meddelandet hålls inte: det levereras redan så snart det går.":
        "The message is not being held: it will be delivered as soon as possible anyway.",
    "<@{to}> har arbetstid nu, så meddelandet levereras ändå direkt, utan akutmärkning.":
        "<@{to}> is within working hours now, so the message will be delivered right away anyway, without the urgent label.",
    # bot/presenters/respekt.py: the delivered message
    "🚨 AKUT": "🚨 URGENT",
    "{label} · meddelande från <@{sender}>, skrivet {written}": "{label} · message from <@{sender}>, written {written}",
    "*Skäl:* {reason}": "*Reason:* {reason}",
    "✉️ Meddelande från <@{sender}>, skrivet {written}": "✉️ Message from <@{sender}>, written {written}",
    "_Vidarebefordrat meddelande av <@{author}>_": "_Forwarded message, originally written by <@{author}>_",
    "_Skrevs utanför din arbetstid och hölls enligt respektregeln._":
        "_Written outside your working hours and held back under the respect rule._",
    # bot/presenters/respekt.py: answers to the sender
    "Ångrat. Meddelandet till <@{to}> skickas inte.": "Cancelled. Your message to <@{to}> will not be sent.",
    "{label}: meddelandet skickas nu till <@{to}>.": "{label}: the message is being sent to <@{to}> now.",
    "Hålls enligt respektregeln till {when}": "Held under the respect rule until {when}",
    "under arbetstid": "during working hours",
    "utanför arbetstid": "outside working hours",
    "en helg eller helgdag": "on a weekend or public holiday",
    "{label}: skickat direkt till {to}. Det räknas som akut {where} i er statistik inför utvecklingssamtalet.":
        "{label}: sent straight to {to}. It counts as urgent {where} in your figures for the development talk.",
    "Skickat till {to}, som har arbetstid nu.": "Sent to {to}, who is within working hours now.",
    "{notice}. {to} har inte arbetstid nu.": "{notice}. {to} is outside working hours now.",
    # bot/presenters/respekt.py: held-message buttons and lists
    "Skicka som akut?": "Send as urgent?",
    # The reason modal of "Skicka nu som akut" on a held message.
    "Meddelandet till <@{to}> levereras direkt, märkt AKUT, och räknas i er akutstatistik.":
        "The message to <@{to}> is delivered at once, marked URGENT, and counts in your urgent-message figures.",
    "Skäl: varför kan det inte vänta?": "Reason: why can it not wait?",
    "Skicka nu": "Send now",
    "Vänta": "Wait",
    "🚨 Skicka nu som akut": "🚨 Send now as urgent",
    "Ångra": "Cancel",
    "Du har inga meddelanden som hålls enligt respektregeln just nu.":
        "You have no messages held under the respect rule right now.",
    "*Dina meddelanden som hålls enligt respektregeln ({count})*": "*Your messages held under the respect rule ({count})*",
    "Till <@{to}> · levereras *{deliver}* · skrivet {written}\n> {preview}":
        "To <@{to}> · delivery *{deliver}* · written {written}\n> {preview}",
    "… och {count} till.": "… and {count} more.",
    "Du har {messages} som hålls.": "You have {messages} on hold.",
    "Du har inga meddelanden som hålls just nu.": "You have no messages on hold right now.",
    # bot/presenters/respekt.py: the "Skicka med Samspel" modal
    "_Meddelandet var längre än {limit} tecken och har kortats._":
        "_The message was longer than {limit} characters and has been shortened._",
    "Skicka med Samspel": "Send with Samspel",
    "Skicka": "Send",
    "Avbryt": "Cancel",
    "Till <@{to}>. Utanför mottagarens arbetstid hålls meddelandet till arbetstidens början.":
        "To <@{to}>. Outside the recipient's working hours, the message is held until their working day starts.",
    "Meddelande": "Message",
    "Akut": "Urgent",
    "🚨 Akut: skicka direkt, även kväll och helg": "🚨 Urgent: send at once, even on evenings and weekends",
    "Skäl (krävs för akut)": "Reason (required if urgent)",
    "Stäng": "Close",
    # bot/home.py
    "Du är {role} i <#{channel}>. Uppdaterad {when}.": "You are the {role} in <#{channel}>. Updated {when}.",
    "Öppna uppdrag ({count})": "Open assignments ({count})",
    "_Inga öppna uppdrag._": "_No open assignments._",
    "_… och {count} till: se `{command}`._": "_… and {count} more: see `{command}`._",
    "Ärenden som väntar på KSO ({count})": "Cases waiting for the KSO ({count})",
    "_Inga ärenden väntar._": "_No cases waiting._",
    "Dina meddelanden som hålls ({count})": "Your messages on hold ({count})",
    "Samspel hjälper KSO och KD att leva efter sina spelregler: måndagsagenda, uppdrag, ärenden och "
    "respekt för varandras fritid.\nKoppla er privata kanal med `/samspel koppla @kso @kd`.":
        "Samspel helps the KSO and KD live by their rules of the game (spelregler): the Monday agenda, "
        "assignments (uppdrag), cases and respect for each other's free time.\n"
        "Connect your private channel with `/samspel koppla @kso @kd`.",
}

EN_PLURAL = {
    ("{n} meddelande", "{n} meddelanden"): ("{n} message", "{n} messages"),
}
