"""Writing files so that a full disk or a crash never leaves a half-written one behind.

Every file a run or a report writes goes to a temporary file beside it and is renamed over
the old one only once it is complete, so a reader sees the old file or the new one, never a
0-byte or truncated card. Before work that writes, `require_free_space` says so in one line
when the disk is nearly full, instead of failing halfway through.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from syscard.errors import SyscardError

MIN_FREE_MB = 50
"""Free space a run or a report needs to start (`SYSCARD_MIN_FREE_MB` overrides it)."""


class DiskFull(SyscardError):
    """Too little space to write where a run or a report writes."""


def free_mb(path: Path) -> float:
    """Free space, in MB, on the disk that holds `path` (or its nearest existing parent)."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return shutil.disk_usage(existing).free / 1e6


def require_free_space(path: Path, what: str) -> None:
    """Raise DiskFull when the disk of `path` has less free space than a run needs."""
    need = float(os.environ.get("SYSCARD_MIN_FREE_MB", MIN_FREE_MB))
    free = free_mb(path)
    if free < need:
        raise DiskFull(
            f"only {free:.1f} MB free on the disk of {path} (need {need:.0f} MB for {what}): "
            "free some space or write elsewhere with --out"
        )


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file and a rename; return `path`.

    On failure (a full disk) the temporary file is removed, `path` keeps its old content,
    and DiskFull (or the OSError) says what went wrong.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as ex:
        Path(temporary).unlink(missing_ok=True)
        if ex.errno == 28:  # ENOSPC
            raise DiskFull(
                f"no space left on the device to write {path}: free some space and run "
                "the same command again (nothing finished is lost)"
            ) from None
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """`atomic_write_bytes` for UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"))
