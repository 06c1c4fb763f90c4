"""The activity grid model (`fsl grilles`): one workbook per association, read back by `load.grid`.

An « Instructions » sheet (French text from templates/grille_instructions.yaml, the association and
the year in B3/B4, the year's allocation), then one sheet per measure the association runs, row 1
holding the register's columns, locked; every input column has a data validation (dates, whole
numbers ≥ 0, lists for `type`, `dispositif` and `resultat`); frozen header row; A4 landscape.
Same input, same bytes (fixed properties and zip timestamps).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from engine import PROJECT_ROOT
from engine.activity import ActivityMeasure, Result
from engine.grid import ASSOCIATION_CELL, INSTRUCTIONS, YEAR_CELL, SheetSpec
from engine.load.yamlfile import load_yaml
from engine.model import Measure
from engine.render.reproducible import write_normalized

INSTRUCTIONS_TEXT = PROJECT_ROOT / "templates" / "grille_instructions.yaml"
INPUT_ROWS = 20_000
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
KINDS = {Measure.ASLL: ("GSL", "ASL"), Measure.AML: ("simple", "renforcee")}
DATES = ("date_decision", "date_debut", "date_audience", "date_fin_reelle", "date_realisation")
IN_YEAR = ("date_fin_reelle", "date_realisation")


@dataclass(frozen=True)
class GridData:
    """What one association's grid shows: who, which year, which sheets, the allocation, the carry-over."""

    slug: str
    name: str
    year: int
    due: date
    sheets: tuple[SheetSpec, ...]
    allocation: tuple[tuple[str, int | None, Decimal], ...]  # label, count, amount
    territories: tuple[str, ...]
    carried: tuple[ActivityMeasure, ...] = ()


def write_grid(data: GridData, path: Path) -> None:
    text = load_yaml(INSTRUCTIONS_TEXT).data
    book = Workbook()
    _instructions(book.active, data, text)
    for spec in data.sheets:
        sheet = book.create_sheet(spec.name)
        _input_sheet(sheet, spec, data)
    stamp = datetime(data.year, 1, 1)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "fsl-engine"
    book.properties.title = f"Grille d'activité {data.year}"
    buffer = io.BytesIO()
    book.save(buffer)
    write_normalized(path, buffer.getvalue(), data.year)


def _instructions(sheet, data: GridData, text: dict) -> None:
    sheet.title = INSTRUCTIONS
    fields = {"annee": data.year, "association": data.name, "echeance": f"{data.due:%d/%m/%Y}"}
    sheet["A1"] = text["titre"].format(**fields)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A3"], sheet[ASSOCIATION_CELL] = "Association (ne pas modifier)", data.slug
    sheet["A4"], sheet[YEAR_CELL] = "Année (ne pas modifier)", data.year
    row = 6
    for line in text["lignes"]:
        sheet.cell(row=row, column=1, value=line.format(**fields)).alignment = Alignment(wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        sheet.row_dimensions[row].height = 32
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value=text["allocation"].format(**fields)).font = Font(bold=True)
    for label, count, amount in data.allocation:
        row += 1
        sheet.cell(row=row, column=1, value=label)
        sheet.cell(row=row, column=2, value=count).number_format = "#,##0"
        sheet.cell(row=row, column=3, value=amount).number_format = '#,##0.00\\ "€"'
    sheet.column_dimensions["A"].width = 60
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 18
    sheet.protection.sheet = True
    _page(sheet, "portrait", None)


