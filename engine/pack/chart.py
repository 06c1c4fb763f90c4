"""The report's chart: the year's amounts by measure and territory, as a reproducible PNG.

Drawn with matplotlib's Agg canvas on a figure of its own (no pyplot state); the PNG carries no
software or date stamp, so the same table gives the same bytes. Amounts are plotted in whole
euros (a chart needs no cents; the table of annexe 3 carries them).
"""

from __future__ import annotations

from decimal import Decimal

from engine.finance import Table
from engine.model import Departement, Measure
from engine.render.euro_chart import euro_axis, new_axes, png_bytes, whole_euros

MEASURES = (Measure.ASLL, Measure.AML, Measure.DSF, Measure.GLA, Measure.FAL)
COLOURS = {Measure.ASLL: "#1f4e79", Measure.AML: "#5b9bd5", Measure.DSF: "#c55a11",
           Measure.GLA: "#70ad47", Measure.FAL: "#ffc000"}
SIZE_CM = (16.0, 9.5)
DPI = 200


def amounts_by_territory(dep: Departement, table: Table) -> dict[str, dict[Measure, Decimal]]:
    """{territory name: {measure: amount}}, territories in departement.yaml's order."""
    group_measure = {rate.group: rate.measure for rate in dep.rates.values()}
    result: dict[str, dict[Measure, Decimal]] = {}
    for territory in dep.territories:
        rows = [row for row in table.rows if row.territory == territory.id]
        if rows:
            result[territory.name] = {
                m: sum((r.amounts[g] for r in rows for g, gm in group_measure.items() if gm is m),
                       Decimal(0))
                for m in MEASURES
            }
    return result


def chart_png(dep: Departement, table: Table) -> bytes:
    """Horizontal stacked bars, one per territory, one colour per measure."""
    data = amounts_by_territory(dep, table)
    names = list(data)
    figure, axes = new_axes(SIZE_CM, DPI)
    left = [0] * len(names)
    for measure in MEASURES:
        values = [whole_euros(data[name][measure]) for name in names]
        axes.barh(names, values, left=left, color=COLOURS[measure], label=measure.value, height=0.65)
        left = [a + b for a, b in zip(left, values, strict=True)]
    euro_axis(axes)
    axes.legend(fontsize=7, ncols=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return png_bytes(figure)
