"""Card section 1, disallowed content: XSTest over-refusal and standard refusal.

- `xstest`: the 250 safe XSTest prompts → `not_overrefuse`, broken down by XSTest type.
- `standard_refusal`: public harmful-behaviour sets (StrongREJECT, HarmBench standard,
  JailbreakBench, AdvBench) → `not_unsafe` by card policy category, plus benign look-alikes
  (JailbreakBench benign, XSTest safe) → `not_overrefuse`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence

from inspect_ai import Task, task
from inspect_ai.dataset import Sample

from syscard.data import DatasetMissing, get_spec
from syscard.data.loaders import (
    PromptRecord,
    load_harmful,
    load_jbb_benign,
    load_starter,
    load_xstest,
)
from syscard.evals._info import EvalInfo
from syscard.evals._scoring import OFFLINE, refusal_task

logger = logging.getLogger(__name__)

SECTION = "disallowed_content"
HARMFUL_SOURCES = ("strongreject", "harmbench", "jailbreakbench", "advbench")
BENIGN_SOURCES = ("jailbreakbench_benign", "xstest")
STARTER_NAME = "syscard-starter"
STARTER_NOTE = (
    "built-in starter set written by the syscard authors, not a public benchmark: "
    "run `syscard data fetch` for the real datasets"
)


def round_robin(groups: Sequence[Sequence[PromptRecord]]) -> list[PromptRecord]:
    """Return the records of `groups` interleaved: first of each group, then second, ...

    So that `--limit N` takes a spread over categories rather than the first one only.
    """
    merged: list[PromptRecord] = []
    for i in range(max((len(g) for g in groups), default=0)):
        merged.extend(g[i] for g in groups if i < len(g))
    return merged


def per_group(records: Sequence[PromptRecord], n: int | None) -> list[PromptRecord]:
    """Return at most `n` records per category (all if `n` is None), categories interleaved.

    Within a category records are ranked by a stable hash of their id, so a small quick
    subset spreads over the category instead of taking its first rows, and the same records
    come back on every run (which is what makes a run resumable).
    """
    by_group: dict[str, list[PromptRecord]] = {}
    for record in records:
        by_group.setdefault(record.category, []).append(record)
    ranked = [
        sorted(by_group[g], key=lambda r: hashlib.sha256(r.id.encode()).hexdigest())[:n]
        for g in sorted(by_group)
    ]
    return round_robin(ranked)


def _source_loader(source: str, data_dir: str | None) -> Callable[[], list[PromptRecord]]:
    if source == "xstest":
        return lambda: load_xstest(data_dir)
    if source == "jailbreakbench_benign":
        return lambda: load_jbb_benign(data_dir)
    return lambda: load_harmful(source, data_dir)


def _dataset_info(source: str) -> dict[str, str]:
    spec = get_spec("jailbreakbench" if source == "jailbreakbench_benign" else source)
    return {"name": source, "source": spec.source, "revision": spec.revision}


def _load_side(
    sources: Sequence[str], data_dir: str | None, fallback: list[PromptRecord] | None
) -> tuple[list[PromptRecord], list[dict[str, str]], list[str]]:
    """Load every source of one side; with a fallback, missing sources are skipped."""
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
        used.append(_dataset_info(source))
    if not records and fallback is not None:
        used.append(
            {
                "name": STARTER_NAME,
                "source": "syscard",
                "revision": "built-in",
                "note": STARTER_NOTE,
            }
        )
        records = list(fallback)
    return records, used, missing


def _samples(records: Sequence[PromptRecord]) -> list[Sample]:
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


def _task(
    name: str,
    records: list[PromptRecord],
    metrics: list[str],
    datasets: list[dict[str, str]],
    missing: list[str],
    grader: str,
) -> Task:
    starter = any(d["name"] == STARTER_NAME for d in datasets)
    if missing:
        logger.warning("%s: datasets not present, skipped: %s", name, ", ".join(missing))
    return refusal_task(
        name,
        _samples(records),
        section=SECTION,
        metrics=metrics,
        grader=grader,
        breakdown="category",
        datasets=datasets,
        missing_datasets=missing,
        starter=starter,
    )


@task
def xstest(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    per_category: int | None = None,
    starter_fallback: bool = False,
) -> Task:
    """XSTest's 250 safe prompts → `not_overrefuse`, by XSTest type.

    Args:
        grader: "offline" (rule grader) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        per_category: keep at most this many prompts per type (the quick suite's subset).
        starter_fallback: if XSTest is absent, use syscard's built-in benign starter set.
    """
    fallback = [r for r in load_starter()[1]] if starter_fallback else None
    records, datasets, missing = _load_side(["xstest"], data_dir, fallback)
    return _task(
        "xstest", per_group(records, per_category), ["not_overrefuse"], datasets, missing, grader
    )


@task
def standard_refusal(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    per_category: int | None = None,
    starter_fallback: bool = False,
    harmful_sources: str = ",".join(HARMFUL_SOURCES),
    benign_sources: str = ",".join(BENIGN_SOURCES),
) -> Task:
    """Harmful behaviours → `not_unsafe` by policy category; benign look-alikes →
    `not_overrefuse` by type.

    Args:
        grader: "offline" (rule grader) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        per_category: keep at most this many prompts per category (quick suite).
        starter_fallback: for a side whose datasets are all absent, use the starter set.
        harmful_sources: comma-separated harmful datasets.
        benign_sources: comma-separated benign datasets.
    """
    starter_harmful, starter_benign = load_starter() if starter_fallback else (None, None)
    harmful, used_h, missing_h = _load_side(_split(harmful_sources), data_dir, starter_harmful)
    benign, used_b, missing_b = _load_side(_split(benign_sources), data_dir, starter_benign)
    records = round_robin([per_group(harmful, per_category), per_group(benign, per_category)])
    return _task(
        "standard_refusal",
        records,
        ["not_unsafe", "not_overrefuse"],
        used_h + used_b,
        missing_h + missing_b,
        grader,
    )


def _split(csv: str | Sequence[str]) -> list[str]:
    # `inspect eval -T harmful_sources=a,b` passes a list, `syscard` a string.
    parts = csv.split(",") if isinstance(csv, str) else list(csv)
    return [str(part).strip() for part in parts if str(part).strip()]


EVAL_INFOS = [
    EvalInfo(
        "xstest",
        SECTION,
        ("not_overrefuse",),
        ("xstest",),
        xstest,
        quick_args={"per_category": 5, "starter_fallback": True},
    ),
    EvalInfo(
        "standard_refusal",
        SECTION,
        ("not_unsafe", "not_overrefuse"),
        ("strongreject", "harmbench", "jailbreakbench", "advbench"),
        standard_refusal,
        # XSTest has its own eval in the suite: the quick benign side is JBB benign only.
        quick_args={
            "per_category": 5,
            "starter_fallback": True,
            "benign_sources": "jailbreakbench_benign",
        },
    ),
]
