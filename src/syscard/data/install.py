"""Bring datasets of the registry into the local cache: download them or import a local copy.

:func:`fetch` is the only code in syscard that touches the network for data (stdlib
``urllib``); :func:`add` imports a copy you already have. Both stage the files inside the cache,
verify every digest, and only then move the files into ``<cache>/<name>/`` with atomic renames,
so a failure leaves the cache as it was. Layout, lookup and verification are in
:mod:`syscard.data.store`.

All errors are :class:`DataError` with a one-line message that says what to do.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from syscard import __version__
from syscard.data.errors import DataError
from syscard.data.registry import DatasetSpec, get_spec
from syscard.data.store import (
    CHUNK_SIZE,
    data_home,
    file_sha256,
    read_records,
    undeclared_files,
    write_records,
)

__all__ = ["add", "fetch"]


# --- staging -------------------------------------------------------------------------------


def _install(staging: Path, dest: Path, paths: Iterable[str]) -> None:
    """Move each staged file into ``dest`` with an atomic rename (same filesystem)."""
    for rel in paths:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)


def _staging(home: Path, name: str, what: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".syscard-{what}-{name}-", dir=home))


def _download(url: str, target: Path, timeout: float, name: str) -> str:
    """Stream ``url`` into ``target``; return its sha256. Network errors become DataError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": f"syscard/{__version__}"})
    h = hashlib.sha256()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp, open(target, "wb") as out:
            while chunk := resp.read(CHUNK_SIZE):
                h.update(chunk)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        reason = str(exc.reason)
    except (TimeoutError, OSError) as exc:
        reason = str(exc) or type(exc).__name__
    else:
        return h.hexdigest()
    raise DataError(
        f"could not download {url} for dataset '{name}' ({reason}): check the network, or "
        f"import a local copy offline with `syscard data add {name} PATH`"
    )


# --- fetching ------------------------------------------------------------------------------


def fetch(name: str, *, timeout: float = 60) -> Path:
    """Download dataset ``name`` into the cache and return its folder there.

    Each declared file is downloaded (stdlib ``urllib``) from its pinned URL into a staging
    folder inside the cache and checked against its sha256; only when every file is good are
    they moved into ``<cache>/<name>/`` (atomic renames), so a failed fetch leaves the cache
    as it was. Files already cached with the right digest are not downloaded again. Digests of
    never-seen files (``sha256=None``) are recorded in ``.syscard-checksums.json``.

    Raises :class:`DataError` (one line) on a network error or a checksum mismatch; the message
    names ``syscard data add NAME PATH`` as the offline alternative.
    """
    spec = get_spec(name)
    if not spec.files:
        raise DataError(
            f"dataset '{spec.name}' has no pinned files to download: get a copy from "
            f"{spec.source} and import it with `syscard data add {spec.name} PATH`"
        )
    home = data_home()
    dest = home / spec.name
    records = read_records(dest) if dest.is_dir() else {}
    todo = []
    for f in spec.files:
        target = dest / f.path
        expected = f.sha256 or records.get(f.path)
        if expected is not None and target.is_file() and file_sha256(target) == expected:
            continue
        todo.append(f)
    if not todo:
        return dest
    staging = _staging(home, spec.name, "fetch")
    try:
        new_records: dict[str, str] = {}
        for f in todo:
            digest = _download(f.url, staging / f.path, timeout, spec.name)
            if f.sha256 is None:
                new_records[f.path] = digest
            elif digest != f.sha256:
                raise DataError(
                    f"checksum mismatch for {f.url}: expected sha256 {f.sha256[:16]}…, got "
                    f"{digest[:16]}… (nothing was written to the cache): the source changed or "
                    f"the download was altered; import a verified copy with "
                    f"`syscard data add {spec.name} PATH`"
                )
        _install(staging, dest, [f.path for f in todo])
        if new_records:
            write_records(dest, {**records, **new_records})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


# --- importing -----------------------------------------------------------------------------


def _add_sources(spec: DatasetSpec, src: Path) -> dict[str, Path]:
    """Map each relative dataset path to the file under ``src`` that provides it."""
    if src.is_file():
        if not spec.files:
            return {src.name: src}
        matches = [
            f.path
            for f in spec.files
            if len(spec.files) == 1 or PurePosixPath(f.path).name == src.name
        ]
        if len(matches) != 1:
            raise DataError(
                f"{src} is a single file but matches no single file of dataset '{spec.name}' "
                f"(e.g. {spec.files[0].path}): give the folder laid out like the dataset"
            )
        return {matches[0]: src}
    base = src
    if spec.files and not any((src / f.path).is_file() for f in spec.files):
        if (src / spec.name).is_dir():  # PATH is a root such as shared/datasets
            base = src / spec.name
    if not spec.files:
        return {rel: base / rel for rel in undeclared_files(base)}
    return {f.path: base / f.path for f in spec.files if (base / f.path).is_file()}


def add(name: str, path: str | Path) -> Path:
    """Import a local copy of dataset ``name`` into the cache and return its folder there.

    ``path`` is a folder laid out like the dataset folder (or a root holding ``<name>/``), or a
    single file when the dataset has one file (or the file name matches exactly one declared
    file). The declared files found are copied to a staging folder, checked against their
    pinned sha256 and only then moved into place, so a mismatch copies nothing. Digests of
    files the registry has never seen are recorded in ``<cache>/<name>/.syscard-checksums.json``
    and checked on every later use.

    Raises :class:`DataError` (one line) when ``path`` does not exist, holds none of the
    dataset's files, or a file does not match its pinned digest.
    """
    spec = get_spec(name)
    src = Path(path).expanduser()
    if not src.exists():
        raise DataError(
            f"{src} does not exist: give `syscard data add {spec.name} PATH` the dataset folder "
            f"or file"
        )
    sources = _add_sources(spec, src)
    if not sources:
        example = spec.files[0].path if spec.files else "any file"
        raise DataError(
            f"{src} holds none of the files of dataset '{spec.name}' (e.g. {example}): give "
            f"the folder laid out like the dataset"
        )
    declared = {f.path: f.sha256 for f in spec.files}
    home = data_home()
    dest = home / spec.name
    staging = _staging(home, spec.name, "add")
    try:
        new_records: dict[str, str] = {}
        for rel, source in sources.items():
            staged = staging / rel
            staged.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staged)
            digest = file_sha256(staged)
            expected = declared.get(rel)
            if expected is None:
                new_records[rel] = digest
            elif digest != expected:
                raise DataError(
                    f"checksum mismatch for {source}: expected sha256 {expected[:16]}…, got "
                    f"{digest[:16]}… (nothing was copied): this is not the pinned version; "
                    f"get it with `syscard data fetch {spec.name}`"
                )
        _install(staging, dest, sources)
        if new_records:
            records = read_records(dest) if dest.is_dir() else {}
            write_records(dest, {**records, **new_records})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest
