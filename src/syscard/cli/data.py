"""`syscard data list | fetch | add`: the datasets, from their pinned public sources."""

from __future__ import annotations

import click
from rich.table import Table

from syscard.cli.console import console


@click.group()
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
