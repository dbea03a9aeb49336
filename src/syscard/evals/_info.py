"""What an eval module declares about each of its evals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EvalInfo:
    """What `syscard list` shows for an eval, and how the suites build it.

    Each module under `syscard.evals` exports `EVAL_INFOS: list[EvalInfo]`; the package finds
    them on import, so adding an eval touches only its own section module.
    """

    name: str
    section: str
    metrics: tuple[str, ...]
    datasets: tuple[str, ...]
    task: Callable[..., Any]
    """The `@task` function; called with `grader`, `data_dir` and the suite's arguments."""
    quick_args: dict[str, Any] = field(default_factory=dict)
    """Task arguments of the quick suite (a small, stratified, resumable subset)."""
    full_args: dict[str, Any] = field(default_factory=dict)
    """Task arguments of the full suite."""
    in_quick: bool = True
    """Whether `--suite quick` runs this eval (it must keep the quick suite to minutes)."""
