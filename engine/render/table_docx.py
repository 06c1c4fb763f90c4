"""The financial table as a landscape Word document (same content as the XLSX)."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from copy import deepcopy
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tc
from docx.shared import Cm, Pt
from docx.table import _Cell

from engine.finance import Table
from engine.model import Departement
from engine.money import format_count, format_number
from engine.open_points import OpenPoint
from engine.render.draft import mark_draft
from engine.render.reproducible import write_document
from engine.render.table_layout import (
    COLUMNS,
    headings,
    row_cells,
    service_line,
    subtotal_cells,
    title,
    total_cells,
)

FONT = "Arial"


def table_document(dep: Departement, table: Table, dated: date | None = None, grid: bool = True):
    """A python-docx Document holding the table (the commission pack's annexe 3 takes it without
    the `grid` and adds its own tables, split by measure).

    `dated`: the date the table carries (004 annexe 3 « 26/02/2026 », commissions/YEAR.yaml).
    """
    document = Document()
    _landscape(document)
    _arial(document)
    heading = document.add_paragraph(title(dep, table))
    heading.runs[0].bold = True
    document.add_paragraph(service_line(dep, dated))
    if grid:
        add_table(document, dep, table)
    _fixed_properties(document, dep, table.year)
    return document


def add_table(document, dep: Departement, table: Table) -> None:
    """The table's grid, built once per departement and table: the build's table and the pack's
    annexe 3 show the same one (copying its XML takes a tenth of the time building it takes)."""
    built = _last_grid(dep, table)
    if built is not None:
        document.element.body._insert_tbl(deepcopy(built))
        return
    grid = build_grid(document, dep, table)
    _LAST_GRID[:] = [(weakref.ref(dep), weakref.ref(table), deepcopy(grid._tbl))]


_LAST_GRID: list[tuple[weakref.ref, weakref.ref, object]] = []
"""The last grid built: (its departement, its table, its `w:tbl`), checked by identity (both are
immutable; a test's other conventions are other objects, never served this grid)."""


def _last_grid(dep: Departement, table: Table):
    for dep_ref, table_ref, tbl in _LAST_GRID[:1]:  # read once (the web app's job runs in a thread)
        if dep_ref() is dep and table_ref() is table:
            return tbl
    return None


def build_grid(document, dep: Departement, table: Table):
    """Append the table to `document` (python-docx's `Table`): header, a block per association."""
    grid = document.add_table(rows=1, cols=len(COLUMNS))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headings(dep, table), strict=True):
        _fill(cell, text, bold=True, size=HEADER_SIZE_PT)
    repeat_header(grid.rows[0])
    fit_columns(grid)  # before the body: its rows are made with the final widths
    body = BodyRows(grid)
    for block in table.blocks:
        for index, row in enumerate(block.rows):
            cells = row_cells(dep, block, row)
            body.add(cells if index == 0 else [None, *cells[1:]])  # the name once per block
        body.add(subtotal_cells(block), bold=True)
    body.add(total_cells(table), bold=True)
    return grid


WIDTHS_CM = {"association": 2.9, "territory": 2.4, "arrondissement": 1.7, "count": 1.25, "amount": 1.7}
"""Column widths on a landscape A4 (27,7 cm between margins): amounts stay on one line, and no
header word is cut (tests/test_table_docx_layout.py measures them in Arial bold)."""
HEADER_SIZE_PT, CELL_SIZE_PT = 5.5, 6
CELL_MARGIN_TWIPS = "34"  # 0,06 cm each side instead of Word's 0,19 cm


def fit_columns(grid) -> None:
    """Fixed widths and narrow cell margins, so that no amount breaks over two lines."""
    widths = [Cm(WIDTHS_CM.get(c.key) or WIDTHS_CM[c.kind]) for c in COLUMNS]
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    for tr in grid._tbl.tr_lst:  # the header: the body's rows are then made with these widths
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), CELL_MARGIN_TWIPS)
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                          "w:tblPrChange")
    keep_rows_whole(grid)


