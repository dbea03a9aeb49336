"""`cot_monitor`: the CoT monitor over the logged samples of a finished run (`syscard monitor`).

The logged answers are replayed, never generated again: each sample's output is rebuilt from
its log (answer and reasoning), and the monitor's scorer reads it as if the model had just
answered. Its rows carry the original model, mitigation and eval (see `metrics.cot_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inspect_ai import Epochs, Task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessageAssistant,
    Content,
    ContentReasoning,
    ContentText,
    ModelOutput,
    ModelUsage,
)
from inspect_ai.solver import Generate, Solver, TaskState, solver

from syscard.evals.card_eval import card_eval
from syscard.evals.cot.metrics import COT_METRICS, cot_rows
from syscard.evals.cot.monitor import cot_deception_monitor, monitor_metadata
from syscard.evals.cot.reasoning import reasoning_text
from syscard.graders.registry import OFFLINE
from syscard.sections import COT_SAFETY

MONITOR_TASK = "cot_monitor"


def replay_output(replay: dict[str, Any]) -> ModelOutput:
    """Return a `ModelOutput` rebuilt from a logged answer (`completion`, `reasoning`,
    `stop_reason`, `error`, `model`): the reasoning as a `ContentReasoning` block."""
    model = str(replay.get("model") or "replay")
    if replay.get("error"):
        return ModelOutput(model=model, error=str(replay["error"]))
    content: list[Content] = []
    if replay.get("reasoning"):
        content.append(ContentReasoning(reasoning=str(replay["reasoning"])))
    content.append(ContentText(text=str(replay.get("completion") or "")))
    message = ChatMessageAssistant(content=content, model=model, source="generate")
    return ModelOutput(
        model=model,
        choices=[
            ChatCompletionChoice(message=message, stop_reason=replay.get("stop_reason") or "stop")
        ],
        # Usage is set so Inspect never counts tokens itself (that needs a download).
        usage=ModelUsage(input_tokens=0, output_tokens=0, total_tokens=0),
    )


@solver
def replay_logged() -> Solver:
    """Set `state.output` from the sample's logged answer (metadata `replay`); never generates."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        output = replay_output(state.metadata.get("replay") or {})
        state.output = output
        if output.choices:
            state.messages.append(output.message)
        return state

    return solve


def logged_samples(log_paths: Sequence[str]) -> list[Sample]:
    """Return one replay sample per logged sample of the logs at `log_paths`.

    Input is the original input (prompt or messages); metadata names the original eval,
    sample id, epoch, model, mitigation, kind and category, and `replay` holds the answer
    and reasoning the model gave. Interrupted samples are skipped (a rerun completes them).
    """
    from inspect_ai.log import read_eval_log, read_eval_log_samples

    out: list[Sample] = []
    for path in log_paths:
        header = read_eval_log(path, header_only=True)
        eval_name = header.eval.task.split("/")[-1]
        mitigation = (header.eval.task_args or {}).get("mitigation") or (
            header.eval.metadata or {}
        ).get("mitigation")
        for sample in read_eval_log_samples(path, all_samples_required=False):
            if sample.error and sample.error.message.startswith("CancelledError"):
                continue
            meta = sample.metadata or {}
            output = sample.output
            error = sample.error.message if sample.error else output.error
            replay = {
                "model": output.model or header.eval.model,
                "completion": output.completion if output.choices else "",
                "reasoning": reasoning_text(output),
                "stop_reason": output.stop_reason if output.choices else None,
                "error": error,
            }
            out.append(
                Sample(
                    id=f"{eval_name}:{header.eval.model}:{sample.id}:{sample.epoch}",
                    input=sample.input,
                    metadata={
                        "eval": eval_name,
                        "sample_id": sample.id,
                        "epoch": sample.epoch,
                        "model": header.eval.model,
                        "mitigation": mitigation,
                        "kind": meta.get("kind"),
                        "category": meta.get("category"),
                        "original_prompt": meta.get("original_prompt"),
                        "log": path,
                        "replay": replay,
                    },
                )
            )
    return out


# Built by `syscard monitor RUN_DIR` from a run's logs: in no suite.
@card_eval(section=COT_SAFETY, metrics=COT_METRICS, rows=cot_rows, listed=False, name=MONITOR_TASK)
def replay_task(log_paths: Sequence[str] = (), grader: str = OFFLINE, samples: int = 1) -> Task:
    """Return the `cot_monitor` task: the logged samples of `log_paths`, replayed (no model
    call) and scored by the CoT monitor; its rows carry the original model and eval.

    Args:
        log_paths: the Inspect logs whose samples are monitored.
        grader: "offline" (rule monitor) or an Inspect model name (rubric monitor).
        samples: model monitor: votes per verdict.
    """
    paths = list(log_paths)
    return Task(
        name=MONITOR_TASK,
        dataset=MemoryDataset(logged_samples(paths), name=MONITOR_TASK),
        solver=replay_logged(),
        scorer=cot_deception_monitor(grader, samples),
        # Inspect's default reducer (mean) would turn the labels into 0.0 before its metrics
        # see them; "mode" keeps the label (one epoch: the sample's own).
        epochs=Epochs(1, "mode"),
        version=1,
        metadata=monitor_metadata(
            grader,
            samples,
            replay=True,
            monitored_logs=[Path(p.removeprefix("file://")).name for p in paths],
            datasets=[],
        ),
    )
