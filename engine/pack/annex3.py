"""Annexe 3 of the pack, legible: the year's financial table split by measure (issue 18).

The 17 columns of `fsl table` fit a landscape A4 only at 6 pt; the Commission reads and signs this
annex, so it gets, on landscape A4 at `SIZE_PT`, a summary per association (one amount per measure,
the association's total, the year's total), then one table per measure (its territories, counts
and amounts). The figures are the table's own (`finance.Table`), columns and rates from
departement.yaml; the standalone `fsl table` DOCX keeps the full grid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from engine.finance import Block, Table
from engine.model import COLUMNS, Departement, Measure
from engine.money import format_count, format_eur, format_number
from engine.render.table_docx import keep_row_whole, repeat_header, table_document
from engine.render.table_layout import COUNT_LABELS, UNIT_WORDS

SIZE_PT = 9
"""No figure of annexe 3 below 9 pt (the rest of the pack is 10,5 pt)."""
ORDER = (Measure.ASLL, Measure.AML, Measure.DSF, Measure.GLA, Measure.FAL)
"""The order of 004 annexe 3's columns."""
TEXT_CM = {"association": 6.0, "territory": 4.2, "arrondissement": 3.0}
FIGURE_CM = 2.9
SUMMARY = "Récapitulatif par association"
AMOUNT_LABELS = {"asll": "ASLL", "aml": "AML", "dsf": "DSF", "portes_closes": "Portes closes",
                 "gla": "GLA", "fal": "FAL"}


@dataclass(frozen=True)
class MeasureTable:
    """One measure's table: its count columns (with their rates) and amount groups."""

    measure: Measure
    counts: tuple[str, ...]
    groups: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.measure.value} : détail par association et par territoire"


def measure_tables(dep: Departement) -> tuple[MeasureTable, ...]:
    """The measures of departement.yaml's rates, in 004's order, each with its columns."""
    out = []
    for measure in ORDER:
        counts = tuple(c for c in COLUMNS if dep.rates[c].measure is measure)
        groups = tuple(dict.fromkeys(dep.rates[c].group for c in counts))
        if counts:
            out.append(MeasureTable(measure, counts, groups))
    return tuple(out)


def titles(dep: Departement) -> tuple[str, ...]:
    """The headings of the annex's tables, in order (the PDF outline points at each)."""
    return (SUMMARY, *(t.title for t in measure_tables(dep)))


def annex3_document(dep: Departement, table: Table, dated: date | None = None):
    """Landscape A4: title and service line, the summary, then one table per measure."""
    document = table_document(dep, table, dated, grid=False)
    _font(document)
    groups = tuple(dict.fromkeys(dep.rates[c].group for c in COLUMNS))
    _heading(document, SUMMARY, first=True)
    _summary(document, table, groups)
    for spec in measure_tables(dep):
        _heading(document, spec.title)
        _measure(document, dep, table, spec)
    return document


def _font(document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_PT)
    normal.paragraph_format.space_after = Pt(0)


def _heading(document, text: str, first: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(6 if first else 14), Pt(4)
    fmt.keep_with_next = True


def _summary(document, table: Table, groups: tuple[str, ...]) -> None:
    header = ["Association", *(f"Montant {AMOUNT_LABELS.get(g, g)}" for g in groups), "Total"]
    widths = [TEXT_CM["association"] + 1.0] + [FIGURE_CM] * (len(groups) + 1)
    grid = _grid(document, header, widths)
    for block in table.blocks:
        label = block.association.name + (" (estimé)" if block.estimated else "")
        _row(grid, widths, [label, *(_amount(block.amounts.get(g)) for g in groups), _amount(block.total)])
    _row(grid, widths, ["Totaux", *(_amount(table.amounts.get(g)) for g in groups),
                        _amount(table.total)], bold=True)


def _measure(document, dep: Departement, table: Table, spec: MeasureTable) -> None:
    arrondissement = Measure.DSF is spec.measure
    texts = ["Association", "Territoire"] + (["Arrondissement"] if arrondissement else [])
    header = [*texts, *(_count_heading(dep, c, table) for c in spec.counts),
              *(f"Montant {AMOUNT_LABELS.get(g, g)}" for g in spec.groups)]
    widths = [TEXT_CM["association"], TEXT_CM["territory"]] + \
        ([TEXT_CM["arrondissement"]] if arrondissement else []) + \
        [FIGURE_CM] * (len(spec.counts) + len(spec.groups))
    grid = _grid(document, header, widths)
    for block in table.blocks:
        for index, cells in enumerate(_measure_rows(dep, block, spec, arrondissement)):
            _row(grid, widths, cells if index == 0 else ["", *cells[1:]])
    totals = ["Total " + spec.measure.value, ""] + ([""] if arrondissement else [])
    _row(grid, widths, [*totals, *(_count(table.counts.get(c)) for c in spec.counts),
                *(_amount(table.amounts.get(g)) for g in spec.groups)], bold=True)


def _measure_rows(dep: Departement, block: Block, spec: MeasureTable,
                  arrondissement: bool) -> list[list[str]]:
    rows = []
    for row in block.rows:
        if not any(row.counts.get(c) for c in spec.counts) and not any(row.amounts.get(g)
                                                                     for g in spec.groups):
            continue
        territory = dep.territory(row.territory)
        cells = [block.association.name, territory.name if territory else row.territory]
        if arrondissement:
            place = dep.arrondissement(row.arrondissement) if row.arrondissement else None
            cells.append(place.name if place else "")
        rows.append([*cells, *(_count(row.counts.get(c)) for c in spec.counts),
                     *(_amount(row.amounts.get(g)) for g in spec.groups)])
    return rows


def _count_heading(dep: Departement, column: str, table: Table) -> str:
    """« Points ASLL par mois » and its rate on a second line, as `fsl table` heads it."""
    rate = dep.rates[column]
    value = rate.in_force(table.period.start)
    label = " ".join(w for w in (COUNT_LABELS.get(column, column), UNIT_WORDS[rate.unit]) if w)
    return f"{label}\n{format_eur(value.amount)}" if value is not None else label


def _grid(document, header: list[str], widths_cm: list[float]):
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for cell, text, width in zip(grid.rows[0].cells, header, widths_cm, strict=True):
        cell.width = Cm(width)
        _text(cell, text, bold=True, right=False)
    repeat_header(grid.rows[0])
    keep_row_whole(grid.rows[0]._tr)
    return grid


def _row(grid, widths_cm: list[float], cells: list[str], bold: bool = False) -> None:
    row = grid.add_row()
    keep_row_whole(row._tr)
    for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
        cell.width = Cm(widths_cm[index])
        _text(cell, text, bold=bold, right=index > 0 and _figure(text))


def _figure(text: str) -> bool:
    return bool(text) and text[0].isdigit()


def _text(cell, text: str, bold: bool, right: bool) -> None:
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph.add_run().add_break()
        run = paragraph.add_run(line)
        run.bold = bold or None
        run.font.size = Pt(SIZE_PT)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _amount(value: Decimal | None) -> str:
    return format_number(value) if value else ""


def _count(value: int | None) -> str:
    return format_count(value) if value else ""

