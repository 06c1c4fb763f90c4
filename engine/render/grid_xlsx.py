"""The activity grid model (`fsl grilles`): one workbook per association, read back by `load.grid`.

An « Instructions » sheet (French text from templates/grille_instructions.yaml, the association and
the year in B3/B4, the return address and due date), a locked « Synthèse » (what is entered vs the
allocation, `render.grid_summary`), then one sheet per measure the association runs: a banner
naming the association and the measure (row 1), the French labels of only the columns that sheet
needs (row 2, locked), every input column with a data validation and its input message (dates,
whole numbers, lists for the type, the territory by name, the result, oui/non); frozen header;
A4 landscape. Same input, same bytes (fixed properties and zip timestamps).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from engine.activity import NO, YES, ActivityMeasure, AsllAct, Result
from engine.errors import FslError
from engine.grid import (
    ASSOCIATION_CELL,
    BANNER_ROW,
    HEADER_ROW,
    INPUT_ROWS,
    INSTRUCTIONS,
    YEAR_CELL,
    SheetSpec,
    column_text,
    grid_texts,
)
from engine.model import Measure
from engine.render.grid_summary import SummaryLine, cached_values, write_summary
from engine.render.reproducible import write_normalized

MAX_LIST = 255  # Excel's limit on a list written in the validation itself
FIRST_ROW = HEADER_ROW + 1
LAST_ROW = HEADER_ROW + INPUT_ROWS
DATE_FORMAT = "DD/MM/YYYY"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
BANNER_FILL = PatternFill("solid", fgColor="FFF2CC")
KINDS = {Measure.ASLL: ("GSL", "ASL"), Measure.AML: ("simple", "renforcee")}
DATES = ("date_decision", "date_debut", "date_audience", "date_fin_reelle", "date_realisation")
IN_YEAR = ("date_fin_reelle", "date_realisation")
NEXT_YEAR = ("date_audience",)  # a December DSF may be heard in January of the year after
NUMBERS = ("duree_mois", "jours_occupes")
YES_NO = ("dsf_suivi_asll", "accompagnement_seul")


@dataclass(frozen=True)
class GridData:
    """What one association's grid shows: who, which year, which sheets, the summary lines, the
    territories (id → name), the carry-over, where to send it back, the text's fields."""

    slug: str
    name: str
    year: int
    due: date
    sheets: tuple[SheetSpec, ...]
    summary: tuple[SummaryLine, ...]
    territories: Mapping[str, str]  # id → name, in the convention's order
    carried: tuple[ActivityMeasure, ...] = ()
    address: str = ""
    fields: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # rates for the texts

    def text_fields(self) -> dict[str, object]:
        return {"annee": self.year, "association": self.name, "echeance": f"{self.due:%d/%m/%Y}",
                "adresse": self.address, **self.fields}


def write_grid(data: GridData, path: Path) -> None:
    text = grid_texts()
    book = Workbook()
    _instructions(book.active, data, text)
    summary = book.create_sheet()
    write_summary(summary, data.summary, text["synthese"], data.text_fields())
    for spec in data.sheets:
        _input_sheet(book.create_sheet(spec.name), spec, data, text)
    stamp = datetime(data.year, 1, 1)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "fsl-engine"
    book.properties.title = f"Grille d'activité {data.year}"
    buffer = io.BytesIO()
    book.save(buffer)
    write_normalized(path, cached_values(buffer.getvalue(), 2, data.summary), data.year)


def _instructions(sheet, data: GridData, text: dict) -> None:
    sheet.title = INSTRUCTIONS
    fields = data.text_fields()
    sheet["A1"] = text["titre"].format(**fields)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A3"], sheet[ASSOCIATION_CELL] = "Association (ne pas modifier)", data.slug
    sheet["A4"], sheet[YEAR_CELL] = "Année (ne pas modifier)", data.year
    row = 6
    for line in text["lignes"]:
        sheet.cell(row=row, column=1, value=line.format(**fields)).alignment = Alignment(wrap_text=True,
                                                                                         vertical="top")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        sheet.row_dimensions[row].height = 45
        row += 1
    sheet.column_dimensions["A"].width = 60
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 18
    sheet.protection.sheet = True
    _page(sheet, "portrait", None)


