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

This module builds the bars and the heatmap; the scatter and its direct labels are in
`plot_scatter.py`, the style, label and number helpers in `plot_style.py`, SVG and PNG output in
`plot_output.py`. Every public name is importable from here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from syscard.report.plot_output import to_png, to_svg, to_svg_and_png
from syscard.report.plot_scatter import pareto_scatter
from syscard.report.plot_style import (
    FIG_WIDTH,
    HATCHES,
    MISSING_FACE,
    MISSING_INK,
    NA,
    OKABE_ITO,
    Point,
    _err,
    _fits,
    _ink_for,
    _legend_columns,
    _new_figure,
    _num,
    _plain,
    _styled,
    _title,
    _wrap,
    _wrap_lines,
)

__all__ = [
    "Point",
    "grouped_bars",
    "heatmap",
    "pareto_scatter",
    "to_png",
    "to_svg",
    "to_svg_and_png",
]

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
                ax.text(
                    x,
                    lo + 0.02 * span,
                    NA,
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=label_size,
                    color="black",
                    bbox={
                        "facecolor": MISSING_FACE,
                        "edgecolor": MISSING_INK,
                        "linewidth": 0.5,
                        "pad": 1.2,
                    },
                )
                continue
            ax.bar(
                x,
                value - lo,
                bottom=lo,
                width=slot * 0.92,
                color=colour,
                edgecolor="black",
                linewidth=0.5,
                hatch=hatch,
            )
            err = _err(point, value)  # type: ignore[arg-type]
            top = value
            if err is not None:
                ax.errorbar(
                    x,
                    value,
                    yerr=[[err[0]], [err[1]]],
                    fmt="none",
                    ecolor="black",
                    elinewidth=0.9,
                    capsize=min(3.0, bar_pt / 4),
                    capthick=0.9,
                )
                top = value + err[1]
            if show_values:
                ax.text(
                    x,
                    min(max(top, lo), hi) + 0.015 * span,
                    f"{value:.2f}",
                    rotation=90,
                    ha="center",
                    va="bottom",
                    fontsize=label_size,
                    clip_on=False,
                )

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
        Patch(
            facecolor=OKABE_ITO[j % len(OKABE_ITO)],
            edgecolor="black",
            linewidth=0.5,
            hatch=HATCHES[j % len(HATCHES)],
            label=_wrap(name, 30, 2),
        )
        for j, name in enumerate(series)
    ]
    if handles:
        fig.legend(
            handles=handles,
            loc="outside lower center",
            frameon=False,
            ncols=_legend_columns([str(h.get_label()) for h in handles]),
        )
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
    col_label_in = (
        longest * 8.5 * 0.58 / 72 * math.sin(math.radians(col_angle)) + 0.3 if rotate_cols else 0.5
    )
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
                    ax.add_patch(
                        Rectangle(
                            (j, i),
                            1,
                            1,
                            facecolor=MISSING_FACE,
                            edgecolor="#9a9a9a",
                            hatch="///",
                            linewidth=0.0,
                        )
                    )
                    ax.text(
                        j + 0.5,
                        i + 0.5,
                        NA,
                        ha="center",
                        va="center",
                        fontsize=cell_font,
                        color="black",
                        bbox={"facecolor": MISSING_FACE, "edgecolor": "none", "pad": 0.8},
                    )
                    continue
                ink = _ink_for(to_rgb(cmap(norm(v))))
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    f"{v:.2f}",
                    ha="center",
                    va="center",
                    fontsize=cell_font,
                    color=ink,
                )
        cbar = fig.colorbar(mesh, ax=ax, shrink=min(1.0, 6.0 / n_rows + 0.3), aspect=25, pad=0.02)
        cbar.set_label(_plain(label))
        cbar.outline.set_linewidth(0.5)
        if cbar.solids is not None:  # vector, like the rest: no embedded bitmap in SVG
            cbar.solids.set_rasterized(False)

    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)  # first row on top, in the order given
    ax.set_yticks([i + 0.5 for i in range(len(rows))], [_wrap(r, 34, 2) for r in rows])
    ax.set_xticks(
        [j + 0.5 for j in range(len(cols))],
        [_wrap(c, 40, 1) if rotate_cols else _wrap(c, col_chars, 3) for c in cols],
    )
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
