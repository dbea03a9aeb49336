"""Figures for the system card: grouped bars, a heatmap, a safety/over-refusal scatter.

Plain data in, :class:`matplotlib.figure.Figure` out; :func:`to_svg` and :func:`to_png` turn a
figure into bytes the card embeds. Figures are built on ``Figure`` + ``FigureCanvasAgg``
directly, never through pyplot, so nothing here touches pyplot's global figure list or the
process-wide backend, and a figure is garbage once the caller drops it.

Every label (run names, groups, techniques) is model- or user-derived text. It is drawn as plain
text: ``$`` is escaped so mathtext never parses it (a stray ``$\\foo$`` would otherwise crash the
draw), control characters are dropped (they would make the SVG invalid XML), and SVG output
draws glyphs as paths, so no label can become markup.

Style choices: Okabe–Ito colours (safe for the common colour-vision deficiencies) plus a hatch
per series and value labels, so a greyscale print still tells series apart; figures are 7 in
wide with 8–11 pt text, readable on an A4 page and at 100 % on screen.
"""

from __future__ import annotations

import functools
import io
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["Point", "grouped_bars", "heatmap", "pareto_scatter", "to_png", "to_svg"]

FIG_WIDTH = 7.0  # inches: the text width of an A4 page with ordinary margins

# Okabe & Ito (2008), "Color Universal Design"; black last because it hides error bars.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
# One hatch per series, so bars stay distinguishable in greyscale.
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "+++", "ooo", "---")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
MISSING_FACE = "#e6e6e6"
MISSING_INK = "#595959"
NA = "n/a"

# Everything that decides how a figure looks or serialises. Applied while a figure is built
# *and* while it is drawn (tick labels are created lazily at draw time), and only inside
# rc_context, so the caller's own rcParams are never changed.
_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # bundled with matplotlib: same glyphs on every machine
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "hatch.linewidth": 0.8,
    "text.usetex": False,
    "text.parse_math": True,  # our escaped "\$" only turns back into "$" when this is on
    "svg.fonttype": "path",
    "svg.hashsalt": "syscard",  # deterministic ids for clip paths and glyph definitions
    "svg.image_inline": True,
}

P = ParamSpec("P")
R = TypeVar("R")


