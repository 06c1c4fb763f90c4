"""The financial table as an Excel workbook people can keep working in.

A block per association, then its subtotal, then the totals row. Amounts are formulas of the
counts and of the rates row (count × rate × months, rounded to the cent as the engine does),
subtotals and totals are `SUM` formulas: a clerk who changes a count sees every total move.
Recalculated (LibreOffice, Excel), each value equals the engine's to the cent (a test checks it).
Every cell goes through `_put` (text, numbers) or `_formula`: text is never read as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from engine.finance import Table
from engine.model import Departement, Unit
from engine.money import format_number
from engine.open_points import OpenPoint
from engine.render.reproducible import write_normalized
from engine.render.table_layout import (
    COLUMNS,
    SOFT_HYPHEN,
    headings,
    row_cells,
    service_line,
    subtotal_cells,
    title,
    total_cells,
)
from engine.render.xlsx_text import write_cell

COUNT_FORMAT = "#,##0"
AMOUNT_FORMAT = '#,##0.00\\ "€";-#,##0.00\\ "€";""'
RATE_FORMAT = '#,##0.00\\ "€"'
RATE_ROW, HEADER_ROW = 3, 4
BOLD = Font(bold=True)
SUBTOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
TOTAL_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="999999")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LETTER = {column.key if column.kind != "amount" else f"montant_{column.key}": get_column_letter(i)
          for i, column in enumerate(COLUMNS, start=1)}
DRAFT = "PROJET – chiffres à confirmer"


def write_table_xlsx(dep: Departement, table: Table, path: Path, points: Sequence[OpenPoint] = (),
                     root: str = "", dated: date | None = None) -> None:
    """Write the workbook with fixed metadata and zip timestamps (same input, same bytes).

    With open points behind its figures it is a draft: « PROJET » in its title and page header,
    and a second sheet listing what remains to confirm."""
    draft = bool(points)
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook holds one sheet, the active one
    sheet.title = f"Tableau {table.year}"
    _put(sheet, 1, 1, (f"{DRAFT} – " if draft else "") + title(dep, table), font=Font(bold=True, size=13))
    _put(sheet, 2, 1, service_line(dep, dated))
    _rates(sheet, dep, table)
    _header(sheet, dep, table)
    styles = CellStyles()
    subtotals = _body(sheet, dep, table, styles)
    _totals(sheet, subtotals[-1] + 1 if subtotals else HEADER_ROW + 1, table, subtotals, styles)
    _widths(sheet, dep, table)
    _page_setup(sheet, table, draft)
    if draft:
        _points_sheet(book, points, root)
    _fixed_properties(book, dep, table.year)
    buffer = io.BytesIO()
    book.save(buffer)
    write_normalized(path, buffer.getvalue(), table.year)


def _put(sheet, row: int, column: int, value, *, styles: CellStyles | None = None, **style):
    """The one door for a value: text stays text (a name starting with « = » is not a formula).

    `style`: the cell's font, fill, number_format and border (`CellStyles.apply`)."""
    cell = write_cell(sheet, row, column, value)
    (styles or CellStyles()).apply(cell, **style)
    return cell


class CellStyles:
    """The styles given to the cells of one sheet: each combination is registered by openpyxl
    for its first cell, then copied to the next ones (openpyxl hashes every font, fill and
    border each time a cell is given one: most of the workbook's time). Same styles, same bytes."""

    def __init__(self) -> None:
        self._given: dict[tuple, tuple[StyleArray, tuple]] = {}

    def apply(self, cell, font=None, fill=None, number_format=None, border=None) -> None:
        before = None if cell._style is None else tuple(cell._style)
        key = (before, id(font), id(fill), number_format, id(border))
        given = self._given.get(key)
        if given is not None:
            cell._style = copy(given[0])
            return
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        if border:
            cell.border = border
        if cell._style is not None:  # the objects kept with it: their ids stay theirs
            self._given[key] = (copy(cell._style), (font, fill, border))


def _formula(sheet, row: int, column: int, formula: str, **style):
    """A formula the engine built from cell references only (never from user text)."""
    cell = _put(sheet, row, column, None, **style)
    cell.value = formula
    return cell


def _rates(sheet, dep: Departement, table: Table) -> None:
    """Row 3: the rate in force for each count column (the amounts' formulas read it)."""
    _put(sheet, RATE_ROW, 1, f"Taux en vigueur au {table.period.start:%d/%m/%Y}", font=BOLD)
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind == "count":
            value = dep.rates[column.key].value_at(table.period.start)
            _put(sheet, RATE_ROW, index, value.amount, number_format=RATE_FORMAT)


def _header(sheet, dep: Departement, table: Table) -> None:
    for index, text in enumerate(headings(dep, table), start=1):
        cell = _put(sheet, HEADER_ROW, index, text.replace(SOFT_HYPHEN, ""), font=BOLD)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = GRID
    sheet.row_dimensions[HEADER_ROW].height = 48
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)


def _body(sheet, dep: Departement, table: Table, styles: CellStyles) -> list[int]:
    """Each association's rows then its subtotal row; returns the subtotal rows."""
    row, subtotals = HEADER_ROW + 1, []
    for block in table.blocks:
        first = row
        for table_row in block.rows:
            _line(sheet, row, dep, table, row_cells(dep, block, table_row), styles)
            row += 1
        _sums(sheet, row, subtotal_cells(block), f"{{c}}{first}:{{c}}{row - 1}", SUBTOTAL_FILL, styles)
        subtotals.append(row)
        row += 1
    return subtotals


