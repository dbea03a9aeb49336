"""What every grader returns and declares."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Grade:
    """One verdict: a label from the grader's label set (or `error`) and why."""

    label: str
    explanation: str
    score: float | None = None


class Grader(Protocol):
    """A grader is named, versioned and declares the labels it can give."""

    name: str
    labels: tuple[str, ...]

    @property
    def version(self) -> str: ...


def version_hash(*parts: str) -> str:
    """Return a short, stable hash of everything that decides a grader's verdicts."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:12]
