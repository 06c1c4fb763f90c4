"""The chart of a comparison: the difference of the total allocation by measure, as a PNG.

Drawn with matplotlib's Agg canvas on a figure of its own (no pyplot state) and saved without the
software stamp, so the same comparison gives the same bytes (as engine/pack/chart.py). A measure
fed by an estimated figure in either year is hatched and its label says « estimé ».
"""

from __future__ import annotations

from engine.compare import Comparison
from engine.model import GROUPS
from engine.render.compare_xlsx import GROUP_TITLES
from engine.render.euro_chart import euro_axis, new_axes, png_bytes, whole_euros

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
        values.append(whole_euros(comparison.totals.difference(group)))
        hatches.append("//" if estimated else "")
    figure, axes = new_axes(SIZE_CM, DPI)
    bars = axes.barh(labels, values, color=[UP if v >= 0 else DOWN for v in values], height=0.6)
    for bar, hatch in zip(bars, hatches, strict=True):
        bar.set_hatch(hatch)
    axes.set_title(f"Écart des allocations {comparison.year_b} − {comparison.year_a} par mesure",
                   fontsize=9)
    euro_axis(axes)
    axes.axvline(0, color="#555555", linewidth=0.6)
    return png_bytes(figure)
