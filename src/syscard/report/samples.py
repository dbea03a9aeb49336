"""Per-eval sample pages: every prompt, reasoning, answer, grade and explanation behind a number.

The card links each result to one self-contained HTML page per Inspect log. All text on a page
comes from models or datasets and is untrusted: every piece goes through
`html.escape(text, quote=True)` (attribute values too) and nothing is inserted raw. Grade
colours and filter classes are derived from a grade's position in a sorted list, never from
its text, so a label cannot inject a class name or CSS.

The page needs no script: filtering by grade is done with radio inputs and `:checked` CSS.
Rendering is one list of strings joined once, so 10,000 samples render in well under a second
(see benchmarks/bench_report.py).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from syscard.files import atomic_write_text
from syscard.report.sample_records import ERROR, SampleRecord, read_samples
from syscard.report.untrusted import printable

__all__ = ["SampleRecord", "read_samples", "render_sample_page", "write_sample_pages"]

# Grade colours say which label a sample got, not whether it is good: a refusal is right on a
# harmful prompt and wrong on a benign one. So no green; red only for "error" (not graded).
# Known labels keep one colour on every page; others get one picked from a hash of the label.
_PALETTE = (
    ("#e8f0fe", "#1a4fa0"),  # blue
    ("#fff4e0", "#8a5300"),  # amber
    ("#f3e8fd", "#6b2fa3"),  # purple
    ("#e0f7f7", "#0b6b6b"),  # teal
    ("#fce8f3", "#a3206b"),  # pink
    ("#eef0e0", "#5a6b0b"),  # olive
    ("#efe9e4", "#6b4a2f"),  # brown
    ("#e9edf2", "#3b4a5c"),  # slate
)
_ERROR_COLOURS = ("#fdecea", "#a3241a")
_KNOWN = {
    "refusal": 0,
    "compliance": 1,
    "partial": 2,
    "safe": 3,
    "unsafe": 4,
    "leaked": 4,
    "not_leaked": 3,
    "correct": 3,
    "incorrect": 4,
    "C": 3,
    "I": 4,
}
# A filter needs one CSS rule per grade; numeric grades can have thousands of distinct values.
_MAX_FILTERS = 24
# Grades past this many (in frequency order) get no colour rule, to keep the CSS small.
_MAX_COLOURED = 64
# Metadata values longer than this go into a collapsed list instead of a chip.
_CHIP_MAX = 80

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem auto;
max-width:1100px;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.45rem;margin:.3rem 0} .sub{color:#59636e;margin:.2rem 0 .8rem}
a{color:#0b5cad} .back{font-size:.9em}
.summary{margin:.6rem 0 1rem;padding:.5rem .7rem;background:#f6f8fa;border:1px solid #d8dee4;
border-radius:6px} .summary label{cursor:pointer;margin-right:.3rem}
input.f{position:absolute;opacity:0;pointer-events:none}
.g{display:inline-block;padding:.05rem .45rem;border-radius:10px;font-weight:600;
font-size:.9em;border:1px solid transparent}
.s{border:1px solid #d8dee4;border-radius:6px;margin:0 0 .9rem;padding:.5rem .8rem;
content-visibility:auto;contain-intrinsic-size:auto 360px}
.s:target{outline:3px solid #f0b400}
.h{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-bottom:.3rem}
.id{font:600 .95em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.chip{display:inline-block;background:#eef1f4;border-radius:4px;padding:0 .35rem;
font-size:.85em;color:#3b434c;word-break:break-all} .chip b{font-weight:600;color:#59636e}
.r{font:600 .75em system-ui,sans-serif;text-transform:uppercase;letter-spacing:.04em;
color:#59636e;margin:.45rem 0 .1rem}
pre{white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;margin:0;
max-height:16em;overflow:auto;background:#f6f8fa;border:1px solid #e3e7eb;border-radius:4px;
padding:.35rem .5rem;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.ans{background:#fff;border-color:#c9d1d9;max-height:22em}
pre.err{background:#fdecea;border-color:#f1aeb5}
details{margin:.3rem 0} summary{cursor:pointer;color:#59636e;font-size:.9em}
.gr{margin-top:.45rem} .muted{color:#59636e;font-size:.9em}
.empty{color:#8c959f;font-style:italic}
"""

