"""The card as GitHub-flavoured Markdown (`card.md`), with plots as PNG files beside it.

Text from runs is untrusted: `md()` escapes HTML and Markdown syntax so that nothing in a
model name, category or grader note becomes a link, an image, markup or a table break.
"""

from __future__ import annotations

import re
from typing import Any

from syscard.report.card import PUBLISHED_NOTE, Card, delta_label
from syscard.report.compare import delta
from syscard.report.text import errors_text, fmt, graders_used, interval, summary
from syscard.report.untrusted import printable

# Characters that can start Markdown syntax anywhere in a line (links, images, emphasis,
# code, tables, headings, strike-through); HTML is neutralised separately.
_SPECIAL = re.compile(r"([\\`*_\[\]#|!~])")


def md(text: object) -> str:
    """Return `text` safe to put in Markdown prose or a table cell."""
    value = printable(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _SPECIAL.sub(r"\\\1", value)
    return value.replace("\r", " ").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(
    card: Card,
    *,
    plots: dict[str, list[tuple[str, str]]] | None = None,
    links: dict[str, str] | None = None,
    scorecards: list[Any] | None = None,
) -> str:
    """Return `card.md`. `plots`: section → [(title, relative PNG path)]; `links`: log path →
    relative href of its sample page."""
    plots, links, scorecards = plots or {}, links or {}, scorecards or []
    runs = card.runs
    pairs = [(runs[0], run) for run in runs[1:]]
    out = [
        "# System card",
        "",
        " · ".join(
            x for x in (", ".join(md(r.label) for r in runs), md(card.suite), md(card.created)) if x
        ),
        "",
        "Values are rates with Wilson 95% intervals and graded sample counts; Δ is B − A with "
        "Newcombe's 95% interval, **bold** when it excludes 0. Each value links to its samples.",
        "",
        "## Summary",
        "",
    ]
    items, differences = summary(card, scorecards)
    out += [f"- **{md(k)}** — {md(v)}" for k, v in items]
    if len(runs) > 1:
        out += ["", "Significant differences (95% interval of B − A excludes 0):", ""]
        out += [f"- {md(d)}" for d in differences] or ["- none"]
    for section, lines in card.sections:
        key, heading, intro = section.key, section.heading, section.intro
        if key == "other" and not lines:
            continue
        out += ["", f"## {md(heading)}", "", md(intro), ""]
        for title, path in plots.get(key, []):
            out += [f"![{md(title)}]({path})", ""]
        if key == "preparedness":
            for sc in scorecards:
                out += [f"### {md(sc.model)}", ""]
                out.append(
                    _table(
                        ["category", "pre-mitigation", "post-mitigation", "evals that feed it"],
                        [
                            [
                                md(c.title),
                                md(c.pre or "not evaluated"),
                                md(c.post or "not evaluated"),
                                md("; ".join(f"{e} ({m})" for e, m, _ in c.feeds)),
                            ]
                            for c in sc.categories
                        ],
                    )
                )
                out += ["", f"**Rule.** {md(sc.rule)}", "", f"**Verdict.** {md(sc.verdict)}", ""]
        if not lines:
            if key != "preparedness":
                out.append("_not evaluated in these runs_")
            continue
        published = [m for m in card.published_models if any(m in ln.published for ln in lines)]
        header = ["eval", "metric", *[md(r.label) for r in runs]]
        header += [md(delta_label(a, b)) for a, b in pairs]
        header += [f"{md(m)} (published)" for m in published]
        rows = []
        for line in lines:
            row = [md(line.label), md(line.metric)]
            for run in runs:
                r = line.cells.get(run.key)
                if r is None:
                    row.append("not run")
                    continue
                value = fmt(r.get("value"))
                href = links.get(str(r.get("log")))
                value = f"[{value}]({href})" if href else value
                row.append(
                    f"{value} {interval(r)} n={r.get('n')}"
                    + (f" {md(errors_text(r))}" if r.get("n_errors") else "")
                )
            for a, b in pairs:
                d = delta(line.cells.get(a.key), line.cells.get(b.key), line.metric)
                text = "—" if d is None else f"{d.value:+.3f} [{d.ci_low:+.3f}, {d.ci_high:+.3f}]"
                row.append(f"**{text}**" if d is not None and d.significant else text)
            row += [fmt(line.published.get(m)) if m in line.published else "—" for m in published]
            rows.append(row)
        out.append(_table(header, rows))
        if published:
            out += ["", f"Published columns: {md(PUBLISHED_NOTE)} ({md(card.published_source)})."]
    out += ["", "## Graders", ""]
    out.append(
        _table(
            ["grader", "measured agreement (held-out)"],
            [[md(k), md(v)] for k, v in graders_used(card)],
        )
    )
    return "\n".join(out) + "\n"