def keep_rows_whole(grid) -> None:
    """No row breaks across two pages (a name would lose its second line to the next page)."""
    for row in grid.rows:
        keep_row_whole(row._tr)


def keep_row_whole(tr) -> None:
    whole = OxmlElement("w:cantSplit")
    whole.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(whole)


class BodyRows:
    """The body's rows, each cell a copy of one python-docx filled once per column and style.

    Filling its 1 200 cells through python-docx's element API took most of the table's time; a
    copy gives the same XML (tests/test_table_docx_rows.py compares the two). Text python-docx
    writes in several elements (line breaks, tabs, spaces at an end) is still filled by it."""

    def __init__(self, grid) -> None:
        self._grid = grid
        row = grid.add_row()  # the grid's final widths, then taken out: a pattern, not a row
        keep_row_whole(row._tr)
        self._blank = list(row._tr.tc_lst)
        for tc in self._blank:
            row._tr.remove(tc)
        grid._tbl.remove(row._tr)
        self._tr = row._tr
        self._filled: dict[tuple[int, bool, bool], CT_Tc] = {}

    def add(self, cells, bold: bool = False) -> None:
        tr = deepcopy(self._tr)
        for index, (column, value) in enumerate(zip(COLUMNS, cells, strict=True)):
            tr.append(self._cell(index, _shown(value), bold, column.kind != "text"))
        self._grid._tbl.append(tr)

    def _cell(self, index: int, text: str, bold: bool, right: bool):
        if not text or _plain(text):
            key = (index, bold, bool(text))
            if key not in self._filled:
                self._filled[key] = self._filled_cell(index, "0" if text else "", bold, right)
            tc = deepcopy(self._filled[key])
            if text:
                next(tc.iter(_T)).text = text
            return tc
        return self._filled_cell(index, text, bold, right)

    def _filled_cell(self, index: int, text: str, bold: bool, right: bool) -> CT_Tc:
        tc = deepcopy(self._blank[index])
        _fill(_Cell(tc, self._grid), text, bold=bold, right=right)
        return tc


_T = qn("w:t")


def _plain(text: str) -> bool:
    """Text python-docx writes as one `<w:t>` with no `xml:space` (see `CT_R.add_t`)."""
    return len(text.strip()) == len(text) and not any(c in text for c in "\t\r\n")


def write_table_docx(dep: Departement, table: Table, path: Path, points: Sequence[OpenPoint] = (),
                     root: str = "", dated: date | None = None) -> None:
    """The table's DOCX; with open points behind its figures, a draft (« PROJET », then the list).

    Standalone, it carries the pack's font and « page N / M » in its footer."""
    document = table_document(dep, table, dated)
    _page_footer(document, f"Tableau financier FSL {table.year} – page ")
    mark_draft(document, points, root, new_page=False)
    write_document(path, document, table.year)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, int):
        return format_count(value)
    return str(value)


def _fill(cell, text: str, bold: bool = False, right: bool = False, size: float = CELL_SIZE_PT) -> None:
    """The cell's text; a « \\n » starts a new line (a header's rate under its label)."""
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph.add_run().add_break()
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _arial(document) -> None:
    """The pack's font (Arial) for the whole document, not python-docx's default Calibri."""
    normal = document.styles["Normal"]
    normal.font.name = FONT
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _page_footer(document, text: str) -> None:
    """« Tableau financier FSL 2026 – page 1 / 3 » at the foot of every page."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in (text, "PAGE", " / ", "NUMPAGES"):
        if part in ("PAGE", "NUMPAGES"):
            add_field(paragraph, part)
        else:
            paragraph.add_run(part).font.size = Pt(8)


def repeat_header(row) -> None:
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


def add_field(paragraph, name: str) -> None:
    """A Word field (PAGE, NUMPAGES), computed by the word processor when the page is laid out."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), name)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)
