"""The chart of a comparison: the difference of the total allocation by measure, as a PNG.

Drawn with matplotlib's Agg canvas on a figure of its own (no pyplot state) and saved without the
software stamp, so the same comparison gives the same bytes (as engine/pack/chart.py). A measure
fed by an estimated figure in either year is hatched and its label says « estimé ».
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from engine.compare import Comparison
from engine.model import GROUPS
from engine.money import NBSP, format_count
from engine.render.compare_xlsx import GROUP_TITLES

SIZE_CM = (16.0, 8.0)
DPI = 200
UP, DOWN = "#1f4e79", "#c55a11"


def compare_png(comparison: Comparison) -> bytes:
    """One horizontal bar per measure: the year B total minus the year A total."""
    labels, values, hatches = [], [], []
    for group in GROUPS:
        estimated = any(
            (line.before.estimated and line.before.amounts[group])
            or (line.after.estimated and line.after.amounts[group])
            for line in comparison.lines
        )
        labels.append(GROUP_TITLES[group] + (" (estimé)" if estimated else ""))
        values.append(_euros(comparison.totals.difference(group)))
        hatches.append("//" if estimated else "")
    figure = Figure(figsize=(SIZE_CM[0] / 2.54, SIZE_CM[1] / 2.54), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(labels, values, color=[UP if v >= 0 else DOWN for v in values], height=0.6)
    for bar, hatch in zip(bars, hatches, strict=True):
        bar.set_hatch(hatch)
    axes.set_title(f"Écart des allocations {comparison.year_b} − {comparison.year_a} par mesure",
                   fontsize=9)
    _style(axes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _euros(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _style(axes) -> None:
    axes.invert_yaxis()
    axes.axvline(0, color="#555555", linewidth=0.6)
    axes.tick_params(labelsize=7)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{format_count(int(x))}{NBSP}€"))
    axes.grid(axis="x", linewidth=0.4, color="#bbbbbb")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
