"""English for the core: pairs, /samspel, help, shared texts."""

EN: dict[str, str] = {}
