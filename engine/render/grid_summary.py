"""The locked « Synthèse » sheet of a grid: what the association has entered vs its allocation.

Each « Saisi » cell is a formula over the input sheets, recomputed by Excel or LibreOffice as the
association types; openpyxl writes a formula without its value, so the value it has when the grid
is written (computed here, in Python, from the carried-over rows) is written into the cell too
(`cached_values`): a reader that does not compute (a viewer, a converter) shows the same figure.
The figures are indicative: the settlement (`engine.settlement`) is what pays.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from engine.activity import YES, ActivityMeasure, AsllAct, Result
from engine.errors import FslError
from engine.grid import HEADER_ROW, INPUT_ROWS, SUMMARY, SheetSpec
from engine.model import Measure, Period
from engine.render.reproducible import read_entries, zip_entries
from engine.settlement import MonthCount, months_in

LAST_ROW = HEADER_ROW + INPUT_ROWS
HEAD_ROW, FIRST_LINE = 4, 5
ENTERED, SHARE = "D", "E"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


@dataclass(frozen=True)
class SummaryLine:
    """One line: what is counted, its unit, the allocation (None: not allocated as such), the
    formula counting what is entered, and that formula's value for the grid as written."""

    label: str
    unit: str
    allocated: int | None
    amount: Decimal | None
    formula: str
    value: int


@dataclass(frozen=True)
class SummaryInputs:
    """What the summary of one association's grid is computed from."""

    period: Period
    counts: Mapping[str, int]
    amounts: Mapping[str, Decimal]
    sheets: tuple[SheetSpec, ...]
    points: Mapping[Measure, Mapping[str, int]]
    act_points: Mapping[AsllAct, int]
    gla_min_days: int
    carried: tuple[ActivityMeasure, ...]


def summary_lines(inputs: SummaryInputs) -> tuple[SummaryLine, ...]:
    """The lines of the groups the association is funded for, with the acts paid apart."""
    sheets = {(s.measure, s.occupancy): s for s in inputs.sheets}
    lines: list[SummaryLine] = []
    for measure, group, column in ((Measure.ASLL, "asll", "asll_points"), (Measure.AML, "aml", "aml_points")):
        spec = sheets.get((measure, False))
        if spec is not None and inputs.amounts.get(group):
            lines.append(_points_line(spec, inputs, group, column))
            if measure is Measure.ASLL:
                lines += [_act_line(spec, inputs, act) for act in AsllAct]
    dsf = sheets.get((Measure.DSF, False))
    if dsf is not None:
        lines += _dsf_lines(dsf, inputs)
    fal, gla = sheets.get((Measure.FAL, True)), sheets.get((Measure.GLA, True))
    if fal is not None:
        lines += _fal_lines(fal, inputs)
    if gla is not None:
        allocated = inputs.counts.get("gla", 0) * inputs.period.months
        lines.append(SummaryLine("GLA", "mois-logements", allocated, inputs.amounts.get("gla"),
                                 f'COUNTIFS({_ref(gla, "jours_occupes")},">={inputs.gla_min_days}")', 0))
    return tuple(lines)


def _points_line(spec: SheetSpec, inputs: SummaryInputs, group: str, column: str) -> SummaryLine:
    points = inputs.points[spec.measure]
    allocated = inputs.counts.get(column, 0) * inputs.period.months
    value = sum(points.get(m.record.kind, 0) * months_in(m, inputs.period.start, inputs.period.end,
                                                         MonthCount.ONE_DAY)
                for m in inputs.carried if m.measure is spec.measure and m.act is None)
    return SummaryLine(spec.name, "points × mois", allocated, inputs.amounts.get(group),
                       _points_months(spec, points, inputs.period), value)


def _act_line(spec: SheetSpec, inputs: SummaryInputs, act: AsllAct) -> SummaryLine:
    label = {AsllAct.DIAGNOSTIC: "ASLL : diagnostics demandés par la CL FSL",
             AsllAct.CET_NON_SIGNE: "ASLL : CET non signés"}[act]
    formula = f'COUNTIFS({_ref(spec, "acte_asll")},"{act.value}"{_in_period(spec, inputs.period)})'
    points = inputs.act_points[act]
    return SummaryLine(f"{label} ({points} point{'s' if points > 1 else ''} chacun)", "actes", None, None,
                       formula, 0)


def _dsf_lines(spec: SheetSpec, inputs: SummaryInputs) -> list[SummaryLine]:
    own = _ref(spec, "dsf_suivi_asll")
    lines = []
    for group, result, label in (("dsf", Result.REALISE, "DSF réalisés"),
                                 ("portes_closes", Result.PORTE_CLOSE, "DSF portes closes")):
        formula = (f'COUNTIFS({_ref(spec, "resultat")},"{result.value}"{_in_period(spec, inputs.period)},'
                   f'{own},"<>{YES}")')
        lines.append(SummaryLine(label, "actes", inputs.counts.get(group, 0), inputs.amounts.get(group),
                                 formula, 0))
    lines.append(SummaryLine("DSF pour un ménage suivi en ASLL par l'association (non rémunérés)", "actes",
                             None, None, f'COUNTIFS({own},"{YES}")', 0))
    return lines


