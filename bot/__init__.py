"""Samspel: puts the working rules ("spelregler") of a KSO/KD pair into daily practice.

The core in this package knows nothing of Slack requests; `handlers/` holds the
thin Bolt listeners and `jobs/` the scheduled work.
"""