def _styled(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(_RC):
            return fn(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class Point:
    """One estimate with its 95% interval; any field may be None (not measured)."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


# ---------------------------------------------------------------------------------- helpers


def _plain(label: object) -> str:
    """Return *label* as text matplotlib draws literally: no mathtext, no control characters."""
    text = "".join(
        ch for ch in str(label) if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return text.replace("$", r"\$")


_BREAK_AFTER = re.compile(r"(?<=[\s_/\-.,;:)])")


def _wrap_lines(label: object, width: int) -> list[str]:
    """Return *label* split into lines of at most *width* characters.

    Lines break after spaces and after ``_ / - . , ; : )`` (run and technique names such as
    "gcg_transfer_universal_attacks" have no spaces); a longer unbroken piece is cut hard.
    """
    width = max(width, 4)
    lines: list[str] = []
    for paragraph in str(label).split("\n"):
        current = ""
        for token in _BREAK_AFTER.split(paragraph):
            while len(token) > width:  # an unbreakable run longer than a line
                if current.strip():
                    lines.append(current.rstrip())
                lines.append(token[:width])
                token, current = token[width:], ""
            if len((current + token).rstrip()) > width and current.strip():
                lines.append(current.rstrip())
                current = token.lstrip()
            else:
                current = current + token if current.strip() else token.lstrip()
        lines.append(current.rstrip())
    return lines or [""]


def _fits(label: object, width: int, max_lines: int) -> bool:
    """Return whether *label* wraps into *max_lines* lines of *width* without cutting a word."""
    words = _BREAK_AFTER.split(str(label))
    return (all(len(w.strip()) <= width for w in words)
            and len(_wrap_lines(label, width)) <= max_lines)


def _wrap(label: object, width: int, max_lines: int = 3) -> str:
    """Return *label* plain and wrapped to *width* characters, at most *max_lines* lines."""
    lines = _wrap_lines(label, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)] + "\u2026"
    return _plain("\n".join(lines))


def _num(x: float | None) -> float | None:
    """Return *x* as a float, or None when it is missing or not finite."""
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _err(point: Point, value: float) -> tuple[float, float] | None:
    """Return the (below, above) error-bar lengths, or None when the interval is not known."""
    lo, hi = _num(point.ci_low), _num(point.ci_high)
    if lo is None or hi is None:
        return None
    # Rounding can put a stored bound a hair on the wrong side of the value; never negative.
    return max(value - lo, 0.0), max(hi - value, 0.0)


def _new_figure(height: float) -> Figure:
    fig = Figure(figsize=(FIG_WIDTH, height), layout="constrained")
    FigureCanvasAgg(fig)  # attaches itself to fig; no pyplot manager, no global state
    return fig


def _legend_columns(labels: list[str], fontsize: float = 9.0) -> int:
    """Return how many legend columns fit across the figure for these (wrapped) labels."""
    longest = max((max(len(s) for s in lab.split("\n")) for lab in labels), default=1)
    # ~0.55 em per character plus the handle and padding, in inches.
    entry = longest * fontsize * 0.55 / 72 + 0.6
    return max(1, min(len(labels), int((FIG_WIDTH - 0.3) // entry)))


def _title(fig: Figure, title: str) -> None:
    """Put *title* at the figure's top left, wrapped to the figure's width (two lines at most).
    A figure title, not an axes title: it may span the row labels and the colour bar."""
    fig.suptitle(_wrap(title, 76, 2), x=0.01, ha="left", fontsize=11)


def _ink_for(rgb: tuple[float, float, float]) -> str:
    """Return black or white, whichever reads better on a cell of colour *rgb*."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.22 else "white"


# ------------------------------------------------------------------------------------ plots


@_styled
def grouped_bars(
    title: str,
    groups: list[str],
    series: list[str],
    values: Mapping[tuple[str, str], Point | None],
    *,
    ylabel: str,
    ylim: tuple[float, float] = (0.0, 1.0),
) -> Figure:
    """Return a bar chart: *groups* along x, one bar per *series* in each group.

    ``values[(group, series)]`` is the bar's Point; its interval becomes an error bar. A missing
    key, a None Point or a None/NaN value is drawn as a grey "n/a" marker, never as a zero bar.
    Bars carry hatches and (while there is room) value labels, so print in greyscale still reads.
    """
    n_groups, n_series = max(len(groups), 1), max(len(series), 1)
    fig = _new_figure(4.4)
    ax = fig.add_subplot()
    lo, hi = ylim
    span = hi - lo

    slot = 0.8 / n_series  # the group's bars fill 80% of its unit of x
    plot_width_pt = (FIG_WIDTH - 1.0) * 72
    bar_pt = plot_width_pt / n_groups * slot
    # A rotated 7.5 pt label needs about 9 pt of bar width; below that, hatches carry it alone.
    show_values = bar_pt >= 9.0
    label_size = 7.5 if bar_pt >= 11 else 6.5

    for j, name in enumerate(series):
        colour, hatch = OKABE_ITO[j % len(OKABE_ITO)], HATCHES[j % len(HATCHES)]
        for i, group in enumerate(groups):
            x = i - 0.4 + slot * (j + 0.5)
            point = values.get((group, name))
            value = _num(point.value) if point is not None else None
            if value is None:
                # Not a bar (a zero bar would read as "scored 0"): a grey "n/a" tag on the axis.
                ax.text(x, lo + 0.02 * span, NA, rotation=90, ha="center", va="bottom",
                        fontsize=label_size, color="black",
                        bbox={"facecolor": MISSING_FACE, "edgecolor": MISSING_INK,
                              "linewidth": 0.5, "pad": 1.2})
                continue
            ax.bar(x, value - lo, bottom=lo, width=slot * 0.92, color=colour,
                   edgecolor="black", linewidth=0.5, hatch=hatch)
            err = _err(point, value)  # type: ignore[arg-type]
            top = value
            if err is not None:
                ax.errorbar(x, value, yerr=[[err[0]], [err[1]]], fmt="none", ecolor="black",
                            elinewidth=0.9, capsize=min(3.0, bar_pt / 4), capthick=0.9)
                top = value + err[1]
            if show_values:
                ax.text(x, min(max(top, lo), hi) + 0.015 * span, f"{value:.2f}", rotation=90,
                        ha="center", va="bottom", fontsize=label_size, clip_on=False)

    # Value labels sit above the error bars; give them headroom but keep ticks on ylim.
    ax.set_ylim(lo, hi + (0.14 * span if show_values else 0.0))
    ax.set_yticks([t for t in ax.get_yticks() if lo - 1e-9 <= t <= hi + 1e-9])
    ax.spines["left"].set_bounds(lo, hi)
    ax.set_ylabel(_plain(ylabel))
    _title(fig, title)
    ax.grid(axis="y", color="#d0d0d0", linewidth=0.6)
    ax.set_xlim(-0.5, n_groups - 0.5)

    # Wrap group labels to the room each group has; rotate when even wrapping does not fit.
    chars = max(int(plot_width_pt / n_groups / (9 * 0.58)) - 1, 1)  # one char of air
    rotate = not all(_fits(g, chars, 3) for g in groups)
    ticklabels = [_wrap(g, 22 if rotate else chars, 2 if rotate else 3) for g in groups]
    ax.set_xticks(range(len(groups)), ticklabels)
    if rotate:
        ax.tick_params(axis="x", labelrotation=35)
        for t in ax.get_xticklabels():
            t.set_horizontalalignment("right")
            t.set_rotation_mode("anchor")
    ax.tick_params(axis="x", length=0)

    handles = [
        Patch(facecolor=OKABE_ITO[j % len(OKABE_ITO)], edgecolor="black", linewidth=0.5,
              hatch=HATCHES[j % len(HATCHES)], label=_wrap(name, 30, 2))
        for j, name in enumerate(series)
    ]
    if handles:
        fig.legend(handles=handles, loc="outside lower center", frameon=False,
                   ncols=_legend_columns([h.get_label() for h in handles]))
    return fig


@_styled
def heatmap(
    title: str,
    rows: list[str],
    cols: list[str],
    values: Mapping[tuple[str, str], float | None],
    *,
    label: str,
    vmin: float = 0.0,
    vmax: float = 1.0,
) -> Figure:
    """Return a heatmap of ``values[(row, col)]``, each cell annotated with its value.

    Missing (absent, None or NaN) cells are grey, hatched and labelled "n/a". The figure grows
    taller with the number of rows, so 40 techniques stay as readable as 5.
    """
    n_rows, n_cols = max(len(rows), 1), max(len(cols), 1)
    cell_width_in = (FIG_WIDTH - 3.2) / n_cols  # 7 in less row labels and colour bar
    col_chars = max(int(cell_width_in * 72 / (8.5 * 0.58)), 1)
    rotate_cols = not all(_fits(c, col_chars, 3) for c in cols)
    # Rotated labels are one line each (two lines at a slant collide with the neighbour's);
    # steeper when the columns are narrow.
    col_angle = 45 if cell_width_in >= 0.5 else 75
    longest = min(max((len(str(c)) for c in cols), default=1), 40)
    col_label_in = (longest * 8.5 * 0.58 / 72 * math.sin(math.radians(col_angle)) + 0.3
                    if rotate_cols else 0.5)
    row_lines = max((len(_wrap_lines(r, 34)[:2]) for r in rows), default=1)
    row_in = 0.24 if row_lines == 1 else 0.34  # room for the tallest wrapped row label
    height = 1.0 + col_label_in + row_in * n_rows
    fig = _new_figure(max(height, 3.0))
    ax = fig.add_subplot()

    cmap = matplotlib.colormaps["cividis"]  # designed for colour-vision deficiencies
    norm = matplotlib.colors.Normalize(vmin=vmin, vmax=vmax)
    grid: list[list[float]] = []
    for r in rows:
        row_values = []
        for c in cols:
            v = _num(values.get((r, c)))
            row_values.append(math.nan if v is None else v)
        grid.append(row_values)
    data = np.ma.masked_invalid(grid) if rows and cols else None

    cell_font = 8.0 if cell_width_in >= 0.45 else 6.5
    if data is not None:
        mesh = ax.pcolormesh(data, cmap=cmap, norm=norm, edgecolors="white", linewidth=0.8)
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                v = _num(values.get((r, c)))
                if v is None:
                    ax.add_patch(Rectangle((j, i), 1, 1, facecolor=MISSING_FACE,
                                           edgecolor="#9a9a9a", hatch="///", linewidth=0.0))
                    ax.text(j + 0.5, i + 0.5, NA, ha="center", va="center",
                            fontsize=cell_font, color="black",
                            bbox={"facecolor": MISSING_FACE, "edgecolor": "none", "pad": 0.8})
                    continue
                ink = _ink_for(to_rgb(cmap(norm(v))))
                ax.text(j + 0.5, i + 0.5, f"{v:.2f}", ha="center", va="center",
                        fontsize=cell_font, color=ink)
        cbar = fig.colorbar(mesh, ax=ax, shrink=min(1.0, 6.0 / n_rows + 0.3), aspect=25,
                            pad=0.02)
        cbar.set_label(_plain(label))
        cbar.outline.set_linewidth(0.5)
        cbar.solids.set_rasterized(False)  # vector, like the rest: no embedded bitmap in SVG

    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)  # first row on top, in the order given
    ax.set_yticks([i + 0.5 for i in range(len(rows))], [_wrap(r, 34, 2) for r in rows])
    ax.set_xticks([j + 0.5 for j in range(len(cols))],
                  [_wrap(c, 40, 1) if rotate_cols else _wrap(c, col_chars, 3) for c in cols])
    ax.xaxis.tick_top()
    ax.tick_params(length=0, labelsize=8.5)
    if rotate_cols:
        for t in ax.get_xticklabels():
            t.set_rotation(col_angle)
            t.set_horizontalalignment("left")
            t.set_rotation_mode("anchor")
    for spine in ax.spines.values():
        spine.set_visible(False)
    _title(fig, title)
    return fig


