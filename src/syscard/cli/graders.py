"""`syscard graders list | validate | train`: the graders and their measured agreement."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from syscard.cli.console import err
from syscard.cli.options import CONCURRENCY, ENCODING, GRADER_MODEL, SAMPLES


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
            else "not measured for this version"
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
@click.argument("grader_name", metavar="GRADER", required=False)
@click.argument("labelled", metavar="LABELLED", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--label-column", default="label", show_default=True, help="Column with the human label."
)
@click.option(
    "--split", default=None, help="Only rows whose `split` column has this value (e.g. heldout)."
)
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the full measurement as JSON here.",
)
@GRADER_MODEL
@SAMPLES
@CONCURRENCY
@ENCODING
@click.option(
    "--public",
    is_flag=True,
    help="Measure GRADER on every public set of real models' labelled answers declared for it "
    "(syscard/graders/public_sets.py), per set and per source model.",
)
@click.option(
    "--set",
    "set_names",
    multiple=True,
    help="With --public: only this set (repeatable).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="With --public: a folder holding the datasets (as in syscard data list).",
)
@click.option(
    "--shipped",
    is_flag=True,
    help="For syscard's developers: measure every offline "
    "grader on its shipped held-out split and add the measurements to the package's "
    "validation.json (the ones a card cites by default).",
)
def graders_validate(
    grader_name,
    labelled,
    label_column,
    split,
    json_out,
    grader_model,
    samples,
    concurrency,
    encoding,
    public,
    set_names,
    data_dir,
    shipped,
):
    """Measure GRADER against the human labels in LABELLED (CSV or JSONL).

    Prints agreement, Cohen's kappa, precision/recall/F1 per label and the confusion
    matrix, each with a 95% CI, and stores the result under the grader's version, where
    the card finds it. Without LABELLED, uses the grader's shipped held-out split.
    """
    if shipped:
        from syscard.graders.validation import update_shipped

        if grader_name or labelled or grader_model:
            raise click.UsageError("--shipped measures every offline grader: give no GRADER")
        for line in update_shipped():
            click.echo(line)
        return
    if not grader_name:
        raise click.UsageError("give a GRADER (syscard graders list), or --shipped")
    if public:
        if labelled:
            raise click.UsageError("--public measures on the declared public sets: no LABELLED")
        _validate_public(grader_name, grader_model, samples, data_dir, set_names, json_out)
        return
    if set_names or data_dir:
        raise click.UsageError("--set and --data-dir go with --public")
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

    spec = grader_spec(grader_name)
    if labelled is None:
        if spec.labelled is None:
            raise TableError(f"{spec.name} has no shipped labelled set: pass LABELLED")
        labelled = str(data_path(spec.labelled))
        split = split or HELDOUT
    table = read_table(labelled, encoding)
    grader = make_grader(spec, grader_model, samples)
    report, stored = measure(
        spec,
        grader,
        table,
        source=str(Path(labelled).resolve()),
        label_column=label_column,
        split=split,
        concurrency=concurrency,
    )
    stored["labelled_sha256"] = file_sha256(labelled)
    store = user_store()
    store_measurement(store, grader.name, grader.version, stored)
    if json_out:
        json_out.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    _print_report(grader, report, labelled, split)
    for origin, a in stored.get("by_origin", {}).items():
        Console().print(
            f"  origin {origin:10} agreement {a['value']:.3f} "
            f"[{a['ci_low']:.3f}, {a['ci_high']:.3f}] n={a['n']}"
        )
    _print_by_model(stored, spec.labels[0])
    _print_annotators(stored)
    err.print(f"stored as {grader.name}@{grader.version} in {store}", soft_wrap=True)


def _print_annotators(stored) -> None:
    if "annotators" in stored:
        a = stored["annotators"]
        binary = (
            f"; binary {a['human_vs_human_binary']:.3f} vs {a['grader_vs_one_human_binary']:.3f}"
            if "human_vs_human_binary" in a
            else ""
        )
        Console().print(
            f"  {a['n']} rows with {a['annotators_per_row']} annotators each: one annotator agrees "
            f"with another {a['human_vs_human']:.3f}, the grader with one annotator "
            f"{a['grader_vs_one_human']:.3f}{binary}",
            soft_wrap=True,
        )


def _print_by_model(stored, counted: str) -> None:
    """One line per source model: agreement, kappa, precision/recall of the counted label."""
    for model, m in stored.get("by_model", {}).items():
        c = m["per_class"][counted]
        Console().print(
            f"  model {model:24} n={m['n']:<5} agreement {_cell(m['agreement'])}  "
            f"kappa {_cell(m['kappa'])}  {counted} P {_cell(c['precision'])} "
            f"R {_cell(c['recall'])} (support {c['support']})",
            soft_wrap=True,
        )


def _cell(d) -> str:
    """A stored interval {value, ci_low, ci_high} as `0.123 [0.100, 0.150]`, or n/a."""
    if d is None or d.get("value") is None:
        return "n/a"
    low, high = d.get("ci_low"), d.get("ci_high")
    ci = f" [{low:.3f}, {high:.3f}]" if low is not None and high is not None else ""
    return f"{d['value']:.3f}{ci}"


def _point(d) -> str:
    return "n/a" if d is None or d.get("value") is None else f"{d['value']:.3f}"


def _validate_public(grader_name, grader_model, samples, data_dir, set_names, json_out) -> None:
    """`syscard graders validate GRADER --public`: per set, per source model; stored."""
    from syscard.graders.grading import make_grader
    from syscard.graders.public_sets import measure_public
    from syscard.graders.registry import grader_spec
    from syscard.graders.validation import store_public, user_store

    spec = grader_spec(grader_name)
    grader = make_grader(spec, grader_model, samples)
    measured = measure_public(spec, grader, data_dir, tuple(set_names))
    out = Console(width=None if sys.stdout.isatty() else 120)
    counted = spec.labels[0]
    title = f"{grader.name}@{grader.version} on public sets of real models' answers (CIs above)"
    summary = Table(title=title)
    for column in (
        "set",
        "labels",
        "models",
        "n",
        "agreement",
        "kappa",
        f"{counted} P",
        f"{counted} R",
    ):
        summary.add_column(column)
    for public, report, stored in measured:
        where = escape(f"{public.name} [{public.label_kind}] ({public.source})")
        _print_report(grader, report, where, None)
        _print_annotators(stored)
        _print_by_model(stored, counted)
        c = stored["per_class"][counted]
        summary.add_row(
            public.name,
            public.label_kind,
            str(len(stored["by_model"])),
            str(stored["n"]),
            _point(stored["agreement"]),
            _point(stored["kappa"]),
            _point(c["precision"]),
            _point(c["recall"]),
        )
    out.print(summary)
    by_set = {stored["set"]: stored for _, _, stored in measured}
    store = user_store()
    store_public(store, grader.name, grader.version, by_set)
    if json_out:
        json_out.write_text(json.dumps(by_set, indent=2) + "\n", encoding="utf-8")
    err.print(
        f"stored {len(by_set)} public set(s) for {grader.name}@{grader.version} in {store}",
        soft_wrap=True,
    )


def _fmt(interval) -> str:
    if interval.value != interval.value:  # NaN: undefined (no rows of that kind)
        return "n/a"
    return f"{interval.value:.3f} [{interval.ci_low:.3f}, {interval.ci_high:.3f}]"


def _print_report(grader, report, labelled, split) -> None:
    out = Console(width=None if sys.stdout.isatty() else 120)
    out.print(
        f"[bold]{grader.name}@{grader.version}[/] on {labelled}"
        + (f" (split {split})" if split else "")
        + f": n={report.n}, "
        f"{report.n_errors} grader errors (counted as disagreements)",
        soft_wrap=True,
    )
    out.print(f"agreement   {_fmt(report.agreement)}")
    out.print(f"Cohen kappa {_fmt(report.kappa)}")
    if report.binary:
        b = report.binary
        out.print(
            f"binary      {b['value']:.3f} [{b['ci_low']:.3f}, {b['ci_high']:.3f}]  ({b['split']})"
        )
    per_class = Table(title="per label (95% CI)")
    for column in ("label", "precision", "recall", "F1", "support"):
        per_class.add_column(column)
    for label, s in report.per_class.items():
        per_class.add_row(label, _fmt(s.precision), _fmt(s.recall), _fmt(s.f1), str(s.support))
    out.print(per_class)
    predicted = sorted(
        {p for row in report.confusion.values() for p in row},
        key=lambda p: (p not in report.per_class, p),
    )
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


@graders.command(name="train")
@click.argument(
    "names", metavar="GRADER...", nargs=-1, required=True, type=click.Choice(["refusal", "harm"])
)
@click.option(
    "--cv",
    type=click.IntRange(0),
    default=0,
    help="k-fold cross-validation on the dev split; writes nothing.",
)
@click.option(
    "--by-source",
    is_flag=True,
    help="Leave-one-writer-out accuracy of the whole grader on the dev split; writes nothing.",
)
def graders_train(names, cv, by_source) -> None:
    """For syscard's developers: retrain the shipped classifier of each GRADER on the dev
    split of its labelled set and write its weights into the package (a new version)."""
    from syscard.graders.train import train_graders

    for line in train_graders(names, cv=cv, by_source=by_source):
        click.echo(line)
