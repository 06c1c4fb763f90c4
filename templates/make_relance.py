"""Build the reminder letter template (templates/relance.docx, docxtpl) for `fsl relances`.

    .venv/bin/python templates/make_relance.py

The letter's French prose lives here; the values (association, dates, the table of documents,
the Département's block from conventions/departement.yaml) are Jinja fields rendered by the
engine's sandboxed, autoescaping, strict environment (engine/render/jinja.py). A test checks the
committed DOCX is exactly what this script builds.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from engine.render.reproducible import normalize_zip  # noqa: E402

COLUMNS = ("Pièce", "Mesure", "Échéance", "Reçue le", "Retard", "Clause")
FIELDS = ("l.piece", "l.mesure", "l.echeance", "l.recue", "l.retard", "l.clause")
WIDTHS = (Cm(3.6), Cm(2.2), Cm(2.2), Cm(2.2), Cm(1.8), Cm(5.0))


def build_bytes() -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10)
    core = document.core_properties
    core.author = core.last_modified_by = "fsl-engine"
    core.title = "Relance : pièces manquantes ou en retard"
    _p(document, "Département du {{ departement.nom }}", bold=True)
    _p(document, "{{ departement.service }}")
    _p(document, "")
    _p(document, "{{ association.nom }}", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    _p(document, "{{ departement.ville }}, le {{ date_lettre }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(document, "")
    _p(document, "Objet : pièces manquantes ou transmises en retard — conventions du Fonds Solidarité "
                 "Logement", bold=True)
    _p(document, "Référence : contrôle des pièces reçues au {{ date_controle }} (règles « {{ regles }} »)")
    _p(document, "")
    _p(document, "Madame, Monsieur,")
    _p(document, "Le contrôle des pièces que votre association transmet au titre de sa convention avec "
                 "le Département relève, au {{ date_controle }}, {{ lignes | length }} "
                 "pièce{% if lignes | length > 1 %}s{% endif %} "
                 "manquante{% if lignes | length > 1 %}s{% endif %} "
                 "ou reçue{% if lignes | length > 1 %}s{% endif %} après leur échéance : "
                 "{{ manquantes }} non reçue{% if manquantes > 1 %}s{% endif %}, {{ en_retard }} reçue"
                 "{% if en_retard > 1 %}s{% endif %} en retard. Chacune est listée ci-dessous avec "
                 "l'identifiant de la mesure, l'échéance, le retard en jours et la clause qui la fixe.")
    table = document.add_table(rows=3, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, title, width in zip(table.rows[0].cells, COLUMNS, WIDTHS, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(title).bold = True
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for l in lignes %}")
    for cell, field, width in zip(table.rows[2].cells, FIELDS, WIDTHS, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run("{{ " + field + " }}")
    end = table.add_row()
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _p(document, "")
    _p(document, "Nous vous remercions de transmettre sans délai les pièces non reçues au SPSLH et de "
                 "veiller au respect des échéances des conventions. Les ménages sont désignés par "
                 "l'identifiant de leur mesure.")
    _p(document, "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.")
    _p(document, "")
    _p(document, "{{ signataire.qualite }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _p(document, "{{ signataire.nom }}", align=WD_ALIGN_PARAGRAPH.RIGHT, bold=True)
    out = io.BytesIO()
    document.save(out)
    return normalize_zip(out.getvalue())


def _p(document, text: str, *, bold: bool = False, align=None) -> None:
    paragraph = document.add_paragraph()
    if text:
        paragraph.add_run(text).bold = bold
    if align is not None:
        paragraph.alignment = align


def main() -> int:
    (HERE / "relance.docx").write_bytes(build_bytes())
    print(HERE / "relance.docx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
