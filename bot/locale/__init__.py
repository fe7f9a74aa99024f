"""English catalogs, one module per feature: `EN = {"svensk källtext": "English text"}`."""