_SAFE_HREF = re.compile(r"^(?:https?:|[^:]*$)", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Rendering


def _e(text: str) -> str:
    return escape(printable(text), quote=True)


def _pre(text: str, cls: str = "") -> str:
    if not text:
        return '<div class="empty">(empty)</div>'
    attr = f' class="{cls}"' if cls else ""
    return f"<pre{attr}>{_e(text)}</pre>"


def _safe_href(href: str) -> str:
    """Return `href` escaped, or "index.html" when it carries a non-http scheme."""
    return _e(href) if _SAFE_HREF.match(href.strip()) else "index.html"


def _grade_styles(grades: Sequence[str]) -> tuple[dict[str, int], str, str]:
    """Return ({grade: index}, CSS for colours and filters, filter inputs HTML)."""
    index = {g: i for i, g in enumerate(grades)}
    css = []
    for g, i in index.items():
        if i >= _MAX_COLOURED and g != ERROR:
            continue  # e.g. thousands of distinct numeric scores: the rest stay uncoloured
        if g == ERROR:
            bg, fg = _ERROR_COLOURS
        else:
            slot = _KNOWN.get(g)
            if slot is None:
                slot = zlib.crc32(g.encode("utf-8", "replace"))
            bg, fg = _PALETTE[slot % len(_PALETTE)]
        css.append(f".k{i} .g,.g.k{i}{{background:{bg};color:{fg};border-color:{fg}33}}")
        if g == ERROR:
            css.append(f".s.k{i}{{border-left:4px solid {fg}}}")
    inputs = ""
    if 1 < len(grades) <= _MAX_FILTERS:
        inputs = '<input class="f" type="radio" name="f" id="f-all" checked>' + "".join(
            f'<input class="f" type="radio" name="f" id="f{i}">' for i in index.values()
        )
        for i in index.values():
            css.append(f"#f{i}:checked~main .s:not(.k{i}){{display:none}}")
            css.append(f"#f{i}:checked~.summary label[for=f{i}] .g{{outline:2px solid #1b1f24}}")
        css.append("#f-all:checked~.summary label[for=f-all]{font-weight:700}")
    return index, "".join(css), inputs


def render_sample_page(
    title: str,
    records: Sequence[SampleRecord],
    *,
    back_href: str = "index.html",
    subtitle: str = "",
) -> str:
    """Return one self-contained HTML page (inline CSS, no script) showing every record.

    The page opens with counts per grade (clickable filters, CSS only), then one block per
    sample with id `s-<escaped id>-<epoch>`: metadata chips, the input turns, the reasoning
    (collapsed), the answer, the grade, grader and explanation, and any error.
    """
    counts = Counter(r.grade for r in records)
    # Most frequent first; ties alphabetical, so colours are stable for the same data.
    grades = sorted(counts, key=lambda g: (-counts[g], g))
    index, grade_css, inputs = _grade_styles(grades)
    escaped_grades = {g: _e(g) for g in grades}
    filters = bool(inputs)

    out: list[str] = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>",
        _e(title),
        " — samples</title><style>",
        _CSS,
        grade_css,
        "</style></head><body>",
        inputs,
        f'<p class="back"><a href="{_safe_href(back_href)}">← back to the card</a></p>',
        "<h1>",
        _e(title),
        "</h1>",
    ]
    if subtitle:
        out += ['<p class="sub">', _e(subtitle), "</p>"]

    out.append(f'<div class="summary">{len(records)} samples')
    if grades:
        out.append(": ")
    if filters:
        out.append('<label for="f-all">all</label> · ')
    for g in grades:
        i = index[g]
        chip = f'<span class="g k{i}">{escaped_grades[g]}</span> {counts[g]}'
        out.append(f'<label for="f{i}">{chip}</label> ' if filters else chip + " ")
    if filters:
        out.append('<span class="muted">(click a grade to show only its samples)</span>')
    out.append("</div><main>")

    for r in records:
        i = index[r.grade]
        sid = _e(r.id)
        anchor = f"s-{sid}-{r.epoch}"
        href = _e("#s-" + quote(r.id, safe="") + f"-{r.epoch}")
        out.append(
            f'<section class="s k{i}" id="{anchor}"><div class="h">'
            f'<a class="id" href="{href}">{sid}</a>'
            f'<span class="muted">epoch {r.epoch}</span>'
            f'<span class="g">{escaped_grades[r.grade]}</span>'
        )
        long_meta = []
        for key, value in r.metadata.items():
            if len(value) > _CHIP_MAX or "\n" in value:
                long_meta.append((key, value))
            else:
                out.append(f'<span class="chip"><b>{_e(key)}</b> {_e(value)}</span>')
        out.append("</div>")
        if long_meta:
            out.append("<details><summary>more metadata</summary>")
            for key, value in long_meta:
                out += ['<div class="r">', _e(key), "</div>", _pre(value)]
            out.append("</details>")
        for role, text in r.messages:
            out += ['<div class="r">', _e(role), "</div>", _pre(text)]
        if r.reasoning:
            out += [
                f"<details><summary>reasoning ({len(r.reasoning):,} chars)</summary>",
                _pre(r.reasoning),
                "</details>",
            ]
        out += ['<div class="r">answer</div>', _pre(r.answer, "ans")]
        if r.error:
            out += ['<div class="r">error</div>', _pre(r.error, "err")]
        out.append('<div class="gr">grade <span class="g">')
        out.append(escaped_grades[r.grade])
        out.append("</span>")
        if r.grader:
            out += [' <span class="muted">by ', _e(r.grader), "</span>"]
        out.append("</div>")
        if r.explanation:
            out.append(_pre(r.explanation))
        out.append("</section>")
    if not records:
        out.append('<p class="empty">This log has no samples.</p>')
    out.append("</main></body></html>\n")
    return "".join(out)


def _page_name(log_path: str, title: str) -> str:
    """Return a safe file name: a slug of the title (or log name) plus a hash of the path."""
    slug = re.sub(r"[^a-z0-9]+", "-", (title or Path(log_path).stem).lower()).strip("-")[:48]
    digest = hashlib.sha256(log_path.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{slug or 'eval'}-{digest}.html"


def write_sample_pages(logs: Mapping[str, str], out_dir: Path) -> dict[str, str]:
    """Write out_dir/samples/<slug>-<hash>.html for each {log_path: page title}.

    Returns {log_path: "samples/<name>.html"}, hrefs relative to out_dir (the card's folder).
    A log that cannot be read still gets a page, which shows the reading error.
    """
    folder = Path(out_dir) / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    hrefs: dict[str, str] = {}
    for log_path, title in logs.items():
        name = _page_name(str(log_path), title)
        try:
            page = render_sample_page(
                title,
                read_samples(log_path),
                back_href="../index.html",
                subtitle=f"Inspect log: {log_path}",
            )
        except Exception as exc:  # noqa: BLE001 - one unreadable log must not lose the card
            page = render_sample_page(
                title,
                [],
                back_href="../index.html",
                subtitle=f"Could not read the Inspect log {log_path}: {type(exc).__name__}: {exc}",
            )
        atomic_write_text(folder / name, page)
        hrefs[log_path] = f"samples/{name}"
    return hrefs