@_styled
def pareto_scatter(
    title: str,
    points: list[tuple[str, Point, Point]],
    *,
    xlabel: str,
    ylabel: str,
) -> Figure:
    """Return a scatter of one labelled point per run, ``(label, x, y)``, with 2-D error bars.

    Both axes span [0, 1] and the upper-right corner is better (annotated). Every run is in the
    legend (colour and marker); points also carry a direct label where one fits without
    overlapping another. A run missing x or y cannot be placed: its legend entry says "n/a".
    """
    fig = _new_figure(5.6)
    ax = fig.add_subplot()
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.set_xticks([i / 10 for i in range(11)])
    ax.set_yticks([i / 10 for i in range(11)])
    ax.grid(color="#d9d9d9", linewidth=0.6)
    ax.spines["top"].set_visible(True)
    ax.spines["right"].set_visible(True)
    ax.set_xlabel(_plain(xlabel))
    ax.set_ylabel(_plain(ylabel))
    _title(fig, title)
    ax.text(0.0, 1.015, "upper right is better \u2197", transform=ax.transAxes, ha="left",
            va="bottom", fontsize=8.5, color="#404040")

    handles: list[Any] = []
    labels: list[str] = []
    located: list[tuple[float, float, str]] = []
    for k, (name, px, py) in enumerate(points):
        x, y = _num(px.value), _num(py.value)
        colour, marker = OKABE_ITO[k % len(OKABE_ITO)], MARKERS[k % len(MARKERS)]
        text = _wrap(name, 30, 2)
        if x is None or y is None:
            handles.append(Line2D([], [], linestyle="none", marker=marker, markersize=7,
                                  markerfacecolor="white", markeredgecolor=MISSING_INK))
            labels.append(f"{text} \u2014 {NA} (not measured)")
            continue
        ex, ey = _err(px, x), _err(py, y)
        container = ax.errorbar(
            x, y,
            xerr=None if ex is None else [[ex[0]], [ex[1]]],
            yerr=None if ey is None else [[ey[0]], [ey[1]]],
            fmt=marker, color=colour, markersize=7, markeredgecolor="black",
            markeredgewidth=0.6, ecolor=colour, elinewidth=1.2, capsize=2.5, zorder=3,
        )
        for artist in container.get_children():
            artist.set_clip_on(False)  # a score of exactly 1.0 is common: show it whole
        handles.append(container)
        labels.append(text)
        located.append((x, y, _wrap(name, 24, 2)))
    if handles:
        fig.legend(handles=handles, labels=labels, loc="outside lower center", frameon=False,
                   ncols=_legend_columns(labels, 8.5), fontsize=8.5)
    _label_points(fig, ax, located)
    return fig


