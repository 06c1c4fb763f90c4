"""The comparison of two years as an Excel workbook: one row per association, for each measure
the two years and the difference, French number formats; estimated figures in italics on an
orange fill, with a « Chiffres estimés » column and a legend row.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from engine.compare import Comparison, Line, Side
from engine.model import GROUPS
from engine.render.reproducible import write_normalized

AMOUNT_FORMAT = '#,##0.00\\ "€";\\-#,##0.00\\ "€"'
HEADER_ROW = 4
BOLD = Font(bold=True)
ESTIMATED_FILL = PatternFill("solid", fgColor="FCE4D6")
ESTIMATED_FONT = Font(italic=True)
TOTAL_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_TITLES = {"asll": "ASLL", "aml": "AML", "dsf": "DSF réalisés", "portes_closes": "DSF portes closes",
                "gla": "GLA", "fal": "FAL", "total": "Total"}
ESTIMATED_NOTE = ("Italique sur fond orangé : chiffres estimés (allocation marquée estimated dans les "
                  "données), à confirmer avant toute citation.")


def write_compare_xlsx(comparison: Comparison, path: Path) -> None:
    """Write the workbook with fixed metadata and zip timestamps (same input, same bytes)."""
    a, b = comparison.year_a, comparison.year_b
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook holds one sheet, the active one
    sheet.title = f"Comparaison {a}-{b}"
    sheet["A1"] = f"Allocations FSL {a} et {b} par association et par mesure, écart {b} − {a}"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = ESTIMATED_NOTE
    _header(sheet, a, b)
    row = HEADER_ROW + 2
    for line in comparison.lines:
        _write_line(sheet, row, line.name, line, (a, b))
        row += 1
    _write_line(sheet, row, "Total", comparison.totals, (a, b), fill=TOTAL_FILL)
    _fixed_properties(book, b)
    buffer = io.BytesIO()
    book.save(buffer)
    write_normalized(path, buffer.getvalue(), b)


def _header(sheet, a: int, b: int) -> None:
    sheet.cell(row=HEADER_ROW, column=1, value="Association").font = BOLD
    sheet.column_dimensions["A"].width = 40
    for index, group in enumerate((*GROUPS, "total")):
        first = 2 + index * 3
        sheet.cell(row=HEADER_ROW, column=first, value=GROUP_TITLES[group]).font = BOLD
        sheet.merge_cells(start_row=HEADER_ROW, start_column=first, end_row=HEADER_ROW,
                          end_column=first + 2)
        for offset, title in enumerate((str(a), str(b), "Écart")):
            cell = sheet.cell(row=HEADER_ROW + 1, column=first + offset, value=title)
            cell.font = BOLD
            cell.alignment = Alignment(horizontal="center")
            sheet.column_dimensions[get_column_letter(first + offset)].width = 14
    last = 2 + (len(GROUPS) + 1) * 3
    sheet.cell(row=HEADER_ROW, column=last, value="Chiffres estimés").font = BOLD
    sheet.column_dimensions[get_column_letter(last)].width = 18
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 2, column=2)


def _write_line(sheet, row: int, name: str, line: Line, years: tuple[int, int], fill=None) -> None:
    sheet.cell(row=row, column=1, value=name)
    estimated = line.before.estimated or line.after.estimated
    for index, group in enumerate((*GROUPS, "total")):
        first = 2 + index * 3
        values = (_value(line.before, group), _value(line.after, group),
                  line.difference(None if group == "total" else group))
        flags = (line.before.estimated, line.after.estimated, estimated)
        for offset, (value, flag) in enumerate(zip(values, flags, strict=True)):
            cell = sheet.cell(row=row, column=first + offset, value=value)
            cell.number_format = AMOUNT_FORMAT
            if flag:
                cell.font, cell.fill = ESTIMATED_FONT, ESTIMATED_FILL
            elif fill is not None:
                cell.fill = fill
    last = 2 + (len(GROUPS) + 1) * 3
    sheet.cell(row=row, column=last, value=_marks(line, years))
    if fill is not None:
        sheet.cell(row=row, column=1).font = BOLD


def _value(side: Side, group: str):
    return side.total if group == "total" else side.amounts[group]


def _marks(line: Line, years: tuple[int, int]) -> str | None:
    """« 2025 » when 2025 is estimated; « 2025 : sans allocation » when there is none that year."""
    marks = []
    for year, side in zip(years, (line.before, line.after), strict=True):
        if side.estimated:
            marks.append(str(year))
        elif not side.present:
            marks.append(f"{year} : sans allocation")
    return " ; ".join(marks) or None


def _fixed_properties(book: Workbook, year: int) -> None:
    stamp = datetime(year, 1, 1)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "fsl-engine"
    book.properties.lastModifiedBy = "fsl-engine"
    book.properties.title = "Comparaison des allocations FSL"
