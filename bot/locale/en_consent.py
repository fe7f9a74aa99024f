"""English for consent: proposals, accepting, pausing and leaving a pair."""

EN: dict[str, str] = {
    "Skapa en privat kanal för er två (*Lägg till kanal → Skapa en kanal*, välj *Privat*), bjud in er båda och "
    "Samspel (`/invite @Samspel`) och skriv `/samspel koppla @kso @kd` där.":
        "Create a private channel for the two of you (*Add channels → Create a new channel*, choose *Private*), invite "
        "both of you and Samspel (`/invite @Samspel`) and type `/samspel koppla @kso @kd` there.",
    "Samspel kan inte se den här kanalen. Är det en privat kanal, bjud in Samspel med `/invite @Samspel` och försök igen. "
    "Annars: {how}":
        "Samspel cannot see this channel. If it is a private channel, invite Samspel with `/invite @Samspel` and try "
        "again. Otherwise: {how}",
    "Ett par kan inte kopplas i ett direktmeddelande. {how}": "A pair cannot be connected in a direct message. {how}",
    "Det här är en öppen kanal: alla i arbetsytan skulle kunna läsa er agenda. {how}":
        "This is a public channel: everyone in the workspace could read your agenda. {how}",
    "Bjud in Samspel till kanalen först (`/invite @Samspel`) och försök igen.":
        "Invite Samspel to the channel first (`/invite @Samspel`) and try again.",
    "{names} är inte med i kanalen. Bjud in så att ni båda är med och försök igen.":
        "{names} is not in the channel. Invite them so that you are both in it, and try again.",
    "Den kanalen hör till ett annat par och kan inte vara er rådsmöteskanal.":
        "That channel belongs to another pair and cannot be your council meeting channel.",
    "Samspel är inte med i den kanalen. Bjud in Samspel där (`/invite @Samspel`) och försök igen.":
        "Samspel is not in that channel. Invite Samspel there (`/invite @Samspel`) and try again.",
    "Rådsmötesagendan kan inte postas i ett direktmeddelande: välj en kanal.":
        "The council meeting agenda cannot be posted in a direct message: choose a channel.",
    "{names} är inte med i den kanalen. Välj en kanal där ni båda är med.":
        "{names} is not in that channel. Choose a channel you are both in.",
    "<@{user}> har redan föreslagit ett par i den här kanalen. Svara på förslaget i ditt direktmeddelande från Samspel.":
        "<@{user}> has already proposed a pair in this channel. Answer the proposal in your direct message from Samspel.",
    "Förslaget drogs tillbaka och ersattes av ett nytt.": "The proposal was withdrawn and replaced by a new one.",
    "Förslaget är skickat till <@{invitee}>. Paret i <#{channel}> finns först när hen godkänner; förslaget gäller till "
    "{until}.":
        "The proposal has been sent to <@{invitee}>. The pair in <#{channel}> exists only once they accept; the "
        "proposal is valid until {until}.",
    "<@{kso}> som KSO och <@{kd}> som KD": "<@{kso}> as KSO and <@{kd}> as KD",
    "<@{proposer}> vill koppla <#{channel}> som ert pars kanal i Samspel, med {roles}. Godkänner du?":
        "<@{proposer}> wants to connect <#{channel}> as your pair's channel in Samspel, with {roles}. Do you accept?",
    "Samspel postar då måndagsagendan i kanalen och förmedlar uppdrag, ärenden och meddelanden mellan er. Förslaget "
    "gäller i sju dagar.":
        "Samspel will then post the Monday agenda in the channel and pass assignments, cases and messages between you. "
        "The proposal is valid for seven days.",
    "Godkänn": "Accept",
    "Avböj": "Decline",
    "Förslaget är inte riktat till dig.": "The proposal is not addressed to you.",
    "Förslaget gäller inte längre. Be om ett nytt med `/samspel koppla @kso @kd`.":
        "The proposal is no longer valid. Ask for a new one with `/samspel koppla @kso @kd`.",
    "Kanalen har redan kopplats till ett annat par.": "The channel has already been connected to another pair.",
    ":white_check_mark: Du godkände. Välkommen till Samspel!": ":white_check_mark: You accepted. Welcome to Samspel!",
    "<#{channel}> är nu ert pars kanal, med {roles}. Se `/samspel hjälp` för allt ni kan göra.":
        "<#{channel}> is now your pair's channel, with {roles}. See `/samspel help` for everything you can do.",
    "<@{user}> godkände ert par.": "<@{user}> accepted your pair.",
    ":handshake: Samspel är kopplat.": ":handshake: Samspel is connected.",
    "Klart!": "Done!",
    "Du avböjde. Inget par skapades.": "You declined. No pair was created.",
    "<@{user}> avböjde förslaget att koppla <#{channel}> som ert par.":
        "<@{user}> declined the proposal to connect <#{channel}> as your pair.",
    "Du avböjde förslaget. Inget par skapades och <@{user}> får veta det.":
        "You declined the proposal. No pair was created, and <@{user}> will be told.",
    "Förslaget gick ut efter sju dagar utan svar.": "The proposal expired after seven days without an answer.",
    "<@{user}> svarade inte inom sju dagar, så förslaget att koppla <#{channel}> har tagits bort. Skriv `/samspel koppla` "
    "igen om ni vill.":
        "<@{user}> did not answer within seven days, so the proposal to connect <#{channel}> has been removed. Type "
        "`/samspel koppla` again if you wish.",
    ":pause_button: {who} har lämnat <#{channel}>, så Samspel har pausat ert par: inget postas eller skickas förrän alla "
    "är med igen. Bjud in igen (`/invite`) så fortsätter allt, eller upplös paret med `/samspel lämna`.":
        ":pause_button: {who} has left <#{channel}>, so Samspel has paused your pair: nothing is posted or sent until "
        "everyone is back. Invite them again (`/invite`) and everything resumes, or dissolve the pair with "
        "`/samspel lämna`.",
    ":arrow_forward: Ni är båda med i kanalen igen, så Samspel fortsätter. Det som väntade skickas nu.":
        ":arrow_forward: You are both in the channel again, so Samspel carries on. What was waiting is sent now.",
    "Vill du upplösa ert par i <#{channel}>? Väntande meddelanden ställs in och <@{other}> får veta det. Det som sparats "
    "finns kvar för export och diariet, men inget mer postas.":
        "Do you want to dissolve your pair in <#{channel}>? Held messages are cancelled and <@{other}> is told. What "
        "has been stored stays for export and the records, but nothing more is posted.",
    "Ja, upplös paret": "Yes, dissolve the pair",
    "Paret är redan upplöst.": "The pair is already dissolved.",
    "<@{actor}> har upplöst ert par i <#{channel}>. Samspel postar inget mer för paret; det som sparats finns kvar för "
    "export.":
        "<@{actor}> has dissolved your pair in <#{channel}>. Samspel posts nothing more for the pair; what has been "
        "stored stays for export.",
    "Inga väntande meddelanden behövde ställas in.": "No held messages needed to be cancelled.",
    "Paret i <#{channel}> är upplöst.": "The pair in <#{channel}> is dissolved.",
    "Ert par är pausat eftersom någon av er eller Samspel har lämnat kanalen. Bjud in igen (`/invite`) så fortsätter "
    "allt, eller upplös paret med `/samspel lämna`.":
        "Your pair is paused because one of you or Samspel has left the channel. Invite them again (`/invite`) and "
        "everything resumes, or dissolve the pair with `/samspel lämna`.",
    ":pause_button: Paret är pausat: inget postas eller skickas förrän ni båda och Samspel är med i kanalen igen. "
    "Upplös paret med `/samspel lämna`.":
        ":pause_button: The pair is paused: nothing is posted or sent until both of you and Samspel are in the channel "
        "again. Dissolve the pair with `/samspel lämna`.",
    "Paret finns kvar som förut.": "The pair stays as before.",
    "Samspel kunde inte fråga Slack om kanalen just nu. Försök igen om en stund.":
        "Samspel could not ask Slack about the channel just now. Try again in a while.",
    "Knappen hör inte till något förslag.": "The button does not belong to any proposal.",
    "Ett förslag att koppla <#{channel}> väntar på svar från <@{invitee}> (gäller till {until}).":
        "A proposal to connect <#{channel}> is waiting for an answer from <@{invitee}> (valid until {until}).",
    "föreslår den här privata kanalen som parets kanal (först KSO, sedan KD); paret finns när den andra har godkänt i "
    "ett direktmeddelande från Samspel":
        "proposes this private channel as the pair's channel (KSO first, then KD); the pair exists once the other "
        "person has accepted in a direct message from Samspel",
    "upplöser paret efter en bekräftelse; det som sparats finns kvar för export":
        "dissolves the pair after a confirmation; what has been stored stays for export",
}

EN_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("{n} väntande meddelande ställdes in.", "{n} väntande meddelanden ställdes in."):
        ("{n} held message was cancelled.", "{n} held messages were cancelled."),
}
