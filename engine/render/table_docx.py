"""The financial table as a landscape Word document (same content as the XLSX)."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from engine.finance import Table
from engine.model import Departement
from engine.money import format_count, format_number
from engine.render.reproducible import write_normalized
from engine.render.table_layout import COLUMNS, row_cells, subtotal_cells, title, total_cells


def table_document(dep: Departement, table: Table):
    """A python-docx Document holding the table (the commission pack reuses it for annexe 3)."""
    document = Document()
    _landscape(document)
    heading = document.add_paragraph(title(dep, table))
    heading.runs[0].bold = True
    document.add_paragraph(f"{dep.service} – Département du {dep.name}")
    add_table(document, dep, table)
    _fixed_properties(document, dep, table.year)
    return document


def add_table(document, dep: Departement, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(COLUMNS))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(grid.rows[0].cells, COLUMNS, strict=True):
        _fill(cell, column.heading, bold=True)
    _repeat_header(grid.rows[0])
    for block in table.blocks:
        for row in block.rows:
            _add_row(grid, row_cells(dep, block, row))
        _add_row(grid, subtotal_cells(block), bold=True)
    _add_row(grid, total_cells(table), bold=True)


def write_table_docx(dep: Departement, table: Table, path: Path) -> None:
    buffer = io.BytesIO()
    table_document(dep, table).save(buffer)
    write_normalized(path, buffer.getvalue(), table.year)


def _add_row(grid, cells, bold: bool = False) -> None:
    row = grid.add_row()
    for cell, column, value in zip(row.cells, COLUMNS, cells, strict=True):
        _fill(cell, _shown(value), bold=bold, right=column.kind != "text")


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, int):
        return format_count(value)
    return str(value)


def _fill(cell, text: str, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(6)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.0))


def _fixed_properties(document, dep: Departement, year: int) -> None:
    stamp = datetime(year, 1, 1)
    props = document.core_properties
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.author = f"Département du {dep.name}"
    props.last_modified_by = "fsl-engine"
    props.revision = 1
    props.title = f"Tableau financier FSL {year}"
