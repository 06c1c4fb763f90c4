"""The financial table as an Excel workbook: a block per association, subtotals, totals row."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from engine.finance import Table
from engine.model import Departement
from engine.render.reproducible import write_normalized
from engine.render.table_layout import COLUMNS, row_cells, subtotal_cells, title, total_cells
from engine.render.xlsx_text import write_cell

COUNT_FORMAT = "#,##0"
AMOUNT_FORMAT = '#,##0.00\\ "€"'
HEADER_ROW = 3
BOLD = Font(bold=True)
SUBTOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
TOTAL_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="999999")


def write_table_xlsx(dep: Departement, table: Table, path: Path) -> None:
    """Write the workbook with fixed metadata and zip timestamps (same input, same bytes)."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"Tableau {table.year}"
    write_cell(sheet, 1, 1, title(dep, table)).font = Font(bold=True, size=13)
    write_cell(sheet, 2, 1, f"{dep.service} – Département du {dep.name}")
    _header(sheet)
    row = HEADER_ROW + 1
    for block in table.blocks:
        for table_row in block.rows:
            _write(sheet, row, row_cells(dep, block, table_row))
            row += 1
        _write(sheet, row, subtotal_cells(block), font=BOLD, fill=SUBTOTAL_FILL)
        row += 1
    _write(sheet, row, total_cells(table), font=BOLD, fill=TOTAL_FILL)
    _page_setup(sheet)
    _fixed_properties(book, table.year)
    buffer = io.BytesIO()
    book.save(buffer)
    write_normalized(path, buffer.getvalue(), table.year)


def _header(sheet) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = write_cell(sheet, HEADER_ROW, index, column.heading)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(bottom=THIN, top=THIN)
        sheet.column_dimensions[get_column_letter(index)].width = _width(column.kind)
    sheet.row_dimensions[HEADER_ROW].height = 45
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)


def _width(kind: str) -> float:
    return {"text": 30, "count": 9, "amount": 14}[kind]


def _write(sheet, row: int, cells, font=None, fill=None) -> None:
    for index, (column, value) in enumerate(zip(COLUMNS, cells, strict=True), start=1):
        cell = write_cell(sheet, row, index, value)
        if column.kind == "count":
            cell.number_format = COUNT_FORMAT
        elif column.kind == "amount":
            cell.number_format = AMOUNT_FORMAT
        if font:
            cell.font = font
        if fill:
            cell.fill = fill


def _page_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.gridLines = True


def _fixed_properties(book: Workbook, year: int) -> None:
    stamp = datetime(year, 1, 1)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "fsl-engine"
    book.properties.lastModifiedBy = "fsl-engine"
    book.properties.title = f"Tableau financier FSL {year}"
