"""One run at a time per output folder.

Two `syscard run`s into the same `--out` would run every sample twice and read each other's
half-written logs. The first run holds an exclusive lock on `OUT/.syscard.lock` (released by
the kernel when the process ends, however it ends); a second one refuses at once.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from syscard.errors import SyscardError

LOCK_FILE = ".syscard.lock"


class FolderBusy(SyscardError):
    """Another syscard process is writing to the same output folder."""


@contextmanager
def locked_output(out: Path) -> Iterator[None]:
    """Hold the output folder `out` for the duration; raise FolderBusy if another run does."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise FolderBusy(
                f"another syscard run (pid {holder}) is writing to {out}: wait for it to "
                "finish, or pass another --out"
            ) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # releases the lock