def _input_sheet(sheet, spec: SheetSpec, data: GridData, text: dict) -> None:
    fields = data.text_fields()
    _banner(sheet, spec, data, text, fields)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        label = column_text(spec, column)
        cell = sheet.cell(row=HEADER_ROW, column=index, value=label.label)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.protection = Protection(locked=True)
        dimension = sheet.column_dimensions[letter]
        dimension.width = 22 if len(label.label) > 20 else 16
        dimension.protection = Protection(locked=False)
        dimension.number_format = DATE_FORMAT if column in DATES else "General" if column in NUMBERS else "@"
        validation = _validation(spec, column, data)
        validation.showInputMessage = True
        validation.promptTitle, validation.prompt = label.title, label.help.format(**fields)
        validation.add(f"{letter}{FIRST_ROW}:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)
    sheet.row_dimensions[HEADER_ROW].height = 45
    if not spec.occupancy:
        carried = (m for m in data.carried if m.measure is spec.measure)
        for row, measure in enumerate(carried, start=FIRST_ROW):
            _carried_row(sheet, row, spec.columns, measure, data.territories)
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.protection.sheet = True
    for option in ("formatColumns", "formatRows", "insertRows", "deleteRows", "sort", "autoFilter"):
        setattr(sheet.protection, option, False)
    _page(sheet, "landscape", f"{BANNER_ROW}:{HEADER_ROW}")


def _banner(sheet, spec: SheetSpec, data: GridData, text: dict, fields: dict) -> None:
    unit = text["unites"]["occupation" if spec.occupancy else "mesure"]
    cell = sheet.cell(row=BANNER_ROW, column=1, value=text["bandeau"].format(
        **fields, dispositif=spec.name, unite=unit))
    cell.font, cell.fill = Font(bold=True), BANNER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=BANNER_ROW, start_column=1, end_row=BANNER_ROW,
                      end_column=max(len(spec.columns), 4))
    sheet.row_dimensions[BANNER_ROW].height = 32


def _validation(spec: SheetSpec, column: str, data: GridData) -> DataValidation:
    """The validation of one input column; the error message says what is expected, in French."""
    year = data.year
    if column in DATES:
        low = date(year, 1, 1) if column in IN_YEAR else date(2000, 1, 1)
        high = date(year + (column in NEXT_YEAR), 12, 31)
        return _rule("date", "between", (low, high),
                     f"une date du {low:%d/%m/%Y} au {high:%d/%m/%Y} (JJ/MM/AAAA)")
    if column == "duree_mois":
        return _rule("whole", "between", (1, 60), "un nombre entier de mois, de 1 à 60")
    if column == "jours_occupes":
        return _rule("whole", "between", (0, 31), "un nombre entier de jours, de 0 à 31")
    if column == "type":
        kinds = KINDS[spec.measure]
        return _list(kinds, " ou ".join(kinds) + ", ou vide pour un acte ASLL")
    if column == "resultat":
        return _list(tuple(r.value for r in Result), "realise ou porte_close")
    if column == "acte_asll":
        acts = tuple(a.value for a in AsllAct)
        return _list(acts, f"{' ou '.join(acts)}, ou vide pour une mesure")
    if column in YES_NO:
        return _list((YES, NO), f"{YES} ou {NO} (vide : {NO})")
    if column == "territoire":
        return _list(tuple(data.territories.values()), "un territoire de la convention (liste), ou vide")
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
    if len(shown) > MAX_LIST or any("," in v or '"' in v for v in values):
        raise FslError(f"liste de validation impossible dans une grille (virgule, guillemet ou plus de "
                       f"{MAX_LIST} caractères) : {shown}")
    return _messages(DataValidation(type="list", formula1=f'"{shown}"', allow_blank=True), expected)


def _messages(rule: DataValidation, expected: str) -> DataValidation:
    rule.showErrorMessage = True
    rule.errorTitle, rule.error = "Valeur refusée", f"Attendu : {expected}."
    return rule


def _formula(value) -> str:
    if isinstance(value, date):
        return f"DATE({value.year},{value.month},{value.day})"
    return str(value)


def _carried_row(sheet, row: int, columns: tuple[str, ...], m: ActivityMeasure,
                 territories: Mapping[str, str]) -> None:
    """A measure still running on 1 January, copied from the previous register (its columns only)."""
    r = m.record
    values = {"mesure_id": r.mesure_id, "type": r.kind,
              "territoire": territories.get(r.territory, r.territory),
              "date_decision": r.decision, "date_debut": r.start, "duree_mois": r.months,
              "renouvellement_de": r.renews, "date_audience": r.hearing, "motif": r.motif}
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

