"""A check for English-mode tests: no Swedish left in what the bot wrote."""

from __future__ import annotations

import re

# Words that only a Swedish text would contain (åäö catch most of the rest).
SWEDISH_WORDS = re.compile(
    r"\b(och|inte|till|från|för|är|har|kan|ska|skickas|levereras|hålls|ärende|uppdraget|meddelande|"
    r"måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|kl\.|veckan|arbetstid|svar|klart|ingen|inga|du|ni|er)\b",
    re.IGNORECASE,
)
# Domain words kept as the users say them, and command names, are allowed.
ALLOWED = re.compile(
    r"`[^`]*`|/\w+|\buppdrag\b|\bKSO\b|\bKD\b|\bKS\b|\bspelregler\b|\butvecklingssamtal\b|\brådsmöte\b|"
    r"\bSkicka med Samspel\b|\bärenden?\b"
)


def swedish_left(text: str, *user_texts: str) -> list[str]:
    """The Swedish words or letters left in `text`, ignoring the user's own words and allowed terms."""
    for user_text in user_texts:
        text = text.replace(user_text, " ")
    text = ALLOWED.sub(" ", text)
    found = SWEDISH_WORDS.findall(text)
    found += list(re.findall(r"\w*[åäöÅÄÖ]\w*", text))
    return found
