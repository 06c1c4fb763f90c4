"""What every chart of the engine shares: a figure of its own, a euro axis, reproducible PNG bytes.

matplotlib's Agg canvas on a `Figure` (no pyplot state); the PNG carries no software or date
stamp, so the same figures give the same bytes. Amounts are plotted in whole euros (a chart needs
no cents; the tables carry them).
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from engine.money import NBSP, format_count

DPI = 200


def new_axes(size_cm: tuple[float, float], dpi: int = DPI):
    """(figure, axes) of `size_cm`, drawn on its own Agg canvas."""
    figure = Figure(figsize=(size_cm[0] / 2.54, size_cm[1] / 2.54), dpi=dpi)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def whole_euros(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euro_axis(axes) -> None:
    """Horizontal bars read top to bottom, x ticks in French euros, light grid, no top/right frame."""
    axes.invert_yaxis()
    axes.tick_params(labelsize=7)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{format_count(int(x))}{NBSP}€"))
    axes.grid(axis="x", linewidth=0.4, color="#bbbbbb")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def png_bytes(figure) -> bytes:
    figure.tight_layout()
    figure.set_layout_engine(None)  # laid out: savefig need not draw it once more to lay it out
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
