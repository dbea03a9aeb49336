"""The `syscard` command: one module per command.

Errors a user can act on (`syscard.errors.SyscardError`) become one line here, in one place;
anything else keeps its traceback, because it is a bug.
"""

from __future__ import annotations

from typing import Any

import click

from syscard import __version__
from syscard.errors import SyscardError


class _Group(click.Group):
    """Turns syscard's own input errors into one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SyscardError as ex:
            raise click.ClickException(str(ex)) from ex


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="syscard")
def main() -> None:
    """syscard writes the safety system card for a language model."""


def _register() -> None:
    from syscard.cli import data, distill, grade, graders, listing, monitor, report, run

    for command in (
        run.run,
        report.report,
        listing.list_,
        data.data,
        grade.grade,
        graders.graders,
        monitor.monitor,
        distill.distill,
    ):
        main.add_command(command)


_register()

if __name__ == "__main__":
    main()
