"""`syscard list`: the evals, their metrics and whether their datasets are present."""

from __future__ import annotations

import click
from rich.table import Table

from syscard.cli.console import console


@click.command(name="list")
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
        table.add_row(info.name, info.section.key, ", ".join(info.metric_names()), present)
    console.print(table)
