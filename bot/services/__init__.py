"""Use cases: one function per thing a person or a job does, over a session and the clock."""
