"""The one-page reconciliation note for the legal service: printed annex 3 against retained totals.

One row per association whose retained total differs from the printed annex 3 the Commission
voted, with the reason (the first sentence of the `inference:` note about the total), then the
count of the other reconstruction choices still to confirm (`fsl points`).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt

from engine.model import Conventions
from engine.money import format_eur
from engine.open_points import PointKind
from engine.printed import all_points, printed_differences
from engine.render.reproducible import write_document


def note_name(year: int) -> str:
    return f"note_reconciliation_{year}.docx"


def write_note(conventions: Conventions, year: int, folder: Path) -> Path:
    differences = printed_differences(conventions, year)
    points = all_points(conventions, year)
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Liberation Sans", Pt(9)
    document.add_heading(f"Note au service juridique : annexe 3 votée et montants retenus ({year})", 1)
    document.add_paragraph(
        f"{len(differences)} total(aux) d'association retenu(s) dans les avenants diffère(nt) du total "
        "imprimé dans l'annexe 3 votée par la Commission permanente. Chaque écart vient de la "
        "relecture de la numérisation (chiffre mal lu, ligne rattachée à une autre association) ; "
        "il est à confirmer avant la signature des actes définitifs.")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    headers = ("Association", "Imprimé", "Retenu", "Écart", "Raison")
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for d in differences:
        row = table.add_row().cells
        row[0].text = d.association.name
        row[1].text = format_eur(d.printed)
        row[2].text = format_eur(d.retained)
        row[3].text = format_eur(d.retained - d.printed)
        row[4].text = _first_sentence(d.reason)
    others = [p for p in points if p.kind in (PointKind.RECONSTRUCTION, PointKind.TERRITORY)]
    document.add_paragraph(
        f"Par ailleurs, {len(others)} choix de reconstitution (lignes déplacées, territoires lus, "
        f"écarts de territoire) et {len(points)} point(s) au total restent à confirmer : voir "
        f"« fsl points {year} » (chaque point avec son fichier et sa ligne).")
    path = Path(folder) / note_name(year)
    return write_document(path, document, year)


def _first_sentence(text: str) -> str:
    head, _, _ = text.partition(". ")
    return head.rstrip(".") + "."
