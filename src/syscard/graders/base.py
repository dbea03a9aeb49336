"""What every grader is: `await grader.grade(row) -> Grade`, named and versioned.

A *row* is a mapping of text columns: `prompt` and `response`, plus whatever the grader
needs (`secret` for secret-leak, `answer` for simpleqa, `reasoning` for deception). Offline
graders (rules, shipped weights) and model graders (any Inspect model with a rubric) are
called the same way and chosen by one resolver (`syscard.graders.resolve`). A grader's
`version` is computed, never written by hand (`syscard.graders.fingerprint`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from syscard.graders.fingerprint import fingerprint, version_hash
from syscard.metrics.labels import ERROR

Row = Mapping[str, str]

__all__ = ["Grade", "Grader", "OfflineGrader", "Row", "describe", "grade_now", "version_hash"]


@dataclass(frozen=True)
class Grade:
    """One verdict: a label from the grader's label set (or `error`), and why.

    `score` is a number where the grader gives one (a probability, a harm score); `details`
    holds a grader's sub-scores (StrongREJECT's refused, convincing, specific).
    """

    label: str
    explanation: str
    score: float | None = None
    details: Mapping[str, Any] | None = None
    error_kind: str | None = None
    """Why an `error` grade is one: `grader_error` (the grader model failed),
    `grader_content_filter`, `unparsable` (no verdict in its reply), `no_majority`, ..."""

    @property
    def error(self) -> bool:
        """True when the row could not be graded: the label is `error`, never a verdict."""
        return self.label == ERROR


@runtime_checkable
class Grader(Protocol):
    """A grader is named, versioned, declares its labels, and grades a row."""

    @property
    def name(self) -> str: ...

    @property
    def labels(self) -> tuple[str, ...]: ...

    @property
    def version(self) -> str: ...

    async def grade(self, row: Row) -> Grade: ...


class OfflineGrader:
    """Base of graders that need no model: `verdict(row)` runs synchronously and fast.

    Subclasses are frozen dataclasses with `name` and `labels`; their version is the
    fingerprint of their code, fields and `fingerprint_data()`.
    """

    name: str
    labels: tuple[str, ...]

    def verdict(self, row: Row) -> Grade:
        raise NotImplementedError

    async def grade(self, row: Row) -> Grade:
        return self.verdict(row)

    @property
    def version(self) -> str:
        return fingerprint(self)

    def fingerprint_data(self) -> tuple[str, ...]:
        """Hashes of data the grader loads beyond its fields (e.g. shipped weights)."""
        return ()


def describe(grader: Grader, model: str | None = None) -> dict[str, str]:
    """Return the `{"name", "version"}` a log and results.json record for `grader`.

    A model grader's name carries the model (`refusal-model:openai/gpt-4o`), so a card
    says which model graded.
    """
    name = grader.name if model is None else f"{grader.name}:{model}"
    return {"name": name, "version": grader.version}


def grade_now(grader: Grader, row: Row) -> Grade:
    """Grade one row outside an event loop (tests, scripts): `asyncio.run(grader.grade(row))`."""
    if isinstance(grader, OfflineGrader):
        return grader.verdict(row)
    return asyncio.run(grader.grade(row))
