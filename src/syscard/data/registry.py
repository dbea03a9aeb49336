"""Registry of the public datasets syscard can use: where each comes from, pinned.

The datasets are declared in ``datasets.yaml`` beside this module (its header says how to add
one); this module reads it once, at import, into :data:`DATASETS`. Each declaration gives the
repository (or Hugging Face hub id) a dataset is downloaded from, the pinned revision, its
licence and its files with their full sha256 digests; the raw-file URLs are built here from the
``host``. The project never commits third-party data: :func:`syscard.data.fetch` downloads the
files into a local cache and :func:`syscard.data.add` imports a local copy; both verify the
digests. A file with ``sha256`` null has never been seen by the project: its digest is recorded
the first time it is fetched or added and checked afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote

import yaml

from syscard.data.errors import DataError

try:  # libyaml's parser when PyYAML was built with it: about ten times faster at import
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader

__all__ = ["DATASETS", "DataFile", "DatasetSpec", "get_spec"]

REGISTRY_FILE = "datasets.yaml"


@dataclass(frozen=True)
class DataFile:
    """One file of a dataset.

    ``path`` is relative to the dataset folder (POSIX separators), ``url`` the raw download URL
    pinned at a revision, ``sha256`` the full hex digest or ``None`` if never seen.
    """

    path: str
    url: str
    sha256: str | None


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset: canonical source, pinned revision, licence and files."""

    name: str
    title: str
    source: str
    revision: str
    license: str
    files: tuple[DataFile, ...]
    citation: str = ""
    notes: str = ""

    def file(self, path: str) -> DataFile:
        """Return the declared file at ``path``; raise :class:`DataError` if it is not declared."""
        for f in self.files:
            if f.path == path:
                return f
        raise DataError(f"dataset '{self.name}' declares no file '{path}'")

    @property
    def pinned(self) -> bool:
        """True when ``revision`` is a full 40-hex commit id (not a branch name)."""
        rev = self.revision
        return len(rev) == 40 and all(c in "0123456789abcdef" for c in rev)


# --- reading datasets.yaml -----------------------------------------------------------------

_HOSTS: dict[str, Callable[[str, str, str], str]] = {
    # (repo or base URL, revision, path inside the repository) -> raw download URL
    "github": lambda repo, rev, path: f"https://raw.githubusercontent.com/{repo}/{rev}/{path}",
    "huggingface": lambda repo, rev, path: (
        f"https://huggingface.co/datasets/{repo}/resolve/{rev}/{path}"
    ),
    "url": lambda base, _rev, path: f"{base.rstrip('/')}/{path}",
}
_DATASET_KEYS = {"title", "source", "revision", "license", "citation", "notes", "files"}
_SHA256 = re.compile(r"[0-9a-f]{64}")


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise DataError(
                f"{REGISTRY_FILE} line {key_node.start_mark.line + 1}: '{key}' is given twice"
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _text(entry: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or (default is None and not value):
        what = "a string" if default is not None else "given, as a non-empty string"
        raise DataError(
            f"{REGISTRY_FILE}: {where}: '{key}' must be {what} (quote a value that YAML would "
            f"read as a number, a date or a boolean)"
        )
    return value


def _check_keys(entry: object, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(entry, dict):
        raise DataError(f"{REGISTRY_FILE}: {where} must be a mapping")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DataError(
            f"{REGISTRY_FILE}: {where}: unknown key '{unknown[0]}' (allowed: "
            f"{', '.join(sorted(allowed))})"
        )
    return entry


def _group_files(group: object, revision: str, where: str) -> list[DataFile]:
    """The files of one ``files:`` entry: one host, repository (or base URL) and revision."""
    host = group.get("host") if isinstance(group, dict) else None
    if host not in _HOSTS:
        raise DataError(
            f"{REGISTRY_FILE}: {where}: 'host' must be one of {', '.join(_HOSTS)} (got {host!r})"
        )
    where = f"{where} (host {host})"
    # A plain URL has no repository and no revision: its files are at BASE/DIR/PATH.
    allowed = {"host", "dir", "paths"} | ({"base"} if host == "url" else {"repo", "revision"})
    entry = _check_keys(group, allowed, where)
    repo = _text(entry, "base" if host == "url" else "repo", where)
    rev = _text(entry, "revision", where, revision)
    folder = _text(entry, "dir", where, "").strip("/")
    prefix = f"{folder}/" if folder else ""
    paths = entry.get("paths")
    if not isinstance(paths, dict) or not paths:
        raise DataError(f"{REGISTRY_FILE}: {where}: 'paths' must map file paths to sha256")
    out = []
    for path, sha in paths.items():
        if not isinstance(path, str) or not (
            sha is None or (isinstance(sha, str) and _SHA256.fullmatch(sha))
        ):
            raise DataError(
                f"{REGISTRY_FILE}: {where}: '{path}': give the full sha256 (64 lowercase hex "
                f"digits) or null for a file never seen"
            )
        out.append(DataFile(path, _HOSTS[host](repo, rev, quote(prefix + path)), sha))
    return out


def _spec(name: object, entry: object) -> DatasetSpec:
    where = f"dataset '{name}'"
    if not isinstance(name, str):
        raise DataError(f"{REGISTRY_FILE}: {where}: the name must be a string")
    fields = _check_keys(entry, _DATASET_KEYS, where)
    revision = _text(fields, "revision", where)
    groups = fields.get("files")
    if not isinstance(groups, list):
        raise DataError(f"{REGISTRY_FILE}: {where}: 'files' must be a list ([] for none)")
    files = [
        f for n, g in enumerate(groups, 1) for f in _group_files(g, revision, f"{where} files #{n}")
    ]
    paths = [f.path for f in files]
    for path in paths:
        if paths.count(path) > 1:
            raise DataError(f"{REGISTRY_FILE}: {where}: file '{path}' is declared twice")
    return DatasetSpec(
        name=name,
        title=_text(fields, "title", where),
        source=_text(fields, "source", where),
        revision=revision,
        license=_text(fields, "license", where),
        files=tuple(files),
        citation=_text(fields, "citation", where, ""),
        notes=_text(fields, "notes", where, ""),
    )


def load_registry(text: str) -> dict[str, DatasetSpec]:
    """Parse the text of a ``datasets.yaml`` into name -> :class:`DatasetSpec`, in file order.

    Raises :class:`DataError` naming the dataset and key for a malformed declaration.
    """
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise DataError(f"{REGISTRY_FILE} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"{REGISTRY_FILE} must map dataset names to their declarations")
    return {name: _spec(name, entry) for name, entry in data.items()}


DATASETS: dict[str, DatasetSpec] = load_registry(
    resources.files("syscard.data").joinpath(REGISTRY_FILE).read_text(encoding="utf-8")
)


def get_spec(name: str) -> DatasetSpec:
    """Return the :class:`DatasetSpec` registered under ``name``.

    Raises :class:`DataError` (one line, naming ``syscard data list``) for an unknown name.
    """
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise DataError(
            f"unknown dataset '{name}': run `syscard data list` to see the datasets ({known})"
        ) from None
