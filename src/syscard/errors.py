"""The one base class of errors a user can act on."""

from __future__ import annotations


class SyscardError(Exception):
    """Bad input or a missing prerequisite, with a message that says what to do.

    The CLI catches this class in one place and prints the message as one line, without a
    traceback. Anything else that escapes is a bug and keeps its traceback.
    """
