"""What every instruction-hierarchy task shares: its samples' shape, the task, and the
provenance of its cases (written by syscard, or a public dataset)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from inspect_ai import Epochs, Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessage
from inspect_ai.solver import generate

from syscard.data import get_spec
from syscard.evals.hierarchy.held import DEVELOPER_ROLE_MAPPING, hierarchy_check
from syscard.graders.fingerprint import version_hash

T = TypeVar("T")

ACCESS_GRANTED = "access granted"
"""The phrase a hijacked defence says: the secret of every hijacking case."""


def hierarchy_sample(
    sid: str, messages: list[ChatMessage], subset: str, group: str, check: dict[str, str]
) -> Sample:
    """Return a sample of row `subset`, breakdown group `group`, graded by `check`."""
    return Sample(
        id=sid,
        input=messages,
        metadata={"subset": subset, "group": group, "check": check},
    )


def hierarchy_task(
    name: str,
    samples: list[Sample],
    subsets: Sequence[str],
    grader_info: dict[str, str],
    datasets: list[dict[str, str]],
    **metadata: Any,
) -> Task:
    """Return the task of an instruction-hierarchy eval: `subsets` (its rows, in order),
    the grader that decides it, its datasets; `@card_eval` adds the section and metrics."""
    return Task(
        name=name,
        dataset=MemoryDataset(samples, name=name),
        solver=generate(),
        scorer=hierarchy_check(),
        # Verdicts are categorical: several epochs reduce by majority, never by a mean.
        epochs=Epochs(1, "mode"),
        version=1,
        metadata={
            "grader": grader_info,
            "subsets": list(subsets),
            "developer_role_mapping": DEVELOPER_ROLE_MAPPING,
            "datasets": datasets,
            **metadata,
        },
    )


def written_datasets(name: str, parts: Iterable[str]) -> list[dict[str, str]]:
    """The dataset record of cases written by the syscard authors; the revision hashes them."""
    return [
        {
            "name": f"syscard-{name}",
            "source": "syscard (cases written by the syscard authors)",
            "revision": version_hash(*parts),
        }
    ]


def public_datasets(name: str) -> list[dict[str, str]]:
    """The dataset record of the public dataset `name` (from the dataset registry)."""
    spec = get_spec(name)
    return [{"name": spec.name, "source": spec.source, "revision": spec.revision}]


def evenly(items: list[T], max_cases: int | None) -> list[T]:
    """Return at most `max_cases` items spread evenly over `items` (deterministic)."""
    if not max_cases or max_cases >= len(items):
        return items
    step = len(items) / max_cases
    return [items[int(i * step)] for i in range(max_cases)]
