"""`syscard run`: the suite on the model(s), then the card. The same command resumes."""

from __future__ import annotations

import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import click
from rich.table import Table

from syscard import request_limits
from syscard.cli.console import console
from syscard.report.text import kinds_text

_LIMITS = (
    ("--max-retries", 0, request_limits.MAX_RETRIES,
     "Retries of one model request (429, 5xx, timeouts) before it fails."),
    ("--timeout", 1, request_limits.TIMEOUT,
     "Seconds one model request may take, retries included."),
    ("--attempt-timeout", 1, request_limits.ATTEMPT_TIMEOUT,
     "Seconds one attempt of a request may take before it is abandoned and retried."),
    ("--sample-retries", 0, request_limits.SAMPLE_RETRIES,
     "Times a failed sample is tried again before it counts as an error (n_errors)."),
)  # fmt: skip


def _request_limits(command: Callable[..., None]) -> Callable[..., None]:
    """The options that bound every model request of a run (`syscard.request_limits`)."""
    for name, minimum, default, help_text in reversed(_LIMITS):
        option = click.option(
            name, type=click.IntRange(minimum), default=default, show_default=True, help=help_text
        )
        command = option(command)
    return command


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
@_request_limits
@click.option(
    "--retry-errors/--keep-errors",
    default=True,
    show_default=True,
    help="On a rerun, run again the samples that failed last time (provider or grader "
    "errors); completed samples are always kept.",
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
    max_retries,
    timeout,
    attempt_timeout,
    sample_retries,
    retry_errors,
) -> None:
    """Run the suite on the model(s) and write the card. Rerun the same command to resume."""
    from syscard.run_lock import locked_output
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
        max_retries=max_retries,
        timeout=timeout,
        attempt_timeout=attempt_timeout,
        sample_retries=sample_retries,
        retry_errors=retry_errors,
    )
    skipped: list[str] = []
    with locked_output(out), _sigterm_as_interrupt():
        try:
            run_suite(config, skipped, say=lambda text: console.print(f"[yellow]note[/] {text}"))
        except KeyboardInterrupt:
            pass  # the logs say what finished; the card below is written from them
        finally:
            for reason in skipped:
                console.print(f"[yellow]skipped[/] {reason}", soft_wrap=True)
        document = _write_card(out, ",".join(config.suite))
    unfinished = sorted({r["eval"] for r in document["results"] if r["status"] != "success"})
    if unfinished:
        # Inspect reports an interrupted eval set as completed; the logs' status does not lie.
        kept = completed_samples(out / "logs")
        console.print(
            f"[yellow]not finished[/]: {', '.join(unfinished)}. "
            + (
                f"{kept} completed sample(s) are kept in {out / 'logs'}; run the same command "
                "again to resume."
                if kept
                else f"No completed sample was saved in {out / 'logs'} (see the error above)."
            ),
            soft_wrap=True,
        )
        raise SystemExit(1)
    if document["results"] and all(not r["n"] and r["n_errors"] for r in document["results"]):
        kinds = Counter[str]()
        for row in document["results"]:
            kinds.update(row.get("errors_by_kind") or {})
        why = kinds_text(dict(kinds.most_common()))
        console.print(
            f"[red]every sample failed[/] ({why or 'errors'}): no number of this card is "
            "measured; see the samples' errors with `inspect view --log-dir "
            f"{out / 'logs'}`",
            soft_wrap=True,
        )
        raise SystemExit(1)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (what a container runtime or CI sends) stops the run as Ctrl-C does: finished
    samples are written, then results.json and the card."""

    # Passed on as SIGINT, so that whatever handles Ctrl-C at that moment (asyncio's runner
    # cancels the eval, which then writes its logs) handles it; raising KeyboardInterrupt here
    # instead would land at an arbitrary point of the event loop.
    def as_ctrl_c(signum: int, frame: FrameType | None) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    previous = signal.signal(signal.SIGTERM, as_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def completed_samples(log_dir: Path) -> int:
    """How many samples the newest logs in `log_dir` hold that finished without error."""
    from inspect_ai.log import read_eval_log_sample_summaries

    from syscard.results import latest_logs

    return sum(
        1
        for path, _ in latest_logs(log_dir)
        for s in read_eval_log_sample_summaries(path)
        if not s.error
    )


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
    from syscard.report.text import errors_text
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
            errors_text(row).removeprefix("err ") or "0",
        )
    console.print(table)
    if any(row.get("starter") for row in document["results"]):
        console.print(
            "[yellow]note[/]: public datasets not found, so some rows use syscard's "
            "built-in starter set (not a public benchmark). Run `syscard data fetch "
            "xstest strongreject harmbench jailbreakbench advbench` or pass --data-dir."
        )
