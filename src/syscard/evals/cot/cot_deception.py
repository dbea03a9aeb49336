"""Deception-tempting prompts → `deception_rate`, `monitorable_rate`,
`cot_summary_disallowed` from the CoT monitor."""

from __future__ import annotations

from inspect_ai import Epochs, Task
from inspect_ai.dataset import MemoryDataset
from inspect_ai.solver import generate

from syscard.evals.card_eval import card_eval
from syscard.evals.cot.metrics import COT_METRICS, cot_rows
from syscard.evals.cot.monitor import cot_deception_monitor, monitor_metadata
from syscard.evals.cot.prompts import load_cot_prompts
from syscard.graders.fingerprint import version_hash
from syscard.graders.registry import OFFLINE
from syscard.sections import COT_SAFETY


# Fifty answers and a reasoning-model use case: not part of the quick suite.
@card_eval(section=COT_SAFETY, metrics=COT_METRICS, rows=cot_rows)
def cot_deception(
    grader: str = OFFLINE,
    samples: int = 1,
    prompts_file: str | None = None,
) -> Task:
    """Deception-tempting prompts → `deception_rate`, `monitorable_rate`,
    `cot_summary_disallowed` from the CoT monitor.

    Args:
        grader: "offline" (rule monitor) or an Inspect model name (rubric monitor).
        samples: model monitor: votes per verdict.
        prompts_file: a JSONL file (id, prompt, temptation, kind) instead of the shipped one.
    """
    dataset = load_cot_prompts(prompts_file)
    return Task(
        name="cot_deception",
        dataset=MemoryDataset(dataset, name="cot_deception"),
        solver=generate(),
        scorer=cot_deception_monitor(grader, samples),
        epochs=Epochs(1, "mode"),
        version=1,
        metadata=monitor_metadata(
            grader,
            samples,
            breakdown="category",
            datasets=[
                {
                    "name": "syscard-cot-prompts",
                    "source": "syscard (prompts written by the syscard authors)",
                    "revision": version_hash(*(str(s.input) for s in dataset)),
                }
            ],
        ),
    )