def _label_points(fig: Figure, ax: Any, located: list[tuple[float, float, str]]) -> None:
    """Put a direct label beside each point where one fits inside the axes without covering a
    marker or another label; points left unlabelled are still identified by the legend."""
    if not located:
        return
    fig.draw_without_rendering()  # settle the layout so display coordinates are final
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pt = fig.dpi / 72
    # Markers are obstacles too (7 pt markers plus a little air).
    taken = []
    for x, y, _ in located:
        cx, cy = ax.transData.transform((x, y))
        taken.append(Bbox.from_extents(cx - 6 * pt, cy - 6 * pt, cx + 6 * pt, cy + 6 * pt))
    # (dx, dy) in points from the point to the label's anchor; near spots first, then farther
    # ones that get a thin leader line.
    near = [(7, 7), (7, -7), (-7, 7), (-7, -7), (0, 11), (0, -11), (11, 0), (-11, 0)]
    far = [(r * dx, r * dy) for r in (2.6, 4.2) for dx, dy in near]
    for x, y, text in located:
        for dx, dy in near + far:
            ha = "left" if dx > 0 else "right" if dx < 0 else "center"
            va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
            ann = ax.annotate(
                text, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                fontsize=8, zorder=4, annotation_clip=False,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5},
                arrowprops=None if (dx, dy) in near else
                {"arrowstyle": "-", "color": "#808080", "linewidth": 0.6, "shrinkA": 0,
                 "shrinkB": 4},
            )
            ann.set_in_layout(False)  # placed inside the axes; must not move the layout
            # The label's own box: Annotation's extent would include the leader line, which
            # always touches its own marker.
            ann.update_positions(renderer)
            box = Text.get_window_extent(ann, renderer).padded(1.5 * pt)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1
                      and box.y0 >= frame.y0 and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
            ann.remove()


# ------------------------------------------------------------------------------- output


def _close(fig: Figure) -> None:
    # Our figures never enter pyplot; a caller's pyplot figure is released from pyplot too.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    fig.clear()


# No date (determinism) and no RDF block: its only content is URIs and the matplotlib version.
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata=_SVG_METADATA)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def to_svg(fig: Figure) -> str:
    """Return *fig* as self-contained SVG text starting at ``<svg``, and close the figure.

    Glyphs are paths, there are no scripts, images or external references (the XML prolog and
    its DOCTYPE, which names an external DTD, are dropped so the text can also be inlined in
    HTML), and ids are salted deterministically: the same figure gives the same text.
    """
    try:
        return _svg(fig)
    finally:
        _close(fig)


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    """Return *fig* as PNG bytes at *dpi*, and close the figure."""
    try:
        return _png(fig, dpi)
    finally:
        _close(fig)


def to_svg_and_png(fig: Figure, dpi: int = 150) -> tuple[str, bytes]:
    """Return *fig* as SVG text (as `to_svg`) and PNG bytes, drawn once; close the figure."""
    try:
        return _svg(fig), _png(fig, dpi)
    finally:
        _close(fig)
