"""`syscard grade` and `syscard graders list | validate`."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

# Messages go to stderr: `syscard grade` without -o writes the graded rows to stdout.
err = Console(stderr=True, width=None if sys.stderr.isatty() else 120)

_GRADER_MODEL = click.option(
    "--grader-model",
    default=None,
    help="Grade with this Inspect model and the grader's rubric (e.g. openai/gpt-4o-mini) "
    "instead of the offline grader.",
)
_SAMPLES = click.option(
    "--samples",
    type=click.IntRange(1, 15),
    default=1,
    show_default=True,
    help="Model graders: ask this many times (temperature 0.7) and take the majority; "
    "a tie is an error. Odd numbers avoid ties.",
)
_CONCURRENCY = click.option(
    "--concurrency", type=click.IntRange(1, 256), default=8, show_default=True,
    help="Model graders: requests in flight at once.",
)
_ENCODING = click.option(
    "--encoding", default="utf-8", show_default=True, help="Text encoding of the input file."
)


def _errors() -> tuple[type[Exception], ...]:
    from syscard.data import DataError
    from syscard.graders.registry import UnknownGrader
    from syscard.graders.table import TableError

    return (TableError, UnknownGrader, DataError)


@click.command()
@click.argument("grader_name", metavar="GRADER")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the graded rows (.csv or .jsonl); default: stdout.")
@click.option("--prefix", default="", help="Prefix for the added columns (label, score, "
              "explanation), e.g. 'grader_' when the input already has a 'label' column.")
@_GRADER_MODEL
@_SAMPLES
@_CONCURRENCY
@_ENCODING
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

    try:
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
    except _errors() as ex:
        raise click.ClickException(str(ex)) from ex

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
        err.print(f"[yellow]{counts['error']} row(s) could not be graded[/]: label 'error', "
                  "see their explanation" + (
                      "; rerun the same command to retry them" if grader_model else ""))


@click.group()
def graders() -> None:
    """The graders: list them, or measure one against human labels."""


@graders.command(name="list")
def graders_list() -> None:
    """List graders with their labels, needed columns, version and measured agreement."""
    from syscard.graders.registry import GRADERS
    from syscard.graders.validation import stored_agreement

    table = Table(title="graders")
    for column in ("grader", "labels", "needs", "offline version", "held-out agreement"):
        table.add_column(column)
    for spec in GRADERS.values():
        try:
            offline = spec.offline()
            version = f"{offline.name}@{offline.version}"
            stored = stored_agreement(offline.name, offline.version)
        except ImportError as ex:  # a grader module missing from a broken install
            version, stored = f"unavailable ({ex})", None
        agreement = (
            f"{stored['agreement']['value']:.3f} [{stored['agreement']['ci_low']:.3f}, "
            f"{stored['agreement']['ci_high']:.3f}] n={stored['n']}"
            if stored
            else "not measured"
        )
        table.add_row(
            spec.name,
            ", ".join(spec.labels),
            escape(", ".join(spec.columns + tuple(f"[{c}]" for c in spec.optional))),
            version,
            agreement,
        )
    Console(width=None if sys.stdout.isatty() else 160).print(table)


@graders.command(name="validate")
@click.argument("grader_name", metavar="GRADER")
@click.argument("labelled", metavar="LABELLED", required=False,
                type=click.Path(dir_okay=False))
@click.option("--label-column", default="label", show_default=True,
              help="Column with the human label.")
@click.option("--split", default=None,
              help="Only rows whose `split` column has this value (e.g. heldout).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the full measurement as JSON here.")
@_GRADER_MODEL
@_SAMPLES
@_CONCURRENCY
@_ENCODING
def graders_validate(grader_name, labelled, label_column, split, json_out, grader_model, samples,
                     concurrency, encoding):
    """Measure GRADER against the human labels in LABELLED (CSV or JSONL).

    Prints agreement, Cohen's kappa, precision/recall/F1 per label and the confusion
    matrix, each with a 95% CI, and stores the result under the grader's version, where
    the card finds it. Without LABELLED, uses the grader's shipped held-out split.
    """
    from syscard.graders.grading import make_grader
    from syscard.graders.registry import grader_spec
    from syscard.graders.table import TableError, read_table
    from syscard.graders.validation import (
        HELDOUT,
        data_path,
        file_sha256,
        measure,
        store_measurement,
        user_store,
    )

    try:
        spec = grader_spec(grader_name)
        if labelled is None:
            if spec.labelled is None:
                raise TableError(f"{spec.name} has no shipped labelled set: pass LABELLED")
            labelled = str(data_path(spec.labelled))
            split = split or HELDOUT
        table = read_table(labelled, encoding)
        grader = make_grader(spec, grader_model, samples)
        report, stored = measure(
            spec, grader, table, source=str(Path(labelled).resolve()),
            label_column=label_column, split=split, concurrency=concurrency,
        )
    except _errors() as ex:
        raise click.ClickException(str(ex)) from ex
    stored["labelled_sha256"] = file_sha256(labelled)
    store = user_store()
    store_measurement(store, grader.name, grader.version, stored)
    if json_out:
        json_out.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    _print_report(grader, report, labelled, split)
    for origin, a in stored.get("by_origin", {}).items():
        Console().print(f"  origin {origin:10} agreement {a['value']:.3f} "
                        f"[{a['ci_low']:.3f}, {a['ci_high']:.3f}] n={a['n']}")
    if "annotators" in stored:
        a = stored["annotators"]
        binary = (f"; binary {a['human_vs_human_binary']:.3f} vs "
                  f"{a['grader_vs_one_human_binary']:.3f}" if "human_vs_human_binary" in a else "")
        Console().print(
            f"  {a['n']} rows with {a['annotators_per_row']} annotators each: one annotator agrees "
            f"with another {a['human_vs_human']:.3f}, the grader with one annotator "
            f"{a['grader_vs_one_human']:.3f}{binary}", soft_wrap=True,
        )
    err.print(f"stored as {grader.name}@{grader.version} in {store}", soft_wrap=True)


def _fmt(interval) -> str:
    if interval.value != interval.value:  # NaN: undefined (no rows of that kind)
        return "n/a"
    return f"{interval.value:.3f} [{interval.ci_low:.3f}, {interval.ci_high:.3f}]"


def _print_report(grader, report, labelled, split) -> None:
    out = Console(width=None if sys.stdout.isatty() else 120)
    out.print(
        f"[bold]{grader.name}@{grader.version}[/] on {labelled}"
        + (f" (split {split})" if split else "") + f": n={report.n}, "
        f"{report.n_errors} grader errors (counted as disagreements)",
        soft_wrap=True,
    )
    out.print(f"agreement   {_fmt(report.agreement)}")
    out.print(f"Cohen kappa {_fmt(report.kappa)}")
    if report.binary:
        b = report.binary
        out.print(f"binary      {b['value']:.3f} [{b['ci_low']:.3f}, {b['ci_high']:.3f}]"
                  f"  ({b['split']})")
    per_class = Table(title="per label (95% CI)")
    for column in ("label", "precision", "recall", "F1", "support"):
        per_class.add_column(column)
    for label, s in report.per_class.items():
        per_class.add_row(label, _fmt(s.precision), _fmt(s.recall), _fmt(s.f1), str(s.support))
    out.print(per_class)
    predicted = sorted({p for row in report.confusion.values() for p in row},
                       key=lambda p: (p not in report.per_class, p))
    matrix = Table(title="confusion: human (rows) x grader (columns), count and row share")
    matrix.add_column("human \\ grader")
    for p in predicted:
        matrix.add_column(p)
    for human, row in report.confusion.items():
        cells = []
        for p in predicted:
            count = row.get(p, 0)
            share = report.confusion_rates[human].get(p)
            cells.append(f"{count} ({_fmt(share)})" if share else "0")
        matrix.add_row(human, *cells)
    out.print(matrix)
