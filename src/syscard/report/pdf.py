"""The card as a PDF (`card.pdf`), drawn with fpdf2: same sections, tables and plots as the
HTML page, in a printable A4 layout. No browser is needed.

Text is drawn as text (extractable, searchable) in DejaVu Sans, the font matplotlib ships,
so any Unicode in model names or categories prints; nothing is interpreted as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from syscard.files import atomic_write_bytes
from syscard.report.card import PUBLISHED_NOTE, Card, delta_label
from syscard.report.compare import delta
from syscard.report.text import errors_text, fmt, graders_used, interval, summary
from syscard.report.untrusted import printable


def _font_files() -> tuple[Path, Path]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    regular, bold = _font_files()
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_margins(14, 14, 14)
    pdf.add_page()
    return pdf


def _heading(pdf: Any, text: str, size: float = 13) -> None:
    pdf.set_font("DejaVu", "B", size)
    pdf.ln(2)
    pdf.multi_cell(0, size * 0.5, printable(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8.5)


def _para(pdf: Any, text: str, size: float = 8.5) -> None:
    pdf.set_font("DejaVu", "", size)
    pdf.multi_cell(0, size * 0.48, printable(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _table(pdf: Any, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    pdf.set_font("DejaVu", "", 7.5)
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=3.6,
        first_row_as_headings=True,
        headings_style=_headings_style(),
    ) as table:
        for cells in [header, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(printable(cell))
    pdf.ln(2)


def _headings_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(243, 245, 247))


def render_pdf(
    card: Card,
    path: Path,
    *,
    plots: dict[str, list[tuple[str, Path]]] | None = None,
    scorecards: list[Any] | None = None,
) -> Path:
    """Write the card to `path`. `plots`: section → [(title, PNG file)]."""
    plots, scorecards = plots or {}, scorecards or []
    pdf = _pdf()
    runs = card.runs
    pairs = [(runs[0], run) for run in runs[1:]]
    _heading(pdf, "System card", 18)
    suite = f"{card.suite} · " if card.suite else ""
    _para(
        pdf,
        f"{', '.join(r.label for r in runs)} · {suite}{card.created}. "
        "Written by syscard from Inspect logs. Rates with Wilson 95% intervals and "
        "graded sample counts; Δ = B − A with Newcombe's 95% interval (* = excludes 0).",
    )
    _heading(pdf, "Summary")
    items, differences = summary(card, scorecards)
    for name, values in items:
        _para(pdf, f"• {name} — {values}")
    if len(runs) > 1:
        _para(pdf, "Significant differences (95% interval of B − A excludes 0):")
        for text in differences or ["none"]:
            _para(pdf, f"• {text}")
    for section, lines in card.sections:
        key, heading, intro = section.key, section.heading, section.intro
        if key == "other" and not lines:
            continue
        _heading(pdf, heading)
        _para(pdf, intro)
        for title, png in plots.get(key, []):
            if pdf.will_page_break(80):
                pdf.add_page()
            pdf.image(str(png), w=170)
            _para(pdf, title, 7.5)
        if key == "preparedness":
            for sc in scorecards:
                _para(pdf, sc.model, 9)
                _table(
                    pdf,
                    ["category", "pre", "post", "evals that feed it"],
                    [
                        [
                            c.title,
                            c.pre or "not evaluated",
                            c.post or "not evaluated",
                            "; ".join(f"{e} ({m})" for e, m, _ in c.feeds),
                        ]
                        for c in sc.categories
                    ],
                    [35, 25, 25, 97],
                )
                _para(pdf, f"Rule: {sc.rule}")
                _para(pdf, f"Verdict: {sc.verdict}")
        if not lines:
            if key != "preparedness":
                _para(pdf, "not evaluated in these runs")
            continue
        published = [m for m in card.published_models if any(m in ln.published for ln in lines)]
        header = ["eval", "metric", *[r.label for r in runs]]
        header += [delta_label(a, b) for a, b in pairs]
        header += [f"{m}*" for m in published]
        rows = []
        for line in lines:
            row = [line.label, line.metric]
            for run in runs:
                r = line.cells.get(run.key)
                row.append(
                    "not run"
                    if r is None
                    else f"{fmt(r.get('value'))} {interval(r)} n={r.get('n')}"
                    + (f" {errors_text(r)}" if r.get("n_errors") else "")
                )
            for a, b in pairs:
                d = delta(line.cells.get(a.key), line.cells.get(b.key), line.metric)
                row.append(
                    "—"
                    if d is None
                    else f"{d.value:+.3f}{' *' if d.significant else ''} "
                    f"[{d.ci_low:+.3f}, {d.ci_high:+.3f}]"
                )
            row += [fmt(line.published.get(m)) if m in line.published else "—" for m in published]
            rows.append(row)
        # Published columns hold one short number: narrow; the runs' cells get the rest.
        narrow = 14.0 * len(published)
        wide = (182 - 38 - 26 - narrow) / max(1, len(header) - 2 - len(published))
        widths = [
            38,
            26,
            *([wide] * (len(header) - 2 - len(published))),
            *([14.0] * len(published)),
        ]
        _table(pdf, header, rows, widths)
        if published:
            _para(pdf, f"* {PUBLISHED_NOTE} ({card.published_source}).", 7)
    _heading(pdf, "Graders")
    _table(
        pdf,
        ["grader", "measured agreement with human labels (held-out)"],
        [[k, v] for k, v in graders_used(card)],
        [50, 132],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, bytes(pdf.output()))
    return path
