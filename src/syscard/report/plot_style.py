"""The look of the card's figures, and how labels and numbers are prepared for drawing.

Style: Okabe–Ito colours (safe for the common colour-vision deficiencies) plus a hatch per
series and value labels, so a greyscale print still tells series apart; figures are 7 in wide
with 8–11 pt text, readable on an A4 page and at 100 % on screen. The rcParams in `_RC` are
applied only inside `matplotlib.rc_context`, never to the caller's own settings.

Every label (run names, groups, techniques) is model- or user-derived text. `_plain` makes it
plain text: ``$`` is escaped so mathtext never parses it (a stray ``$\\foo$`` would otherwise
crash the draw) and control characters are dropped (they would make the SVG invalid XML).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

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
# rc_context, so the caller's own rcParams are never changed. (Keys typed Any: matplotlib's
# stubs want each key as a Literal of its own.)
_RC: dict[Any, Any] = {
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
    return (
        all(len(w.strip()) <= width for w in words) and len(_wrap_lines(label, width)) <= max_lines
    )


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
