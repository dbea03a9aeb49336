"""Row readers for the dataset files: CSV and JSON lines, with one-line errors.

Every problem in a file (invalid UTF-8, a missing column or key, a malformed row) raises
:class:`DataError` naming ``file:line`` (or the byte offset) and ending with what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from syscard.data.errors import DataError

__all__ = ["DEFAULT_FIX", "parse_jsonl", "read_csv_rows", "read_jsonl_rows", "row_text"]

DEFAULT_FIX = "fix or replace the file"
"""How a message ends when the caller names no better fix."""


def _decode(data: bytes, label: str) -> str:
    """Decode UTF-8 (a leading BOM is dropped); raise a one-line DataError if invalid.

    The byte offset in the message is 0-based and counts from the start of the file.
    """
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"file {label} is not valid UTF-8 at byte {exc.start + skip}: {exc.reason}: save it as "
            f"UTF-8 or replace it with the pinned copy"
        ) from None


def read_csv_rows(
    path: str | Path, required: Sequence[str], *, fix: str = DEFAULT_FIX
) -> list[tuple[int, dict[str, str]]]:
    """Read a UTF-8 CSV file with a header row.

    Returns ``(line, row)`` pairs, ``line`` being the 1-based line where the record starts and
    ``row`` a dict keyed by the header. Blank lines are skipped. Raises :class:`DataError`
    naming ``file:line`` for a missing required column, a row with the wrong number of columns
    or bad CSV quoting, and naming the byte offset for invalid UTF-8; ``fix`` ends the message.
    """
    p = Path(path)
    text = _decode(p.read_bytes(), str(p))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise DataError(f"{p}:1: empty file, expected a CSV header: {fix}")
        header = [h.strip() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise DataError(
                f"{p}:1: missing column {', '.join(repr(c) for c in missing)} "
                f"(header: {', '.join(header)}): {fix}"
            )
        end = reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                raise DataError(
                    f"{p}:{start}: expected {len(header)} columns, found {len(row)}: {fix}"
                )
            rows.append((start, dict(zip(header, row, strict=True))))
    except csv.Error as exc:
        raise DataError(f"{p}:{reader.line_num}: bad CSV ({exc}): {fix}") from None
    return rows


def parse_jsonl(
    data: bytes, label: str, required: Sequence[str], fix: str
) -> list[tuple[int, dict[str, object]]]:
    """Parse JSON-lines ``data`` read from ``label``; as :func:`read_jsonl_rows` otherwise."""
    text = _decode(data, label)
    rows: list[tuple[int, dict[str, object]]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{label}:{n}: invalid JSON ({exc.msg}): {fix}") from None
        if not isinstance(obj, dict):
            raise DataError(f"{label}:{n}: expected a JSON object: {fix}")
        missing = [k for k in required if k not in obj]
        if missing:
            raise DataError(
                f"{label}:{n}: missing key {', '.join(repr(k) for k in missing)}: {fix}"
            )
        rows.append((n, obj))
    return rows


def read_jsonl_rows(
    path: str | Path, required: Sequence[str], *, fix: str = DEFAULT_FIX
) -> list[tuple[int, dict[str, object]]]:
    """Read a UTF-8 JSON-lines file.

    Returns ``(line, object)`` pairs (blank lines skipped). Raises :class:`DataError` naming
    ``file:line`` for invalid JSON, a non-object line or a missing required key.
    """
    p = Path(path)
    return parse_jsonl(p.read_bytes(), str(p), required, fix)


def row_text(row: dict, key: str, label: str, line: int, fix: str = DEFAULT_FIX) -> str:
    """Return ``row[key]`` stripped; raise DataError ``file:line`` if it is empty or not text."""
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f"{label}:{line}: empty or missing '{key}': {fix}")
    return value.strip()
