"""A first, plain HTML card: one table of results with CIs and breakdowns.

Every string that comes from a run (model names, categories, dataset notes) is escaped:
model and dataset text is untrusted.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from syscard.results import row_label

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid #d8dee4;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7} td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .8rem;margin:1rem 0}
.muted{color:#59636e;font-size:.9em} details{margin:.2rem 0}
"""


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _ci(row: dict[str, Any]) -> str:
    if row.get("ci_low") is None:
        return "—"
    return f"[{row['ci_low']:.3f}, {row['ci_high']:.3f}]"


def agreement_text(agreement: dict[str, Any] | None) -> str:
    """Return "agreement 0.89 [0.85, 0.92] (κ 0.65) on n=429 human-labelled responses"."""
    if not agreement:
        return "agreement with human labels not measured"
    a = agreement["agreement"]
    text = f"agreement {a['value']:.3f} [{a['ci_low']:.3f}, {a['ci_high']:.3f}]"
    if agreement.get("binary"):
        b = agreement["binary"]
        text += f"; {b['split']}: {b['value']:.3f} [{b['ci_low']:.3f}, {b['ci_high']:.3f}]"
    kappa = agreement.get("kappa", {}).get("value")
    if kappa is not None:
        text += f"; kappa {kappa:.2f}"
    # The first declared label is the one the card counts (unsafe, refusal, leaked, ...): how
    # many of the human-labelled ones the grader finds says which way a rate is biased.
    first = (agreement.get("labels") or [None])[0]
    if first in (agreement.get("per_class") or {}) and (
        agreement["per_class"][first]["recall"]["value"] is not None
    ):
        recall = agreement["per_class"][first]["recall"]["value"]
        text += f"; finds {recall:.0%} of human-labelled {first}"
    return text + f" on n={agreement['n']} human-labelled responses"


def _grader_cell(row: dict[str, Any]) -> str:
    grader = row.get("grader") or {}
    agreement = row.get("grader_agreement")
    measured = agreement_text(agreement)
    return (
        f"{escape(str(grader.get('name', '?')))} "
        f"<span class=muted>v{escape(str(grader.get('version', '?')))}; {escape(measured)}</span>"
    )


def _breakdown(row: dict[str, Any]) -> str:
    items = row.get("breakdown") or {}
    if not items:
        return ""
    lines = "".join(
        f"<tr><td>{escape(group)}</td><td class=num>{_fmt(b['value'])}</td>"
        f"<td class=num>{_ci(b)}</td><td class=num>{b['n']}</td>"
        f"<td class=num>{b.get('n_errors', 0)}</td></tr>"
        for group, b in items.items()
    )
    return (
        f"<details><summary>by category ({len(items)})</summary><table>"
        "<tr><th>category</th><th>value</th><th>95% CI</th><th>n</th><th>errors</th></tr>"
        f"{lines}</table></details>"
    )


def render_html(document: dict[str, Any]) -> str:
    """Return the card as one self-contained HTML page (no scripts, no network)."""
    rows = document.get("results", [])
    starter = any(r.get("starter") for r in rows)
    notes = []
    if starter:
        notes.append(
            "<div class=note><b>Starter data.</b> Some rows use syscard's built-in starter set "
            "(written by the syscard authors, not a public benchmark) because the public "
            "datasets were not present. Run <code>syscard data fetch</code> or pass "
            "<code>--data-dir</code> for the real card.</div>"
        )
    incomplete = [r for r in rows if r.get("status") not in (None, "success")]
    if incomplete:
        notes.append(
            "<div class=note><b>Incomplete.</b> Some evals did not finish; rerun the same "
            "command to resume.</div>"
        )
    body = "".join(
        "<tr>"
        f"<td>{escape(str(r['section']))}</td><td>{escape(row_label(r))}</td>"
        f"<td>{escape(r['metric'])}</td><td>{escape(r['model'])}</td>"
        f"<td class=num><b>{_fmt(r['value'])}</b></td><td class=num>{_ci(r)}</td>"
        f"<td class=num>{r['n']}</td><td class=num>{r['n_errors']}</td>"
        f"<td>{_grader_cell(r)}</td>"
        f"<td>{escape(', '.join(dict.fromkeys(d['name'] for d in r.get('datasets', []))))}"
        f"{_breakdown(r)}</td>"
        "</tr>"
        for r in rows
    )
    models = ", ".join(escape(m["name"]) for m in document.get("models", []))
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width,initial-scale=1">
<title>syscard — system card</title><style>{_CSS}</style></head>
<body>
<h1>System card</h1>
<p class=muted>syscard {escape(str(document.get("syscard_version")))} ·
suite {escape(str(document.get("suite")))} · {escape(str(document.get("created")))} ·
models: {models}</p>
{"".join(notes)}
<h2>Results</h2>
<table>
<tr><th>section</th><th>eval</th><th>metric</th><th>model</th><th>value</th><th>95% CI</th>
<th>n</th><th>errors</th><th>grader</th><th>data</th></tr>
{body}
</table>
<p class=muted>Rates exclude samples that could not be graded (counted under errors).
CIs are Wilson 95% intervals. Each row's Inspect log is listed in results.json.</p>
</body></html>
"""


def write_html(document: dict[str, Any], out_dir: str | Path) -> Path:
    """Write `index.html` for `document` into `out_dir`; return its path."""
    target = Path(out_dir) / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html(document), encoding="utf-8")
    return target
