"""The SimpleQA scorer and the task builder shared by SimpleQA and PersonQA."""

from __future__ import annotations

from typing import Any

from inspect_ai import Epochs, Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState, generate

from syscard.evals.hallucination.metrics import HALLUCINATION_METRICS
from syscard.evals.unanswered import error_metadata, no_answer
from syscard.graders.base import describe
from syscard.graders.registry import OFFLINE, grader_model_name, resolve_grader
from syscard.metrics.card_metric import inspect_metrics


def describe_grader(grader: str) -> dict[str, str]:
    """Return name and version of the SimpleQA grader that `grader` selects."""
    return describe(resolve_grader("simpleqa", grader), grader_model_name(grader))


@scorer(metrics=inspect_metrics(HALLUCINATION_METRICS, {}))
def simpleqa_label(grader: str = OFFLINE) -> Scorer:
    """Label each answer correct / incorrect / not_attempted against the sample's target.

    Args:
        grader: "offline" for the rule grader (which may answer `undecided`), or any Inspect
            model name to grade with syscard's SimpleQA rubric at temperature 0.

    Returns:
        A scorer whose value is the label (or `undecided` / `error`).
    """
    qa_grader = resolve_grader("simpleqa", grader)
    info = describe(qa_grader, grader_model_name(grader))

    grader_meta = {"grader": info["name"], "grader_version": info["version"]}

    async def score(state: TaskState, target: Target) -> Score:
        output = state.output
        missing = no_answer(output)
        if missing:
            return missing.score(output.completion, **grader_meta)
        verdict = await qa_grader.grade(
            {"prompt": state.input_text, "answer": target.text, "response": output.completion}
        )
        return Score(
            value=verdict.label,
            answer=output.completion,
            explanation=verdict.explanation,
            metadata={**grader_meta, **error_metadata(verdict)},
        )

    return score


def qa_task(name: str, samples: list[Sample], datasets: list[dict[str, Any]], grader: str) -> Task:
    """Return an Inspect task that answers short fact questions and labels each answer;
    `@card_eval` adds the section and the metrics."""
    return Task(
        name=name,
        dataset=MemoryDataset(samples, name=name),
        solver=generate(),
        scorer=simpleqa_label(grader),
        # Labels are categorical: reduce epochs by majority, never by a float mean.
        epochs=Epochs(1, "mode"),
        version=1,
        metadata={
            "breakdown": "topic",
            "datasets": datasets,
            "grader": describe_grader(grader),
        },
    )
