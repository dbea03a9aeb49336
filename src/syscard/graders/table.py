"""Read and write the row files `syscard grade` and `syscard graders validate` work on.

A file is CSV (with a header) or JSON Lines, chosen by extension (.csv / .jsonl / .json);
rows come back in file order as dicts of strings, with the original column order kept so
the output can be the same rows with columns added.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syscard.errors import SyscardError


class TableError(SyscardError, ValueError):
    """A row file that cannot be read or does not have what the grader needs."""


@dataclass
class Table:
    """Rows of a CSV or JSONL file; `columns` in file order."""

    format: str  # "csv" or "jsonl"
    columns: list[str]
    rows: list[dict[str, Any]]


def table_format(path: str | Path) -> str:
    """Return "csv" or "jsonl" for `path`'s extension; raises TableError for others."""
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    raise TableError(f"{path}: unknown file type {suffix!r}: use a .csv or .jsonl file")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def read_table(path: str | Path, encoding: str = "utf-8") -> Table:
    """Return the rows of CSV/JSONL file `path` decoded with `encoding`.

    Raises TableError with one line saying what to do: unknown encoding, bytes that do not
    decode (pass --encoding), a malformed JSON line, a CSV row with extra fields, no rows.
    """
    fmt = table_format(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as ex:
        raise TableError(f"{path}: cannot read: {ex.strerror}") from None
    # utf-8-sig: spreadsheet exports often start with a byte-order mark.
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = raw.decode(codec)
    except LookupError:
        raise TableError(
            f"unknown encoding {encoding!r}: use e.g. utf-8, cp1252, latin-1"
        ) from None
    except UnicodeDecodeError as ex:
        raise TableError(
            f"{path}: byte {ex.start} is not valid {encoding}: pass the file's encoding with "
            "--encoding (e.g. --encoding cp1252 or --encoding latin-1)"
        ) from None
    table = _read_csv(path, text) if fmt == "csv" else _read_jsonl(path, text)
    if not table.rows:
        raise TableError(f"{path}: no rows to grade")
    return table


def _read_csv(path: str | Path, text: str) -> Table:
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\x00extra")
    rows = []
    for line_no, row in enumerate(reader, start=2):
        if "\x00extra" in row:
            raise TableError(
                f"{path}: row {line_no} has more fields than the header: quote fields that "
                "contain commas"
            )
        rows.append({k: _text(v) for k, v in row.items()})
    return Table("csv", list(reader.fieldnames or []), rows)


def _read_jsonl(path: str | Path, text: str) -> Table:
    rows: list[dict[str, Any]] = []
    columns: dict[str, None] = {}
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as ex:
            raise TableError(
                f"{path}: line {line_no} is not valid JSON ({ex.msg}): fix it"
            ) from None
        if not isinstance(row, dict):
            raise TableError(f"{path}: line {line_no} is not a JSON object: one object per line")
        columns.update(dict.fromkeys(row))
        rows.append(row)
    return Table("jsonl", list(columns), rows)


def require_columns(table: Table, columns: Iterable[str], path: str | Path, what: str) -> None:
    """Raise TableError if `table` lacks any of `columns` (needed by `what`)."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise TableError(
            f"{path}: {what} needs column(s) {', '.join(missing)}; the file has "
            f"{', '.join(table.columns) or 'none'}"
        )


def write_table(table: Table, path: str | Path | None) -> None:
    """Write `table` to `path` in its format (by extension), or to stdout in `table.format`."""
    fmt = table.format if path is None else table_format(path)
    handle = sys.stdout if path is None else open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        if fmt == "csv":
            writer = csv.DictWriter(handle, fieldnames=table.columns, extrasaction="ignore")
            writer.writeheader()
            for row in table.rows:
                writer.writerow({k: _text(row.get(k)) for k in table.columns})
        else:
            for row in table.rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if path is not None:
            handle.close()
