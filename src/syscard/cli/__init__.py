"""The `syscard` command."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from syscard import __version__

# Wide enough for the summary table when output is piped (CI logs, files).
console = Console(width=None if sys.stdout.isatty() else 120)


def _user_errors() -> tuple[type[Exception], ...]:
    from syscard.data import DataError
    from syscard.mitigations import MitigationError, SpecError
    from syscard.models.gguf import GGUFError
    from syscard.preparedness import ThresholdsError
    from syscard.report.render import ReportError
    from syscard.runner import SuiteError

    return (DataError, GGUFError, SuiteError, ThresholdsError, ReportError, SpecError,
            MitigationError)


class _Group(click.Group):
    """Turns syscard's own input errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except _user_errors() as ex:
            raise click.ClickException(str(ex)) from ex


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="syscard")
def main() -> None:
    """syscard writes the safety system card for a language model."""


@main.command()
@click.option(
    "--model",
    "models",
    multiple=True,
    help="Model under test (repeatable). "
    "Any Inspect model, e.g. gguf/smollm2, openai/gpt-4o, ollama/llama3.",
)
@click.option(
    "--grader",
    default="offline",
    show_default=True,
    help="'offline' (syscard's offline refusal and harm graders) or an Inspect model that "
    "grades with syscard's rubrics.",
)
@click.option(
    "--suite",
    "suite",
    multiple=True,
    help="quick (default), full, a section name or eval names (repeatable).",
)
@click.option("--limit", type=int, default=None, help="At most N samples per eval.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("syscard-out"),
    show_default=True,
    help="Run folder: logs/, results.json, report/.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder with local dataset copies (e.g. ../shared/datasets).",
)
@click.option(
    "--max-tokens",
    type=int,
    default=None,
    help="Max tokens per answer (default 128 for quick, 512 otherwise).",
)
@click.option(
    "--display",
    type=click.Choice(["full", "rich", "plain", "log", "none"]),
    default=None,
    help="Inspect progress display.",
)
@click.option(
    "--system-prompt",
    default=None,
    help="Prepend this system message to every sample (labelled as mitigation "
    "'system_prompt'; use its own --out to compare with a plain run).",
)
@click.option(
    "--mitigation",
    type=click.Choice(["deliberative"]),
    default=None,
    help="Wrap every task with a mitigation: 'deliberative' = reason over the safety spec "
    "inside <think> first, then answer; only the answer is graded (use its own --out).",
)
@click.option(
    "--spec",
    type=click.Path(dir_okay=False),
    default=None,
    help="Safety spec YAML for --mitigation deliberative (default: syscard's own).",
)
def run(
    models, grader, suite, limit, out, data_dir, max_tokens, display, system_prompt, mitigation,
    spec,
) -> None:
    """Run the suite on the model(s) and write the card. Rerun the same command to resume."""
    from syscard.runner import DEFAULT_MODEL, RunConfig, run_suite

    if spec and not mitigation:
        raise click.UsageError("--spec needs --mitigation deliberative")

    config = RunConfig(
        models=list(models) or [DEFAULT_MODEL],
        grader=grader,
        suite=list(suite) or ["quick"],
        limit=limit,
        out=out,
        data_dir=str(Path(data_dir).resolve()) if data_dir else None,
        max_tokens=max_tokens,
        display=display or (None if sys.stdout.isatty() else "plain"),
        system_prompt=system_prompt,
        mitigation=mitigation,
        spec=spec,
    )
    skipped: list[str] = []
    try:
        run_suite(config, skipped)
    except KeyboardInterrupt:
        pass  # the logs say what finished; the card below is written from them
    finally:
        for reason in skipped:
            console.print(f"[yellow]skipped[/] {reason}", soft_wrap=True)
    document = _write_card(out, ",".join(config.suite))
    unfinished = sorted({r["eval"] for r in document["results"] if r["status"] != "success"})
    if unfinished:
        # Inspect reports an interrupted eval set as completed; the logs' status does not lie.
        console.print(
            f"[yellow]not finished[/]: {', '.join(unfinished)}. Completed samples are kept in "
            f"{out / 'logs'}; run the same command again to resume.",
            soft_wrap=True,
        )
        raise SystemExit(1)


def _write_card(out: Path, suite: str | None) -> dict:
    from syscard.report.render import write_card
    from syscard.results import build_results, write_results

    document = build_results([out / "logs"], suite=suite)
    results_path = write_results(document, out / "results.json")
    written = write_card([(str(out), document)], out / "report")
    _print_summary(document)
    console.print(f"results: {results_path}", soft_wrap=True)
    console.print(f"card:    {written['html']}  (also {written['pdf'].name}, "
                  f"{written['md'].name})", soft_wrap=True)
    return document


