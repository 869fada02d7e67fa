"""Errors a user can act on.

A ``UserError`` carries one sentence saying what went wrong and what to do; the CLI prints
it without a traceback (``--debug`` shows the traceback). Anything else is a bug.
"""


class UserError(Exception):
    """A problem with the user's input or environment, explained in one sentence."""
