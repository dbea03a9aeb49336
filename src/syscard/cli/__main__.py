"""`python -m syscard.cli` is the `syscard` command."""

from syscard.cli import main

main()
