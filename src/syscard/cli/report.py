"""`syscard report RUN_DIR...`: the card from run folders, side by side."""

from __future__ import annotations

from pathlib import Path

import click

from syscard.cli.console import console


@click.command()
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
        documents,
        out,
        formats=[f.strip() for f in formats.split(",") if f.strip()],
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
