"""English for tenants: a workspace that removed Samspel, and erasing a whole workspace."""

EN: dict[str, str] = {
    "Samspel är inte installerat i den här arbetsytan längre. Installera appen igen så finns ert par kvar.":
        "Samspel is no longer installed in this workspace. Install the app again and your pair is still there.",
    "{team} är inget arbetsyte-id: det börjar med T (eller E för en organisation), t.ex. T0123ABCD.":
        "{team} is not a workspace id: it starts with T (or E for an organisation), e.g. T0123ABCD.",
    "arbetsytan {team} (par: {pairs})": "workspace {team} (pairs: {pairs})",
    "inga": "none",
    "Samspel togs bort från arbetsytan: paret pausades (raderas efter karenstiden om appen inte installeras igen)":
        "Samspel was removed from the workspace: the pair was paused (erased after the grace period unless the app "
        "is installed again)",
    "Samspel installerades igen i arbetsytan: paret fortsätter": "Samspel was installed again in the workspace: the pair goes on",
}
