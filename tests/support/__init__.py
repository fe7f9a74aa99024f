"""Helpers for the tests: the strict fake Slack, signed requests, a running bot (World), shared data."""
