"""The XLSX workbook of a check: every finding, counts by rule, a summary. Measures by mesure_id."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from engine.checker.report import counts_by_rule
from engine.checker.run import CheckResult
from engine.render.xlsx_text import append_row

COLUMNS = (("Gravité", 11), ("Règle", 20), ("Association", 24), ("Mesure", 12), ("Pièce", 12),
           ("Échéance", 12), ("Reçue le", 12), ("Retard (jours)", 10), ("Preuve", 11),
           ("Constat", 80), ("Source", 50))
SEVERITY_FR = {"error": "erreur", "warning": "avertissement"}
DATE_FORMAT = "DD/MM/YYYY"


def write_xlsx(result: CheckResult, path: Path) -> None:
    book = Workbook()
    _findings_sheet(book.active, result)
    _rules_sheet(book.create_sheet("Par règle"), result)
    _summary_sheet(book.create_sheet("Synthèse"), result)
    book.save(path)


def _findings_sheet(sheet, result: CheckResult) -> None:
    sheet.title = "Constats"
    append_row(sheet, [name for name, _ in COLUMNS])
    for f in result.findings:
        append_row(sheet, [SEVERITY_FR[f.severity.value], f.rule, f.association, f.mesure_id, f.document_id,
                      f.due, f.received, f.days_late, f.evidence.value, f.message, f.source])
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = DATE_FORMAT
    _header(sheet)


def _rules_sheet(sheet, result: CheckResult) -> None:
    append_row(sheet, ["Règle", "Erreurs", "Avertissements"])
    for rule, errors, warnings in counts_by_rule(result):
        append_row(sheet, [rule, errors, warnings])
    sheet.column_dimensions["A"].width = 22
    _header(sheet)


def _summary_sheet(sheet, result: CheckResult) -> None:
    rows = [("Contrôle au", result.as_of), ("Règles", result.ruleset.name),
            ("Territoire", result.ruleset.territory), ("Mesures", result.measures),
            ("Pièces", result.documents), ("Erreurs", result.errors),
            ("Avertissements", result.warnings)]
    for row in rows:
        append_row(sheet, list(row))
    sheet["B1"].number_format = DATE_FORMAT
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 36


def _header(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