def _input_sheet(sheet, spec: SheetSpec, data: GridData) -> None:
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.protection = Protection(locked=True)
        dimension = sheet.column_dimensions[letter]
        dimension.width = 16
        dimension.protection = Protection(locked=False)
        dimension.number_format = DATE_FORMAT if column in DATES else "@" if _is_text(column) else "General"
        validation = _validation(spec, column, data)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{INPUT_ROWS}")
            sheet.add_data_validation(validation)
    if not spec.occupancy:
        for row, measure in enumerate((m for m in data.carried if m.measure is spec.measure), start=2):
            _carried_row(sheet, row, spec.columns, measure)
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    for option in ("formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
        setattr(sheet.protection, option, False)
    _page(sheet, "landscape", "1:1")


def _is_text(column: str) -> bool:
    return column not in DATES and column not in ("duree_mois", "jours_occupes")


def _validation(spec: SheetSpec, column: str, data: GridData) -> DataValidation | None:
    """The validation of one input column; the error message says what is expected, in French."""
    year = data.year
    if column in DATES:
        low = date(year, 1, 1) if column in IN_YEAR else date(2000, 1, 1)
        return _rule("date", "between", (low, date(year, 12, 31)),
                     f"une date du {low:%d/%m/%Y} au 31/12/{year} (JJ/MM/AAAA)")
    if column == "duree_mois":
        return _rule("whole", "between", (1, 60), "un nombre entier de mois, de 1 à 60")
    if column == "jours_occupes":
        return _rule("whole", "between", (0, 31), "un nombre entier de jours, de 0 à 31")
    if column == "association":
        return _list((data.slug,), f"« {data.slug} » (la grille est celle de cette association)")
    if column == "dispositif":
        return _list((spec.measure.value,), f"« {spec.measure.value} » sur cette feuille")
    if column == "type":
        kinds = KINDS.get(spec.measure)
        if kinds is None:
            return _rule("textLength", "equal", (0,), f"vide pour une mesure {spec.measure.value}")
        return _list(kinds, " ou ".join(kinds))
    if column == "resultat":
        if spec.measure is not Measure.DSF:
            return _rule("textLength", "equal", (0,), "vide : réservé aux DSF")
        return _list(tuple(r.value for r in Result), "realise ou porte_close")
    if column == "territoire":
        return _list(("", *data.territories), "un territoire de la convention, ou vide")
    if column == "mois":
        return _rule("textLength", "equal", (7,), f"un mois AAAA-MM de {year}, par exemple {year}-03")
    return _rule("textLength", "lessThanOrEqual", (64,), "un identifiant de 64 caractères au plus")


def _rule(kind: str, operator: str, bounds: Sequence, expected: str) -> DataValidation:
    values = [_formula(v) for v in bounds]
    rule = DataValidation(type=kind, operator=operator, formula1=values[0],
                          formula2=values[1] if len(values) > 1 else None, allow_blank=True)
    return _messages(rule, expected)


def _list(values: Sequence[str], expected: str) -> DataValidation:
    shown = ",".join(v for v in values if v)
    return _messages(DataValidation(type="list", formula1=f'"{shown}"', allow_blank=True), expected)


def _messages(rule: DataValidation, expected: str) -> DataValidation:
    rule.showErrorMessage = True
    rule.errorTitle, rule.error = "Valeur refusée", f"Attendu : {expected}."
    return rule


def _formula(value) -> str:
    if isinstance(value, date):
        return f"DATE({value.year},{value.month},{value.day})"
    return str(value)


def _carried_row(sheet, row: int, columns: tuple[str, ...], m: ActivityMeasure) -> None:
    """A measure still running on 1 January, copied from the previous register (its columns only)."""
    r = m.record
    values = {"mesure_id": r.mesure_id, "association": r.association, "dispositif": r.measure.value,
              "type": r.kind, "territoire": r.territory, "date_decision": r.decision, "date_debut": r.start,
              "duree_mois": r.months, "renouvellement_de": r.renews, "date_audience": r.hearing,
              "motif": r.motif}
    for index, column in enumerate(columns, start=1):
        value = values.get(column)
        if value not in (None, ""):
            cell = sheet.cell(row=row, column=index, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                cell.number_format = "@"
                cell.data_type = "s"  # a text, never a formula, whatever it starts with


def _page(sheet, orientation: str, titles: str | None) -> None:
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if titles:
        sheet.print_title_rows = titles
