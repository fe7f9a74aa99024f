"""Errors that carry a message for the user."""


class UserError(Exception):
    """Bad input or a refused action; `str(err)` is a short Swedish sentence for the user."""
