"""User text at the edge of what Slack and Samspel accept."""

from __future__ import annotations

LONG = ("Åäö 🚀 " * 600)[:2999] + "x"  # exactly 3000 characters
