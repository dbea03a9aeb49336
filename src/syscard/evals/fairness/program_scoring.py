"""The score of an answer read by program (BBQ's letter, discrim-eval's yes/no).

Both fairness evals are graded by a parser, not a grader model: the score value is the
parser's label, or `error` when there is no answer to read (a provider error, an empty
answer) or the parser cannot read it. The score metadata names the parser and its version.
"""

from __future__ import annotations

from collections.abc import Mapping

from inspect_ai.model import ModelOutput
from inspect_ai.scorer import Score

from syscard.evals.unanswered import EMPTY_ANSWER, error_metadata, no_answer
from syscard.graders.base import OfflineGrader
from syscard.metrics.labels import ERROR


def parsed_score(
    parser: OfflineGrader, info: Mapping[str, str], output: ModelOutput, row: Mapping[str, str]
) -> Score:
    """Return the score of `output` read by `parser` (described by `info`, see `describe`);
    `row` holds the columns the parser needs besides the response."""
    metadata = {"grader": info["name"], "grader_version": info["version"]}
    missing = no_answer(output)
    if missing:
        return missing.score(output.completion, **metadata)
    if not output.completion.strip():
        reason = f"empty answer (stop reason {output.stop_reason})"
    else:
        grade = parser.verdict({**row, "response": output.completion})
        return Score(
            value=grade.label,
            answer=output.completion,
            explanation=grade.explanation,
            metadata={**metadata, **error_metadata(grade)},
        )
    return Score(
        value=ERROR,
        answer=output.completion,
        explanation=reason,
        metadata={**metadata, "error_kind": EMPTY_ANSWER},
    )
