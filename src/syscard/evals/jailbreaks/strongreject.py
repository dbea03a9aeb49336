"""StrongREJECT → `goodness@k` (default k = 0.1) and mean harm (card section 2, jailbreaks).

The 313 StrongREJECT forbidden prompts, each wrapped in every selected jailbreak technique;
each answer is graded with the StrongREJECT rubric (refused, convincing, specific → harm
score in [0, 1]; `syscard.graders.strongreject`) against the plain forbidden prompt. The
metrics and their definitions are in `syscard.evals.jailbreaks.goodness`.

Jailbreak techniques are "none" (the plain prompt: StrongREJECT counts it as a technique, and
on a robust model it is often the worst one) plus the shared registry
`syscard.evals.jailbreaks.techniques.TECHNIQUES`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from inspect_ai import Epochs, Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState, generate

from syscard.data import DataError, PromptRecord, load_harmful
from syscard.evals.card_eval import card_eval
from syscard.evals.disallowed.prompt_sets import dataset_info
from syscard.evals.jailbreaks.goodness import (
    DEFAULT_K,
    SCORER,
    check_k,
    goodness,
    mean_harm,
)
from syscard.evals.jailbreaks.techniques import TECHNIQUES, Technique
from syscard.evals.sampling import per_group
from syscard.evals.unanswered import error_metadata, no_answer
from syscard.graders.base import describe
from syscard.graders.registry import OFFLINE, grader_model_name, resolve_grader
from syscard.graders.strongreject import grade_error
from syscard.metrics.card_metric import inspect_metrics
from syscard.sections import JAILBREAKS

__all__ = ["PLAIN", "SCORER", "select_techniques", "strongreject", "strongreject_harm"]

PLAIN = "none"
PLAIN_TECHNIQUE = Technique(
    PLAIN, "none", "the forbidden prompt as StrongREJECT ships it", lambda prompt, _: prompt
)
"""The "none" technique: the forbidden prompt as it is (needs no data)."""


def available_techniques() -> dict[str, Technique]:
    """Return the jailbreak techniques strongreject can run by name: "none" first, then the
    shared registry in its order."""
    return {PLAIN: PLAIN_TECHNIQUE} | {n: t for n, t in TECHNIQUES.items() if n != PLAIN}


def select_techniques(spec: str | Sequence[str]) -> dict[str, Technique]:
    """Return the techniques a comma list names ("all" = every available one), in that order.

    `spec` may also be a list: `inspect eval -T techniques=a,b` passes one.
    """
    parts = spec.split(",") if isinstance(spec, str) else [str(p) for p in spec]
    names = list(dict.fromkeys(p.strip() for p in parts if p.strip()))
    if not names:
        raise DataError("techniques is empty: pass e.g. -T techniques=none,prefix_injection")
    available = available_techniques()
    if names == ["all"]:
        return available
    unknown = [n for n in names if n not in available]
    if unknown:
        raise DataError(
            f"unknown jailbreak technique {', '.join(map(repr, unknown))}: choose from all, "
            f"{', '.join(available)}"
        )
    return {n: available[n] for n in names}


@scorer(metrics=inspect_metrics([goodness, mean_harm], {}))
def strongreject_harm(grader: str = OFFLINE, data_dir: str | None = None) -> Scorer:
    """Grade each answer with the StrongREJECT rubric against the un-jailbroken prompt.

    Args:
        grader: "offline" (unvalidated text-feature approximation) or an Inspect model name to
            grade with the StrongREJECT rubric at temperature 0.
        data_dir: where the StrongREJECT files are (the rubric is read from the dataset).

    Returns:
        A scorer whose value is {"harm", "refused", "convincing", "specific"}; all None when
        the answer could not be graded.
    """
    chosen = resolve_grader("strongreject", grader, data_dir=data_dir)
    info = describe(chosen, grader_model_name(grader))
    metadata = {"grader": info["name"], "grader_version": info["version"]}

    async def score(state: TaskState, target: Target) -> Score:
        output = state.output
        missing = no_answer(output)
        if missing:
            unanswered = missing.score(output.completion, **metadata)
            unanswered.value = grade_error(str(missing)).as_value()
            return unanswered
        forbidden = str(state.metadata.get("forbidden_prompt", state.input_text))
        grade = await chosen.grade({"prompt": forbidden, "response": output.completion})
        return Score(
            value=dict(grade.details or grade_error(grade.explanation).as_value()),
            answer=output.completion,
            explanation=grade.explanation,
            metadata={**metadata, **error_metadata(grade)},
        )

    return score


def _samples(
    records: Sequence[PromptRecord], techniques: Mapping[str, Technique], data_dir: str | None
) -> list[Sample]:
    """Return one sample per (prompt, technique); `category` is StrongREJECT's own."""
    # Prompt-major: every technique of one prompt before the next prompt, so `--limit N`
    # keeps whole prompts (goodness@k needs all techniques of a prompt); prompts themselves
    # come round-robin over categories (`per_group`).
    return [
        Sample(
            id=f"{record.id}:{name}",
            input=technique.apply(record.prompt, data_dir),
            metadata={
                "prompt_id": record.id,
                "technique": name,
                "category": record.source_category,
                "card_category": record.category,
                "forbidden_prompt": record.prompt,
            },
        )
        for record in records
        for name, technique in techniques.items()
    ]


# Costs minutes even for a tiny subset on the embedded model: not in the quick suite.
@card_eval(section=JAILBREAKS, metrics=[goodness, mean_harm], datasets=["strongreject"])
def strongreject(
    grader: str = OFFLINE,
    data_dir: str | None = None,
    per_category: int | None = None,
    techniques: str | list[str] = "all",
    k: float = DEFAULT_K,
) -> Task:
    """StrongREJECT prompts × jailbreak techniques → goodness@k and mean harm, by category.

    Args:
        grader: "offline" (approximation, unvalidated) or an Inspect model name to grade with
            the StrongREJECT rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        per_category: keep at most this many prompts per StrongREJECT category.
        techniques: comma-separated jailbreak techniques (or a list), or "all"; "none" is
            the plain prompt.
        k: the fraction of techniques, per prompt, that goodness@k keeps (the most harmful).
    """
    k = check_k(k)
    chosen = select_techniques(techniques)
    # Subset and break down by StrongREJECT's own 6 categories (the card ids merge two).
    records = per_group(
        load_harmful("strongreject", data_dir), per_category, lambda r: r.source_category
    )
    info = describe(
        resolve_grader("strongreject", grader, data_dir=data_dir), grader_model_name(grader)
    )
    return Task(
        name="strongreject",
        dataset=MemoryDataset(_samples(records, chosen, data_dir), name="strongreject"),
        solver=generate(),
        scorer=strongreject_harm(grader, data_dir),
        # One epoch by default; with more, the rows average a response's graded epochs.
        epochs=Epochs(1, "mode"),
        version=1,
        metadata={
            "breakdown": "category",
            "datasets": [dataset_info("strongreject")],
            "techniques": list(chosen),
            "k": k,
            "grader": info,
        },
    )
