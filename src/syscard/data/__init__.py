"""Data layer: the dataset registry, the local store (cache, fetch, add) and the loaders.

Modules, each importing only modules listed before it (so there is no import cycle):
``errors`` (:class:`DataError`, :class:`DatasetMissing`), ``registry`` (``datasets.yaml`` read
into :data:`DATASETS`), ``store`` (locate and verify), ``install`` (``fetch`` downloads, ``add``
imports), ``readers`` (CSV/JSONL rows) and ``loaders`` (prompt sets as :class:`PromptRecord`).

Datasets are never committed to the project: they are loaded from their canonical source at a
pinned revision (``fetch``), imported from a local copy (``add``), or read from a folder given
with ``--data-dir``; every file is checked against its sha256 before use.
"""

from syscard.data.errors import DataError, DatasetMissing
from syscard.data.install import add, fetch
from syscard.data.loaders import (
    CARD_CATEGORIES,
    HARMBENCH_CATEGORIES,
    HARMFUL_SOURCES,
    JBB_CATEGORIES,
    STRONGREJECT_CATEGORIES,
    XSTEST_CONTRAST_CATEGORIES,
    XSTEST_SAFE_TYPES,
    PromptRecord,
    load_harmful,
    load_jbb_benign,
    load_starter,
    load_xstest,
    read_csv_rows,
    read_jsonl_rows,
)
from syscard.data.registry import DATASETS, DataFile, DatasetSpec, get_spec
from syscard.data.store import CHECKSUMS_FILE, data_home, dataset_dir, file_sha256, status

__all__ = [
    "CARD_CATEGORIES",
    "CHECKSUMS_FILE",
    "DATASETS",
    "HARMBENCH_CATEGORIES",
    "HARMFUL_SOURCES",
    "JBB_CATEGORIES",
    "STRONGREJECT_CATEGORIES",
    "XSTEST_CONTRAST_CATEGORIES",
    "XSTEST_SAFE_TYPES",
    "DataError",
    "DataFile",
    "DatasetMissing",
    "DatasetSpec",
    "PromptRecord",
    "add",
    "data_home",
    "dataset_dir",
    "fetch",
    "file_sha256",
    "get_spec",
    "load_harmful",
    "load_jbb_benign",
    "load_starter",
    "load_xstest",
    "read_csv_rows",
    "read_jsonl_rows",
    "status",
]
