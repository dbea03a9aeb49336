"""Render the card from run folders: index.html, card.md, card.pdf, results.json, samples/.

`syscard report RUN_DIR…` and the end of `syscard run` both call `write_card`. It reads only
Inspect logs (through results.json rows), so a card can be rendered again, merged with
other runs and compared without re-running anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from syscard.errors import SyscardError
from syscard.files import atomic_write_bytes, atomic_write_text, require_free_space
from syscard.report.card import Card, build_card

FORMATS = ("html", "md", "pdf", "json")
_COMMENT = re.compile(r"<!--.*?-->|<metadata>.*?</metadata>", re.DOTALL)


class ReportError(SyscardError, ValueError):
    """A report request that cannot be honoured (one line, says what to do)."""


def _scorecards(card: Card, thresholds: str | Path | None) -> list[Any]:
    from syscard.preparedness import load_thresholds, scorecard

    table = load_thresholds(thresholds)
    rows = [r for d in card.documents for r in d.get("results", [])]
    models = list(dict.fromkeys(run.model for run in card.runs))
    return [scorecard(rows, table, model) for model in models]


def _figures(card: Card, out: Path, want_png: bool) -> tuple[dict, dict]:
    """Return (section → [(title, svg)], section → [(title, png path)])."""
    from syscard.report.figures import figure_specs
    from syscard.report.plots import to_svg, to_svg_and_png

    svgs: dict[str, list[tuple[str, str]]] = {}
    pngs: dict[str, list[tuple[str, Path]]] = {}
    for spec in figure_specs(card):
        figure = spec.make()
        svg, png = to_svg_and_png(figure) if want_png else (to_svg(figure), b"")
        # matplotlib writes each label's text into an SVG comment, and RDF metadata: drop
        # both, so no run text sits in the page outside escaped text nodes.
        svgs.setdefault(spec.section, []).append((spec.title, _COMMENT.sub("", svg)))
        if want_png:
            path = out / "plots" / f"{spec.slug}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, png)
            pngs.setdefault(spec.section, []).append((spec.title, path))
    return svgs, pngs


def merged_results(card: Card) -> dict[str, Any]:
    """Return one results.json document holding every run's rows (each with its `run`)."""
    rows = []
    for run_doc in card.documents:
        rows.extend(run_doc.get("results", []))
    first = card.documents[0] if card.documents else {}
    models = []
    for d in card.documents:
        models += [m for m in d.get("models", []) if m not in models]
    return {**first, "models": models, "results": rows}


def write_card(
    documents: Sequence[tuple[str, dict[str, Any]]],
    out: Path,
    *,
    formats: Sequence[str] = FORMATS,
    thresholds: str | Path | None = None,
) -> dict[str, Path]:
    """Write the card for `documents` ((run folder, results.json document) pairs) into `out`;
    return the path of each format written."""
    from syscard.report.samples import write_sample_pages

    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ReportError(
            f"unknown format(s) {', '.join(unknown)}: choose from {', '.join(FORMATS)}"
        )
    out.mkdir(parents=True, exist_ok=True)
    require_free_space(out, "the card")
    card = build_card(documents)
    scorecards = _scorecards(card, thresholds)
    written: dict[str, Path] = {}
    logs = {
        str(r["log"]): f"{r['eval']} — {r['model']}"
        for d in card.documents
        for r in d.get("results", [])
        if r.get("log")
    }
    links = write_sample_pages(logs, out) if {"html", "md"} & set(formats) else {}
    svgs, pngs = _figures(card, out, want_png=bool({"md", "pdf"} & set(formats)))
    if "html" in formats:
        from syscard.report.html import render_html

        written["html"] = out / "index.html"
        atomic_write_text(
            written["html"], render_html(card, figures=svgs, links=links, scorecards=scorecards)
        )
    if "md" in formats:
        from syscard.report.markdown import render_markdown

        rel = {s: [(t, str(p.relative_to(out))) for t, p in items] for s, items in pngs.items()}
        written["md"] = out / "card.md"
        atomic_write_text(
            written["md"], render_markdown(card, plots=rel, links=links, scorecards=scorecards)
        )
    if "pdf" in formats:
        from syscard.report.pdf import render_pdf

        written["pdf"] = render_pdf(card, out / "card.pdf", plots=pngs, scorecards=scorecards)
    if "json" in formats:
        written["json"] = out / "results.json"
        atomic_write_text(
            written["json"], json.dumps(merged_results(card), indent=2, allow_nan=False) + "\n"
        )
    return written