def _print_summary(document: dict) -> None:
    from syscard.results import row_label

    table = Table(title="syscard summary", show_lines=False)
    for column in ("eval", "metric", "model", "value", "95% CI", "n", "errors"):
        table.add_column(
            column,
            overflow="fold",
            justify="right" if column in ("value", "n", "errors") else "left",
        )
    for row in document["results"]:
        value = "—" if row["value"] is None else f"{row['value']:.3f}"
        ci = "—" if row["ci_low"] is None else f"[{row['ci_low']:.3f}, {row['ci_high']:.3f}]"
        table.add_row(
            row_label(row),
            row["metric"],
            row["model"],
            value,
            ci,
            str(row["n"]),
            str(row["n_errors"]),
        )
    console.print(table)
    if any(row.get("starter") for row in document["results"]):
        console.print(
            "[yellow]note[/]: public datasets not found, so some rows use syscard's "
            "built-in starter set (not a public benchmark). Run `syscard data fetch "
            "xstest strongreject harmbench jailbreakbench advbench` or pass --data-dir."
        )


@main.command()
@click.argument("run_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the card (default: RUN_DIR/report for one run, ./syscard-card for "
    "several).",
)
@click.option(
    "--format",
    "formats",
    default="html,md,pdf,json",
    show_default=True,
    help="Comma-separated: html, md, pdf, json.",
)
@click.option(
    "--thresholds",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Preparedness thresholds YAML (default: syscard's documented thresholds).",
)
def report(run_dirs, out, formats, thresholds) -> None:
    """Render the card from one or more run folders, side by side, with deltas (B − A).

    Each RUN_DIR is a `syscard run --out` folder: its Inspect logs are read again (or its
    results.json, when the logs are not there). Nothing is re-run.
    """
    from syscard.report.render import write_card

    documents = [(str(Path(d)), _run_document(Path(d))) for d in run_dirs]
    out = out or (Path(run_dirs[0]) / "report" if len(run_dirs) == 1 else Path("syscard-card"))
    written = write_card(
        documents, out, formats=[f.strip() for f in formats.split(",") if f.strip()],
        thresholds=thresholds,
    )
    for fmt, path in written.items():
        console.print(f"{fmt:5} {path}", soft_wrap=True)


def _run_document(run_dir: Path) -> dict:
    import json

    from syscard.results import build_results

    if (run_dir / "logs").is_dir():
        return build_results([run_dir / "logs"])
    if (run_dir / "results.json").is_file():
        return json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    raise click.ClickException(
        f"{run_dir}: no logs/ folder or results.json: pass a `syscard run --out` folder"
    )


@main.command(name="list")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None)
def list_(data_dir) -> None:
    """List evals (section, metrics, datasets and whether they are present)."""
    from syscard.data import status
    from syscard.evals import EVALS

    table = Table(title="evals")
    for column in ("eval", "section", "metrics", "datasets"):
        table.add_column(column)
    for info in EVALS.values():
        present = "\n".join(f"{d}: {status(d, data_dir)}" for d in info.datasets) or "built-in"
        table.add_row(info.name, info.section, ", ".join(info.metrics), present)
    console.print(table)


@main.group()
def data() -> None:
    """Datasets: list, fetch from their pinned public source, or add a local copy."""


@data.command(name="list")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None)
def data_list(data_dir) -> None:
    """List known datasets, their pinned source and whether they are present."""
    from syscard.data import DATASETS, status

    table = Table(title="datasets")
    for column in ("name", "source", "revision", "license", "status"):
        table.add_column(column)
    for spec in DATASETS.values():
        table.add_row(
            spec.name, spec.source, spec.revision[:12], spec.license, status(spec.name, data_dir)
        )
    console.print(table)


@data.command(name="fetch")
@click.argument("names", nargs=-1, required=True)
def data_fetch(names) -> None:
    """Download datasets from their pinned source into the cache, verifying sha256."""
    from syscard.data import fetch

    for name in names:
        console.print(f"{name}: {fetch(name)}")


@data.command(name="add")
@click.argument("name")
@click.argument("path", type=click.Path(exists=True))
def data_add(name, path) -> None:
    """Import a local copy of dataset NAME (folder or file), verifying or recording sha256."""
    from syscard.data import add

    console.print(f"{name}: {add(name, path)}")


def _add_grader_commands() -> None:
    from syscard.cli_distill import distill
    from syscard.cli_graders import grade, graders
    from syscard.cli_monitor import monitor

    main.add_command(distill)
    main.add_command(grade)
    main.add_command(graders)
    main.add_command(monitor)


_add_grader_commands()

if __name__ == "__main__":
    main()
