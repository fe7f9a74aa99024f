"""Where the project lies, for tests that read its files (Procfile, sources, docs) or run it in a subprocess."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