def _fal_lines(spec: SheetSpec, inputs: SummaryInputs) -> list[SummaryLine]:
    days = (inputs.period.end - inputs.period.start).days + 1
    both = inputs.counts.get("fal", 0) + inputs.counts.get("fal_accompagnement_seul", 0)
    alone = inputs.counts.get("fal_accompagnement_seul", 0)
    occupied = _ref(spec, "jours_occupes")
    return [SummaryLine("FAL", "jours d'occupation", both * days, inputs.amounts.get("fal"),
                        f"SUM({occupied})", 0),
            SummaryLine("FAL : dont accompagnement seul", "jours d'occupation", alone * days, None,
                        f'SUMIFS({occupied},{_ref(spec, "accompagnement_seul")},"{YES}")', 0)]


def _ref(spec: SheetSpec, column: str) -> str:
    letter = get_column_letter(spec.columns.index(column) + 1)
    name = f"'{spec.name}'" if " " in spec.name else spec.name
    return f"{name}!${letter}${HEADER_ROW + 1}:${letter}${LAST_ROW}"


def _date(day: date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _in_period(spec: SheetSpec, period: Period) -> str:
    on = _ref(spec, "date_realisation")
    return f',{on},">="&{_date(period.start)},{on},"<="&{_date(period.end)}'


def _points_months(spec: SheetSpec, points: Mapping[str, int], period: Period) -> str:
    """Σ points × months of the period each measure runs (a month counts from one day), over
    the rows: min and max written (a+b∓|a−b|)/2, which SUMPRODUCT takes row by row."""
    s, d, f = (_ref(spec, c) for c in ("date_debut", "duree_mois", "date_fin_reelle"))
    start, end = _date(period.start), _date(period.end)
    last_day = f'({f}+({f}="")*(DATE(YEAR({s}),MONTH({s})+{d},DAY({s}))-1))'
    first = f"(({s}+{start}+ABS({s}-{start}))/2)"
    last = f"(({last_day}+{end}-ABS({last_day}-{end}))/2)"
    months = f"((YEAR({last})-YEAR({first}))*12+MONTH({last})-MONTH({first})+1)"
    weight = "+".join(f'({_ref(spec, "type")}="{kind}")*{n}' for kind, n in points.items())
    acts = f'*({_ref(spec, "acte_asll")}="")' if "acte_asll" in spec.columns else ""
    return f'SUMPRODUCT(({s}<>""){acts}*({last}>={first})*({weight})*{months})'


def write_summary(sheet, lines: tuple[SummaryLine, ...], text: dict, fields: dict) -> None:
    """The sheet, locked (no password: anyone reads it, nobody types in it)."""
    sheet.title = SUMMARY
    sheet["A1"] = text["titre"].format(**fields)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = text["note"].format(**fields)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A2:F2")
    sheet.row_dimensions[2].height = 32
    for index, title in enumerate(text["entetes"], start=1):
        cell = sheet.cell(row=HEAD_ROW, column=index, value=title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row, line in enumerate(lines, start=FIRST_LINE):
        sheet.cell(row=row, column=1, value=line.label)
        sheet.cell(row=row, column=2, value=line.unit)
        sheet.cell(row=row, column=3, value=line.allocated).number_format = "#,##0"
        sheet[f"{ENTERED}{row}"] = f"={line.formula}"
        sheet[f"{ENTERED}{row}"].number_format = "#,##0"
        if line.allocated:
            sheet[f"{SHARE}{row}"] = f"={ENTERED}{row}/C{row}"
            sheet[f"{SHARE}{row}"].number_format = "0%"
        if line.amount is not None:
            sheet.cell(row=row, column=6, value=line.amount).number_format = '#,##0.00\\ "€"'
    sheet.column_dimensions["A"].width = max((len(line.label) for line in lines), default=40) + 4
    sheet.column_dimensions["B"].width = 20
    for letter in "CDEF":
        sheet.column_dimensions[letter].width = 15
    sheet.protection.sheet = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # one page wide
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def cached_values(workbook: bytes, sheet_number: int, lines: tuple[SummaryLine, ...]) -> bytes:
    """The workbook with each summary formula's value written beside it (`<v>`), as Excel does."""
    entries = read_entries(workbook)
    name = f"xl/worksheets/sheet{sheet_number}.xml"
    xml = entries[name].decode("utf-8")
    for row, line in enumerate(lines, start=FIRST_LINE):
        xml = _with_value(xml, f"{ENTERED}{row}", str(line.value))
        if line.allocated:
            share = (Decimal(line.value) / line.allocated).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            xml = _with_value(xml, f"{SHARE}{row}", f"{share.normalize():f}")
    entries[name] = xml.encode("utf-8")
    return zip_entries(entries)


def _with_value(xml: str, ref: str, value: str) -> str:
    pattern = re.compile(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*(?:/>|></v>)')
    xml, count = pattern.subn(lambda m: f"{m.group(1)}<v>{value}</v>", xml)
    if count != 1:
        raise FslError(f"grille : formule de la cellule {SUMMARY}!{ref} introuvable")
    return xml

