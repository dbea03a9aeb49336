"""Harmful and benign prompt sets as Inspect samples, with the datasets they came from.

A suite run falls back to syscard's built-in starter set when none of a side's public
datasets is present, and says so in the task's metadata (the card prints a banner).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from inspect_ai.dataset import Sample

from syscard.data import DatasetMissing, get_spec
from syscard.data.loaders import PromptRecord, load_harmful, load_jbb_benign, load_xstest

logger = logging.getLogger(__name__)

STARTER_NAME = "syscard-starter"
STARTER_NOTE = (
    "built-in starter set written by the syscard authors, not a public benchmark: "
    "run `syscard data fetch` for the real datasets"
)
STARTER_INFO = {
    "name": STARTER_NAME,
    "source": "syscard",
    "revision": "built-in",
    "note": STARTER_NOTE,
}


def split_csv(csv: str | Sequence[str] | None) -> list[str]:
    """Return the non-empty, stripped items of a comma-separated string (or of a list: the
    `inspect eval -T name=a,b` command line passes one)."""
    parts = (csv or "").split(",") if isinstance(csv, str) else list(csv or [])
    return [str(part).strip() for part in parts if str(part).strip()]


def dataset_info(name: str) -> dict[str, str]:
    """Return the results.json `datasets` entry (name, source, revision) of a registry dataset."""
    spec = get_spec("jailbreakbench" if name == "jailbreakbench_benign" else name)
    return {"name": name, "source": spec.source, "revision": spec.revision}


def _source_loader(source: str, data_dir: str | None) -> Callable[[], list[PromptRecord]]:
    if source == "xstest":
        return lambda: load_xstest(data_dir)
    if source == "jailbreakbench_benign":
        return lambda: load_jbb_benign(data_dir)
    return lambda: load_harmful(source, data_dir)


def load_side(
    sources: Sequence[str], data_dir: str | None, fallback: list[PromptRecord] | None
) -> tuple[list[PromptRecord], list[dict[str, str]], list[str]]:
    """Return (records, datasets used, sources missing) for one side (harmful or benign).

    Without a fallback a missing source raises DatasetMissing; with one, missing sources are
    skipped, and the fallback is used when none was present.
    """
    records: list[PromptRecord] = []
    used: list[dict[str, str]] = []
    missing: list[str] = []
    for source in sources:
        try:
            records.extend(_source_loader(source, data_dir)())
        except DatasetMissing:
            if fallback is None:
                raise
            missing.append(source)
            continue
        used.append(dataset_info(source))
    if not records and fallback is not None:
        used.append(dict(STARTER_INFO))
        records = list(fallback)
    return records, used, missing


def prompt_samples(records: Sequence[PromptRecord]) -> list[Sample]:
    """Return one sample per record: id `kind:source:id`, a context before its prompt."""
    return [
        Sample(
            id=f"{r.kind}:{r.source}:{r.id}",
            input=r.prompt if not r.context else f"{r.context}\n\n---\n\n{r.prompt}",
            metadata={
                "kind": r.kind,
                "category": r.category,
                "source": r.source,
                "source_category": r.source_category,
            },
        )
        for r in records
    ]


def provenance(datasets: list[dict[str, str]], missing: list[str], eval_name: str) -> dict:
    """Return the task metadata that records where the prompts came from."""
    if missing:
        logger.warning("%s: datasets not present, skipped: %s", eval_name, ", ".join(missing))
    return {
        "breakdown": "category",
        "datasets": datasets,
        "missing_datasets": missing,
        "starter": any(d["name"] == STARTER_NAME for d in datasets),
    }
