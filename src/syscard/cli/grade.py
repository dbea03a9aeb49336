"""`syscard grade GRADER INPUT`: label any file of (prompt, response) rows."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click

from syscard.cli.console import err
from syscard.cli.options import CONCURRENCY, ENCODING, GRADER_MODEL, SAMPLES


@click.command()
@click.argument("grader_name", metavar="GRADER")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the graded rows (.csv or .jsonl); default: stdout.",
)
@click.option(
    "--prefix",
    default="",
    help="Prefix for the added columns (label, score, "
    "explanation), e.g. 'grader_' when the input already has a 'label' column.",
)
@GRADER_MODEL
@SAMPLES
@CONCURRENCY
@ENCODING
def grade(grader_name, input_path, output, prefix, grader_model, samples, concurrency, encoding):
    """Grade the rows of INPUT (CSV or JSONL) with GRADER.

    INPUT needs columns `prompt` and `response` (plus `secret` for secret-leak, `answer` for
    simpleqa; `reasoning` is used by deception when present). The output is the same rows in
    the same order with columns `label`, `score` and `explanation` added. A row that cannot
    be graded (provider error, unparsable grader reply, missing value) gets label `error`.
    """
    from syscard.graders.grading import grade_offline, grade_with_model, make_grader
    from syscard.graders.registry import grader_spec
    from syscard.graders.table import TableError, read_table, require_columns, write_table

    spec = grader_spec(grader_name)
    table = read_table(input_path, encoding)
    require_columns(table, spec.columns, input_path, f"grader {spec.name}")
    added = [f"{prefix}label", f"{prefix}score", f"{prefix}explanation"]
    clash = [c for c in added if c in table.columns]
    if clash:
        raise TableError(
            f"{input_path} already has column(s) {', '.join(clash)}: pass --prefix "
            "(e.g. --prefix grader_) so nothing is overwritten"
        )
    grader = make_grader(spec, grader_model, samples)
    started = time.perf_counter()
    if grader_model is None:
        grades = grade_offline(spec, grader, table.rows)
    else:
        checkpoint = (output or Path(input_path)).with_suffix(".grading-checkpoint.jsonl")
        grades = grade_with_model(
            spec, grader, table.rows, concurrency=concurrency, checkpoint=checkpoint
        )
    seconds = time.perf_counter() - started

    for row, g in zip(table.rows, grades, strict=True):
        row[added[0]] = g.label
        row[added[1]] = "" if g.score is None else round(g.score, 4)
        row[added[2]] = g.explanation
    table.columns += added
    write_table(table, output)
    if grader_model is not None and not any(g.label == "error" for g in grades):
        checkpoint.unlink(missing_ok=True)

    counts = Counter(g.label for g in grades)
    summary = ", ".join(f"{label} {counts[label]}" for label in (*spec.labels, "error"))
    rate = len(grades) / seconds if seconds > 0 else float("inf")
    err.print(
        f"{grader.name}@{grader.version}: {len(grades)} rows: {summary} "
        f"({seconds:.2f} s, {rate:,.0f} rows/s)" + (f" -> {output}" if output else ""),
        soft_wrap=True,
    )
    if counts["error"]:
        err.print(
            f"[yellow]{counts['error']} row(s) could not be graded[/]: label 'error', "
            "see their explanation"
            + ("; rerun the same command to retry them" if grader_model else "")
        )
