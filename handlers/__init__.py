"""Thin Bolt listeners. Each module exposes `register(app, deps)`."""

from __future__ import annotations

import importlib

from slack_bolt import App

from bot.runtime import Deps

MODULES = ("samspel", "meddela", "uppdrag", "arende", "agenda", "spelregler", "home")


def register(app: App, deps: Deps) -> None:
    for name in MODULES:
        importlib.import_module(f"handlers.{name}").register(app, deps)
