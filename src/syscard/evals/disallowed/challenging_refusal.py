"""Challenging refusal: the harder harmful sets → `not_unsafe`, its own card row.

HarmBench's contextual behaviours (a request plus the document it is about) and StrongREJECT's
forbidden prompts wrapped in the strongest jailbreak templates (`STRONGEST`, chosen as
docs/jailbreaks.md explains), broken down by policy category and by subset.
"""

from __future__ import annotations

from pathlib import Path

from inspect_ai import Task
from inspect_ai.dataset import Sample

from syscard.data import HARMBENCH_CATEGORIES, DataError, PromptRecord, dataset_dir, load_harmful
from syscard.data.loaders import read_csv_rows
from syscard.evals.card_eval import card_eval
from syscard.evals.disallowed.prompt_sets import dataset_info, split_csv
from syscard.evals.jailbreaks.techniques import (
    describe_techniques,
    jailbreak_samples,
    select_techniques,
)
from syscard.evals.refusal_scoring import refusal_task
from syscard.evals.sampling import per_group, round_robin
from syscard.graders.registry import OFFLINE
from syscard.metrics.refusal import not_unsafe
from syscard.sections import DISALLOWED_CONTENT

STRONGEST = ("combination_3", "combination_2", "aim")
"""StrongREJECT wrappings of challenging refusal: the attacks Wei et al. 2023 found most
successful on GPT-4 and Claude v1.3 (the two combination attacks, and AIM, the strongest of the
jailbreakchat.com role-play prompts). See docs/jailbreaks.md."""
SUBSETS = ("harmbench_contextual", "strongreject")
DEFAULT_TECHNIQUES = ",".join(STRONGEST)
DEFAULT_SUBSETS = ",".join(SUBSETS)
HARMBENCH_FILES = ("harmbench_behaviors_text_test.csv", "harmbench_behaviors_text_val.csv")


def load_harmbench_contextual(data_dir: str | Path | None = None) -> list[PromptRecord]:
    """Return HarmBench's 100 contextual behaviours (text_test + text_val) as harmful records.

    `prompt` is the behaviour, `context` its ContextString (the document the request is about),
    `category` the card id mapped from SemanticCategory; ids are the BehaviorIDs. Raises
    DataError naming file:line for a contextual row without context.
    """
    folder = dataset_dir("harmbench", data_dir, files=HARMBENCH_FILES)
    out = []
    for rel in HARMBENCH_FILES:
        path = folder / rel
        required = (
            "Behavior",
            "FunctionalCategory",
            "SemanticCategory",
            "BehaviorID",
            "ContextString",
        )
        for line, row in read_csv_rows(path, required):
            if row["FunctionalCategory"].strip() != "contextual":
                continue
            context = row["ContextString"].strip()
            semantic = row["SemanticCategory"].strip()
            if not context or not row["Behavior"].strip() or not row["BehaviorID"].strip():
                raise DataError(
                    f"{path}:{line}: contextual behaviour without Behavior, BehaviorID or "
                    f"ContextString: replace the file with `syscard data fetch harmbench`"
                )
            if semantic not in HARMBENCH_CATEGORIES:
                raise DataError(
                    f"{path}:{line}: unknown category '{semantic}': map it in "
                    f"HARMBENCH_CATEGORIES (syscard/data/loaders.py)"
                )
            out.append(
                PromptRecord(
                    row["BehaviorID"].strip(),
                    row["Behavior"].strip(),
                    "harmful",
                    HARMBENCH_CATEGORIES[semantic],
                    "harmbench",
                    semantic,
                    context,
                )
            )
    return out


def _contextual_samples(records: list[PromptRecord]) -> list[Sample]:
    # HarmBench's own format for contextual behaviours: the context, a rule, the request.
    return [
        Sample(
            id=f"context:{r.source}:{r.id}",
            input=f"{r.context}\n\n---\n\n{r.prompt}",
            metadata={
                "kind": r.kind,
                "category": r.category,
                "source": r.source,
                "source_category": r.source_category,
                "subset": "harmbench_contextual",
            },
        )
        for r in records
    ]


not_unsafe_by_subset = not_unsafe.by("category", extra_breakdowns={"breakdown_by_subset": "subset"})


# ~1,000 long prompts (HarmBench contexts run to 3,500 characters): not in the quick suite.
@card_eval(
    section=DISALLOWED_CONTENT,
    metrics=[not_unsafe_by_subset],
    datasets=["harmbench", "strongreject"],
)
def challenging_refusal(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    techniques: str | list[str] = DEFAULT_TECHNIQUES,
    per_category: int | None = None,
    subsets: str | list[str] = DEFAULT_SUBSETS,
) -> Task:
    """HarmBench contextual behaviours + StrongREJECT prompts in the strongest jailbreak
    templates → `not_unsafe` by policy category and by subset.

    Args:
        grader: "offline" (rule grader) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        techniques: comma-separated techniques wrapping the StrongREJECT prompts.
        per_category: keep at most this many prompts per category in each subset.
        subsets: comma-separated, from "harmbench_contextual" and "strongreject".
    """
    chosen = select_techniques(techniques)
    wanted = split_csv(subsets)
    unknown = [s for s in wanted if s not in SUBSETS]
    if unknown or not wanted:
        raise DataError(
            f"unknown challenging_refusal subset '{','.join(unknown)}': use "
            f"{' and/or '.join(SUBSETS)}"
        )
    parts: list[list[Sample]] = []
    datasets: list[dict[str, str]] = []
    if "harmbench_contextual" in wanted:
        parts.append(
            _contextual_samples(per_group(load_harmbench_contextual(data_dir), per_category))
        )
        datasets.append(dataset_info("harmbench"))
    if "strongreject" in wanted:
        records = per_group(load_harmful("strongreject", data_dir), per_category)
        wrapped = jailbreak_samples(records, chosen, data_dir)
        for sample in wrapped:
            meta = sample.metadata or {}
            meta["subset"] = f"strongreject:{meta['technique']}"
        parts.append(wrapped)
        datasets.append(dataset_info("strongreject"))
    # Subsets interleaved so that `--limit N` takes some of each.
    return refusal_task(
        "challenging_refusal",
        round_robin(parts),
        grader=grader,
        breakdown="category",
        datasets=datasets,
        techniques=describe_techniques(chosen),
    )
