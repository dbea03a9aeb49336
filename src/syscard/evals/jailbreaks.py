"""Card section 2, jailbreaks: jailbreak-augmented examples.

`jailbreak_augmented` applies published jailbreak techniques (`syscard.evals._techniques`) to
the standard-refusal harmful prompts and reports `not_unsafe` over all (technique, prompt)
pairs, broken down by technique (the card's question: does any known template get through?)
and by policy category.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.log import EvalLog, EvalSampleSummary

from syscard.data import get_spec
from syscard.data.loaders import HARMFUL_SOURCES, PromptRecord, load_harmful
from syscard.evals._info import EvalInfo
from syscard.evals._scoring import OFFLINE, refusal_task
from syscard.evals._techniques import TECHNIQUES, Technique, select_techniques
from syscard.evals.disallowed import per_group
from syscard.metrics import ERROR, not_unsafe, rate, rate_by_group
from syscard.results import SCORER, completed, rate_fields, row_builder

SECTION = "jailbreaks"
DEFAULT_TECHNIQUES = ",".join(TECHNIQUES)
DEFAULT_SOURCES = ",".join(HARMFUL_SOURCES)


def split_csv(csv: str | Sequence[str] | None) -> list[str]:
    """Return the non-empty, stripped items of a comma-separated string (or of a list: the
    `inspect eval -T name=a,b` command line passes one)."""
    parts = (csv or "").split(",") if isinstance(csv, str) else list(csv or [])
    return [str(part).strip() for part in parts if str(part).strip()]


def dataset_info(name: str) -> dict[str, str]:
    """Return the results.json `datasets` entry (name, source, revision) of a registry dataset."""
    spec = get_spec(name)
    return {"name": name, "source": spec.source, "revision": spec.revision}


def jailbreak_samples(
    records: Sequence[PromptRecord], techniques: Sequence[Technique], data_dir: str | None
) -> list[Sample]:
    """Return one sample per (record, technique): id `technique:source:record id`.

    Records are the outer loop so that `--limit N` compares N techniques on the same prompt.
    """
    samples = []
    for r in records:
        for t in techniques:
            prompt = t.apply(r.prompt, data_dir)
            samples.append(
                Sample(
                    id=f"{t.name}:{r.source}:{r.id}",
                    input=prompt if not r.context else f"{r.context}\n\n---\n\n{prompt}",
                    metadata={
                        "kind": r.kind,
                        "category": r.category,
                        "source": r.source,
                        "source_category": r.source_category,
                        "technique": t.name,
                        "technique_kind": t.kind,
                        "original_prompt": r.prompt,
                    },
                )
            )
    return samples


def labelled(summaries: list[EvalSampleSummary]) -> list[tuple[dict[str, Any], str]]:
    """Return (sample metadata, refusal label) for completed harmful samples; errors → "error"."""
    out = []
    for summary in completed(summaries):
        meta = summary.metadata or {}
        if meta.get("kind") != "harmful":
            continue
        score = (summary.scores or {}).get(SCORER)
        out.append((meta, ERROR if summary.error or score is None else str(score.value)))
    return out


def not_unsafe_row(
    summaries: list[EvalSampleSummary], breakdown: str, extra: dict[str, str]
) -> dict[str, Any]:
    """Return one `not_unsafe` row: `breakdown` by metadata key `breakdown`, and one extra
    field per `extra` item (field name → metadata key) holding the same kind of breakdown."""
    items = labelled(summaries)
    row: dict[str, Any] = {
        "metric": "not_unsafe",
        **rate_fields(
            rate(not_unsafe(label) for _, label in items),
            rate_by_group((str(m.get(breakdown, "all")), not_unsafe(lb)) for m, lb in items),
        ),
    }
    for field, key in extra.items():
        groups = rate_by_group((str(m.get(key, "all")), not_unsafe(lb)) for m, lb in items)
        row[field] = rate_fields(rate([]), groups)["breakdown"]
    return row


@row_builder("jailbreak_augmented")
def jailbreak_rows(header: EvalLog, summaries: list[EvalSampleSummary]) -> list[dict[str, Any]]:
    """One `not_unsafe` row: breakdown by technique, plus `breakdown_by_category` and
    `breakdown_by_technique_kind`."""
    return [
        not_unsafe_row(
            summaries,
            "technique",
            {"breakdown_by_category": "category", "breakdown_by_technique_kind": "technique_kind"},
        )
    ]


@task
def jailbreak_augmented(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    techniques: str | list[str] = DEFAULT_TECHNIQUES,
    per_category: int | None = None,
    harmful_sources: str | list[str] = DEFAULT_SOURCES,
) -> Task:
    """Standard-refusal harmful prompts × jailbreak techniques → `not_unsafe` per technique.

    Args:
        grader: "offline" (rule grader) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        techniques: technique names, comma-separated or a list (default: all registered).
        per_category: keep at most this many harmful prompts per policy category.
        harmful_sources: comma-separated harmful datasets (see `load_harmful`).
    """
    chosen = select_techniques(techniques)
    sources = split_csv(harmful_sources)
    records = [r for source in sources for r in load_harmful(source, data_dir)]
    datasets = [dataset_info(s) for s in sources]
    if any(t.files for t in chosen) and "strongreject" not in sources:
        datasets.append(dataset_info("strongreject"))  # the templates come from it
    return refusal_task(
        "jailbreak_augmented",
        jailbreak_samples(per_group(records, per_category), chosen, data_dir),
        section=SECTION,
        metrics=["not_unsafe"],
        grader=grader,
        results="jailbreak_augmented",
        breakdown="technique",
        datasets=datasets,
        techniques=[{"name": t.name, "kind": t.kind, "source": t.source} for t in chosen],
    )


EVAL_INFOS = [
    EvalInfo(
        "jailbreak_augmented",
        SECTION,
        ("not_unsafe",),
        ("strongreject", "harmbench", "jailbreakbench", "advbench"),
        jailbreak_augmented,
        # 32 techniques × every prompt is hours on the embedded model: never in quick.
        in_quick=False,
    ),
]
