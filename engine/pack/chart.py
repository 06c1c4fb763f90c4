"""The report's chart: the year's amounts by measure and territory, as a reproducible PNG.

Drawn with matplotlib's Agg canvas on a figure of its own (no pyplot state); the PNG carries no
software or date stamp, so the same table gives the same bytes. Amounts are plotted in whole
euros (a chart needs no cents; the table of annexe 3 carries them).
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from engine.finance import Table
from engine.model import Departement, Measure
from engine.money import NBSP, format_count

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
    figure = Figure(figsize=(SIZE_CM[0] / 2.54, SIZE_CM[1] / 2.54), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    left = [0] * len(names)
    for measure in MEASURES:
        values = [_euros(data[name][measure]) for name in names]
        axes.barh(names, values, left=left, color=COLOURS[measure], label=measure.value, height=0.65)
        left = [a + b for a, b in zip(left, values, strict=True)]
    _style(axes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _euros(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _style(axes) -> None:
    axes.invert_yaxis()
    axes.tick_params(labelsize=7)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{format_count(int(x))}{NBSP}€"))
    axes.grid(axis="x", linewidth=0.4, color="#bbbbbb")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(fontsize=7, ncols=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
