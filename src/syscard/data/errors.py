"""The data layer's errors: one line each, saying what to do.

Kept apart from the modules that raise them so that the registry, the store and the readers
can all import them without importing one another.
"""

from __future__ import annotations

import re

from syscard.errors import SyscardError

__all__ = ["DataError", "DatasetMissing"]


class DataError(SyscardError):
    """A dataset problem; the message is one line that says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(re.sub(r"\s*[\r\n]+\s*", " ", str(message)).strip())


class DatasetMissing(DataError):
    """The dataset (or a file it needs) is in none of the folders searched."""
