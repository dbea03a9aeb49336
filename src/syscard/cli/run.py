"""`syscard run`: the suite on the model(s), then the card. The same command resumes."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from syscard.cli.console import console


@click.command()
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
    models,
    grader,
    suite,
    limit,
    out,
    data_dir,
    max_tokens,
    display,
    system_prompt,
    mitigation,
    spec,
) -> None:
    """Run the suite on the model(s) and write the card. Rerun the same command to resume."""
    from syscard.suite import DEFAULT_MODEL, RunConfig, run_suite

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
    console.print(
        f"card:    {written['html']}  (also {written['pdf'].name}, {written['md'].name})",
        soft_wrap=True,
    )
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
