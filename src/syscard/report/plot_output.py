"""A figure as the bytes the card embeds: self-contained SVG text and PNG.

Drawn under the figures' own rcParams (`plot_style._RC`), with no date or other varying
metadata, so the same figure gives the same bytes; the figure is closed afterwards.
"""

from __future__ import annotations

import io
import sys

import matplotlib
from matplotlib.figure import Figure

from syscard.report.plot_style import _RC


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
    return svg[svg.index("<svg") :]


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
