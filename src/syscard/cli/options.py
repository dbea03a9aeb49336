"""Options shared by `syscard grade` and `syscard graders validate`."""

from __future__ import annotations

import click

GRADER_MODEL = click.option(
    "--grader-model",
    default=None,
    help="Grade with this Inspect model and the grader's rubric (e.g. openai/gpt-4o-mini) "
    "instead of the offline grader.",
)
SAMPLES = click.option(
    "--samples",
    type=click.IntRange(1, 15),
    default=1,
    show_default=True,
    help="Model graders: ask this many times (temperature 0.7) and take the majority; "
    "a tie is an error. Odd numbers avoid ties.",
)
CONCURRENCY = click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=8,
    show_default=True,
    help="Model graders: requests in flight at once.",
)
ENCODING = click.option(
    "--encoding", default="utf-8", show_default=True, help="Text encoding of the input file."
)
