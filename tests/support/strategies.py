"""Hypothesis strategies for the parsers: the keywords, dates and markup people type, mixed with noise."""

from __future__ import annotations

from hypothesis import strategies as st

TOKENS = [
    "senast", "SENAST", "ks", "KS", "idag", "imorgon", "i morgon", "fredag", "nästa", "vecka", "mån", "sön",
    "2026-11-30", "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "2026/123", "KS-2026-00123", "dnr", "dnr:",
    "<https://example.se/a|länk>", "https://x.se", "<!channel>", "<@U123|anna>", "#3", "3", "-1", "klart", "oklart",
    "svar", "lista", "åäö", "🫎", "\n", "\t", "", " ", "<", ">", "&", "|", "\x00", "\u202e", "ß", "İ",
]
words = st.lists(st.sampled_from(TOKENS) | st.text(max_size=12), max_size=14).map(" ".join)
