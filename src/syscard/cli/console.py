"""Where the commands print: results to stdout, messages to stderr."""

from __future__ import annotations

import sys

from rich.console import Console

# Wide enough for the summary table when output is piped (CI logs, files).
console = Console(width=None if sys.stdout.isatty() else 120)
# `syscard grade` without -o writes the graded rows to stdout: its messages go here.
err = Console(stderr=True, width=None if sys.stderr.isatty() else 120)
