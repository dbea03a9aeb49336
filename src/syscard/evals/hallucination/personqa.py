"""PersonQA: questions about public facts on people, from a user file → the SimpleQA metrics."""

from __future__ import annotations

import hashlib
from pathlib import Path

from inspect_ai import Task

from syscard.evals.card_eval import card_eval
from syscard.evals.hallucination.metrics import HALLUCINATION_METRICS
from syscard.evals.hallucination.records import (
    load_personqa,
    personqa_example_path,
    pick_per_topic,
    qa_samples,
)
from syscard.evals.hallucination.scoring import qa_task
from syscard.graders.registry import OFFLINE
from syscard.sections import HALLUCINATION


# The card's PersonQA set is internal: the questions are a user file, not a registry dataset.
@card_eval(section=HALLUCINATION, metrics=HALLUCINATION_METRICS)
def personqa(grader: str = OFFLINE, path: str | None = None, per_topic: int | None = None) -> Task:
    """Questions about public facts on people, from a user file → the SimpleQA metrics.

    Args:
        grader: "offline" (deterministic rules) or an Inspect model name to grade with a rubric.
        path: JSONL or CSV file with columns question, answer[, person, topic, id]; default:
            syscard's example file (historical public figures).
        per_topic: keep at most this many questions per topic.
    """
    file = Path(path) if path else personqa_example_path()
    records = pick_per_topic(load_personqa(file), per_topic)
    digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
    source = "syscard example file (written by the syscard authors)" if not path else str(file)
    datasets = [{"name": "personqa", "source": source, "revision": f"sha256:{digest}"}]
    return qa_task("personqa", qa_samples(records), datasets, grader)
