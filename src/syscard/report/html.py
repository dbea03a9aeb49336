"""The card as one self-contained HTML page: inline CSS and SVG plots, no scripts, no network.

Every string that comes from a run — model names, eval qualifiers, categories, techniques,
grader names, dataset notes — goes through `escape()`: model and dataset text is untrusted.
Plots are SVG with glyphs drawn as paths, so no text inside them is markup either.
"""

from __future__ import annotations

import html
from typing import Any

from syscard.report.card import PUBLISHED_NOTE, Card, Line, Run, delta_label
from syscard.report.compare import delta
from syscard.report.text import (
    datasets_text,
    errors_text,
    fmt,
    graders_used,
    interval,
    provenance,
    summary,
)
from syscard.report.untrusted import printable


def escape(text: str, quote: bool = True) -> str:
    """HTML-escape untrusted text, control characters made visible first."""
    return html.escape(printable(text), quote=quote)


_CSS = """
:root{--fg:#1b1f24;--muted:#59636e;--line:#d8dee4;--bg2:#f3f5f7;--good:#1a7f37;--bad:#b42318}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:1180px;padding:0 1rem;color:var(--fg)}
h1{font-size:1.7rem;margin-bottom:.2rem} h2{font-size:1.3rem;margin-top:2.2rem;
border-bottom:2px solid var(--line);padding-bottom:.2rem} h3{font-size:1.05rem;margin-top:1.4rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.93rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--bg2);font-weight:600} td.num,th.num{text-align:right;
font-variant-numeric:tabular-nums;white-space:nowrap}
.ci,.muted{color:var(--muted);font-size:.85em} .pub{color:var(--muted);font-style:italic}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .8rem;margin:1rem 0}
.up{color:var(--good);font-weight:600} .down{color:var(--bad);font-weight:600}
.wrap{overflow-x:auto} figure{margin:1rem 0} figure svg{max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:.85rem} details{margin:.3rem 0}
sup a{text-decoration:none} .lvl{font-weight:600;text-transform:capitalize}
.level-low{color:#1a7f37}.level-medium{color:#9a6700}.level-high{color:#bc4c00}
.level-critical{color:#b42318} .ne{color:var(--muted);font-style:italic}
@media print{body{max-width:none;margin:0;font-size:11px}
a{color:inherit;text-decoration:none} details{display:block} .wrap{overflow:visible}
table,figure{break-inside:avoid}}
"""


def _cell(row: dict[str, Any] | None, href: str | None, note: int | None) -> str:
    if row is None:
        return "<td class=num><span class=muted>not run</span></td>"
    value = escape(fmt(row.get("value")))
    if href:
        value = f'<a href="{escape(href)}">{value}</a>'
    marker = f'<sup><a href="#fn-{note}">{note}</a></sup>' if note else ""
    status = "" if row.get("status") == "success" else " <span class=ci>(unfinished)</span>"
    return (
        f'<td class=num title="{escape(provenance(row))}">{value}{marker}{status}<br>'
        f"<span class=ci>{escape(interval(row))} n={row.get('n')}"
        f"{' · ' + escape(errors_text(row)) if row.get('n_errors') else ''}</span></td>"
    )


def _delta_cell(a: dict[str, Any] | None, b: dict[str, Any] | None, metric: str) -> str:
    d = delta(a, b, metric)
    if d is None:
        return "<td class=num>—</td>"
    cls = "" if d.better is None else (" class=up" if d.better else " class=down")
    flag = " *" if d.significant else ""
    return (
        f"<td class=num><span{cls}>{d.value:+.3f}{flag}</span><br>"
        f"<span class=ci>[{d.ci_low:+.3f}, {d.ci_high:+.3f}]</span></td>"
    )


