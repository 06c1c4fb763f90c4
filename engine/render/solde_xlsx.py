"""`solde_YEAR.xlsx` for the payment service: one row per association, totals, the advance schedule."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from engine.model import GROUPS, Conventions
from engine.render.reproducible import write_normalized
from engine.settlement import ZERO, AdvanceDue, Settlement, Status

AMOUNT = '#,##0.00\\ "€"'
RATE = "0.00\\ %"
DATE = "DD/MM/YYYY"
BOLD = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="D9E1F2")
ESTIMATED_FILL = PatternFill("solid", fgColor="FFF2CC")
GROUP_HEADINGS = {"asll": "Réalisé ASLL", "aml": "Réalisé AML", "dsf": "Réalisé DSF",
                  "portes_closes": "Réalisé portes closes", "gla": "Réalisé GLA", "fal": "Réalisé FAL"}
HEADINGS = ("Association", "Statut", "Subvention", "Avance due (70 %)", "Avance versée",
            *GROUP_HEADINGS.values(), "Réalisé retenu", "Taux de réalisation", "Solde à verser",
            "Remboursement", "Montants", "Position calculée sur")
NOT_RECORDED = "avance due, versement non enregistré"
RECORDED = "avance versée (paiements.csv)"
UNRECORDED_FILL = PatternFill("solid", fgColor="FCE4D6")
STATUS = {Status.CALCULE: "calculé", Status.GRILLE_ABSENTE: "grille absente"}
FIRST_ROW = 4
SCHEDULE_HEADINGS = ("Association", "Avenant signé le", "Avance (70 %)", "Due au plus tard le")


def write_solde_xlsx(conventions: Conventions, year: int, settlements: tuple[Settlement, ...],
                     schedule: tuple[AdvanceDue, ...], path: Path) -> None:
    book = Workbook()
    sheet = book.worksheets[0]  # a new workbook holds one sheet, the active one
    sheet.title = f"Solde {year}"
    sheet["A1"] = f"Solde des subventions FSL {year} – {conventions.departement.service}"
    sheet["A1"].font = Font(bold=True, size=13)
    notes = []
    if any(s.estimated for s in settlements):
        notes.append("PROJET : les lignes « estimés » reposent sur une allocation estimée, à confirmer.")
    if any(not s.payment_recorded for s in settlements):
        notes.append(f"Lignes « {NOT_RECORDED} » : aucun versement dans paiements.csv ; position sur "
                     "l'avance due, aucun reversement demandé.")
    if notes:
        sheet["A2"] = " ".join(notes)
        sheet["A2"].font = Font(bold=True, color="C00000")
    _row(sheet, FIRST_ROW - 1, HEADINGS, BOLD)
    names = {a.slug: a.name for a in conventions.associations}
    for index, settlement in enumerate(settlements):
        _row(sheet, FIRST_ROW + index, _cells(settlement, names), fill=_fill(settlement))
    _row(sheet, FIRST_ROW + len(settlements), _totals(settlements), BOLD, TOTAL_FILL)
    _layout(sheet, len(HEADINGS))
    _schedule(book.create_sheet("Avances"), schedule, names)
    unpaid = [(names.get(s.association, s.association), r.group, line)
              for s in settlements for r in s.realised or () for line in r.unpaid]
    if unpaid:
        _unpaid(book.create_sheet("Non rémunérés"), unpaid)
    stamp = datetime(year, 1, 1)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "fsl-engine"
    book.properties.title = f"Solde FSL {year}"
    buffer = io.BytesIO()
    book.save(buffer)
    write_normalized(path, buffer.getvalue(), year)


def _cells(s: Settlement, names: dict[str, str]) -> list:
    computed = s.status is Status.CALCULE
    realised = [s.counted(g) if computed else None for g in GROUPS]
    return [names.get(s.association, s.association), STATUS[s.status], s.subsidy, s.advance, s.paid,
            *realised, s.total, s.rate, s.balance, s.refund, "estimés" if s.estimated else "définitifs",
            RECORDED if s.payment_recorded else NOT_RECORDED]


def _totals(settlements: tuple[Settlement, ...]) -> list:
    computed = [s for s in settlements if s.status is Status.CALCULE]

    def total(values) -> Decimal:
        return sum(values, ZERO)
    return ["Total", f"{len(computed)} calculé(s)", total(s.subsidy for s in settlements),
            total(s.advance for s in settlements), total(s.paid for s in settlements if s.payment_recorded),
            *(total(s.counted(g) for s in computed) for g in GROUPS),
            total(s.total for s in computed), None, total(s.balance for s in computed),
            total(s.refund for s in computed if s.refund is not None), None, None]


def _fill(s: Settlement):
    if s.estimated:
        return ESTIMATED_FILL
    return None if s.payment_recorded else UNRECORDED_FILL


def _row(sheet, row: int, values, font=None, fill=None) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        heading = HEADINGS[column - 1]
        if heading == "Taux de réalisation":
            cell.number_format = RATE
        elif isinstance(value, Decimal):
            cell.number_format = AMOUNT
        if font:
            cell.font = font
        if fill:
            cell.fill = fill


def _layout(sheet, columns: int) -> None:
    for index in range(1, columns + 1):
        letter = sheet.cell(row=FIRST_ROW - 1, column=index).column_letter
        sheet.column_dimensions[letter].width = 38 if index == 1 else 15
        sheet.cell(row=FIRST_ROW - 1, column=index).alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=2)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"


def _unpaid(sheet, unpaid: list[tuple[str, str, str]]) -> None:
    """Acts of the register the deliberation does not pay, each with the rule that says so."""
    sheet["A1"] = "Actes du registre non rémunérés, avec la règle de la délibération"
    sheet["A1"].font = BOLD
    for column, heading in enumerate(("Association", "Montant", "Mesure et motif"), start=1):
        sheet.cell(row=3, column=column, value=heading).font = BOLD
    for row, values in enumerate(unpaid, start=4):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 120


def _schedule(sheet, schedule: tuple[AdvanceDue, ...], names: dict[str, str]) -> None:
    """The 70 % of each signed amendment and its due date (« dans le mois qui suit la signature »)."""
    sheet["A1"] = "Avances de 70 % : avenants dont la date de signature est connue"
    sheet["A1"].font = BOLD
    for column, heading in enumerate(SCHEDULE_HEADINGS, start=1):
        sheet.cell(row=3, column=column, value=heading).font = BOLD
    for row, due in enumerate(schedule, start=4):
        values = (names.get(due.association, due.association), due.signed_on, due.amount, due.due)
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if column > 1:
                cell.number_format = AMOUNT if isinstance(value, Decimal) else DATE
    if not schedule:
        sheet["A4"] = "Aucun avenant signé enregistré (documents.csv, type avenant) dans ce dossier."
    sheet.column_dimensions["A"].width = 38
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 18
