"""The safety/over-refusal scatter: one labelled point per run, with 2-D error bars.

Every run is in the legend; `_label_points` also puts a direct label beside each point where
one fits without covering a marker or another label.
"""

from __future__ import annotations

from typing import Any, cast

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from syscard.report.plot_style import (
    MARKERS,
    MISSING_INK,
    NA,
    OKABE_ITO,
    Point,
    _err,
    _legend_columns,
    _new_figure,
    _num,
    _plain,
    _styled,
    _title,
    _wrap,
)


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
    ax.text(
        0.0,
        1.015,
        "upper right is better \u2197",
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=8.5,
        color="#404040",
    )

    handles: list[Any] = []
    labels: list[str] = []
    located: list[tuple[float, float, str]] = []
    for k, (name, px, py) in enumerate(points):
        x, y = _num(px.value), _num(py.value)
        colour, marker = OKABE_ITO[k % len(OKABE_ITO)], MARKERS[k % len(MARKERS)]
        text = _wrap(name, 30, 2)
        if x is None or y is None:
            handles.append(
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=marker,
                    markersize=7,
                    markerfacecolor="white",
                    markeredgecolor=MISSING_INK,
                )
            )
            labels.append(f"{text} \u2014 {NA} (not measured)")
            continue
        ex, ey = _err(px, x), _err(py, y)
        container = ax.errorbar(
            x,
            y,
            xerr=None if ex is None else [[ex[0]], [ex[1]]],
            yerr=None if ey is None else [[ey[0]], [ey[1]]],
            fmt=marker,
            color=colour,
            markersize=7,
            markeredgecolor="black",
            markeredgewidth=0.6,
            ecolor=colour,
            elinewidth=1.2,
            capsize=2.5,
            zorder=3,
        )
        for artist in container.get_children():
            artist.set_clip_on(False)  # a score of exactly 1.0 is common: show it whole
        handles.append(container)
        labels.append(text)
        located.append((x, y, _wrap(name, 24, 2)))
    if handles:
        fig.legend(
            handles=handles,
            labels=labels,
            loc="outside lower center",
            frameon=False,
            ncols=_legend_columns(labels, 8.5),
            fontsize=8.5,
        )
    _label_points(fig, ax, located)
    return fig


def _label_points(fig: Figure, ax: Any, located: list[tuple[float, float, str]]) -> None:
    """Put a direct label beside each point where one fits inside the axes without covering a
    marker or another label; points left unlabelled are still identified by the legend."""
    if not located:
        return
    fig.draw_without_rendering()  # settle the layout so display coordinates are final
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
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
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=8,
                zorder=4,
                annotation_clip=False,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5},
                arrowprops=None
                if (dx, dy) in near
                else {
                    "arrowstyle": "-",
                    "color": "#808080",
                    "linewidth": 0.6,
                    "shrinkA": 0,
                    "shrinkB": 4,
                },
            )
            ann.set_in_layout(False)  # placed inside the axes; must not move the layout
            # The label's own box: Annotation's extent would include the leader line, which
            # always touches its own marker.
            ann.update_positions(renderer)
            box = Text.get_window_extent(ann, renderer).padded(1.5 * pt)
            inside = (
                box.x0 >= frame.x0
                and box.x1 <= frame.x1
                and box.y0 >= frame.y0
                and box.y1 <= frame.y1
            )
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                break
            ann.remove()