class _Footnotes:
    """Numbered provenance notes, one per (line, grader + data) combination."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        if text not in self.index:
            self.items.append(text)
            self.index[text] = len(self.items)
        return self.index[text]


def _comparisons(runs: list[Run]) -> list[tuple[Run, Run]]:
    """Columns to compare: each later run against the first (B − A)."""
    return [(runs[0], run) for run in runs[1:]]


def _line_table(card: Card, lines: list[Line], links: dict[str, str], notes: _Footnotes) -> str:
    runs, pairs = card.runs, _comparisons(card.runs)
    published = [m for m in card.published_models if any(m in ln.published for ln in lines)]
    head = "".join(f"<th class=num>{escape(r.label)}</th>" for r in runs)
    head += "".join(
        f'<th class=num title="{escape(b.label)} − {escape(a.label)}, 95% interval; * = '
        f'excludes 0">{escape(delta_label(a, b))}</th>'
        for a, b in pairs
    )
    head += "".join(
        f'<th class="num pub" title="{escape(PUBLISHED_NOTE)}">{escape(m)}*</th>' for m in published
    )
    body = []
    for line in lines:
        cells = []
        for run in runs:
            row = line.cells.get(run.key)
            note = notes.add(provenance(row)) if row else None
            cells.append(_cell(row, links.get(str((row or {}).get("log"))), note))
        cells += [
            _delta_cell(line.cells.get(a.key), line.cells.get(b.key), line.metric) for a, b in pairs
        ]
        cells += [
            f'<td class="num pub">{escape(fmt(line.published[m]))}</td>'
            if m in line.published
            else "<td class=num>—</td>"
            for m in published
        ]
        body.append(
            f"<tr><td>{escape(line.label)}</td><td>{escape(line.metric)}</td>{''.join(cells)}</tr>"
        )
    foot = ""
    if published:
        foot = (
            f"<p class=muted>* {escape(PUBLISHED_NOTE)}: "
            + escape("; ".join(sorted({ln.stand_in for ln in lines if ln.stand_in})))
            + f". Source: {escape(card.published_source)}.</p>"
        )
    return (
        f"<div class=wrap><table><tr><th>eval</th><th>metric</th>{head}</tr>"
        f"{''.join(body)}</table></div>{foot}{_breakdowns(card, lines)}"
    )


def _breakdowns(card: Card, lines: list[Line]) -> str:
    out = []
    for line in lines:
        groups = sorted(
            {g for row in line.cells.values() if row for g in row.get("breakdown") or {}}
        )
        if len(groups) < 2:  # one group repeats the line itself
            continue
        head = "".join(f"<th class=num>{escape(r.label)}</th>" for r in card.runs)
        rows = []
        for group in groups:
            cells = []
            for run in card.runs:
                entry = ((line.cells.get(run.key) or {}).get("breakdown") or {}).get(group)
                cells.append(
                    "<td class=num>—</td>"
                    if entry is None
                    else f"<td class=num>{escape(fmt(entry.get('value')))} "
                    f"<span class=ci>{escape(interval(entry))} n={entry.get('n')}</span></td>"
                )
            rows.append(f"<tr><td>{escape(group)}</td>{''.join(cells)}</tr>")
        out.append(
            f"<details><summary>{escape(line.label)} · {escape(line.metric)} by "
            f"{'technique' if line.eval == 'jailbreak_augmented' else 'category'} "
            f"({len(groups)})</summary><div class=wrap><table><tr><th>group</th>{head}</tr>"
            f"{''.join(rows)}</table></div></details>"
        )
    return "".join(out)


def _figure(svg: str, title: str) -> str:
    # The SVG comes from matplotlib with glyphs as paths: no text, scripts or links inside.
    return f"<figure>{svg}<figcaption>{escape(title)}</figcaption></figure>"


def _scorecards(scorecards: list[Any]) -> str:
    if not scorecards:
        return ""
    out = []
    for card in scorecards:
        rows = []
        for cat in card.categories:

            def level(value: str | None) -> str:
                if value is None:
                    return "<td class=ne>not evaluated</td>"
                return f'<td class="lvl level-{escape(value)}">{escape(value)}</td>'

            feeds = "; ".join(f"{e} ({m})" for e, m, _ in cat.feeds) or "—"
            evidence = (
                "; ".join(
                    f"{ev.eval} {ev.metric}={ev.value:.3f} → {ev.level}" for ev in cat.evidence
                )
                or "no evaluation run"
            )
            rows.append(
                f"<tr><td>{escape(cat.title)}</td>{level(cat.pre)}{level(cat.post)}"
                f"<td class=muted>{escape(evidence)}</td><td class=muted>{escape(feeds)}</td></tr>"
            )
        out.append(
            f"<h3>{escape(card.model)}</h3><div class=wrap><table><tr><th>category</th>"
            "<th>pre-mitigation</th><th>post-mitigation</th><th>evidence</th>"
            f"<th>evals that feed it</th></tr>{''.join(rows)}</table></div>"
            f"<p><b>Rule.</b> {escape(card.rule)}<br><b>Verdict.</b> {escape(card.verdict)}</p>"
        )
    return "".join(out)


def _summary(card: Card, scorecards: list[Any]) -> str:
    items, differences = summary(card, scorecards)
    lines = "".join(f"<li><b>{escape(k)}</b> — {escape(v)}</li>" for k, v in items)
    compare = ""
    if len(card.runs) > 1:
        found = "".join(f"<li>{escape(d)}</li>" for d in differences) or "<li>none</li>"
        compare = (
            f"<p>Significant differences (95% interval of B − A excludes 0):</p><ul>{found}</ul>"
        )
    return f"<ul>{lines}</ul>{compare}"


def _notes(card: Card) -> str:
    rows = [r for d in card.documents for r in d.get("results", [])]
    notes = []
    if any(r.get("starter") for r in rows):
        notes.append(
            "<div class=note><b>Starter data.</b> Some rows use syscard's built-in starter set "
            "(written by the syscard authors, not a public benchmark) because the public "
            "datasets were not present. Run <code>syscard data fetch</code> or pass "
            "<code>--data-dir</code> for the real card.</div>"
        )
    if any(r.get("status") not in (None, "success") for r in rows):
        notes.append(
            "<div class=note><b>Incomplete.</b> Some evals did not finish (marked "
            "“unfinished”); rerun the same command to resume.</div>"
        )
    if any((r.get("grader") or {}).get("name") == "harm-offline" for r in rows):
        notes.append(
            "<div class=note><b>Graders.</b> not_unsafe here comes from syscard's offline harm "
            "grader, which misses about a third of the unsafe answers humans find (see each "
            "number's grader note): read it as an upper bound on safety, and grade with a "
            "strong model (<code>--grader MODEL</code>) for a card that matters.</div>"
        )
    return "".join(notes)


def _sources(card: Card) -> str:
    datasets: dict[str, str] = {}
    for d in card.documents:
        for r in d.get("results", []):
            datasets.setdefault(datasets_text(r), r["eval"])
    g_rows = "".join(
        f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in graders_used(card)
    )
    d_rows = "".join(
        f"<tr><td>{escape(e)}</td><td>{escape(k)}</td></tr>" for k, e in sorted(datasets.items())
    )
    return (
        "<h3>Graders</h3><div class=wrap><table><tr><th>grader</th><th>measured agreement "
        f"with human labels (held-out)</th></tr>{g_rows}</table></div>"
        "<h3>Data</h3><div class=wrap><table><tr><th>eval (first)</th><th>datasets @ pinned "
        f"revision</th></tr>{d_rows}</table></div>"
    )


def render_html(
    card: Card,
    *,
    figures: dict[str, list[tuple[str, str]]] | None = None,
    links: dict[str, str] | None = None,
    scorecards: list[Any] | None = None,
) -> str:
    """Return the card page.

    Args:
        card: the card (`build_card`).
        figures: section → [(title, SVG text)] to show in that section.
        links: Inspect log path → relative href of its sample page.
        scorecards: Preparedness scorecards, one per model.
    """
    figures, links, scorecards = figures or {}, links or {}, scorecards or []
    notes = _Footnotes()
    parts = []
    for section, lines in card.sections:
        key, heading, intro = section.key, section.heading, section.intro
        if key == "other" and not lines:
            continue
        body = "".join(_figure(svg, title) for title, svg in figures.get(key, []))
        if key == "preparedness":
            body += _scorecards(scorecards)
        if lines:
            body += _line_table(card, lines, links, notes)
        elif key != "preparedness":
            body += "<p class=ne>not evaluated in these runs</p>"
        parts.append(
            f'<h2 id="{escape(key)}">{escape(heading)}</h2><p class=muted>{escape(intro)}</p>{body}'
        )
    footnotes = "".join(
        f'<li id="fn-{i}">{escape(text)}</li>' for i, text in enumerate(notes.items, start=1)
    )
    runs = ", ".join(escape(r.label) for r in card.runs) or "no runs"
    suite = escape(f"{card.suite} · ") if card.suite else ""
    return f"""<!doctype html>
<html lang=en><head><meta charset=utf-8>
<meta name=viewport content="width=device-width,initial-scale=1">
<title>System card — {runs}</title><style>{_CSS}</style></head>
<body>
<h1>System card</h1>
<p class=muted>{runs} · {suite}{escape(card.created)} · written by syscard from Inspect logs;
every number links to its samples and names its grader.</p>
{_notes(card)}
<h2 id=summary>Summary</h2>
{_summary(card, scorecards)}
{"".join(parts)}
<h2 id=sources>Graders, data and notes</h2>
<p class=muted>Rates exclude samples that could not be graded (counted as errors). Intervals
are Wilson 95% for rates; differences use Newcombe's interval (approximate for metrics that
are not simple proportions); * marks a difference whose interval excludes 0.</p>
{_sources(card)}
<h3>Notes</h3><ol class=muted>{footnotes}</ol>
</body></html>
"""
