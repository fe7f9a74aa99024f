"""Use cases: one function per thing a person or a job does, run inside a unit of work."""
