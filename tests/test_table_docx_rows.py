"""The table's rows are copies of cells python-docx filled once (`BodyRows`): the XML must be the
one python-docx writes when it fills every cell itself (the reference builder below), and the
grid built once is shared only by documents showing the same table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from lxml import etree

from engine.finance import build_table
from engine.render.table_docx import (
    HEADER_SIZE_PT,
    BodyRows,
    _fill,
    _shown,
    build_grid,
    fit_columns,
    repeat_header,
    table_document,
)
from engine.render.table_layout import COLUMNS, headings, row_cells, subtotal_cells, total_cells
from engine.validation import load_conventions

ROOT = Path(__file__).resolve().parents[1]


def _reference_row(grid, cells, bold: bool = False) -> None:
    """A row filled cell by cell through python-docx (how the table was built before BodyRows)."""
    row = grid.add_row()
    for cell, column, value in zip(row.cells, COLUMNS, cells, strict=True):
        _fill(cell, _shown(value), bold=bold, right=column.kind != "text")


def _header(document, texts):
    grid = document.add_table(rows=1, cols=len(COLUMNS))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, texts, strict=True):
        _fill(cell, text, bold=True, size=HEADER_SIZE_PT)
    repeat_header(grid.rows[0])
    return grid


def reference_grid(document, dep, table):
    grid = _header(document, headings(dep, table))
    for block in table.blocks:
        for index, row in enumerate(block.rows):
            cells = row_cells(dep, block, row)
            _reference_row(grid, cells if index == 0 else [None, *cells[1:]])
        _reference_row(grid, subtotal_cells(block), bold=True)
    _reference_row(grid, total_cells(table), bold=True)
    fit_columns(grid)  # widths of every cell, margins, rows kept whole: last, as before
    return grid


def xml(grid) -> bytes:
    return etree.tostring(grid._tbl)


def test_table_rows_are_the_xml_python_docx_writes() -> None:
    conventions = load_conventions(ROOT / "conventions").conventions
    dep, table = conventions.departement, build_table(conventions, 2026)
    fast = build_grid(Document(), dep, table)
    assert len(fast.rows) == len(table.rows) + len(table.blocks) + 2
    assert xml(fast) == xml(reference_grid(Document(), dep, table))


def test_odd_texts_give_the_same_xml_as_python_docx() -> None:
    """Line breaks, tabs, spaces at an end, empty cells, numbers: each as python-docx writes it."""
    texts = ["Assoc\nsur deux lignes", " espace devant", "tab\tulation", "", None, 12, 1234,
             Decimal("1234.5"), "fin ", "\u00a0insécable", "x\ry", "<&>", "ok", None, 0, "", "z"]
    rows = [(texts, False), (texts[::-1], True), (["a"] * len(COLUMNS), False), (texts, False)]
    header = [c.heading for c in COLUMNS]
    fast = _header(Document(), header)
    fit_columns(fast)
    body = BodyRows(fast)
    for cells, bold in rows:
        body.add(cells, bold=bold)
    reference = _header(Document(), header)
    for cells, bold in rows:
        _reference_row(reference, cells, bold=bold)
    fit_columns(reference)
    assert xml(fast) == xml(reference)


def test_grid_is_shared_only_by_the_same_table(small_conventions: Path) -> None:
    conventions = load_conventions(ROOT / "conventions").conventions
    dep, table = conventions.departement, build_table(conventions, 2026)
    first, second = table_document(dep, table), table_document(dep, table)
    assert xml(first.tables[0]) == xml(second.tables[0])
    assert first.tables[0]._tbl is not second.tables[0]._tbl
    other = load_conventions(small_conventions).conventions
    other_table = build_table(other, 2026)
    shown = table_document(other.departement, other_table).tables[0]
    assert xml(shown) == xml(reference_grid(Document(), other.departement, other_table))
    assert len(shown.rows) != len(first.tables[0].rows)
