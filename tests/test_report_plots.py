"""The card's figures: well-formed, self-contained, deterministic SVG/PNG; "n/a" for gaps;
labels drawn as plain text (no mathtext, no markup)."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from syscard.report.plots import (
    Point,
    _wrap_lines,
    grouped_bars,
    heatmap,
    pareto_scatter,
    to_png,
    to_svg,
)

HOSTILE = "a $x$ <script>alert(1)</script> & --> \x00"
RUNS = ["gguf/smollm2", "gguf/smollm2 (deliberative)", HOSTILE]
GROUPS = ["not_overrefuse", "not_unsafe", "goodness@0.1"]


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _bars() -> Figure:
    values: dict[tuple[str, str], Point | None] = {
        (g, r): Point(0.1 + 0.2 * i + 0.05 * j, 0.05 + 0.2 * i, 0.2 + 0.2 * i + 0.05 * j)
        for i, g in enumerate(GROUPS)
        for j, r in enumerate(RUNS)
    }
    values[("not_unsafe", RUNS[1])] = None  # no Point at all
    values[("goodness@0.1", RUNS[0])] = Point(None)  # a Point without a value
    values[("goodness@0.1", RUNS[2])] = Point(float("nan"), None, None)
    del values[("not_overrefuse", RUNS[2])]  # key absent
    return grouped_bars("Disallowed content", GROUPS, RUNS, values, ylabel="score")


def _heatmap(n_rows: int = 6) -> Figure:
    rows = [f"technique_{i}" for i in range(n_rows - 1)] + [HOSTILE]
    values: dict[tuple[str, str], float | None] = {
        (r, c): (i * 7 + j) % 10 / 10 for i, r in enumerate(rows) for j, c in enumerate(RUNS)
    }
    values[(rows[0], RUNS[0])] = None
    values[(rows[1], RUNS[1])] = float("nan")
    del values[(rows[2], RUNS[2])]
    return heatmap("Jailbreaks", rows, RUNS, values, label="not_unsafe")


def _scatter() -> Figure:
    points = [
        (RUNS[0], Point(0.8, 0.7, 0.9), Point(0.9, 0.85, 0.95)),
        (RUNS[1], Point(1.0, 0.95, 1.0), Point(1.0, None, None)),
        (HOSTILE, Point(0.3, 0.2, 0.4), Point(0.6, 0.5, 0.7)),
        ("not measured", Point(None), Point(0.5, 0.4, 0.6)),
    ]
    return pareto_scatter(
        "Safety vs over-refusal",
        points,
        xlabel="StrongREJECT goodness@0.1",
        ylabel="XSTest not_overrefuse",
    )


BUILDERS = {"bars": _bars, "heatmap": _heatmap, "scatter": _scatter}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_svg_is_self_contained_xml_with_glyphs_as_paths(name: str) -> None:
    fig = BUILDERS[name]()
    assert isinstance(fig, Figure)
    svg = to_svg(fig)
    assert svg.startswith("<svg")  # no prolog, no DOCTYPE naming an external DTD
    root = ET.fromstring(svg)  # raises on malformed XML (a control character would)
    assert root.tag.endswith("svg")
    assert "<script" not in svg.lower()
    assert "<text" not in svg  # glyphs are paths: no label can be markup
    assert "<image" not in svg  # the heatmap is vector cells, not an embedded bitmap
    hrefs = re.findall(r'href="([^"]*)"', svg)
    assert hrefs, "glyph paths are referenced with <use href='#...'>"
    assert all(h.startswith("#") for h in hrefs), hrefs
    assert "<dc:date>" not in svg  # no timestamp: same data, same bytes
    # The only URLs are the namespace names, which are never fetched.
    assert set(re.findall(r'([\w:]+)="https?:', svg)) == {"xmlns", "xmlns:xlink"}
    assert "url(" not in svg.replace("url(#", "")  # clip paths refer within the document


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_output_is_deterministic(name: str) -> None:
    assert to_svg(BUILDERS[name]()) == to_svg(BUILDERS[name]())
    assert to_png(BUILDERS[name]()) == to_png(BUILDERS[name]())


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_png_bytes(name: str) -> None:
    png = to_png(BUILDERS[name](), dpi=60)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 1000


def test_bars_show_missing_values_as_na_never_as_zero_bars() -> None:
    fig = _bars()
    texts = _texts(fig)
    assert texts.count("n/a") == 4  # None, Point(None), NaN and an absent key
    ax = fig.axes[0]
    # 3 groups x 3 runs, 4 of them missing: exactly 5 bars, none of height 0.
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 5
    assert all(h > 0 for h in heights)
    assert "0.10" in texts  # value labels for greyscale readers
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(legend) == 3


def test_heatmap_marks_missing_cells_and_annotates_values() -> None:
    fig = _heatmap()
    texts = _texts(fig)
    assert texts.count("n/a") == 3
    # 6 rows x 3 runs, 3 missing: 15 two-decimal annotations.
    assert len([t for t in texts if re.fullmatch(r"\d\.\d\d", t)]) == 15
    hatched = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert len(hatched) == 3


def test_heatmap_grows_with_rows() -> None:
    small, large = _heatmap(5), _heatmap(40)
    assert large.get_figheight() > small.get_figheight() * 3
    assert large.get_figwidth() == small.get_figwidth()
    # Every one of the 40 row labels is there, none dropped to make room.
    assert len([t for t in large.axes[0].get_yticklabels() if t.get_text()]) == 40


def test_scatter_lists_unplaceable_runs_as_na_and_says_which_way_is_better() -> None:
    fig = _scatter()
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(legend) == 4
    assert any("not measured" in t and "n/a" in t for t in legend)
    assert any("better" in t for t in _texts(fig))
    ax = fig.axes[0]
    assert ax.get_xlim() == (0.0, 1.0) and ax.get_ylim() == (0.0, 1.0)


def test_hostile_labels_are_plain_text() -> None:
    # Each label is drawn literally: mathtext would italicise "$x$" and crash on "$\frac{$".
    crash = r"run $\frac{$ x"
    fig = grouped_bars(crash, [crash], [crash], {(crash, crash): Point(0.5)}, ylabel=crash)
    for text in fig.findobj(Text):
        shown, is_math = text._preprocess_math(text.get_text())
        assert not is_math
    to_svg(fig)  # would raise ValueError from the mathtext parser if "$" were not escaped

    fig = _bars()
    shown = {t._preprocess_math(t.get_text())[0] for t in fig.findobj(Text)}
    assert any(s.startswith("a $x$ <script>") for s in shown)  # literal, "$" and all
    assert not any("\x00" in s for s in shown)  # control characters dropped (invalid XML)


def test_long_labels_wrap_or_rotate() -> None:
    assert _wrap_lines("gguf/smollm2 (deliberative)", 14) == ["gguf/smollm2", "(deliberative)"]
    assert _wrap_lines("gcg_transfer_universal_attacks", 12) == [
        "gcg_",
        "transfer_",
        "universal_",
        "attacks",
    ]
    # Few groups: labels are wrapped and upright. Many long groups: rotated.
    long = [f"gguf/smollm2 (deliberative) {i}" for i in range(3)]
    fig = grouped_bars("t", long, ["r"], {(g, "r"): Point(0.5) for g in long}, ylabel="y")
    assert all(t.get_rotation() == 0 for t in fig.axes[0].get_xticklabels())
    assert all("\n" in t.get_text() for t in fig.axes[0].get_xticklabels())
    many = [f"language_{i:02d}_long" for i in range(14)]
    fig = grouped_bars("t", many, ["r"], {(g, "r"): Point(0.5) for g in many}, ylabel="y")
    assert all(t.get_rotation() > 0 for t in fig.axes[0].get_xticklabels())


def test_caller_rcparams_are_untouched_and_no_pyplot_figures() -> None:
    before = dict(matplotlib.rcParams)
    to_png(_heatmap(), dpi=40)
    assert dict(matplotlib.rcParams) == before
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        assert pyplot.get_fignums() == []


def test_empty_inputs_do_not_crash() -> None:
    for fig in (
        grouped_bars("t", [], [], {}, ylabel="y"),
        heatmap("t", [], [], {}, label="l"),
        pareto_scatter("t", [], xlabel="x", ylabel="y"),
    ):
        ET.fromstring(to_svg(fig))
