"""What a sample page shows of each sample, read from an Inspect log (plain, unescaped text).

Reading is streamed sample by sample, so a page for a large log never holds the whole log.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ERROR = "error"


@dataclass(frozen=True)
class SampleRecord:
    """One graded sample as shown on a sample page (every field is plain, unescaped text)."""

    id: str
    epoch: int
    messages: tuple[tuple[str, str], ...]  # (role, text) of the input turns
    reasoning: str  # model reasoning (ContentReasoning) if any, else ""
    answer: str  # final completion text
    grade: str  # score value as text (label, number, JSON for dicts) or "error"
    explanation: str  # score explanation, "" if none
    grader: str  # score metadata "grader" (+ version), "" if absent
    metadata: Mapping[str, str] = field(default_factory=dict)  # sample metadata as strings
    error: str = ""  # sample error message, "" if none


def _text(value: Any) -> str:
    """Return a metadata or score value as text: strings as they are, the rest as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}" if math.isfinite(value) else str(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _reasoning(message: Any) -> str:
    """Return the reasoning blocks of an assistant message joined by blank lines, or ""."""
    content = getattr(message, "content", None)
    if not isinstance(content, list):
        return ""
    parts = []
    for block in content:
        if getattr(block, "type", None) != "reasoning":
            continue
        if block.redacted:
            parts.append(block.summary or "[reasoning redacted by the provider]")
        else:
            parts.append(block.reasoning or block.summary or "")
    return "\n\n".join(p for p in parts if p)


def _grader(metadata: Mapping[str, Any] | None) -> str:
    if not metadata or not metadata.get("grader"):
        return ""
    name = _text(metadata["grader"])
    version = _text(metadata.get("grader_version"))
    return f"{name} {version}" if version else name


def _record(sample: Any, scorer: str | None) -> SampleRecord:
    """Return the SampleRecord for one Inspect EvalSample, graded by `scorer` (or the first)."""
    messages = list(sample.messages or [])
    output = sample.output
    choice_message = output.choices[0].message if output and output.choices else None
    # The conversation ends with the answer itself: show it once, as the answer.
    if (
        messages
        and messages[-1].role == "assistant"
        and (choice_message is None or messages[-1].text == choice_message.text)
    ):
        final = messages.pop()
        choice_message = choice_message or final
    if messages:
        turns = [(m.role, m.text) for m in messages]
    elif isinstance(sample.input, str):  # errored before the solver ran: show the dataset input
        turns = [("user", sample.input)]
    else:
        turns = [(m.role, m.text) for m in sample.input]

    answer = output.completion if output else ""
    if not answer and choice_message is not None:
        answer = choice_message.text

    scores = sample.scores or {}
    score = scores.get(scorer) if scorer else None
    if score is None and scores:
        score = next(iter(scores.values()))
    grade = ERROR if score is None or score.value is None else _text(score.value)
    error = sample.error.message if sample.error is not None else ""
    if sample.limit is not None:
        limit = f"{sample.limit.type} limit ({_text(sample.limit.limit)}) reached"
        error = f"{error}\n{limit}".strip()
    return SampleRecord(
        id=str(sample.id),
        epoch=int(sample.epoch),
        messages=tuple((str(role), text or "") for role, text in turns),
        reasoning=_reasoning(choice_message),
        answer=answer or "",
        grade=grade,
        explanation=(score.explanation or "") if score is not None else "",
        grader=_grader(score.metadata) if score is not None else "",
        metadata={str(k): _text(v) for k, v in (sample.metadata or {}).items() if v is not None},
        error=error,
    )


def _samples(path: str) -> Iterator[Any]:
    """Yield the samples of a log one at a time (events and store are never loaded)."""
    from inspect_ai.log import read_eval_log, read_eval_log_samples

    exclude = {"events", "store"}
    try:
        # Streams: only one sample is in memory at a time. Unfinished logs are allowed.
        yield from read_eval_log_samples(
            path, all_samples_required=False, resolve_attachments="core", exclude_fields=exclude
        )
    except RuntimeError:
        # A log without the sample id list (written by an interrupted run): read it whole.
        log = read_eval_log(path, resolve_attachments="core", exclude_fields=exclude)
        yield from log.samples or []


def read_samples(log_path: str | Path) -> list[SampleRecord]:
    """Return one SampleRecord per sample and epoch in an Inspect log, in log order.

    Grades come from the log's first scorer. Samples that stopped with an error or a limit are
    included with `error` set (and grade "error" when they have no score).
    """
    from inspect_ai.log import read_eval_log

    path = str(log_path)
    header = read_eval_log(path, header_only=True)
    scorers = header.eval.scorers or []
    first = scorers[0].name if scorers else None
    if header.results and header.results.scores:
        first = header.results.scores[0].scorer
    return [_record(sample, first) for sample in _samples(path)]
