"""Build templates/lettre_solde.docx (docxtpl) from templates/lettre_solde.yaml.

    .venv/bin/python templates/make_solde_template.py

Same base as the avenant (templates/make_templates.py): A4, Arial, styles, footer. One template
for the five letters of engine/decisions.py (`genre`). The detail per measure is a table whose
middle row repeats for each measure (docxtpl `{%tr for %}`).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from make_templates import TEMPLATE_YEAR, _base, add_blocks, fill  # noqa: E402

from engine.load.yamlfile import load_yaml  # noqa: E402
from engine.render.reproducible import write_normalized  # noqa: E402

SOURCE, TARGET = HERE / "lettre_solde.yaml", HERE / "lettre_solde.docx"


def build_bytes(spec: dict) -> bytes:
    document = _base((spec["pied_de_page"], spec["page"]))
    document.core_properties.title = "Lettres du solde annuel FSL"
    add_blocks(document, spec["avant_tableau"])
    _detail(document, spec["colonnes"], spec["cellules"])
    add_blocks(document, spec["apres_tableau"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _detail(document, headings: list, cells: list) -> None:
    """Header row, then `{%tr for l in lignes %}` / the measure's row / `{%tr endfor %}`; the whole
    table only when there are lines (a mise en demeure has none)."""
    document.add_paragraph("{%p if lignes %}")
    table = document.add_table(rows=4, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        fill(cell, [{"intitule": text}])
    table.cell(1, 0).text = "{%tr for l in lignes %}"
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        fill(cell, [{"p": text}])
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph()
    document.add_paragraph("{%p endif %}")


def build() -> Path:
    write_normalized(TARGET, build_bytes(load_yaml(SOURCE).data), TEMPLATE_YEAR, typeset=False)
    return TARGET


if __name__ == "__main__":
    print(f"écrit : {build()}")
