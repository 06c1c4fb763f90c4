"""Text cells of every workbook the engine writes: never a formula, never an illegal character.

openpyxl stores any string that starts with `=` as a live formula, and Excel or Calc may read
one starting with `+`, `-`, `@`, a tab or a carriage return as one when the cell is edited: such
a text (an association's `nom`, a register's cell) is stored as a string with the quote prefix
(shown as typed, kept as text when edited). Control characters openpyxl refuses are replaced by
U+FFFD, visibly, rather than crash the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def clean_text(value: str) -> str:
    """`value` without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)


def set_value(cell, value: Any) -> None:
    """Put `value` in `cell`; a string is always a text cell, never a formula."""
    if not isinstance(value, str):
        cell.value = value
        return
    text = clean_text(value)
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_cell(sheet, row: int, column: int, value: Any):
    """`sheet.cell(row, column)` holding `value` as `set_value` puts it; returns the cell."""
    cell = sheet.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def append_row(sheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)` with every string a text cell."""
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            set_value(cell, cell.value)
