"""`syscard monitor RUN_DIR`: run the chain-of-thought monitor over a finished run's logs.

The logged answers are replayed, never generated again: the monitor's own Inspect task
(`cot_monitor`) runs on Inspect's no-op model `none`, which raises if anything calls it, and
its log lands in RUN_DIR/logs so that `syscard report RUN_DIR` shows the `cot_safety` rows.
"""

from __future__ import annotations

from pathlib import Path

import click

NO_MODEL = "none"
"""Inspect's sentinel provider: a model that raises when called, so a replay cannot
silently call the model under test (or any other)."""


def monitored_logs(log_dir: Path) -> list[str]:
    """Return the newest log per (task, model) in `log_dir`, except the monitor's own logs."""
    from syscard.evals.cot.replay import MONITOR_TASK
    from syscard.results import latest_logs

    return [
        path
        for path, header in latest_logs(log_dir)
        if header.eval.task.split("/")[-1] != MONITOR_TASK
    ]


def run_monitor(
    run_dir: Path, grader: str = "offline", samples: int = 1, display: str = "none"
) -> Path:
    """Monitor every log in `run_dir/logs`; return the path of the monitor's log.

    Raises click.ClickException when the folder has no logs or the monitor's eval fails.
    """
    from inspect_ai import eval as inspect_eval

    from syscard.evals.cot.replay import replay_task

    log_dir = run_dir / "logs"
    if not log_dir.is_dir():
        raise click.ClickException(f"{run_dir}: no logs/ folder: pass a `syscard run --out` folder")
    paths = monitored_logs(log_dir)
    if not paths:
        raise click.ClickException(f"{log_dir}: no eval logs to monitor (run `syscard run` first)")
    task = replay_task(paths, grader=grader, samples=samples)
    logs = inspect_eval(
        task,
        model=NO_MODEL,
        model_roles={"grader": grader} if grader != "offline" else None,
        log_dir=str(log_dir),
        display=display,  # type: ignore[arg-type]
        fail_on_error=False,
    )
    log = logs[0]
    if log.status != "success":
        raise click.ClickException(
            f"the monitor's eval ended with status {log.status}: {log.error or 'see its log'}"
        )
    return Path(log.location.removeprefix("file://"))


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--grader",
    default="offline",
    show_default=True,
    help="'offline' for the rule monitor (deception-rules + harm-offline), or an Inspect "
    "model to monitor with the graders' rubrics (e.g. openai/gpt-4o-mini).",
)
@click.option(
    "--samples",
    type=click.IntRange(1, 15),
    default=1,
    show_default=True,
    help="Model monitor: ask this many times and take the majority (a tie is an error).",
)
@click.option(
    "--display", default="none", show_default=True, help="Inspect display: none, plain, rich, full."
)
def monitor(run_dir: Path, grader: str, samples: int, display: str) -> None:
    """Run the chain-of-thought deception monitor over RUN_DIR's logged samples.

    Nothing is generated again: each logged answer and its reasoning are replayed. Samples
    without reasoning are "not monitorable" (never counted as clean). The result is an Inspect
    log in RUN_DIR/logs; `syscard report RUN_DIR` shows it in "Chain-of-thought safety".
    """
    from syscard.results import rows_for_log

    path = run_monitor(run_dir, grader=grader, samples=samples, display=display)
    from inspect_ai.log import read_eval_log

    header = read_eval_log(str(path), header_only=True)
    for row in rows_for_log(str(path), header):
        value = "—" if row["value"] is None else f"{row['value']:.3f}"
        click.echo(
            f"{row['model']:24} {row.get('subset') or '':22} {row['metric']:24} "
            f"{value:>6}  n={row['n']} errors={row['n_errors']}"
        )
    click.echo(f"monitor log: {path}")
    click.echo(f"render the card: syscard report {run_dir}")