def _line(sheet, row: int, dep: Departement, table: Table, cells: Sequence, styles: CellStyles) -> None:
    """Texts and counts as values; each amount a formula of the counts; the row total a SUM."""
    for index, (column, value) in enumerate(zip(COLUMNS, cells, strict=True), start=1):
        if column.kind == "text":
            _put(sheet, row, index, value, styles=styles, border=GRID)
        elif column.kind == "count":
            _put(sheet, row, index, value, styles=styles, number_format=COUNT_FORMAT, border=GRID)
        elif column.key == "total":
            first, last = LETTER["montant_asll"], LETTER["montant_fal"]
            _formula(sheet, row, index, f"=SUM({first}{row}:{last}{row})", styles=styles,
                     number_format=AMOUNT_FORMAT, border=GRID)
        else:
            _formula(sheet, row, index, _amount(dep, table, column.key, row), styles=styles,
                     number_format=AMOUNT_FORMAT, border=GRID)


def _amount(dep: Departement, table: Table, group: str, row: int) -> str:
    """`=ROUND(D5*D$3*12,2)` summed over the group's count columns (FAL: forfaits + acc. seul)."""
    months = table.period.months
    terms = []
    for column in (c for c in COLUMNS if c.kind == "count" and dep.rates[c.key].group == group):
        letter = LETTER[column.key]
        unit = dep.rates[column.key].unit
        factor = {Unit.MONTH: f"*{months}", Unit.YEAR: f"*{months}/12", Unit.ACT: ""}[unit]
        terms.append(f"ROUND({letter}{row}*{letter}${RATE_ROW}{factor},2)")
    return "=" + "+".join(terms)


def _sums(sheet, row: int, cells: Sequence, span: str, fill, styles: CellStyles) -> None:
    """A subtotal row: label, then `SUM` over the block's rows for every number column."""
    for index, (column, value) in enumerate(zip(COLUMNS, cells, strict=True), start=1):
        style = {"font": BOLD, "fill": fill, "border": GRID, "styles": styles}
        if column.kind == "text":
            _put(sheet, row, index, value, **style)
        else:
            letter = get_column_letter(index)
            number_format = COUNT_FORMAT if column.kind == "count" else AMOUNT_FORMAT
            _formula(sheet, row, index, f"=SUM({span.format(c=letter)})", number_format=number_format,
                     **style)


def _totals(sheet, row: int, table: Table, subtotals: list[int], styles: CellStyles) -> None:
    """The totals row: the sum of the subtotals (4 139 361,80 € in 2026)."""
    for index, (column, value) in enumerate(zip(COLUMNS, total_cells(table), strict=True), start=1):
        style = {"font": BOLD, "fill": TOTAL_FILL, "border": GRID}
        if column.kind == "text":
            _put(sheet, row, index, value, styles=styles, **style)
        else:
            letter = get_column_letter(index)
            refs = ",".join(f"{letter}{r}" for r in subtotals) or "0"
            number_format = COUNT_FORMAT if column.kind == "count" else AMOUNT_FORMAT
            _formula(sheet, row, index, f"=SUM({refs})", number_format=number_format, styles=styles, **style)


def _widths(sheet, dep: Departement, table: Table) -> None:
    """Text columns as wide as their longest entry (names whole), numbers as their total."""
    for index, column in enumerate(COLUMNS, start=1):
        if column.kind == "text":
            texts = [str(c[index - 1]) for b in table.blocks
                     for c in [*(row_cells(dep, b, r) for r in b.rows), subtotal_cells(b)]
                     if c[index - 1]]
            width = max((len(t) for t in texts), default=10) + 2
        else:
            width = 16 if column.kind == "amount" else 10
            width = max(width, len(format_number(table.total)) + 4) if column.key == "total" else width
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 80)


def _page_setup(sheet, table: Table, draft: bool) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.oddHeader.left.text = f"Tableau financier FSL {table.year}"
    if draft:
        sheet.oddHeader.center.text = DRAFT
        sheet.oddHeader.center.color = "C00000"
    sheet.oddFooter.center.text = "Page &P / &N"
    sheet.oddFooter.right.text = f"Commission permanente – conventionnement {table.year}"


def _points_sheet(book: Workbook, points: Sequence[OpenPoint], root: str) -> None:
    """The sheet « À confirmer »: one open point per row, as `fichier:ligne: champ: message`."""
    sheet = book.create_sheet("À confirmer")
    _put(sheet, 1, 1, f"{DRAFT} : points restant à confirmer avant signature", font=Font(bold=True))
    for row, point in enumerate(points, start=2):
        _put(sheet, row, 1, point.located(root))
    sheet.column_dimensions["A"].width = min(max(len(p.located(root)) for p in points) + 2, 160)


def _fixed_properties(book: Workbook, dep: Departement, year: int) -> None:
    stamp = datetime(year, 1, 1)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = f"Département du {dep.name}"
    book.properties.lastModifiedBy = f"Département du {dep.name}"
    book.properties.title = f"Tableau financier FSL {year}"
