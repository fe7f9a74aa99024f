"""Benchmarks: `python -m bench` runs every module here and prints figures and ratios."""
