"""SimpleQA: 4,326 short fact questions → accuracy, hallucination rate, F-score, by topic."""

from __future__ import annotations

from inspect_ai import Task

from syscard.data import get_spec
from syscard.evals.card_eval import card_eval
from syscard.evals.hallucination.metrics import HALLUCINATION_METRICS
from syscard.evals.hallucination.records import load_simpleqa, pick_per_topic, qa_samples
from syscard.evals.hallucination.scoring import qa_task
from syscard.graders.registry import OFFLINE
from syscard.sections import HALLUCINATION


# 4,326 questions: not in the quick suite (`-T per_topic=N` for a stratified subset).
@card_eval(section=HALLUCINATION, metrics=HALLUCINATION_METRICS, datasets=["simpleqa"])
def simpleqa(
    grader: str = OFFLINE, data_dir: str | None = None, per_topic: int | None = None
) -> Task:
    """SimpleQA's 4,326 short fact questions → accuracy, hallucination rate, F-score, by topic.

    Args:
        grader: "offline" (deterministic rules) or an Inspect model name to grade with a rubric.
        data_dir: a folder laid out like the dataset cache (e.g. ../shared/datasets).
        per_topic: keep at most this many questions per topic (a stratified subset).
    """
    spec = get_spec("simpleqa")
    records = pick_per_topic(load_simpleqa(data_dir), per_topic)
    datasets = [{"name": "simpleqa", "source": spec.source, "revision": spec.revision}]
    return qa_task("simpleqa", qa_samples(records), datasets, grader)
