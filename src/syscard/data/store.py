"""Local dataset store: find and verify the datasets of the registry.

Layout: ``<root>/<dataset name>/<relative file path>``, where a root is either the cache
(:func:`data_home`: ``$SYSCARD_DATA_DIR`` or ``~/.cache/syscard/data``) or a folder given with
``--data-dir`` laid out the same way (``shared/datasets`` is such a folder).

Nothing here touches the network: downloading and importing are in :mod:`syscard.data.install`.
Every file a caller will use is checked against its pinned sha256 (or, for files the registry
has never seen, against the digest recorded in ``<dataset folder>/.syscard-checksums.json`` when
the copy was fetched or added).

All errors are :class:`DataError` with a one-line message that says what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from syscard.data.errors import DataError, DatasetMissing
from syscard.data.registry import DatasetSpec, get_spec

__all__ = ["CHECKSUMS_FILE", "data_home", "dataset_dir", "file_sha256", "status"]

CHECKSUMS_FILE = ".syscard-checksums.json"
"""Per-dataset record of digests for files the registry declares with ``sha256=None``."""

CHUNK_SIZE = 1 << 20
"""Bytes read at a time when hashing or downloading a file."""


# --- locations -----------------------------------------------------------------------------


def data_home() -> Path:
    """Return the cache root: ``$SYSCARD_DATA_DIR`` if set, else ``~/.cache/syscard/data``.

    The folder is not created here.
    """
    env = os.environ.get("SYSCARD_DATA_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "syscard" / "data"


def _roots(data_dir: str | Path | None) -> list[Path]:
    """Roots to search, in order: ``data_dir`` (if given), then the cache; duplicates dropped."""
    roots: list[Path] = []
    if data_dir is not None and str(data_dir) != "":
        roots.append(Path(data_dir).expanduser())
    roots.append(data_home())
    seen: set[str] = set()
    unique: list[Path] = []
    for root in roots:
        key = os.path.abspath(root)
        if key not in seen:
            seen.add(key)
            unique.append(root)
    return unique


# --- digests -------------------------------------------------------------------------------

_DIGESTS: dict[tuple[str, int, int, int], str] = {}


def file_sha256(path: str | Path) -> str:
    """Return the hex sha256 of the file at ``path``.

    Results are cached for the life of the process, keyed by (absolute path, inode, mtime,
    size), so verifying the same unchanged file again costs one ``stat``.
    """
    p = Path(path)
    st = p.stat()
    key = (os.path.abspath(p), st.st_ino, st.st_mtime_ns, st.st_size)
    digest = _DIGESTS.get(key)
    if digest is None:
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            while chunk := fh.read(CHUNK_SIZE):
                h.update(chunk)
        digest = h.hexdigest()
        _DIGESTS[key] = digest
    return digest


def read_records(folder: Path) -> dict[str, str]:
    """Return the digests recorded in ``folder/.syscard-checksums.json`` ({} if there is none)."""
    path = folder / CHECKSUMS_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["sha256"]
        if not isinstance(records, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in records.items()
        ):
            raise TypeError("'sha256' is not a mapping of path to digest")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise DataError(
            f"{path} is unreadable ({exc}): delete it and import the dataset again with "
            f"`syscard data add {folder.name} PATH`"
        ) from None
    return dict(records)


def write_records(folder: Path, records: dict[str, str]) -> None:
    """Atomically write ``records`` to ``folder/.syscard-checksums.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "comment": "sha256 recorded by syscard for files the registry has never seen",
        "sha256": dict(sorted(records.items())),
    }
    fd, tmp = tempfile.mkstemp(prefix=".syscard-checksums-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, folder / CHECKSUMS_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mismatch(name: str, path: Path, expected: str, actual: str) -> DataError:
    return DataError(
        f"checksum mismatch for {path}: expected sha256 {expected[:16]}…, got {actual[:16]}… "
        f"(damaged or not the pinned version): replace it with `syscard data fetch {name}`, or "
        f"`syscard data add {name} PATH` with a copy of the pinned version"
    )


# --- locating ------------------------------------------------------------------------------


def _wanted(spec: DatasetSpec, files: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """Split the files a caller will use into (required, optional-if-present) relative paths."""
    if files is not None:
        if spec.files:
            for path in files:
                spec.file(path)  # raises DataError for an undeclared file
        return list(files), []
    required = [f.path for f in spec.files if f.sha256 is not None]
    optional = [f.path for f in spec.files if f.sha256 is None]
    return required, optional


def undeclared_files(folder: Path) -> list[str]:
    """Relative paths of the visible regular files in ``folder`` (for datasets without a list)."""
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            out.append(rel.as_posix())
    return out


def _locate(
    spec: DatasetSpec, data_dir: str | Path | None, files: Sequence[str] | None
) -> tuple[Path | None, list[str], list[Path], list[tuple[Path, list[str]]]]:
    """Find the first root holding every required file.

    Returns ``(folder, used_paths, searched, partial)``: ``folder`` is None when no root holds
    the dataset; ``partial`` lists (folder, missing paths) for roots holding only part of it.
    """
    required, optional = _wanted(spec, files)
    searched: list[Path] = []
    partial: list[tuple[Path, list[str]]] = []
    for root in _roots(data_dir):
        folder = root / spec.name
        searched.append(folder)
        if not folder.is_dir():
            continue
        if not spec.files and files is None:
            used = undeclared_files(folder)
            if used:
                return folder, used, searched, partial
            continue
        missing = [p for p in required if not (folder / p).is_file()]
        if missing:
            if len(missing) < len(required) or any((folder / p).is_file() for p in optional):
                partial.append((folder, missing))
            continue
        present_optional = [p for p in optional if (folder / p).is_file()]
        if not required and not present_optional:
            continue
        return folder, required + present_optional, searched, partial
    return None, [], searched, partial


def _verify(spec: DatasetSpec, folder: Path, paths: Iterable[str]) -> tuple[str, str, str] | None:
    """Check each file's digest; return ``(path, expected, actual)`` for the first mismatch.

    Files without a pinned digest are checked against the digest recorded in the folder's
    ``.syscard-checksums.json``; files with neither are accepted as they are. Returns None when
    everything matches.
    """
    declared = {f.path: f.sha256 for f in spec.files}
    records: dict[str, str] | None = None
    for rel in paths:
        expected = declared.get(rel)
        if expected is None:
            if records is None:
                records = read_records(folder)
            expected = records.get(rel)
        if expected is None:
            continue
        actual = file_sha256(folder / rel)
        if actual != expected:
            return rel, expected, actual
    return None


def _missing_message(name: str, searched: list[Path], partial: list[tuple[Path, list[str]]]) -> str:
    where = " or ".join(str(p) for p in searched)
    detail = ""
    if partial:
        folder, missing = partial[0]
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        detail = f" ({folder} lacks {missing[0]}{more})"
    if not get_spec(name).files:  # nothing declared to download (e.g. WildChat's shards)
        return f"dataset '{name}' is not in {where}{detail}: run `syscard data add {name} PATH`"
    return (
        f"dataset '{name}' is not in {where}{detail}: run `syscard data fetch {name}` "
        f"or `syscard data add {name} PATH`"
    )


def dataset_dir(
    name: str, data_dir: str | Path | None = None, *, files: Sequence[str] | None = None
) -> Path:
    """Return the folder holding dataset ``name``, after verifying the files that will be used.

    Searches ``<data_dir>/<name>`` first (when ``data_dir`` is given), then ``<cache>/<name>``,
    and picks the first folder that holds all the files needed. ``files`` names the relative
    paths the caller will read (each must be declared); by default every file with a pinned
    digest is needed, and files never seen (``sha256=None``) are verified only if present.

    Raises :class:`DatasetMissing` when no folder has the files, and :class:`DataError` on a
    checksum mismatch (the copy found first is never silently skipped).
    """
    spec = get_spec(name)
    folder, used, searched, partial = _locate(spec, data_dir, files)
    if folder is None:
        raise DatasetMissing(_missing_message(spec.name, searched, partial))
    bad = _verify(spec, folder, used)
    if bad is not None:
        rel, expected, actual = bad
        raise _mismatch(spec.name, folder / rel, expected, actual)
    return folder


def status(name: str, data_dir: str | Path | None = None) -> str:
    """Return the state of dataset ``name`` as one line, without raising for a missing dataset.

    One of ``"present (<folder>)"``, ``"missing"``, ``"incomplete (<folder>): lacks <file>"``
    (some but not all needed files in the best folder found) or
    ``"checksum mismatch: <file path>"``. An unknown name raises :class:`DataError`.
    """
    spec = get_spec(name)
    folder, used, _searched, partial = _locate(spec, data_dir, None)
    if folder is None:
        if partial:
            where, missing = partial[0]
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            return f"incomplete ({where}): lacks {missing[0]}{more}"
        return "missing"
    try:
        bad = _verify(spec, folder, used)
    except DataError:  # unreadable .syscard-checksums.json: the digests cannot be checked
        return f"checksum mismatch: {folder / CHECKSUMS_FILE}"
    if bad is not None:
        return f"checksum mismatch: {folder / bad[0]}"
    return f"present ({folder})"
