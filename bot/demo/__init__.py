"""`python -m bot demo`: see Samspel work without a Slack workspace (see bot/demo/scenario.py)."""

from bot.demo.scenario import run

__all__ = ["run"]
