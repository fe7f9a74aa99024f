"""Scheduled work for this feature (not built yet)."""

JOBS = ()
